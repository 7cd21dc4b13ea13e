"""A gunicorn the benchmark starts on 127.0.0.1 and stops by its own pid; cold start; worker memory."""
from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from .corpus import REPO

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def gunicorn_command() -> list[str]:
    exe = Path(sys.executable).with_name("gunicorn")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "gunicorn"]


def probe(port: int, path: str, timeout: float = 1.0) -> int | None:
    """HTTP status of GET *path*, or None when nothing answers yet."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status
    except OSError:
        return None
    finally:
        conn.close()


class Gunicorn:
    """`gunicorn -c gunicorn.conf.py service.wsgi:app` as shipped, plus *extra_args*."""

    def __init__(self, extra_args: Sequence[str] = (), log: IO | None = None):
        self.port = free_port()
        self.extra_args = list(extra_args)
        self.log = log
        self.proc: subprocess.Popen | None = None
        self.started_at = 0.0

    def start(self) -> Gunicorn:
        env = {**os.environ, "PORT": str(self.port)}
        cmd = gunicorn_command() + ["-c", "gunicorn.conf.py", *self.extra_args, "service.wsgi:app"]
        self.started_at = time.perf_counter()
        self.proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdin=subprocess.DEVNULL,
                                     stdout=self.log or subprocess.DEVNULL, stderr=subprocess.STDOUT)
        return self

    def wait_ready(self, timeout: float = 30.0, interval: float = 0.005) -> float:
        """Seconds from process start to the first /readyz 200."""
        deadline = self.started_at + timeout
        status = None
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.proc.returncode} before it was ready")
            status = probe(self.port, "/readyz", timeout=0.5)
            if status == 200:
                return time.perf_counter() - self.started_at
            time.sleep(interval)
        raise RuntimeError(f"gunicorn not ready within {timeout} s (last /readyz answer: {status}; "
                           "see gunicorn.log next to the results)")

    def worker_pids(self) -> list[int]:
        return child_pids(self.proc.pid)

    def wait_workers(self, count: int, timeout: float = 10.0) -> list[int]:
        """The worker pids once *count* workers have forked (readiness needs only the first)."""
        deadline = time.perf_counter() + timeout
        pids = self.worker_pids()
        while len(pids) < count and time.perf_counter() < deadline:
            time.sleep(0.01)
            pids = self.worker_pids()
        return pids

    def stop(self, timeout: float = 30.0) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)

    def __enter__(self) -> Gunicorn:  # noqa: PYI034 - Python 3.10 has no typing.Self
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def child_pids(pid: int) -> list[int]:
    """Direct children of *pid* (gunicorn's workers), from /proc."""
    children: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                children += [int(p) for p in fh.read().split()]
        return sorted(children)
    except OSError:
        pass
    for entry in os.listdir("/proc"):  # kernels without /proc/<pid>/task/<tid>/children
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    if int(fh.read().rsplit(")", 1)[1].split()[1]) == pid:
                        children.append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    return sorted(children)


def memory_mb(pid: int) -> dict:
    """VmRSS (resident now), VmHWM (peak resident) and RssAnon of *pid* in MiB."""
    wanted = {"VmRSS", "VmHWM", "RssAnon"}
    out = {}
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            key, _, value = line.partition(":")
            if key in wanted:
                out[key] = int(value.split()[0]) / 1024.0  # kB → MiB
    return out


def expected_workers() -> int:
    """The worker count gunicorn.conf.py will use (WEB_CONCURRENCY or one per core)."""
    sys.path.insert(0, str(REPO))
    from service.config import Settings
    return Settings.from_env().workers


def cold_starts(repeats: int, log: IO | None = None) -> list[float]:
    """Seconds from process start to /readyz 200, one fresh gunicorn per repeat."""
    times = []
    for _ in range(repeats):
        with Gunicorn(log=log) as server:
            times.append(server.wait_ready())
    return times
