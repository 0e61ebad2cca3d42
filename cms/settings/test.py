"""Test runs: fast hashing, in-memory mail, no network."""

import tempfile

from .base import *  # noqa: F403

SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SLACK_LAZY_INLINE = True

# Tests keep a per-process memory cache even when REDIS_URL is set in the environment; the
# multi-process tests start their own servers against Redis.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The test client never loads the server entry points, so the index is built on first use.
MATCH_INDEX_WARM = False
WARM_CODE = False
# Uploaded private documents go to a throwaway folder, never into the checkout.
PRIVATE_MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="partnerbase-private-"))  # noqa: F405
