"""Runs inside the spaCy peer's venv (not ours): times its in-process `extract(text, published_at)`.

    <peer-venv>/bin/python bench/peer_worker.py PATH/TO/spacy_baseline.py RUNS_JSON < docs.json > out.json

Stdin: [{"id", "text", "published_at"}...]. Stdout: JSON with model load time, per-document
times (ms, median and spread) and the process's peak RSS. Only the standard library and
bench/stats.py are used from our side, so the peer's environment needs nothing of ours.
"""
import importlib.util
import json
import sys
import time
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parents[1])  # the repo, not bench/ (whose names would shadow stdlib ones)
from bench.stats import scaled, summarize, time_calls


def main() -> None:
    module_path, runs = sys.argv[1], json.loads(sys.argv[2])
    docs = json.load(sys.stdin)
    started = time.perf_counter()
    spec = importlib.util.spec_from_file_location("spacy_baseline", module_path)
    peer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(peer)  # loads the spaCy model at import
    load_ms = (time.perf_counter() - started) * 1000
    results = []
    for doc in docs:
        min_runs, max_runs, budget_s = runs["seed"] if doc["id"] == "seed" else runs["passage"]
        samples = time_calls(lambda d=doc: peer.extract(d["text"], d["published_at"]),
                             min_runs=min_runs, max_runs=max_runs, budget_s=budget_s)
        results.append({"id": doc["id"], "bytes": len(doc["text"].encode("utf-8")),
                        "ms": scaled(summarize(samples), 1000.0)})
    with open("/proc/self/status") as fh:
        hwm = next((int(line.split()[1]) / 1024 for line in fh if line.startswith("VmHWM:")), None)
    json.dump({"model": getattr(peer, "MODEL", None), "load_ms": load_ms, "docs": results,
               "peak_rss_mb": hwm}, sys.stdout)


if __name__ == "__main__":
    main()
