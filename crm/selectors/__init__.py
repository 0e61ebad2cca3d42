"""Reads that several faces share, with their joins spelled out (no N+1)."""
