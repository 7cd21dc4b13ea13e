"""gunicorn settings for a CPU-bound Flask app (see README "Configuration").

Started by `make serve` (127.0.0.1) and the Docker image (0.0.0.0, BIND_HOST) as
`exec gunicorn -c gunicorn.conf.py service.wsgi:app`, so gunicorn itself receives SIGTERM.
"""
import os
import shutil
import signal
import tempfile

# Prometheus multiprocess mode (service/metrics.py): each worker writes its values to files in
# PROMETHEUS_MULTIPROC_DIR and /metrics adds them up. prometheus_client reads the variable when
# it is first imported, which preload_app does before any server hook runs, so it is set here,
# before the app is imported (service/metrics.py creates the directory). An operator's directory
# is used as given and kept; else one in memory named after this master, removed at exit. One
# that another master named and left in the environment is not shared: this one names its own.
# Either way on_starting empties it first.
_METRICS_OWNER = "PLEDGES_METRICS_DIR_OWNER"
_owner = os.environ.get(_METRICS_OWNER)
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR") or _owner not in (None, str(os.getpid())):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = os.path.join(
        "/dev/shm" if os.path.isdir("/dev/shm") else tempfile.gettempdir(), f"pledges-metrics-{os.getpid()}")
    os.environ[_METRICS_OWNER] = str(os.getpid())

# Imported only now, after the variable above.
from service import logging_setup
from service.config import Settings

_settings = Settings.from_env()

bind = f"{os.environ.get('BIND_HOST', '127.0.0.1')}:{_settings.port}"
# Extraction is pure-Python CPU work: one synchronous worker per core; more would only queue.
workers = _settings.workers
worker_class = "sync"
# Build the app (and warm the engine, read the gazetteers) once in the master; workers fork
# from it and share those pages copy-on-write.
preload_app = True
timeout = 60                # a worker silent this long is killed and replaced
graceful_timeout = 25       # on SIGTERM, requests in flight get this long to finish
max_requests = 2000         # recycle workers now and then, so slow leaks cannot build up...
max_requests_jitter = 200   # ...and not all at once
keepalive = 5
# Read-only root filesystems: heartbeat files in memory, no control socket on disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
control_socket_disable = True
loglevel = _settings.log_level
# JSON lines on stderr for gunicorn's own messages and the app's (service/logging_setup.py).
# No gunicorn access log: the app writes one JSON line per request with more in it (request id,
# route, sizes, pledges found).
errorlog = "-"
accesslog = None
logconfig_dict = logging_setup.gunicorn_logconfig(_settings.log_level)
limit_request_line = 8190
proc_name = "pledge-normalizer"


def post_worker_init(worker):
    """On SIGTERM a worker first marks itself draining (/readyz → 503), then stops as usual."""
    from service.api.health import begin_draining

    stop = worker.handle_exit

    def drain_then_exit(signum, frame):
        begin_draining()
        stop(signum, frame)

    signal.signal(signal.SIGTERM, drain_then_exit)
    signal.siginterrupt(signal.SIGTERM, False)


def worker_int(worker):
    from service.api.health import begin_draining
    begin_draining()


def on_starting(server):
    """Empty the metrics directory: values a previous run left there would be added in."""
    from service import metrics
    directory = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    metrics.clear_directory(directory)
    server.log.info("Prometheus multiprocess directory: %s", directory)


def child_exit(server, worker):
    """A worker exited (recycled, crashed or stopped): tell prometheus_client its pid is gone."""
    from service import metrics
    metrics.worker_exited(worker.pid)


def on_exit(server):
    """Remove the metrics directory this master created."""
    if os.environ.get(_METRICS_OWNER) == str(os.getpid()):
        shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
