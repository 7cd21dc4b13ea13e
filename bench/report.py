"""Targets of issue 6, the printed table and the JSON files."""
from __future__ import annotations

import json
import math
import os
import platform
import subprocess
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from .corpus import REPO


def _get(results: dict, *keys):
    for key in keys:
        if not isinstance(results, dict) or key not in results:
            return None
        results = results[key]
    return results


# (name, unit, comparison, target, how to read the measured value from the results)
TARGETS: list[tuple[str, str, str, float, Callable[[dict], float | None]]] = [
    ("seed article engine time, median", "ms", "<=", 2.0,
     lambda r: _get(r, "engine", "seed", "ms", "median")),
    ("1 MB article engine time, median", "s", "<=", 1.0,
     lambda r: (_get(r, "engine", "synthetic", "1MB", "ms", "median") or math.nan) / 1000),
    ("scaling time(1 MB) / time(100 KB)", "x", "<=", 12.0,
     lambda r: _get(r, "engine", "scaling_1MB_over_100KB")),
    ("HTTP /v1/extract seed throughput, c=16", "req/s", ">=", 400.0,
     lambda r: _get(r, "http", "seed", "pooled", "requests_per_s")),
    ("HTTP /v1/extract seed p99 latency, c=16", "ms", "<=", 50.0,
     lambda r: _get(r, "http", "seed", "pooled", "p99_ms")),
    ("cold start to /readyz 200, median", "s", "<=", 2.0,
     lambda r: _get(r, "startup", "cold_start_s", "median")),
    ("worker peak RSS (VmHWM) after the requests", "MiB", "<=", 120.0,
     lambda r: _get(r, "http", "memory", "hwm_after_requests_mb")),
    # "No growth": allow 2 MiB of allocator noise over 10,000 requests.
    ("worker RSS growth over the requests", "MiB", "<=", 2.0,
     lambda r: _get(r, "http", "memory", "rss_growth_mb")),
    # Issue 11: every hostile recipe at the default text limit (200,000 characters) answered 200
    # within 2 s over HTTP (one request at a time; a text not answered 200 counts as infinite).
    ("hostile texts at 200 KB over HTTP, slowest", "s", "<=", 2.0,
     lambda r: _get(r, "hostile", "max_http_s") if _get(r, "hostile", "size") == 200_000 else None),
    ("hostile texts at 200 KB, engine CPU, slowest", "s", "<=", 2.0,
     lambda r: _get(r, "hostile", "max_engine_cpu_s") if _get(r, "hostile", "size") == 200_000 else None),
    ("speed vs spaCy peer, dev passages", "x", ">=", 20.0,
     lambda r: _get(r, "peer", "speedup_dev")),
    # The pledge ledger (issue 12). The latency target is for 100,000 pledges: a smaller ledger
    # (the quick budget) is not measured against it.
    ("ledger ingest throughput, SQLite", "art/s", ">=", 100.0,
     lambda r: _get(r, "ledger", "ingest", "articles_per_s")),
    ("ledger GET /v1/pledges p99 at 100k, SQLite", "ms", "<=", 50.0,
     lambda r: _get(r, "ledger", "query", "sqlite", "p99_ms")
     if _get(r, "ledger", "query", "sqlite", "pledges") == 100_000 else None),
    ("ledger GET /v1/pledges p99 at 100k, PostgreSQL", "ms", "<=", 50.0,
     lambda r: _get(r, "ledger", "query", "postgresql", "p99_ms")
     if _get(r, "ledger", "query", "postgresql", "pledges") == 100_000 else None),
]


# CPU-time counterparts of the engine targets: on a shared machine they show what the code
# costs when other work steals the CPU (the targets themselves are judged on wall time).
CPU_FIGURES: dict[str, Callable[[dict], float | None]] = {
    "seed article engine time, median": lambda r: _get(r, "engine", "seed", "cpu_ms", "median"),
    "1 MB article engine time, median":
        lambda r: (_get(r, "engine", "synthetic", "1MB", "cpu_ms", "median") or math.nan) / 1000,
    "scaling time(1 MB) / time(100 KB)":
        lambda r: _get(r, "engine", "synthetic", "1MB", "cpu_ms", "median")
        / _get(r, "engine", "synthetic", "100KB", "cpu_ms", "median"),
}


def judge(results: dict) -> list[dict]:
    rows = []
    for name, unit, op, target, read in TARGETS:
        try:
            cpu_value = CPU_FIGURES[name](results) if name in CPU_FIGURES else None
        except (TypeError, KeyError, ZeroDivisionError):
            cpu_value = None
        try:
            value = read(results)
        except (TypeError, KeyError):
            value = None
        if value is None or (isinstance(value, float) and math.isnan(value)):
            rows.append({"target": name, "unit": unit, "op": op, "goal": target, "value": None,
                         "cpu_value": None, "status": "not measured"})
            continue
        met = value <= target if op == "<=" else value >= target
        if met:
            status = "met"
        else:
            gap = value - target if op == "<=" else target - value
            factor = value / target if op == "<=" else (target / value if value else math.inf)
            status = f"MISSED by {gap:.3g} {unit} ({factor:.2f}x)"
        if cpu_value is not None and not math.isnan(cpu_value):
            status += f"  [CPU time: {cpu_value:.3g} {unit}, {'met' if cpu_value <= target else 'missed'}]"
        rows.append({"target": name, "unit": unit, "op": op, "goal": target, "value": value,
                     "cpu_value": cpu_value, "status": status})
    return rows


# ------------------------------------------------------------------ machine and run metadata

def machine() -> dict:
    cpu = ""
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next((line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")), "")
    except OSError:
        pass
    mem_total = None
    try:
        with open("/proc/meminfo") as fh:
            mem_total = int(next(line for line in fh if line.startswith("MemTotal")).split()[1]) // 1024
    except (OSError, StopIteration):
        pass
    return {"nproc": os.cpu_count(), "usable_cpus": len(os.sched_getaffinity(0)), "cpu_model": cpu,
            "mem_total_mib": mem_total, "python": platform.python_version(),
            "implementation": platform.python_implementation(), "platform": platform.platform()}


def load_average() -> list[float] | None:
    """1, 5 and 15 minute load averages: other work on the machine inflates every figure."""
    try:
        with open("/proc/loadavg") as fh:
            return [float(x) for x in fh.read().split()[:3]]
    except OSError:
        return None


def cpu_pressure_total_us() -> int | None:
    """Microseconds (since boot) in which some runnable task waited for a CPU (Linux PSI)."""
    try:
        with open("/proc/pressure/cpu") as fh:
            line = fh.readline()  # "some avg10=… avg60=… avg300=… total=…"
        return int(line.rsplit("total=", 1)[1])
    except (OSError, IndexError, ValueError):
        return None


def git_state() -> dict:
    def git(*args):
        out = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=False)
        return out.stdout.strip() if out.returncode == 0 else None
    status = git("status", "--porcelain", "--", "service")
    return {"commit": git("rev-parse", "HEAD"), "service_dirty": bool(status) if status is not None else None}


def write_json(results: dict, out_dir: Path) -> tuple[Path, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = results["meta"]["timestamp"].replace(":", "").replace("-", "")
    path = out_dir / f"{stamp}.json"
    text = json.dumps(results, indent=2, sort_keys=False, default=str) + "\n"
    path.write_text(text, encoding="utf-8")
    latest = out_dir / "latest.json"
    latest.write_text(text, encoding="utf-8")
    return path, latest


def now_iso() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# ------------------------------------------------------------------ the table

def _unit(v: float | None) -> tuple[float, str]:
    """Scale for showing milliseconds: (divisor, unit)."""
    return (1000.0, "s") if v is not None and v >= 1000 else (1.0, "ms")


def _num(v: float) -> str:
    return f"{v:.0f}" if v >= 100 else f"{v:.1f}" if v >= 10 else f"{v:.2f}"


def _ms(v: float | None) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "-"
    div, unit = _unit(v)
    return f"{_num(v / div)} {unit}"


def _spread(s: dict) -> str:
    """p25–p75 [min–max], in the unit of the median."""
    if not s or not s.get("n"):
        return "-"
    div, unit = _unit(s["median"])
    f = lambda v: _num(v / div)
    return f"{f(s['p25'])}–{f(s['p75'])} [{f(s['min'])}–{f(s['max'])}] {unit}"


def _kb(n: int) -> str:
    return f"{n / 1000:.1f} KB" if n < 1_000_000 else f"{n / 1_000_000:.2f} MB"


def table(results: dict) -> str:
    lines: list[str] = []
    add = lines.append
    row = "  {:<44} {:>9}  {:<32} {:>5} {:>7} {:>9}"
    m = results["meta"]["machine"]
    add(f"pledge-normalizer benchmark  {results['meta']['timestamp']}  commit {str(results['meta']['git']['commit'])[:10]}"
        f"{' (service/ modified)' if results['meta']['git']['service_dirty'] else ''}")
    add(f"machine: {m['nproc']} CPUs ({m['cpu_model']}), Python {m['python']}; budget: {results['meta']['budget']}")
    la0, la1 = results["meta"].get("load_average_start"), results["meta"].get("load_average_end")
    if la0:
        # At the end the load average includes the benchmark's own HTTP load: judge by the start.
        busy = la0[0] > 0.5 * (m["usable_cpus"] or 1)
        add(f"load average at start {la0[0]:.2f}, at end {(la1 or [math.nan])[0]:.2f}"
            + ("  (BUSY MACHINE: other work shared the CPUs; wall times are inflated, CPU times less so)" if busy else ""))
    stall = results["meta"].get("cpu_pressure_pct")
    if stall is not None:
        by = results["meta"].get("cpu_pressure_pct_by_section") or {}
        add(f"CPU pressure (Linux PSI, % of time some task waited for a CPU): whole run {stall:.0f}%"
            + "".join(f", {k} {v:.0f}%" for k, v in by.items())
            + " (the engine section is single-threaded: pressure there is other work on the machine)")

    eng = results.get("engine")
    if eng:
        add("")
        add(row.format("Engine, in-process (extract_pledges)", "median", "p25–p75 [min–max]", "n", "MB/s", "CPU med"))
        rows = [eng["seed"]] + eng.get("dev", []) + list(eng["synthetic"].values())
        for r in rows + list(eng.get("synthetic_distinct", {}).values()):
            label = {"seed": "seed article"}.get(r["id"], r["id"])
            add(row.format(f"{label} ({_kb(r['bytes'])})", _ms(r["ms"]["median"]), _spread(r["ms"]),
                           r["ms"]["n"], f"{r['mb_per_s']:.2f}", _ms(r["cpu_ms"]["median"])))
        agg = eng.get("dev_per_passage")
        if agg and agg.get("n"):
            add(row.format(f"dev passages: median of {agg['n']} medians", _ms(agg["median_of_medians"]),
                           f"mean {_ms(agg['mean_of_medians'])}, sum {_ms(agg['sum_of_medians'])}", "", "", ""))
        elif eng.get("dev_skipped"):
            add(f"  dev passages skipped: {eng['dev_skipped']}")
        sizes = results["meta"]["budget_detail"]["sizes"]
        for key, label in (("scaling", ""), ("scaling_distinct", ", distinct numbers")):
            sc = eng.get(key)
            if sc:
                add(f"  scaling time({sc['numerator']}) / time({sc['denominator']}){label}: {sc['ratio']:.2f}  "
                    f"(linear ≈ {sizes[sc['numerator']] / sizes[sc['denominator']]:.0f})")
        add("")
        add(row.format("Money stage (money.find_money)", "median", "p25–p75 [min–max]", "n", "MB/s", "CPU med"))
        for r in eng["money"]:
            add(row.format(f"{r['id']} ({_kb(r['bytes'])})", _ms(r["ms"]["median"]), _spread(r["ms"]),
                           r["ms"]["n"], f"{r['mb_per_s']:.2f}", _ms(r["cpu_ms"]["median"])))

    st = results.get("startup")
    if st:
        add("")
        add(row.format("Start-up", "median", "p25–p75 [min–max]", "n", "", ""))
        for key, label in (("engine_import_ms", "engine import (fresh interpreter)"),
                           ("first_call_ms", "first extract_pledges call after import"),
                           ("app_import_ms", "service.wsgi import (app + warm-up)")):
            s = st["imports"][key]
            add(row.format(label, _ms(s["median"]), _spread(s), s["n"], "", ""))
        cs = {k: (v * 1000 if k != "n" else v) for k, v in st["cold_start_s"].items()}
        add(row.format("cold start: gunicorn start → /readyz 200", _ms(cs["median"]), _spread(cs), cs["n"], "", ""))

    h = results.get("http")
    if h:
        add("")
        add(f"  HTTP through gunicorn on 127.0.0.1: {h['workers']} workers (default), concurrency {h['concurrency']}, "
            f"{' '.join(h['server_args'])}")
        for key, label in (("seed", "POST /v1/extract, seed"), ("batch", f"POST /v1/extract/batch, {h['batch']['documents_per_request']} × seed")):
            sec = h[key]
            p = sec["pooled"]
            rps = sec["requests_per_s"]
            add(f"  {label}: {p['ok']} ok / {p['requests']} answered, {p['errors']} errors; "
                f"{p['requests_per_s']:.1f} req/s overall (rounds: median {rps['median']:.1f}, "
                f"min {rps['min']:.1f}, max {rps['max']:.1f}, n {rps['n']})")
            add(f"      latency p50 {_ms(p['p50_ms'])}, p95 {_ms(p['p95_ms'])}, p99 {_ms(p['p99_ms'])}, max {_ms(p['max_ms'])}"
                f"; CPU per request: server {_ms(p['server_cpu_ms_per_request'])}, "
                f"load generator {_ms(p['client_cpu_ms_per_request'])}")
            engine_cpu = _get(results, "engine", "seed", "cpu_ms", "median")
            if key == "seed" and engine_cpu:
                add(f"      server CPU outside the engine (HTTP, gunicorn, Flask, schemas, JSON, logging): "
                    f"≈ {_ms(p['server_cpu_ms_per_request'] - engine_cpu)} per request "
                    f"(server CPU minus the in-process engine CPU median)")
            if key == "seed" and p["server_cpu_ms_per_request"]:
                cpus = results["meta"]["machine"]["usable_cpus"] or 1
                per_req = p["server_cpu_ms_per_request"] + p["client_cpu_ms_per_request"]
                add(f"      CPU-bound ceiling on this machine: {cpus} CPUs / {_ms(per_req)} (server + load generator) "
                    f"≈ {cpus * 1000 / per_req:.0f} req/s if nothing else ran")
        if "documents_per_s" in h["batch"]:
            add(f"      batch documents/s: median {h['batch']['documents_per_s']['median']:.0f}")
        fl = h.get("floor")
        if fl:
            add(f"  HTTP floor, POST /v1/extract with a one-sentence text: {fl['requests_per_s']:.0f} req/s, "
                f"p99 {_ms(fl['latency_ms'].get('p99'))}; server CPU {_ms(fl['server_cpu_ms_per_request'])} per request "
                f"(gunicorn, Flask, validation, serialisation, metrics, logging; engine ~0.1 ms)")
        mem = h["memory"]
        add(f"  worker memory (largest worker, MiB): after warm-up RSS {mem['rss_after_warmup_mb']:.1f} "
            f"(peak {mem['hwm_after_warmup_mb']:.1f}); after {mem['requests']} requests RSS "
            f"{mem['rss_after_requests_mb']:.1f} (peak {mem['hwm_after_requests_mb']:.1f}); growth "
            f"{mem['rss_growth_mb']:+.2f}; peak after batches {mem['hwm_after_batch_mb']:.1f}")
        series = ", ".join(f"{s['after_requests']}: {max(w['VmRSS'] for w in s['workers'].values()):.1f}"
                           for s in mem["series"])
        add(f"      RSS by requests served: {series}{'' if h['worker_pids_stable'] else '  (WORKERS CHANGED)'}")
    elif results.get("http_skipped"):
        add("")
        add(f"  HTTP skipped: {results['http_skipped']}")

    peer = results.get("peer")
    add("")
    if peer and not peer.get("skipped"):
        add(f"  spaCy peer ({peer['model']}), same documents, in-process, model load {_ms(peer['load_ms'])}, "
            f"peak RSS {peer['peak_rss_mb']:.0f} MiB")
        add(f"      seed: peer {_ms(peer['seed_ms'])} vs ours {_ms(peer['ours_seed_ms'])} → {peer['speedup_seed']:.1f}x")
        if peer.get("speedup_dev") is not None:
            add(f"      dev passages: peer {_ms(peer['dev_mean_ms'])} vs ours {_ms(peer['ours_dev_mean_ms'])} "
                f"per passage (mean of medians) → {peer['speedup_dev']:.1f}x")
    else:
        add(f"  spaCy peer skipped: {(peer or {}).get('skipped', 'not run')}")

    hostile = results.get("hostile")
    add("")
    if hostile:
        add(f"  Hostile texts at {hostile['size']:,} characters (tests/reliability/hostile_inputs.yaml), "
            "one request at a time      chars  engine CPU   HTTP  status   answer")
        for name, r in sorted(hostile["texts"].items(), key=lambda kv: -kv[1].get("http_s", kv[1]["engine_cpu_s"])):
            http = (f"{r['http_s']:6.2f} s  {r['status']:>4}  {r['response_bytes'] / 1e6:8.1f} MB"
                    if "http_s" in r else ("  not sent: its JSON body passes MAX_BODY_BYTES" if "json_bytes" in r else "     -"))
            add(f"  {name:<40} {r['chars']:>8,}  {r['engine_cpu_s']:8.2f} s {http}   ({r['pledges']} pledges)")
    else:
        add(f"  Hostile texts skipped: {results.get('hostile_skipped', 'not run')}")

    led = results.get("ledger")
    add("")
    if led:
        ing = led["ingest"]
        add(f"  Ledger ingest (pledges ingest's code, SQLite, engine included): {ing['articles']} articles in "
            f"{ing['seconds']:.2f} s → {ing['articles_per_s']:.1f} articles/s; per article median "
            f"{_ms(ing['ms_per_article']['median'])}, max {_ms(ing['ms_per_article']['max'])}")
        for key in ("sqlite", "postgresql"):
            q = led["query"].get(key)
            if q:
                add(f"  Ledger GET /v1/pledges?donor=&category=&limit=50 (+ next pages), {q['database']}, "
                    f"{q['pledges']} pledges, in-process: {q['requests']} requests, p50 {_ms(q['p50_ms'])}, "
                    f"p95 {_ms(q['p95_ms'])}, p99 {_ms(q['p99_ms'])}, max {_ms(q['max_ms'])}")
        if led["query"].get("postgresql_skipped"):
            add(f"  Ledger on PostgreSQL skipped: {led['query']['postgresql_skipped']}")
    else:
        add(f"  Ledger skipped: {results.get('ledger_skipped', 'not run')}")

    for name, err in results.get("errors", {}).items():
        add(f"  {name} FAILED: {err}")
    add("")
    add("  Targets")
    for t in results["targets"]:
        value = "-" if t["value"] is None else f"{t['value']:.3g} {t['unit']}"
        add(f"  {t['target']:<46} {t['op']} {t['goal']:g} {t['unit']:<6} measured {value:<14} {t['status']}")
    return "\n".join(lines)
