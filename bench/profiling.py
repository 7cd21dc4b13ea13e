"""Where the engine spends its time: `python -m bench.profiling [--seed-loops N] [--size BYTES]`.

For the seed article (called in a loop) and a synthetic 1 MB article it writes, to bench-results/:
  profile-<name>-stages.txt   cProfile self time summed per engine module (≈ per stage) and the
                              top functions by self and cumulative time
  profile-<name>-pyinstrument.txt  pyinstrument's call tree (when pyinstrument is installed:
                              the `dev` extra)
and prints the per-module summary.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import logging
import os
import pstats
import sys
from collections import defaultdict
from pathlib import Path

from . import corpus

_LIBRARIES = ("flask_smorest", "flask", "werkzeug", "marshmallow", "webargs", "json", "logging", "gunicorn",
              "prometheus_client")


def _module_of(filename: str) -> str:
    """'…/service/engine/money.py' → 'engine/money.py'; libraries by package; builtins grouped."""
    path = filename.replace("\\", "/")
    if "/service/" in path:
        return path.split("/service/", 1)[1]
    if filename.startswith("~") or filename == "~":
        return "builtins (re, str, list…)"
    parts = path.split("/")
    for lib in _LIBRARIES:
        if lib in parts:
            return f"library: {lib}"
    return "other python (" + Path(path).name + ")"


def cprofile_report(fn, name: str, top: int = 25) -> str:
    prof = cProfile.Profile()
    prof.enable()
    fn()
    prof.disable()
    stats = pstats.Stats(prof)
    # Builtins (regex matching, str methods...) are charged to the Python function that called
    # them, so each module's figure is the work its own code asked for.
    by_func: dict[tuple, float] = defaultdict(float)
    total = 0.0
    for func, (_cc, _nc, tottime, _ct, callers) in stats.stats.items():
        total += tottime
        if _module_of(func[0]).startswith("builtins") and callers:
            for caller, vals in callers.items():
                by_func[caller] += vals[2]  # this builtin's own time when called from caller
        else:
            by_func[func] += tottime
    by_module: dict[str, float] = defaultdict(float)
    for func, t in by_func.items():
        by_module[_module_of(func[0])] += t
    lines = [(f"cProfile time by module, builtins charged to their callers, {name} "
              f"(total {total * 1000:.1f} ms under the profiler)")]
    for module, t in sorted(by_module.items(), key=lambda kv: -kv[1]):
        if t / total >= 0.005:
            lines.append(f"  {t / total * 100:5.1f}%  {t * 1000:9.1f} ms  {module}")
    lines += ["", f"top {top} functions, own time plus the builtins they call directly:"]
    for (filename, line, func), t in sorted(by_func.items(), key=lambda kv: -kv[1])[:top]:
        calls = stats.stats[(filename, line, func)][1]
        lines.append(f"  {t / total * 100:5.1f}%  {t * 1000:9.1f} ms  {calls:8d} calls  "
                     f"{_module_of(filename)}:{line}({func})")
    for order in ("tottime", "cumulative"):
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).strip_dirs().sort_stats(order).print_stats(top)
        lines += ["", f"top {top} by {order}:", buf.getvalue().split("\n", 6)[-1].rstrip()]
    return "\n".join(lines)


def stage_times(doc: corpus.Doc, runs: int) -> list[tuple[str, float]]:
    """Median ms of each stage entry point called on its own (no profiler), and what is left of
    extract_pledges for assemble's per-sentence work (attribution, triggers, categories, merging).
    Uses the stage functions assemble.run calls today; [] when their signatures have moved on."""
    import statistics
    import time

    from service.engine import extract_pledges
    try:
        from service.engine.dates import DateResolver
        from service.engine.donors import find_entities
        from service.engine.money import find_money
        from service.engine.sentences import split_sentences
        resolver = DateResolver(doc.text, doc.published_at)
        calls = {
            "sentences.split_sentences": lambda: split_sentences(doc.text),
            "money.find_money": lambda: find_money(doc.text),
            "donors.find_entities": lambda: find_entities(doc.text),
            "dates.DateResolver.mentions": lambda: resolver.mentions(doc.text),
            "extract_pledges (all)": lambda: extract_pledges(doc.text, doc.published_at),
        }
    except (ImportError, TypeError, AttributeError):
        return []

    def median_ms(fn) -> float:
        fn()
        samples = []
        for _ in range(runs):
            t0 = time.perf_counter()
            fn()
            samples.append((time.perf_counter() - t0) * 1000)
        return statistics.median(samples)

    times = [(name, median_ms(fn)) for name, fn in calls.items()]
    total = times[-1][1]
    rest = total - sum(t for _, t in times[:-1])
    return times[:-1] + [("rest: assemble loop, attribution, triggers, categories, merge", rest), times[-1]]


def pyinstrument_report(fn) -> str | None:
    try:
        from pyinstrument import Profiler
    except ImportError:
        return None
    profiler = Profiler(interval=0.0005)
    profiler.start()
    fn()
    profiler.stop()
    return profiler.output_text(unicode=True, color=False, show_all=False)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.profiling", description=__doc__.splitlines()[0])
    ap.add_argument("--seed-loops", type=int, default=200)
    ap.add_argument("--size", type=int, default=1_000_000, help="bytes of the synthetic article")
    ap.add_argument("--out", type=Path, default=corpus.REPO / "bench-results")
    args = ap.parse_args(argv)
    from service.engine import extract_pledges
    seed = corpus.seed()
    big = corpus.synthetic(args.size)
    extract_pledges(seed.text, seed.published_at)  # imports and data files out of the picture

    def seed_loop():
        for _ in range(args.seed_loops):
            extract_pledges(seed.text, seed.published_at)

    from service import create_app
    client = create_app({"TESTING": False}).test_client()
    for handler in logging.getLogger().handlers + logging.getLogger("service").handlers:
        if isinstance(handler, logging.StreamHandler):  # the request log costs the same, unseen
            handler.setStream(open(os.devnull, "w"))  # noqa: SIM115 - lives as long as the process
    body = {"text": seed.text, "published_at": seed.published_at}
    assert client.post("/v1/extract", json=body).status_code == 200

    def http_loop():  # the request path inside a worker, without sockets: Flask, schemas, JSON, engine
        for _ in range(args.seed_loops):
            client.post("/v1/extract", json=body)

    jobs = {"seed": seed_loop, f"synthetic-{args.size}": lambda: extract_pledges(big.text, big.published_at),
            "http-seed-testclient": http_loop}
    args.out.mkdir(parents=True, exist_ok=True)
    for doc, runs in ((seed, 50), (big, 3)):
        rows = stage_times(doc, runs)
        total = rows[-1][1] if rows else 0
        print(f"stage times without profiler, {doc.id} ({doc.nbytes} bytes), median of {runs}:")
        for stage, ms in rows:
            print(f"  {ms:9.2f} ms  {ms / total * 100:5.1f}%  {stage}")
        print(flush=True)
    for name, fn in jobs.items():
        summary = cprofile_report(fn, name)
        (args.out / f"profile-{name}-stages.txt").write_text(summary + "\n", encoding="utf-8")
        print("\n".join(summary.split("\n\n", 2)[:2]), "\n", flush=True)
        tree = pyinstrument_report(fn)
        if tree is not None:
            (args.out / f"profile-{name}-pyinstrument.txt").write_text(tree, encoding="utf-8")
    print(f"reports in {args.out}/profile-*.txt")
    return 0


if __name__ == "__main__":
    sys.exit(main())
