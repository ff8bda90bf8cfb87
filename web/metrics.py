"""GET /metrics: the archive's figures for Prometheus, read from the database at each scrape.

Access: with STMT_METRICS_TOKEN set, a scraper sends `Authorization: Bearer <token>`; a
signed-in admin may look in the browser either way. Nobody else, and without the setting
only admins (docs/operations.md).
"""

from __future__ import annotations

import hmac

from flask import Flask, Response, abort, request
from flask_login import current_user
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, HistogramMetricFamily
from prometheus_client.registry import Collector

from archive import config
from archive.users import Role
from services import metrics
from services.workers import live_workers


class ArchiveCollector(Collector):
    """The installation's figures, whichever process is asked: nothing is kept in memory."""

    def collect(self):
        snap = metrics.snapshot()
        if snap.queue_depth is not None:  # the broker answered
            yield GaugeMetricFamily(
                "stmt_queue_depth", "Messages waiting in the task queue.", value=snap.queue_depth
            )
        yield GaugeMetricFamily(
            "stmt_workers_alive", "Worker processes with a recent heartbeat.", value=live_workers()
        )
        yield GaugeMetricFamily(
            "stmt_pages_per_minute",
            f"Pages of documents processed, per minute over the last "
            f"{int(metrics.PAGES_WINDOW.total_seconds() // 60)} minutes.",
            value=snap.pages_per_minute,
        )
        yield GaugeMetricFamily(
            "stmt_review_backlog_documents",
            "Documents waiting for a reviewer (needs_review).",
            value=snap.review_backlog,
        )
        yield GaugeMetricFamily(
            "stmt_index_lag_documents",
            "Documents processed but not yet in the search index.",
            value=snap.index_lag,
        )
        yield HistogramMetricFamily(
            "stmt_document_read_seconds",
            "Time a worker took to read a document (OCR and extraction), over the archive.",
            buckets=[(repr(b), n) for b, n in snap.read_buckets] + [("+Inf", snap.read_count)],
            sum_value=snap.read_sum,
        )
        failed = GaugeMetricFamily(
            "stmt_failed_documents", "Failed documents by reason.", labels=["reason"]
        )
        for reason, n in sorted(snap.failures.items()):
            failed.add_metric([reason], n)
        yield failed


def init_app(app: Flask) -> None:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(ArchiveCollector())

    @app.get("/metrics")
    def prometheus_metrics():
        _allowed()
        return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)


def _allowed() -> None:
    token = config.settings().metrics_token
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer "):
        if hmac.compare_digest(header.removeprefix("Bearer ").encode(), token.encode()):
            return
        abort(401)
    if current_user.is_authenticated:
        if current_user.role == Role.ADMIN:
            return
        abort(403)
    abort(401)
