"""Benchmark crm.dedup: query latency, full-scan time/memory/recall, and a naive baseline.

Run `.venv/bin/python bench/bench_dedup.py` (minutes on 2 idle cores; the Splink reference of
the spreadsheet scan alone takes longer, skip it with --no-splink); prints figures only.
"""

from __future__ import annotations

import random
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crm.dedup import MatchIndex, Record, scan
from crm.dedup.judge import compare
from crm.dedup.score import build_profile

SEED = 1729
PLACES = """Los Angeles|Pasadena|Burbank|Glendale|Long Beach|Compton|Inglewood|Torrance|Pomona
|Whittier|Santa Monica|Culver City|El Monte|Downey|Norwalk|Lancaster|Palmdale|Carson
|Lakewood|Alhambra
|Boyle Heights|Watts|Koreatown|Echo Park|Highland Park|Van Nuys|Reseda|Sylmar|Pacoima|Wilmington
|San Pedro|Harbor City|Venice|Crenshaw|Leimert Park|South Gate|Huntington Park|Bell Gardens
|Montebello|Monterey Park|Azusa|Covina|West Covina|Baldwin Park|Duarte|Monrovia|Arcadia|Altadena
|Hawthorne|Gardena|Lynwood|Paramount|Bellflower|Cerritos|Artesia|Claremont|La Verne|Glendora
|Santa Clarita|Valencia|Calabasas|Malibu|Topanga|Eagle Rock|Silver Lake|Westlake|Pico Union
|Chinatown|Little Tokyo|Skid Row|Mar Vista|Palms|Sherman Oaks|Encino|Tarzana|Northridge|Chatsworth
|Sun Valley|Tujunga|Lincoln Heights|El Sereno|Cypress Park|Vernon|Maywood|Cudahy|Bell|Commerce
|Rosemead|San Gabriel|Temple City|Sierra Madre|La Puente|Hacienda Heights|Rowland Heights|Walnut
|Diamond Bar|Industry|Avalon|Lomita|Redondo Beach|Hermosa Beach|Manhattan Beach|El Segundo
|Westchester|Ladera Heights|View Park|Baldwin Hills|Hyde Park|Florence|Firestone
|Willowbrook|Athens|Lennox"""
CORES = """Youth|Family|Community|Health|Arts|Food|Housing|Education|Legal Aid|Senior|Veterans
|Immigrant|Women's|Children's|Literacy|Music|Dance|Environmental|Garden|Faith|Recovery|Wellness
|Technology|STEM|Sports|Soccer|Boxing|Mentoring|Tutoring|Reentry|Workforce|Job Training
|Mental Health|Dental|Vision|Nutrition|Homeless|Shelter|Foster Youth|Parent|Early Childhood
|After School|College Access|Scholarship|Library|Theater|Film|Media|Science|Math|Robotics
|Coding|Green|Climate|Water|Transit|Bike|Peace|Justice|Civic|Voter|Latino|Black|Asian Pacific
|Native American|Armenian|Korean|Filipino|Deaf|Disability|Autism|Cancer|Diabetes|Maternal|Infant"""
KINDS = """Center|Alliance|Coalition|Network|Project|Foundation|Services|Collective|Partnership
|Institute|Clinic|Academy|Club|League|Council|Association|Initiative|Fund|Program|Ministries
|Food Bank|Pantry|Society|Cooperative|Guild|Corps|Circle|Hub|Lab|Workshop"""
SURNAMES = """Garcia|Hernandez|Lopez|Martinez|Gonzalez|Rodriguez|Kim|Nguyen|Smith|Johnson|Williams
|Brown|Jones|Lee|Park|Chen|Wong|Tanaka|Cohen|Goldberg|Washington|Jackson|Harris|Robinson|Walker
|Young|King|Wright|Scott|Torres|Ramirez|Flores|Rivera|Gomez|Diaz|Reyes|Morales|Cruz|Ortiz
|Gutierrez|Chavez|Ramos|Ruiz|Alvarez|Mendoza|Castillo|Jimenez|Vasquez|Romero|Herrera|Medina
|Aguilar|Vargas|Guzman|Salazar|Soto|Delgado|Pena|Rios|Sandoval|Contreras|Estrada|Dominguez"""
ADJECTIVES = """Bright|New|Open|Rising|Golden|Hope|Unity|Harmony|Pathway|Bridge|Cornerstone
|Beacon|Lighthouse|Horizon|Summit|Evergreen|Sunrise|Compass|Anchor|Harvest|Seed|Roots|Oasis
|Haven|Journey|Promise|Spark|Momentum|Catalyst|Kindred|Village|Heritage|Legacy|Pioneer"""
NOUNS = """Minds|Hearts|Hands|Voices|Futures|Paths|Steps|Wings|Dreams|Trails|Gardens|Streets
|Bridges|Doors|Lights|Stars|Rivers|Fields|Seeds|Roots|Circles|Tables|Kitchens|Studios"""


def _words(text: str) -> list[str]:
    return [w.strip() for w in text.replace("\n", "").split("|") if w.strip()]


def make_names(n: int, rng: random.Random) -> list[str]:
    places, cores, kinds = _words(PLACES), _words(CORES), _words(KINDS)
    surnames, adjectives, nouns = _words(SURNAMES), _words(ADJECTIVES), _words(NOUNS)
    seen: set[str] = set()
    names: list[str] = []
    while len(names) < n:
        roll = rng.random()
        if roll < 0.35:
            name = f"{rng.choice(places)} {rng.choice(cores)} {rng.choice(kinds)}"
        elif roll < 0.6:
            name = f"{rng.choice(cores)} {rng.choice(kinds)} of {rng.choice(places)}"
        elif roll < 0.75:
            name = f"{rng.choice(surnames)} {rng.choice(['Family', ''])} {rng.choice(kinds)}"
            name = " ".join(name.split()) + f" {rng.choice(places)}"
        elif roll < 0.92:
            name = f"{rng.choice(adjectives)} {rng.choice(nouns)} {rng.choice(cores)} {rng.choice(kinds)}"  # noqa: E501
        else:
            name = f"{rng.choice(adjectives)} {rng.choice(nouns)} of {rng.choice(places)}"
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def variant(name: str, rng: random.Random) -> str:
    op = rng.choice(["typo", "suffix", "case", "abbrev", "the", "punct", "typo"])
    if op == "suffix":
        return name + rng.choice([", Inc.", " LLC", " Corporation", " Inc"])
    if op == "case":
        return name.upper()
    if op == "the":
        return "The " + name
    if op == "abbrev":
        for long, short in (
            ("Center", "Ctr"),
            ("Los Angeles", "LA"),
            ("Association", "Assn"),
            ("Services", "Svcs"),
            (" and ", " & "),
            ("Saint", "St."),
        ):
            if long in name:
                return name.replace(long, short)
        return name + " Inc."
    if op == "punct":
        return name.replace(" ", "-", 1) + "."
    words = name.split()
    i = max(range(len(words)), key=lambda k: (len(words[k]), rng.random()))
    w = words[i]
    j = rng.randint(1, max(1, len(w) - 2))
    words[i] = w[:j] + w[j + 1 :] if rng.random() < 0.5 else w[:j] + w[j:][::-1][:1] + w[j:]
    return " ".join(words)


def make_records(n: int, *, seed: int = SEED) -> tuple[list[Record], set[tuple[str, str]]]:
    """`n` records of which ~3% are planted duplicates; returns them and the planted pairs."""
    rng = random.Random(seed)
    originals = make_names(int(n * 0.97), rng)
    records: list[Record] = []
    for i, name in enumerate(originals):
        site = (
            f"{''.join(ch for ch in name.lower() if ch.isalnum())[:18]}{i}.org"
            if rng.random() < 0.4
            else ""
        )
        phone = (
            f"{rng.choice([213, 310, 323, 562, 626, 818])}{rng.randint(2000000, 9999999)}"
            if rng.random() < 0.5
            else ""
        )
        records.append(Record(id=f"r{i}", name=name, website=site, phone=phone))
    planted: set[tuple[str, str]] = set()
    for k in range(n - len(originals)):
        src = rng.choice(records[: len(originals)])
        dup = Record(
            id=f"d{k}",
            name=variant(src.name, rng),
            website=src.website if rng.random() < 0.3 else "",
            phone=src.phone if rng.random() < 0.3 else "",
        )
        records.append(dup)
        planted.add((src.id, dup.id))
    rng.shuffle(records)
    return records, planted


def messy_rows(n: int, *, seed: int = SEED) -> list[tuple[str, str, str, str]]:
    """(id, name, phone, zip) rows as a real export has them: chains repeat one name across
    hundreds of sites (each with its own phone and ZIP), and some rows are retyped variants."""
    rng = random.Random(seed)
    bases = make_names(max(1000, n // 5), rng)
    rows = []
    for i in range(n):
        # Zipf-like: a few names repeat very often (chains), most once or twice.
        k = min(len(bases) - 1, int(rng.paretovariate(1.1)) - 1)
        name = bases[k] if rng.random() < 0.5 else rng.choice(bases)
        if rng.random() < 0.25:
            name = variant(name, rng)
        phone = f"{rng.choice([213, 310, 323, 562, 626, 818])}{rng.randint(2000000, 9999999)}"
        rows.append(
            (f"m{i}", name, phone if rng.random() < 0.6 else "", f"9{rng.randint(0, 1999):04d}")
        )
    return rows


SPREADSHEET_CHILD = """
import csv, resource, sys, time
sys.path.insert(0, {root!r})
from crm.dedup.csvscan import scan_csv, write_pairs
start = time.perf_counter()
pairs = scan_csv(stream={path!r}, id_column="id", name_column="name", phone_column="phone",
                 zip_column="zip")
written = write_pairs(pairs, {out!r})
took = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_SELF)
peak = usage.ru_maxrss / 1024
print(f"{{took:.1f}} {{peak:.0f}} {{written}} {{usage.ru_utime + usage.ru_stime:.1f}}")
"""

TRAIN_CHILD = """
import resource, sys, time
sys.path.insert(0, {root!r})
sys.path.insert(0, {bench!r})
from bench_dedup import make_records
from crm.dedup.train import train
records, _ = make_records({n})
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
start, cpu = time.perf_counter(), time.process_time()
model = train(records, em={em})
took, cpu = time.perf_counter() - start, time.process_time() - cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{{took:.1f}} {{peak:.0f}} {{base:.0f}} {{model.prior_weight:+.2f}} {{cpu:.1f}}")
"""


def spreadsheet_bench(n: int) -> None:
    """`find_duplicates --csv` end to end in a fresh process: read, train on the file, index,
    scan, write; wall time and that process's peak memory."""
    import csv
    import subprocess
    import tempfile

    root = str(Path(__file__).resolve().parents[1])
    with tempfile.TemporaryDirectory() as tmp:
        path, out = f"{tmp}/messy.csv", f"{tmp}/pairs.csv"
        rows = messy_rows(n)
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id", "name", "phone", "zip"])
            writer.writerows(rows)
        distinct = len({r[1] for r in rows})
        code = SPREADSHEET_CHILD.format(root=root, path=path, out=out)
        took, peak, written, cpu = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.split()
        print(
            f"\nspreadsheet mode, {n:,} messy rows ({distinct:,} distinct names): {took} s "
            f"end to end, {cpu} s CPU (read, train on the file, index, scan, write "
            f"{int(written):,} pairs), peak RSS {peak} MiB"
        )
        splink_bench(path, f"{tmp}/splink_pairs.csv", float(took), float(cpu), float(peak))


def splink_bench(path: str, out: str, took: float, cpu: float, peak: float) -> None:
    """The same file through plain Splink (bench/splink_reference.py) in a fresh process."""
    import subprocess

    script = str(Path(__file__).with_name("splink_reference.py"))
    if "--no-splink" in sys.argv:
        return
    try:
        import splink
    except ImportError:
        print("  Splink reference: not installed (pip install -e '.[bench]')")
        return
    done = subprocess.run([sys.executable, script, path, out], capture_output=True, text=True)
    if done.returncode != 0:
        print(f"  Splink reference failed: {done.stderr.strip().splitlines()[-1:]}")
        return
    s_took, s_cpu, s_peak, s_written = done.stdout.split()[-4:]
    print(
        f"  same file through plain Splink {splink.__version__} (DuckDB; blocking on name, "
        f"phone, first 5 letters): {s_took} s, {s_cpu} s CPU, peak RSS {s_peak} MiB, "
        f"{int(s_written):,} pairs at p >= 0.5"
    )
    print(
        f"  ratio Splink / ours: wall x{float(s_took) / took:.1f}, CPU x{float(s_cpu) / cpu:.1f}, "
        f"peak memory x{float(s_peak) / peak:.1f}"
    )


def training_bench(n: int, em: bool = False) -> None:
    """Training on n partners in a fresh process: wall time and peak memory."""
    import subprocess

    root = str(Path(__file__).resolve().parents[1])
    code = TRAIN_CHILD.format(root=root, bench=str(Path(__file__).parent), n=n, em=em)
    took, peak, base, prior, cpu = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    print(
        f"\ntraining on {n:,} partners: {took} s ({cpu} s CPU; "
        f"150k random + 150k candidate pairs, {'EM for m' if em else 'u only, m labelled'}), "
        f"peak RSS {peak} MiB ({base} MiB before training); prior {prior} bits"
    )


def query_bench(n: int) -> None:
    """The one-name check against n partners and the naive baseline, in the same run."""
    rng = random.Random(SEED)
    records, _ = make_records(n)
    index = MatchIndex(records)
    queries = query_set(records, 300, rng)
    time_queries(index, queries[:20])
    ours = time_queries(index, queries)
    ours_cpu = list(LAST_CPU)
    naive = time_naive([r.name for r in records], queries[:25])
    naive_cpu = list(LAST_CPU)
    print(f"{n:,} records: one-name check p50 {pct(ours, 50):.2f} ms, p95 {pct(ours, 95):.2f} ms")
    print(
        f"  naive process.extract WRatio p50 {pct(naive, 50):.1f} ms, p95 {pct(naive, 95):.1f} ms"
    )
    print(
        f"  speed-up p50 x{statistics.median(naive) / statistics.median(ours):.0f}  "
        f"p95 x{np.percentile(naive, 95) / np.percentile(ours, 95):.0f}"
    )
    print(cpu_line(ours_cpu, naive_cpu))


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) * 1000


# CPU seconds of each call timed by the last time_queries/time_naive: the machine is shared,
# and CPU time says what the code costs whatever else runs.
LAST_CPU: list[float] = []


def time_queries(index: MatchIndex, queries: list[Record]) -> list[float]:
    out, LAST_CPU[:] = [], []
    for record in queries:
        start, cpu = time.perf_counter(), time.process_time()
        index.query(record, limit=5)
        out.append(time.perf_counter() - start)
        LAST_CPU.append(time.process_time() - cpu)
    return out


def time_naive(names: list[str], queries: list[Record]) -> list[float]:
    out, LAST_CPU[:] = [], []
    for record in queries:
        start, cpu = time.perf_counter(), time.process_time()
        process.extract(record.name, names, scorer=fuzz.WRatio, limit=5)
        out.append(time.perf_counter() - start)
        LAST_CPU.append(time.process_time() - cpu)
    return out


def cpu_line(ours_cpu: list[float], naive_cpu: list[float]) -> str:
    """CPU-time percentiles of ours and the naive baseline, and their ratio."""
    return (
        f"  CPU time: ours p50 {pct(ours_cpu, 50):.2f} p95 {pct(ours_cpu, 95):.2f}, naive p50 "
        f"{pct(naive_cpu, 50):.1f} p95 {pct(naive_cpu, 95):.1f}; speed-up p50 "
        f"x{statistics.median(naive_cpu) / statistics.median(ours_cpu):.0f} p95 "
        f"x{np.percentile(naive_cpu, 95) / np.percentile(ours_cpu, 95):.0f}"
    )


def query_set(records: list[Record], n: int, rng: random.Random) -> list[Record]:
    picks = rng.sample(records, n)
    return [Record(id=f"q{i}", name=variant(r.name, rng)) for i, r in enumerate(picks)]


def exhaustive_pairs(records: list[Record]) -> set[tuple[str, str]]:
    """Pairs found by scoring every pair whose token_set_ratio >= 60 (found with cdist)."""
    profiles = [build_profile(r) for r in records]
    norms = [p.forms[0].norm for p in profiles]
    found: set[tuple[str, str]] = set()
    for start in range(0, len(norms), 1000):
        block = process.cdist(
            norms[start : start + 1000],
            norms,
            scorer=fuzz.token_set_ratio,
            workers=-1,
            dtype=np.uint8,
            score_cutoff=60,
        )
        for i, j in zip(*np.nonzero(block), strict=True):
            a, b = start + int(i), int(j)
            if a < b and compare(profiles[a], profiles[b]):
                found.add((records[a].id, records[b].id))
    return found


def main() -> None:
    if "--only" in sys.argv:
        # e.g. --only spreadsheet 20000 [--no-splink], --only training 10000
        kind, n = sys.argv[sys.argv.index("--only") + 1 :][:2]
        bench = {"spreadsheet": spreadsheet_bench, "training": training_bench, "query": query_bench}
        bench[kind](int(n))
        return
    t0 = time.perf_counter()
    rng = random.Random(SEED)
    print("crm.dedup benchmark (seeded; times in ms unless noted)")
    data: dict[int, tuple[list[Record], set[tuple[str, str]], MatchIndex]] = {}
    for n in (10_000, 100_000):
        records, planted = make_records(n)
        start = time.perf_counter()
        index = MatchIndex(records)
        build = time.perf_counter() - start
        data[n] = (records, planted, index)
        queries = query_set(records, 300, rng)
        time_queries(index, queries[:20])  # warm caches
        ours = time_queries(index, queries)
        ours_cpu = list(LAST_CPU)
        naive = time_naive([r.name for r in records], queries[: 60 if n == 10_000 else 25])
        naive_cpu = list(LAST_CPU)
        print(f"\n{n:,} records: index build {build:.1f} s")
        print(f"  query    p50 {pct(ours, 50):6.2f}  p95 {pct(ours, 95):6.2f}  (n={len(ours)})")
        print(
            f"  naive    p50 {pct(naive, 50):6.2f}  p95 {pct(naive, 95):6.2f}  "
            f"(process.extract WRatio, n={len(naive)})"
        )
        print(
            f"  speed-up p50 x{statistics.median(naive) / statistics.median(ours):.1f}  "
            f"p95 x{np.percentile(naive, 95) / np.percentile(ours, 95):.1f}"
        )
        print(cpu_line(ours_cpu, naive_cpu))
        hits = (
            sum(
                any(
                    m.id == src
                    for m in index.query(
                        Record(id="x", name=next(r.name for r in records if r.id == dup)), limit=5
                    )
                )
                for src, dup in list(planted)[:100]
            )
            if n == 10_000
            else None
        )
        if hits is not None:
            print(f"  planted duplicate found by query (top 5): {hits}/100")

    records, planted, index = data[100_000]
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start, cpu = time.perf_counter(), time.process_time()
    pairs = scan(index)
    took, cpu = time.perf_counter() - start, time.process_time() - cpu
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    found = {frozenset((p.left_id, p.right_id)) for p in pairs}
    got = sum(frozenset(p) in found for p in planted)
    likely = sum(p.level == "likely" for p in pairs)
    print(
        f"\nfull scan of 100,000: {took:.1f} s ({cpu:.1f} s CPU), {len(pairs):,} pairs "
        f"({likely:,} likely)"
    )
    print(
        f"  peak RSS {rss_after / 1024:.0f} MiB (was {rss_before / 1024:.0f} MiB before the scan)"
    )
    print(f"  planted duplicates found: {got}/{len(planted)} = {got / len(planted):.1%}")

    sample, _ = make_records(5_000, seed=SEED + 1)
    start = time.perf_counter()
    truth = exhaustive_pairs(sample)
    exhaustive_took = time.perf_counter() - start
    start = time.perf_counter()
    scanned = {(p.left_id, p.right_id) for p in scan(MatchIndex(sample))}
    scanned |= {(b, a) for a, b in scanned}
    took = time.perf_counter() - start
    recall = sum(p in scanned for p in truth) / max(1, len(truth))
    print(
        f"\nrecall vs exhaustive on 5,000 records: {recall:.1%} of {len(truth):,} pairs "
        f"(scan {took:.1f} s, exhaustive {exhaustive_took:.1f} s)"
    )
    spreadsheet_bench(100_000)
    training_bench(100_000)
    training_bench(100_000, em=True)
    print(f"\ntotal bench time {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
