#!/usr/bin/env bash
# The production stack on one machine: migrate, collect static files, then the task worker, the
# scheduler and gunicorn. Settings come from the environment (.env when present; see
# .env.example). Ctrl-C (or SIGTERM) stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -f .env ]; then set -a; . ./.env; set +a; fi
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-cms.settings.production}"
PY="${PY:-.venv/bin/python}"

"$PY" manage.py migrate --noinput
"$PY" manage.py collectstatic --noinput -v 0
"$PY" manage.py setup_site >/dev/null

pids=()
stop() { kill -TERM "${pids[@]}" 2>/dev/null || true; wait || true; }
trap stop INT TERM EXIT

"$PY" manage.py run_worker --interval "${WORKER_INTERVAL:-0.5}" & pids+=($!)
"$PY" manage.py run_scheduler & pids+=($!)
.venv/bin/gunicorn -c deploy/gunicorn.conf.py & pids+=($!)
echo "Partnerbase on http://${BIND:-127.0.0.1:8000}/ (worker ${pids[0]}, scheduler ${pids[1]}, gunicorn ${pids[2]})"
wait -n "${pids[@]}"
