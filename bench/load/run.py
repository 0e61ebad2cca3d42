"""The load test: gunicorn (4 workers, --preload) on PostgreSQL + Redis, a Slack Web API stub,
and locust's 50 users for a bounded time, all on 127.0.0.1. Prints per-endpoint req/s, p50/p99
and errors (the whole run, and the run after its ramp-up), memory per worker with and without
--preload, and the index build time at start.

  DATABASE_URL=postgres://postgres@127.0.0.1:5432/pb_load .venv/bin/python bench/load/run.py \
      --seed --partners 100000 --events 1000000 --users 50 --time 120
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import re
import subprocess
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PY = str(ROOT / ".venv" / "bin" / "python")
SECRET = "load-test-signing-secret"
WORKERS = 4


class Stub(BaseHTTPRequestHandler):
    """Slack's Web API and response URLs: every call answers ok."""

    def log_message(self, *args):
        pass

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = json.dumps({"ok": True, "channel": {"id": "D0LOAD"}, "files": []}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def env(port: int, stub: str, *, preload: bool) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": "load-test-only-secret-key-0123456789abcdef-not-for-production-use",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/5"),
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_BOT_TOKEN": "xoxb-load-test",
        "SLACK_ALLOWED_TEAM_IDS": "T0LOAD",
        "SLACK_API_URL": f"{stub}/api/",
        "SLACK_STUB_URL": stub,
        "BIND": f"127.0.0.1:{port}",
        "WEB_WORKERS": str(WORKERS),
        "WEB_PRELOAD": "1" if preload else "0",
        "WEB_ACCESS_LOG": os.environ.get("WEB_ACCESS_LOG", "/dev/null"),
        "TASK_BACKEND": "database",
    }


def start(port: int, stub: str, *, preload: bool, log: Path) -> tuple[subprocess.Popen, float]:
    started = time.monotonic()
    proc = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "-c", "deploy/gunicorn.conf.py"],
        cwd=ROOT,
        env=env(port, stub, preload=preload),
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    deadline = started + 900
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=30) as r:
                if r.status == 200:
                    return proc, time.monotonic() - started
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not become ready")


def pss_mb(pid: int) -> float:
    text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    return int(re.search(r"^Pss:\s+(\d+) kB", text, re.M).group(1)) / 1024


def rss_mb(pid: int) -> float:
    text = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"^VmRSS:\s+(\d+) kB", text, re.M).group(1)) / 1024


def workers(master: int) -> list[int]:
    out = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True, text=True
    )
    return [int(p) for p in out.stdout.split()]


def memory(master: int) -> str:
    kids = workers(master)
    pss = [pss_mb(p) for p in kids]
    rss = [rss_mb(p) for p in kids]
    return (
        f"master RSS {rss_mb(master):.0f} MB; per worker RSS {sum(rss) / len(rss):.0f} MB, "
        f"PSS (shared pages split) {sum(pss) / len(pss):.0f} MB; all workers PSS {sum(pss):.0f} MB"
    )


def all_workers_warm(master: int, log: Path, *, timeout: float = 60) -> None:
    """Wait until every worker is forked and has warmed itself (/readyz answers from the first
    one), so memory at start is measured on all of them."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(workers(master)) >= WORKERS and log.read_text().count(" warmed in ") >= WORKERS:
            return
        time.sleep(0.2)


def index_build_seconds(log: Path) -> list[str]:
    return re.findall(r"Matcher index built in ([\d.]+) s", log.read_text())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", action="store_true", help="seed the database first")
    parser.add_argument("--partners", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--time", type=int, default=120, help="seconds of load")
    parser.add_argument(
        "--ramp-up",
        type=int,
        default=15,
        help="seconds at the start (users starting, staff logging in) also reported apart",
    )
    parser.add_argument("--port", type=int, default=8131)
    parser.add_argument("--no-setup", action="store_true", help="skip migrate and collectstatic")
    parser.add_argument(
        "--preload-only", action="store_true", help="skip the memory run without --preload"
    )
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database for the load test.")
    out = Path("/tmp/partnerbase-load")
    out.mkdir(exist_ok=True)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Stub)
    stub = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base_env = env(args.port, stub, preload=True)
    for step in [] if args.no_setup else ["migrate", "collectstatic"]:
        subprocess.run(
            [PY, "manage.py", step, "--noinput", "-v", "0"], cwd=ROOT, env=base_env, check=True
        )
    if args.seed:
        subprocess.run(
            [
                PY,
                "bench/load/seed.py",
                "--partners",
                str(args.partners),
                "--events",
                str(args.events),
            ],
            cwd=ROOT,
            env=base_env,
            check=True,
        )
    for preload in (True,) if args.preload_only else (False, True):
        log = out / f"gunicorn-preload{int(preload)}.log"
        proc, ready_s = start(args.port, stub, preload=preload, log=log)
        try:
            print(
                f"--preload {'on ' if preload else 'off'}: ready in {ready_s:.1f} s; "
                f"index builds (s): {', '.join(index_build_seconds(log)) or 'none logged'}"
            )
            all_workers_warm(proc.pid, log)
            print(f"  memory at start: {memory(proc.pid)}")
            if not preload:
                continue
            subprocess.run(
                [
                    str(ROOT / ".venv/bin/locust"),
                    "-f",
                    "bench/load/locustfile.py",
                    "--headless",
                    "-u",
                    str(args.users),
                    "-r",
                    "10",
                    "-t",
                    f"{args.time}s",
                    "--host",
                    f"http://127.0.0.1:{args.port}",
                    "--csv",
                    str(out / "load"),
                    "--only-summary",
                    "--stop-timeout",
                    "10",
                ],
                cwd=ROOT,
                env={
                    **base_env,
                    "LOAD_PARTNERS": str(args.partners),
                    "LOAD_RECORDS": str(out / "requests.csv"),
                },
                check=False,
                stdout=subprocess.DEVNULL,
                stderr=(out / "locust.log").open("w"),
            )
            print(f"  memory after load: {memory(proc.pid)}")
        finally:
            proc.terminate()
            proc.wait(timeout=60)
    report(out / "load_stats.csv", out / "requests.csv", args)


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (locust's own table rounds to two significant digits)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def after_ramp_up(records: Path, seconds: int) -> dict[str, list[float]]:
    """Response times (ms) per endpoint of the requests started after the first `seconds`."""
    if not records.exists():
        return {}
    with records.open() as f:
        rows = [(float(start), name, float(ms)) for start, name, ms, _failed in csv.reader(f)]
    if not rows:
        return {}
    begin = min(start for start, _, _ in rows) + seconds
    steady: dict[str, list[float]] = {}
    for start, name, ms in rows:
        if start >= begin:
            steady.setdefault(name, []).append(ms)
            steady.setdefault("Aggregated", []).append(ms)
    return steady


def report(path: Path, records: Path, args) -> None:
    print(
        f"\n{args.users} users, {args.time} s, {args.partners:,} partners / {args.events:,} events"
    )
    steady = after_ramp_up(records, args.ramp_up)
    print(
        f"{'':42} {'whole run':^39} | after the first {args.ramp_up} s\n"
        f"{'endpoint':42} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'errors':>7} {'requests':>8}"
        f" | {'p50 ms':>7} {'p99 ms':>7} {'requests':>8}"
    )
    with path.open() as f:
        for row in csv.DictReader(f):
            times = steady.get(row["Name"]) or [math.nan]
            print(
                f"{row['Name'][:42]:42} {float(row['Requests/s']):7.1f} {row['50%']:>7} "
                f"{row['99%']:>7} {row['Failure Count']:>7} {row['Request Count']:>8}"
                f" | {percentile(times, 0.5):7.0f} {percentile(times, 0.99):7.0f}"
                f" {len(steady.get(row['Name'], [])):>8}"
            )


if __name__ == "__main__":
    main()
