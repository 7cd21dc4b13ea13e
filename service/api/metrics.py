"""GET /metrics: Prometheus text format, summed over gunicorn's workers (service/metrics.py).

With API_KEYS set it needs the key like every endpoint but the health probes (its counts may be
private): give Prometheus the key as a bearer token (`authorization: {credentials: <key>}` in the
scrape config). Without API_KEYS it is open; then keep the port on the internal network.
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
@blp.problems(401)
@blp.response(200, {"type": "string"}, content_type="text/plain", example=_EXAMPLE,
              description="Prometheus text exposition format 0.0.4 "
                          "(`Content-Type: text/plain; version=0.0.4; charset=utf-8`)")
def prometheus_metrics():
    """Prometheus metrics

    Request counts and latency by route template and status, documents and pledges extracted,
    engine time, and errors by reason, added up across the server's worker processes.
    Metric names start with `pledge_normalizer_`; docs/operations.md lists them. When the
    service has API_KEYS, the key is needed here too (only the health probes are open).
    """
    response = Response(metrics.exposition(), content_type=metrics.CONTENT_TYPE)
    response.headers["Cache-Control"] = "no-store"
    return response
