"""gunicorn settings for Partnerbase; every value can be overridden from the environment."""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_WORKERS", "4"))
# Threads per worker. The work is CPU-bound Python, so a second thread in a worker waits for the
# first one's GIL: under the 50-user load test (docs/deploy.md) one thread per worker gave Slack
# acknowledgements p99 570 ms against 1,000 ms with two, and lower tails on every public page.
threads = int(os.environ.get("WEB_THREADS", "1"))
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


def post_worker_init(worker):
    # A forked (or recycled) worker serves a few pages to itself before it accepts a connection,
    # so its cold start is not paid by the first visitors (cms/warmup.py warm_worker).
    if os.environ.get("WEB_WARM_WORKER", "1") != "1":
        return
    from cms.warmup import warm_worker

    worker.log.info("Worker %s warmed in %.2f s", worker.pid, warm_worker(worker.wsgi))
