"""GET /metrics: Prometheus text format, summed over gunicorn's workers (service/metrics.py).

No API key is asked for it, as for the probes: Prometheus scrapes without one. Keep the port
on the internal network (or route only /v1 through the public load balancer) when its counts
should stay private.
"""
from __future__ import annotations

from flask import Response

from .. import metrics
from .base import Blueprint

blp = Blueprint("metrics", __name__, description="Prometheus metrics")

_EXAMPLE = """# HELP pledge_normalizer_documents_extracted_total Texts the engine read (POST /v1/extract, and each document of a batch)
# TYPE pledge_normalizer_documents_extracted_total counter
pledge_normalizer_documents_extracted_total 42.0
# HELP pledge_normalizer_pledges_extracted_total Pledges found in those texts
# TYPE pledge_normalizer_pledges_extracted_total counter
pledge_normalizer_pledges_extracted_total 57.0
"""


@blp.route("/metrics")
@blp.response(200, {"type": "string"}, content_type="text/plain", example=_EXAMPLE,
              description="Prometheus text exposition format 0.0.4 "
                          "(`Content-Type: text/plain; version=0.0.4; charset=utf-8`)")
def prometheus_metrics():
    """Prometheus metrics

    Request counts and latency by route template and status, documents and pledges extracted,
    engine time, and errors by reason, added up across the server's worker processes.
    Metric names start with `pledge_normalizer_`; see the README for the list. No API key is
    needed (as for the probes).
    """
    response = Response(metrics.exposition(), content_type=metrics.CONTENT_TYPE)
    response.headers["Cache-Control"] = "no-store"
    return response
