"""gunicorn settings for a CPU-bound Flask app (see README "Configuration").

Started by `make serve` (127.0.0.1) and the Docker image (0.0.0.0, BIND_HOST) as
`exec gunicorn -c gunicorn.conf.py service.wsgi:app`, so gunicorn itself receives SIGTERM.
"""
import os
import signal

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
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms rid=%({x-request-id}o)s'
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
