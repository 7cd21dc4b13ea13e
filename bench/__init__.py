"""Performance benchmark of pledge-normalizer (issue 6): `make bench` or `python -m bench`.

Modules: corpus (inputs), stats (repeat + summarise), engine_bench (in-process engine, money
stage, import time), server (gunicorn start/stop, cold start, worker memory), load (HTTP load
generator), peer (the spaCy peer in its own venv), report (targets, table, JSON), profiling
(pyinstrument/cProfile reports, `python -m bench.profiling`).
"""
