"""Benchmark the data commands on a fresh SQLite file: reference load (first and repeat) and demo.

Run `.venv/bin/python bench/bench_data.py` (about half a minute); prints wall times only.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.dev"
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", "--noinput", verbosity=0)
        steps = [
            ("load_reference_data, empty database (101 districts, 2,326 schools)", "reference", []),
            ("load_reference_data, second run (nothing changes)", "reference", []),
            ("load_demo, full size (300 partners, ~7,000 rows + audit)", "demo", []),
            ("load_demo again (already loaded: no-op)", "demo", []),
            ("load_demo --reset (remove the demo, load it again)", "demo", ["--reset"]),
        ]
        for label, which, extra in steps:
            name = "load_reference_data" if which == "reference" else "load_demo"
            started = time.perf_counter()
            call_command(name, *extra, stdout=io.StringIO())
            print(f"{label}: {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
