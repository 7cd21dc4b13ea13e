"""Dockerfile, docker-compose.yml and gunicorn.conf.py agree with each other and the app.
Docker cannot run here, so the files are parsed and their commands exercised directly."""
import json
import os
import re
import subprocess
import sys

import pytest
import yaml
from conftest import REPO, load_gunicorn_conf

from service.config import Settings

SERVICE = "pledge-normalizer"


@pytest.fixture(scope="module")
def dockerfile():
    """Instructions as (KEYWORD, argument) with line continuations joined."""
    text = re.sub(r"\\\n\s*", " ", (REPO / "Dockerfile").read_text())
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1].strip())
            for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())["services"][SERVICE]


@pytest.fixture(scope="module")
def gunicorn_conf():
    return load_gunicorn_conf()


def _env(dockerfile):
    env = {}
    for keyword, argument in dockerfile:
        if keyword == "ENV":
            env.update(dict(re.findall(r"(\w+)=(\S+)", argument)))
    return env


def test_image_runs_as_non_root(dockerfile):
    users = [argument for keyword, argument in dockerfile if keyword == "USER"]
    assert users and users[-1] not in ("root", "0")


def test_image_installs_the_way_the_readme_does(dockerfile):
    runs = " ".join(argument for keyword, argument in dockerfile if keyword == "RUN")
    assert "pip install ." in runs
    assert "pip install ." in (REPO / "README.md").read_text()


def test_command_is_gunicorn_in_exec_form_on_our_app(dockerfile):
    cmd = json.loads([argument for keyword, argument in dockerfile if keyword == "CMD"][-1])
    assert cmd == ["gunicorn", "-c", "gunicorn.conf.py", "service.wsgi:app"]
    copied = " ".join(argument for keyword, argument in dockerfile if keyword == "COPY")
    assert "gunicorn.conf.py" in copied and "openapi.yaml" in copied
    module, attribute = cmd[-1].split(":")
    from flask import Flask
    assert isinstance(getattr(__import__(module, fromlist=[attribute]), attribute), Flask)
    assert "service.wsgi:app" in (REPO / "Makefile").read_text()


def test_ports_agree(dockerfile, compose):
    env = _env(dockerfile)
    exposed = [argument for keyword, argument in dockerfile if keyword == "EXPOSE"]
    assert exposed == [env["PORT"]] == [str(Settings().port)]
    host, container = compose["ports"][0].split(":")
    assert container == compose["environment"]["PORT"] == env["PORT"]
    assert env["BIND_HOST"] == "0.0.0.0"


def test_gunicorn_binds_port_and_host_from_the_environment():
    code = "import runpy; print(runpy.run_path('gunicorn.conf.py')['bind'])"
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True,
                         env={**os.environ, "PORT": "9123", "BIND_HOST": "0.0.0.0"}).stdout.strip()
    assert out == "0.0.0.0:9123"
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True,
                         env={k: v for k, v in os.environ.items() if k not in ("PORT", "BIND_HOST")}).stdout
    assert out.strip() == "127.0.0.1:8000"


def test_gunicorn_settings_suit_a_cpu_bound_app(gunicorn_conf):
    assert gunicorn_conf["worker_class"] == "sync"
    assert gunicorn_conf["workers"] == Settings.from_env().workers
    assert gunicorn_conf["max_requests"] > 0 and gunicorn_conf["max_requests_jitter"] > 0
    assert gunicorn_conf["control_socket_disable"] is True
    assert 0 < gunicorn_conf["graceful_timeout"] < gunicorn_conf["timeout"]


def test_stop_grace_period_outlasts_graceful_timeout(compose, gunicorn_conf):
    grace = compose["stop_grace_period"]
    seconds = int(grace.rstrip("s")) if grace.endswith("s") and not grace.endswith("ms") else None
    assert seconds is not None and seconds > gunicorn_conf["graceful_timeout"]


def test_compose_healthcheck_asks_readyz_without_curl(compose):
    test = compose["healthcheck"]["test"]
    assert test[:3] == ["CMD", "python", "-c"] and "/readyz" in test[3]
    assert "curl" not in " ".join(test) and "wget" not in " ".join(test)


def test_compose_healthcheck_command_works_against_a_live_server(compose, live_server):
    port = live_server.url.rsplit(":", 1)[1]
    command = [sys.executable] + compose["healthcheck"]["test"][2:]
    ok = subprocess.run(command, env={**os.environ, "PORT": port}, capture_output=True, timeout=15)
    assert ok.returncode == 0, ok.stderr
    down = subprocess.run(command, env={**os.environ, "PORT": "1"}, capture_output=True, timeout=15)
    assert down.returncode != 0


def test_compose_environment_names_are_settings_the_app_reads(compose):
    doc = (REPO / "service" / "config.py").read_text()
    for name in compose["environment"]:
        assert re.search(rf"\b{name}\b", doc), name


# ------------------------------------------------------------------ the monitoring profile

@pytest.fixture(scope="module")
def compose_file():
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def prometheus(compose_file):
    return compose_file["services"]["prometheus"]


def _mounted_config(prometheus):
    """(host file, container path) of the Prometheus config the container is given."""
    flags = dict(arg.split("=", 1) for arg in prometheus["command"] if "=" in arg)
    target = flags["--config.file"]
    (mount,) = [m for m in (volume.split(":") for volume in prometheus["volumes"]) if m[1] == target]
    assert mount[2:] == ["ro"]
    return REPO / mount[0], target


def test_prometheus_runs_only_in_the_monitoring_profile(compose_file, prometheus):
    assert prometheus["profiles"] == ["monitoring"]
    assert "profiles" not in compose_file["services"][SERVICE]  # the service itself always runs
    assert prometheus["image"].startswith("prom/prometheus:v")  # a pinned version, not :latest
    assert prometheus["depends_on"][SERVICE]["condition"] == "service_healthy"
    # Its data lives in a named volume the file declares.
    data = [v.split(":")[0] for v in prometheus["volumes"] if v.split(":")[1] == "/prometheus"]
    assert data and data[0] in compose_file["volumes"]


def test_prometheus_scrapes_the_service_where_it_serves_metrics(compose, prometheus):
    source, _ = _mounted_config(prometheus)
    config = yaml.safe_load(source.read_text())
    (job,) = [job for job in config["scrape_configs"] if job["job_name"] == SERVICE]
    assert job["metrics_path"] == "/metrics"
    # Every replica: DNS discovery of the service name, at the container port (not the published one).
    (discovery,) = job["dns_sd_configs"]
    assert discovery["names"] == [SERVICE] and discovery["type"] == "A"
    assert str(discovery["port"]) == compose["environment"]["PORT"] == compose["ports"][0].split(":")[1]
    assert _seconds(job["scrape_timeout"]) <= _seconds(config["global"]["scrape_interval"])


def test_the_scraped_path_is_the_apps_metrics_endpoint(prometheus):
    from conftest import make_app
    source, _ = _mounted_config(prometheus)
    path = yaml.safe_load(source.read_text())["scrape_configs"][0]["metrics_path"]
    response = make_app(WARM_UP=False).test_client().get(path)
    assert response.status_code == 200 and response.mimetype == "text/plain"
    assert b"# TYPE pledge_normalizer_documents_extracted_total counter" in response.data


def _seconds(duration: str) -> int:
    match = re.fullmatch(r"(\d+)(s|m)", duration)
    assert match, duration
    return int(match[1]) * (60 if match[2] == "m" else 1)


def test_gunicorn_logs_json_and_keeps_workers_metrics(gunicorn_conf):
    assert gunicorn_conf["logconfig_dict"]["formatters"]["json"]["()"].__name__ == "JsonFormatter"
    assert gunicorn_conf["accesslog"] is None  # the app writes the request lines
    assert {"on_starting", "child_exit", "on_exit"} <= set(gunicorn_conf)


# ------------------------------------------------------------------ the ledger's migrations at start

def test_compose_migrates_the_ledger_before_gunicorn_and_waits_for_postgres(compose, compose_file, dockerfile):
    shell, flag, script = compose["command"]
    assert (shell, flag) == ("sh", "-c")
    migrate, _, serve = script.partition(" && ")
    assert migrate == "pledges migrate"  # stops the start when it fails: `&&`, not `;`
    cmd = json.loads([argument for keyword, argument in dockerfile if keyword == "CMD"][-1])
    assert serve == "exec " + " ".join(cmd)  # the image's own command, as PID 1
    assert compose["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert "pg_isready" in compose_file["services"]["postgres"]["healthcheck"]["test"]
    assert compose["environment"]["DATABASE_URL"].startswith("postgresql://")


def _tables(url: str) -> set:
    from sqlalchemy import create_engine, inspect
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_the_compose_command_creates_the_schema_before_serving(compose, tmp_path):
    """The command run for real (SQLite standing in for the postgres service): the tables exist
    as soon as the server is ready, before any ledger request."""
    from conftest import free_port, stop_gunicorn, wait_ready, LiveServer
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "PORT": str(port), "WEB_CONCURRENCY": "1",
           "PATH": f"{os.path.dirname(sys.executable)}:{os.environ.get('PATH', '')}"}
    log_path = tmp_path / "server.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(compose["command"], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    server = LiveServer(proc, f"http://127.0.0.1:{port}", log_path)
    try:
        wait_ready(server.url, proc)
        assert {"articles", "pledges", "mentions", "donor_totals"} <= _tables(url), server.log()
        assert "is at revision 0001" in server.log()
    finally:
        assert stop_gunicorn(server) == 0  # exec: SIGTERM reached gunicorn itself, which stopped cleanly


def test_make_serve_without_database_url_keeps_an_sqlite_ledger_in_its_directory(tmp_path):
    """`make serve` runs gunicorn -c gunicorn.conf.py service.wsgi:app in its directory with
    DATABASE_URL unset: the first ledger request creates ./ledger.db and migrates it."""
    import urllib.request
    from conftest import LiveServer, free_port, stop_gunicorn, wait_ready
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update({"PORT": str(port), "WEB_CONCURRENCY": "1", "PYTHONPATH": str(REPO)})
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    log_path = tmp_path / "server.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen([gunicorn, "-c", str(REPO / "gunicorn.conf.py"), "service.wsgi:app"],
                                cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT)
    server = LiveServer(proc, f"http://127.0.0.1:{port}", log_path)
    try:
        wait_ready(server.url, proc)
        request = urllib.request.Request(
            server.url + "/v1/articles", method="POST", headers={"Content-Type": "application/json"},
            data=json.dumps({"text": "Canada pledged C$25 million in military aid to Ukraine on Monday."}).encode())
        with urllib.request.urlopen(request, timeout=60) as response:
            assert response.status == 201
    finally:
        stop_gunicorn(server)
    assert (tmp_path / "ledger.db").is_file(), server.log()
    assert "pledges" in _tables(f"sqlite:///{tmp_path / 'ledger.db'}")
