"""`python -m bench [--quick] [--skip-http] [--skip-peer] [--skip-ledger] [--skip-hostile] [--out DIR]`: run the benchmark, print
the table, write bench-results/<timestamp>.json and bench-results/latest.json.
`python -m bench --show bench-results/<timestamp>.json` prints the table of an earlier run."""
from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import corpus, engine_bench, hostile_bench, http_bench, ledger_bench, peer, report, server
from .stats import summarize

Runs = tuple  # (min_runs, max_runs, budget_seconds) for stats.time_calls


@dataclass(frozen=True)
class Budget:
    name: str
    seed: Runs
    passage: Runs
    sizes: dict                       # label -> bytes
    size_runs: dict                   # label -> Runs
    distinct_runs: dict               # label (of sizes) -> Runs: the same sizes, numbers changed per repeat
    money_runs: dict                  # "seed" / size label -> Runs
    import_repeats: int
    cold_starts: int
    http: http_bench.HttpBudget
    peer_runs: dict = field(default_factory=dict)
    peer_passages: int = 0            # 0 = all dev passages
    ledger: ledger_bench.LedgerBudget = ledger_bench.FULL
    hostile: hostile_bench.HostileBudget = hostile_bench.HostileBudget()


FULL = Budget(
    name="full",
    seed=(30, 2000, 3.0), passage=(10, 300, 0.4),
    sizes={"10KB": 10_000, "100KB": 100_000, "1MB": 1_000_000},
    size_runs={"10KB": (10, 500, 2.0), "100KB": (7, 200, 3.0), "1MB": (5, 30, 6.0)},
    distinct_runs={"100KB": (5, 100, 1.0), "1MB": (3, 10, 3.0)},
    money_runs={"seed": (30, 2000, 1.0), "1MB": (5, 30, 2.0)},
    import_repeats=5, cold_starts=5,
    http=http_bench.HttpBudget(),
    peer_runs={"seed": (5, 50, 2.0), "passage": (5, 100, 0.4)},
)

# For the smoke test (tests/perf): every code path, a few seconds; figures are meaningless.
QUICK = Budget(
    name="quick",
    seed=(3, 3, 0.0), passage=(1, 1, 0.0),
    sizes={"5KB": 5_000, "10KB": 10_000, "50KB": 50_000},
    size_runs={"5KB": (2, 2, 0.0), "10KB": (2, 2, 0.0), "50KB": (2, 2, 0.0)},
    distinct_runs={"10KB": (1, 1, 0.0), "50KB": (1, 1, 0.0)},
    money_runs={"seed": (3, 3, 0.0), "50KB": (2, 2, 0.0)},
    import_repeats=1, cold_starts=1,
    http=http_bench.HttpBudget(warmup_requests=16, rounds=2, requests_per_round=32, batch_rounds=1,
                               batch_requests_per_round=2, floor_requests=20, max_seconds_per_round=30.0),
    peer_runs={"seed": (1, 1, 0.0), "passage": (1, 1, 0.0)}, peer_passages=2, ledger=ledger_bench.QUICK,
    hostile=hostile_bench.HostileBudget(size=5_000, only=("digits", "dense-pledge-list")),
)


def _scaling(by_size: dict) -> dict:
    """Median time of the largest article over that of the next largest (sizes in budget order)."""
    small, big = list(by_size)[-2:]
    return {"numerator": big, "denominator": small,
            "ratio": by_size[big]["ms"]["median"] / by_size[small]["ms"]["median"]}


def run_engine(budget: Budget, say) -> dict:
    seed = corpus.seed()
    dev = corpus.dev_passages()
    say(f"engine: seed, {len(dev)} dev passages, synthetic {', '.join(budget.sizes)}")
    out: dict = {"seed": engine_bench.engine_times([seed], budget.seed)[0]}
    if dev:
        out["dev"] = engine_bench.engine_times(dev, budget.passage)
        out["dev_per_passage"] = engine_bench.per_passage(out["dev"])
    else:
        out["dev_skipped"] = f"{corpus.shared_dir() / 'eval' / 'dev.jsonl'} not found"
    texts = corpus.project_texts()
    docs = {label: corpus.synthetic(size, texts) for label, size in budget.sizes.items()}
    out["synthetic"] = {}
    for label, doc in docs.items():
        r = engine_bench.engine_times([doc], budget.size_runs[label])[0]
        r["id"] = f"synthetic {label}"
        out["synthetic"][label] = r
        say(f"  {label}: {r['ms']['median']:.1f} ms median over {r['ms']['n']}")
    out["scaling"] = _scaling(out["synthetic"])
    if (out["scaling"]["numerator"], out["scaling"]["denominator"]) == ("1MB", "100KB"):
        out["scaling_1MB_over_100KB"] = out["scaling"]["ratio"]
    # The same sizes with the numbers of every repeat changed: pledges do not merge across
    # copies, as in an archive of different stories (corpus.synthetic, distinct=True).
    out["synthetic_distinct"] = {}
    for label, runs in budget.distinct_runs.items():
        doc = corpus.synthetic(budget.sizes[label], texts, distinct=True)
        r = engine_bench.engine_times([doc], runs)[0]
        r["id"] = f"synthetic {label}, distinct numbers"
        out["synthetic_distinct"][label] = r
        say(f"  {label} distinct: {r['ms']['median']:.1f} ms median over {r['ms']['n']}")
    if len(out["synthetic_distinct"]) >= 2:
        out["scaling_distinct"] = _scaling(out["synthetic_distinct"])
    out["money"] = []
    for label, runs in budget.money_runs.items():
        doc = seed if label == "seed" else docs[label]
        r = engine_bench.money_times([doc], runs)[0]
        r["id"] = "seed article" if label == "seed" else f"synthetic {label}"
        out["money"].append(r)
    return out


def run_startup(budget: Budget, log, say) -> dict:
    say(f"start-up: {budget.import_repeats} fresh-interpreter imports, {budget.cold_starts} gunicorn cold starts")
    imports = engine_bench.import_times(budget.import_repeats)
    cold = server.cold_starts(budget.cold_starts, log=log)
    return {"imports": imports, "cold_start_s": summarize(cold), "cold_start_samples_s": cold}


def run_peer(budget: Budget, engine: dict, say) -> dict:
    reason = peer.skip_reason()
    if reason:
        say(f"spaCy peer skipped: {reason}")
        return {"skipped": reason}
    dev = corpus.dev_passages()
    if budget.peer_passages:
        dev = dev[: budget.peer_passages]
    say(f"spaCy peer: seed + {len(dev)} dev passages in {peer.venv_python()}")
    result = peer.run([corpus.seed()] + dev, budget.peer_runs)
    by_id = {d["id"]: d["ms"]["median"] for d in result["docs"]}
    ours = {engine["seed"]["id"]: engine["seed"]["ms"]["median"]}
    ours.update({d["id"]: d["ms"]["median"] for d in engine.get("dev", [])})
    result["seed_ms"], result["ours_seed_ms"] = by_id["seed"], ours["seed"]
    result["speedup_seed"] = by_id["seed"] / ours["seed"]
    common = [d.id for d in dev if d.id in ours]
    if common:
        result["dev_mean_ms"] = sum(by_id[i] for i in common) / len(common)
        result["ours_dev_mean_ms"] = sum(ours[i] for i in common) / len(common)
        # per passage, mean of per-passage medians on both sides (= ratio of total time)
        result["speedup_dev"] = result["dev_mean_ms"] / result["ours_dev_mean_ms"]
        result["speedup_dev_per_passage"] = summarize([by_id[i] / ours[i] for i in common])
        result["dev_passages"] = len(common)
    return result


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="tiny budget, for the smoke test (figures meaningless)")
    ap.add_argument("--skip-http", action="store_true", help="no gunicorn: in-process figures only")
    ap.add_argument("--skip-peer", action="store_true", help="do not time the spaCy peer")
    ap.add_argument("--skip-ledger", action="store_true",
                    help="no ledger figures (ingest on SQLite; GET /v1/pledges at 100,000 pledges, "
                         "on PostgreSQL too with BENCH_POSTGRES_URL)")
    ap.add_argument("--skip-hostile", action="store_true",
                    help="no hostile texts at the text limit (in-process CPU and HTTP through gunicorn)")
    ap.add_argument("--out", type=Path, default=corpus.REPO / "bench-results", help="where the JSON goes")
    ap.add_argument("--show", type=Path, metavar="JSON", help="print the table of a saved run and exit")
    args = ap.parse_args(argv)
    if args.show:
        print(report.table(json.loads(args.show.read_text(encoding="utf-8"))))
        return 0
    budget = QUICK if args.quick else FULL
    started = time.perf_counter()
    pressure0 = report.cpu_pressure_total_us()

    def say(msg: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f}s] {msg}", flush=True)

    results: dict = {"meta": {"timestamp": report.now_iso(), "budget": budget.name,
                              "machine": report.machine(), "git": report.git_state(),
                              "budget_detail": asdict(budget), "argv": sys.argv[1:],
                              "load_average_start": report.load_average()}}
    failures: list[str] = []
    pressure: dict[str, float] = {}
    results["meta"]["cpu_pressure_pct_by_section"] = pressure

    def section(name: str, fn):
        """Run one section; a failure is recorded (and makes the exit status 1), the rest still run."""
        p0, t0 = report.cpu_pressure_total_us(), time.perf_counter()
        try:
            results[name] = fn()
        except Exception as exc:  # noqa: BLE001 - reported in the table and the JSON
            failures.append(name)
            results.setdefault("errors", {})[name] = f"{type(exc).__name__}: {exc}"
            say(f"{name} FAILED: {type(exc).__name__}: {exc}")
        p1 = report.cpu_pressure_total_us()
        if p0 is not None and p1 is not None:  # % of the section's time some task waited for a CPU
            pressure[name] = (p1 - p0) / 1e4 / (time.perf_counter() - t0)

    section("engine", lambda: run_engine(budget, say))
    args.out.mkdir(parents=True, exist_ok=True)
    log_path = args.out / "gunicorn.log"
    with log_path.open("w") as log:
        if args.skip_http:
            results["http_skipped"] = "--skip-http"
        else:
            section("startup", lambda: run_startup(budget, log, say))
            say(f"HTTP: seed load {budget.http.rounds} × {budget.http.requests_per_round} requests, "
                f"batch {budget.http.batch_rounds} × {budget.http.batch_requests_per_round}")
            section("http", lambda: http_bench.run(budget.http, corpus.seed(), log=log, say=say))
        if args.skip_hostile:
            results["hostile_skipped"] = "--skip-hostile"
        else:
            say(f"hostile texts at {budget.hostile.size:,} characters" + ("" if args.skip_http else ", then over HTTP"))
            section("hostile", lambda: hostile_bench.run(budget.hostile, http=not args.skip_http, log=log, say=say))
    if args.skip_ledger:
        results["ledger_skipped"] = "--skip-ledger"
    else:
        section("ledger", lambda: ledger_bench.run(budget.ledger, say))
    if args.skip_peer:
        results["peer"] = {"skipped": "--skip-peer"}
    elif "engine" in results:
        section("peer", lambda: run_peer(budget, results["engine"], say))
    results["targets"] = report.judge(results)
    results["meta"]["duration_s"] = time.perf_counter() - started
    results["meta"]["load_average_end"] = report.load_average()
    pressure1 = report.cpu_pressure_total_us()
    if pressure0 is not None and pressure1 is not None:
        results["meta"]["cpu_pressure_pct"] = (pressure1 - pressure0) / 1e4 / results["meta"]["duration_s"]
    print()
    print(report.table(results))
    path, latest = report.write_json(results, args.out)
    print(f"\nwrote {path} and {latest} ({results['meta']['duration_s']:.0f} s; gunicorn log {log_path})")
    if failures:
        print(f"FAILED sections: {', '.join(failures)}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
