"""The spreadsheet scan through plain Splink (DuckDB in process), as the same-run reference.

`.venv/bin/python bench/splink_reference.py ROWS.csv [OUT.csv]` (columns id, name, phone, zip)
prints: wall seconds, CPU seconds, peak RSS MiB, pairs written. Needs the `bench` extra.
"""

from __future__ import annotations

import logging
import os
import resource
import sys
import tempfile
import time

# DuckDB may use at most this much memory before it spills to disk (the machine is shared).
MEMORY_LIMIT = os.environ.get("SPLINK_MEMORY_LIMIT", "6GB")
THRESHOLD = 0.5  # a pair is written from this match probability, as POSSIBLE in ours


def run(path: str, out: str) -> tuple[float, float, float, int]:
    import duckdb
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    start, cpu = time.perf_counter(), time.process_time()
    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    con.execute(f"SET temp_directory = '{tempfile.gettempdir()}/splink_spill'")
    # Plain preparation: trimmed, lower-case names; empty cells are missing values.
    con.execute(
        """
        CREATE TABLE rows AS
        SELECT id AS unique_id,
               nullif(lower(trim(name)), '') AS name,
               nullif(trim(phone), '') AS phone,
               nullif(trim(zip), '') AS zip
        FROM read_csv(?, all_varchar = true, header = true)
        """,
        [path],
    )
    db_api = DuckDBAPI(connection=con)
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.JaroWinklerAtThresholds("name", [0.95, 0.88]).configure(
                term_frequency_adjustments=True
            ),
            cl.ExactMatch("phone"),
            cl.ExactMatch("zip"),
        ],
        # Simple rules, as a first Splink run has them: same name, same phone, or the same
        # first five letters of the name.
        blocking_rules_to_generate_predictions=[
            block_on("name"),
            block_on("phone"),
            block_on("substr(name, 1, 5)"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker(db_api.register("rows"), settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("name", "zip"), block_on("phone")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1729)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("zip"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("phone"))
    pairs = linker.inference.predict(threshold_match_probability=THRESHOLD)
    con.execute(
        f"COPY (SELECT unique_id_l, unique_id_r, match_probability FROM {pairs.physical_name}) "
        "TO ? (HEADER, DELIMITER ',')",
        [out],
    )
    written = con.execute(f"SELECT count(*) FROM {pairs.physical_name}").fetchone()[0]
    took, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return took, cpu, peak, int(written)


def main() -> None:
    path = sys.argv[1]
    out = sys.argv[2] if len(sys.argv) > 2 else os.devnull
    took, cpu, peak, written = run(path, out)
    print(f"{took:.1f} {cpu:.1f} {peak:.0f} {written}")


if __name__ == "__main__":
    main()
