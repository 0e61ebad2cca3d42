"""The public Open Referral HSDS 3 feed at /api/hsds/ (read-only, published partners only)."""
