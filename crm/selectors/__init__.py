"""Selectors: the reads that several faces share."""
