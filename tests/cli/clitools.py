"""Run `pledges` through its installed entry point, in a subprocess, as a user would."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FX_FIXTURE = REPO / "tests" / "fx" / "eurofxref-hist-sample.csv"

# Plain sentences written for these tests: one donor, one amount, one recipient each.
GERMAN_PLEDGE = "Germany pledged €100 million in humanitarian aid to Ukraine on 1 March 2022."
JAPANESE_PLEDGE = "Japan announced ¥5 billion in emergency assistance for Ukraine on 1 March 2022."


def pledges_command() -> list[str]:
    """The console script pip installed (pyproject [project.scripts]); `python -m service.cli`
    only when the package was not installed with its scripts."""
    script = Path(sys.executable).with_name("pledges")
    return [str(script)] if script.exists() else [sys.executable, "-m", "service.cli"]


def run_pledges(*args, input=None, env=None, timeout=120) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "FX_RATES_FILE"}
    environment.update(env or {})
    return subprocess.run([*pledges_command(), *map(str, args)], input=input, capture_output=True, check=False,
                          cwd=REPO, env=environment, timeout=timeout,
                          text=not isinstance(input, bytes))


def api_answer(text: str, published_at=None, env_fx: str | None = None) -> dict:
    """What POST /v1/extract answers for the same text (Flask test client)."""
    from service import create_app
    config = {"TESTING": True, "WARM_UP": False}
    if env_fx:
        config["FX_RATES_FILE"] = env_fx
    client = create_app(config).test_client()
    body = {"text": text}
    if published_at:
        body["published_at"] = published_at
    response = client.post("/v1/extract", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def without_timing(answer: dict) -> dict:
    answer = json.loads(json.dumps(answer))
    answer["meta"].pop("elapsed_ms", None)
    return answer

