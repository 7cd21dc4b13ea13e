"""Shared fixtures: the Flask app and client, a stand-in engine, the committed spec as a
response validator, and a live gunicorn on a free loopback port."""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from decimal import Decimal
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("PLEDGES_SHARED", REPO.parent / "shared"))
SPEC_PATH = REPO / "openapi.yaml"


@pytest.fixture
def app():
    from service import create_app
    return create_app({"TESTING": True, "OPENAPI_SPEC_PATH": str(SPEC_PATH)})


@pytest.fixture
def client(app):
    return app.test_client()


def make_app(**overrides):
    from service import create_app
    return create_app({"TESTING": True, "OPENAPI_SPEC_PATH": str(SPEC_PATH), **overrides})


# ------------------------------------------------------------------ a stand-in engine

def sample_extraction(text: str, published_at=None):
    """An Extraction with one full pledge and a total, built from *text*, so the HTTP layer's
    shaping (Decimal → JSON number, nested parties, evidence spans) is tested whatever the
    real engine finds today."""
    from service.engine.types import Extraction, Money, Party, Pledge, Span, Total
    donor = Party(name="Freedonia", code="FRE", type="country")
    recipient = Party(name="Sylvania", code="SYL", type="country")
    amount = Money(start=0, end=min(len(text), 12), text=text[:12], value=Decimal("2500000.0"),
                   currency="EUR", qualifier="approximate")
    pledge = Pledge(donor=donor, recipient=recipient, amount=amount, category="humanitarian",
                    date=published_at.isoformat() if published_at else None, status="new",
                    instrument="grant", evidence=(Span(0, len(text), text),), confidence=0.75)
    fractional = Pledge(donor=donor, recipient=None,
                        amount=Money(start=0, end=1, text=text[:1], value=Decimal("1.25"), currency="EUR"),
                        category="unspecified", date=None, status="previously_announced")
    total = Total(donor=donor, currency="EUR", sum=Decimal("2500001.25"),
                  stated_total=Decimal("3E+6"), pledge_count=2)
    return Extraction(pledges=(pledge, fractional), totals=(total,))


@pytest.fixture
def fake_engine(monkeypatch):
    """Replace the engine with sample_extraction; records each call's arguments."""
    import service.engine
    calls = []

    def extract_pledges(text, published_at=None):
        calls.append((text, published_at))
        return sample_extraction(text, published_at)

    monkeypatch.setattr(service.engine, "extract_pledges", extract_pledges)
    return calls


# ------------------------------------------------------------------ the committed spec

@pytest.fixture(scope="session")
def spec_validator():
    """validate(response): the test client's response must be one openapi.yaml describes."""
    from openapi_core import Config, OpenAPI
    from openapi_core.testing import MockRequest, MockResponse
    readers = {media: json.loads for media in ("application/problem+json", "application/health+json")}
    readers["text/csv"] = lambda data, charset="utf-8": data.decode(charset)  # the ledger's export: a string
    openapi = OpenAPI.from_file_path(str(SPEC_PATH), config=Config(extra_media_type_deserializers=readers))

    def validate(response):
        request = MockRequest("http://localhost", response.request.method.lower(), response.request.path)
        openapi.validate_response(request, MockResponse(response.get_data(), status_code=response.status_code,
                                                        content_type=response.content_type))
        return response

    return validate


# ------------------------------------------------------------------ problem+json checks

def assert_problem(response, status: int):
    """The response is an RFC 9457 problem with the given status; returns its body."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json(force=True)
    assert body["status"] == status
    assert body["type"] == "about:blank"
    assert isinstance(body["title"], str) and body["title"]
    assert isinstance(body["detail"], str) and body["detail"]
    assert body["request_id"] == response.headers["X-Request-ID"]
    return body


# ------------------------------------------------------------------ live gunicorn

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_ready(url: str, proc: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode} before it was ready")
        try:
            with urllib.request.urlopen(url + "/readyz", timeout=1) as response:
                if response.status == 200:
                    return
        except urllib.error.HTTPError as err:
            checks = json.loads(err.read() or b"{}").get("checks", {})
            if any(c["status"] == "fail" for c in checks.get("engine:warm-up", [])):
                raise RuntimeError("the engine failed to warm up") from None  # will not get better
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url}/readyz not ready after {timeout}s")


class LiveServer:
    def __init__(self, proc: subprocess.Popen, url: str, log_path: Path):
        self.proc, self.url, self.log_path = proc, url, log_path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def start_gunicorn(tmp_path: Path, app: str = "service.wsgi:app", extra_args: tuple = (), ready: bool = True,
                   **env) -> LiveServer:
    """gunicorn -c gunicorn.conf.py [extra_args] app, on a free loopback port; waits for /readyz
    unless *ready* is False."""
    port = free_port()
    log_path = tmp_path / "gunicorn.log"
    environment = {**os.environ, "PORT": str(port), "WEB_CONCURRENCY": "1", "LOG_LEVEL": "info", **env}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    with open(log_path, "wb") as log:
        proc = subprocess.Popen([str(gunicorn), "-c", "gunicorn.conf.py", *extra_args, app],
                                cwd=REPO, env=environment, stdout=log, stderr=subprocess.STDOUT)
    server = LiveServer(proc, f"http://127.0.0.1:{port}", log_path)
    if not ready:
        return server
    try:
        wait_ready(server.url, proc)
    except RuntimeError:
        stop_gunicorn(server)
        raise RuntimeError(server.log()) from None
    return server


def stop_gunicorn(server: LiveServer, timeout: float = 30.0) -> int:
    """SIGTERM to gunicorn's own pid (never by name); returns its exit code."""
    if server.proc.poll() is None:
        server.proc.send_signal(signal.SIGTERM)
        try:
            server.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            server.proc.kill()
            server.proc.wait()
    return server.proc.returncode


def load_gunicorn_conf() -> dict:
    """gunicorn.conf.py's settings and hooks, read in this process. What it puts in os.environ
    (the Prometheus multiprocess directory) is taken out again and the directory removed, so
    it neither changes how this process keeps metrics nor leaks into the gunicorns tests start."""
    import runpy
    import shutil
    from unittest import mock
    with mock.patch.dict(os.environ):
        before = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
        conf = runpy.run_path(str(REPO / "gunicorn.conf.py"))
        created = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if created and created != before:
        shutil.rmtree(created, ignore_errors=True)
    return conf


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    server = start_gunicorn(tmp_path_factory.mktemp("gunicorn"))
    yield server
    stop_gunicorn(server)


# ------------------------------------------------------------------ headless Chromium (/docs, /ledger)

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


@pytest.fixture
def browser(tmp_path):
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must not try to download anything
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--disable-extensions", "--no-first-run",
                "--no-default-browser-check", "--metrics-recording-only", "--disable-domain-reliability",
                f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1280,2000"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER),
                                              log_output=str(tmp_path / "chromedriver.log")),
                              options=options)
    yield driver
    driver.quit()
    shutil.rmtree(tmp_path / "profile", ignore_errors=True)


def requested_urls(driver) -> set[str]:
    urls = set()
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.add(message["params"]["request"]["url"])
    urls.update(driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"))
    return urls


def assert_stayed_on_loopback(driver, urls: set[str]) -> None:
    """Every network request went to 127.0.0.1 and the console shows no error (a CSP violation
    is one)."""
    from urllib.parse import urlparse
    # Only network schemes can leave the machine (chrome://, data:, blob: are in-browser).
    network = [url for url in urls if urlparse(url).scheme in ("http", "https", "ws", "wss", "ftp")]
    assert network, urls
    outside = [url for url in network if urlparse(url).hostname != "127.0.0.1"]
    assert not outside, f"requests left loopback: {outside}"
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"
              and "favicon" not in e["message"]]
    assert not errors, errors
