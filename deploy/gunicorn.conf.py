"""gunicorn settings for Partnerbase; every value can be overridden from the environment."""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_WORKERS", "4"))
# Threads per worker: the Slack acknowledgements must not queue behind a slow admin page.
threads = int(os.environ.get("WEB_THREADS", "2"))
# --preload: the app (and the matcher index, built by cms.wsgi) is loaded once in the master and
# shared copy-on-write with the forked workers, instead of built once per worker.
preload_app = os.environ.get("WEB_PRELOAD", "1") == "1"
timeout = int(os.environ.get("WEB_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak cannot grow without bound.
max_requests = int(os.environ.get("WEB_MAX_REQUESTS", "5000"))
max_requests_jitter = 500
wsgi_app = "cms.wsgi:application"
accesslog = os.environ.get("WEB_ACCESS_LOG", "-")
errorlog = "-"
access_log_format = (
    '{"time":"%(t)s","level":"INFO","logger":"gunicorn.access","method":"%(m)s",'
    '"path":"%(U)s","status":%(s)s,"bytes":"%(B)s","ms":%(M)s,"request_id":"%({x-request-id}o)s"}'
)
