"""Settings from environment variables, each with a documented default.

    PORT                 8000      TCP port gunicorn binds on 127.0.0.1 (make serve) or 0.0.0.0 (Docker)
    WEB_CONCURRENCY      #cores    gunicorn worker processes (the work is CPU-bound: one per core)
    MAX_BODY_BYTES       1048576   largest request body accepted (413 above it)
    MAX_BATCH_DOCUMENTS  100       most documents in one POST /v1/extract/batch, articles in one
                                   POST /v1/articles/batch (422 above it)
    MAX_TEXT_CHARS       200000    longest "text" accepted, in characters (422 above it)
    MAX_JSON_DEPTH       32        deepest nesting of arrays/objects in a body (422 above it)
    REQUEST_TIME_BUDGET  20        seconds of engine time per request (503 past it; 0: none);
                                   keep it below gunicorn's worker timeout (60 s)
    API_KEYS             (unset)   comma-separated keys; when set, every endpoint but the health
                                   probes needs "Authorization: Bearer <key>" (401 otherwise)
    LOG_LEVEL            info      debug | info | warning | error | critical
    OPENAPI_SPEC_PATH    ./openapi.yaml next to the package, if present: the spec /openapi.yaml serves
    FX_RATES_FILE        (unset)   ECB eurofxref-hist.csv (or .zip): adds USD/EUR equivalents (service/fx.py)
    CORS_ORIGINS         (unset)   comma-separated origins allowed to call the API from a browser
                                   ("https://tracker.example.org"; "*" for any); unset: no CORS headers
    DATABASE_URL         sqlite:///ledger.db  the pledge ledger (service/ledger/db.py, read there); postgresql://... for PostgreSQL
    STORE_TEXT           false     keep article texts in the ledger (read by service/ledger/api.py)
    PROMETHEUS_MULTIPROC_DIR  /dev/shm/pledges-metrics-<pid>  gunicorn workers' metric files (read by
                         prometheus_client and gunicorn.conf.py, not by Settings; service/metrics.py)

The same table is in README.md; gunicorn.conf.py reads PORT, WEB_CONCURRENCY and LOG_LEVEL
through `Settings.from_env()` so the service and its server never disagree.
"""
from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Mapping, Optional

LOG_LEVELS = ("debug", "info", "warning", "error", "critical")

# The checked-in spec sits at the repository root, one level above the package.
_REPO_SPEC = Path(__file__).resolve().parent.parent / "openapi.yaml"


class ConfigError(ValueError):
    """An environment variable holds a value the service cannot use."""


def _int(env: Mapping[str, str], name: str, default: int, minimum: int = 1) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be an integer, got {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, got {value}")
    return value


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number of seconds, got {raw!r}") from None
    if not 0 <= value < float("inf"):
        raise ConfigError(f"{name} must be 0 (no budget) or more, got {raw!r}")
    return value


def _keys(env: Mapping[str, str], name: str) -> tuple:
    return tuple(key.strip() for key in env.get(name, "").split(",") if key.strip())


def default_workers() -> int:
    """One worker per usable core: extraction is CPU-bound, more workers only queue."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class Settings:
    port: int = 8000
    workers: int = 1
    max_body_bytes: int = 1024 * 1024
    max_batch_documents: int = 100
    max_text_chars: int = 200_000
    max_json_depth: int = 32
    request_time_budget: float = 20.0
    api_keys: tuple = field(default=(), repr=False)  # never printed
    log_level: str = "info"
    openapi_spec_path: Optional[str] = None
    fx_rates_file: Optional[str] = None
    cors_origins: tuple = ()

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> "Settings":
        env = os.environ if env is None else env
        log_level = env.get("LOG_LEVEL", "info").strip().lower() or "info"
        if log_level not in LOG_LEVELS:
            raise ConfigError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, got {log_level!r}")
        spec = env.get("OPENAPI_SPEC_PATH", "").strip() or (str(_REPO_SPEC) if _REPO_SPEC.is_file() else None)
        return cls(
            port=_int(env, "PORT", 8000),
            workers=_int(env, "WEB_CONCURRENCY", default_workers()),
            max_body_bytes=_int(env, "MAX_BODY_BYTES", 1024 * 1024),
            max_batch_documents=_int(env, "MAX_BATCH_DOCUMENTS", 100),
            max_text_chars=_int(env, "MAX_TEXT_CHARS", 200_000),
            max_json_depth=_int(env, "MAX_JSON_DEPTH", 32),
            request_time_budget=_seconds(env, "REQUEST_TIME_BUDGET", 20.0),
            api_keys=_keys(env, "API_KEYS"),
            log_level=log_level,
            openapi_spec_path=spec,
            fx_rates_file=env.get("FX_RATES_FILE", "").strip() or None,
            cors_origins=tuple(o.strip() for o in env.get("CORS_ORIGINS", "").split(",") if o.strip()),
        )

    def flask_config(self) -> dict:
        """The Flask config keys the app reads (upper-case names, as in the environment)."""
        cfg = {key.upper(): value for key, value in asdict(self).items()}
        cfg["MAX_CONTENT_LENGTH"] = self.max_body_bytes  # Flask/werkzeug answer 413 above it
        return cfg
