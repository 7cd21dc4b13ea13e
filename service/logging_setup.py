"""JSON logs (python-json-logger): one object per line on standard error, for the app and gunicorn.

Every record has `time` (ISO 8601, UTC), `level`, `logger`, `pid` (the gunicorn worker's, or
the master's) and `message`; the per-request line (logger `service.requests`, message `request`)
adds the fields listed in REQUEST_FIELDS. The submitted text never goes in a log line: only its
size.

Under gunicorn, gunicorn.conf.py hands `gunicorn_logconfig()` to gunicorn (`logconfig_dict`),
which configures the root logger and gunicorn's own loggers before the app is loaded; the app
then only sets its level. Anywhere else (tests, `flask run`, a notebook) `configure()` gives the
`service` logger a JSON handler of its own unless the root logger already has one.
"""
from __future__ import annotations

import logging
import sys

from pythonjsonlogger.json import JsonFormatter

# Fields of each line, in this order, before the record's own `extra` fields.
_FORMAT = ["levelname", "name", "process", "message"]
_RENAME = {"levelname": "level", "name": "logger", "process": "pid"}

# What the per-request line carries (service/telemetry.py fills them).
REQUEST_FIELDS = ("request_id", "method", "path", "endpoint", "status", "duration_ms",
                  "body_bytes", "text_chars", "documents", "pledges")


def formatter_options() -> dict:
    return {"fmt": _FORMAT, "rename_fields": _RENAME, "timestamp": "time"}


def json_formatter() -> JsonFormatter:
    return JsonFormatter(**formatter_options())


def configure(level: str) -> None:
    """Set the `service` loggers' level; add a JSON handler only when nothing else logs."""
    logger = logging.getLogger("service")
    logger.setLevel(level.upper())
    if not logger.handlers and not logging.getLogger().handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(json_formatter())
        logger.addHandler(handler)


def gunicorn_logconfig(level: str, stream: str | None = "ext://sys.stderr") -> dict:
    """gunicorn's `logconfig_dict`: every logger (root, gunicorn.error, gunicorn.access, the app's)
    writes JSON lines to *stream*."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter, **formatter_options()}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": stream}},
        "root": {"level": level.upper(), "handlers": ["stderr"]},
        "loggers": {
            # Replace gunicorn's plain-text handlers; no propagation, or each line would appear twice.
            "gunicorn.error": {"level": level.upper(), "handlers": ["stderr"], "propagate": False},
            # gunicorn's access lines would repeat the app's request lines (service.requests),
            # which say more; WARNING silences them (gunicorn logs each request at INFO).
            "gunicorn.access": {"level": "WARNING", "handlers": ["stderr"], "propagate": False},
        },
    }
