"""The product's own Prometheus counters, next to django-prometheus's requests and database ones.

Labelled by outcome only, never by workspace: a series per workspace would grow without bound
with the signups. Served, with the rest of the registry, at the protected ``/metrics``
(``core.observability.metrics_view``). Under gunicorn with several workers, set
PROMETHEUS_MULTIPROC_DIR (an empty folder, cleared at start) so the figures of every process add up.
"""

from prometheus_client import Counter

SALES = Counter("stockwise_sales", "Sales at the point of sale, API and imports.", ["outcome"])
IMPORTS = Counter("stockwise_imports", "Import jobs that reached an end.", ["outcome"])
FORECAST_RUNS = Counter("stockwise_forecast_runs", "Forecast runs that reached an end.", ["outcome"])
WEBHOOK_DELIVERIES = Counter(
    "stockwise_webhook_deliveries",
    "Webhook deliveries received, by provider and outcome.",
    ["provider", "outcome"],
)
EXPORTS = Counter("stockwise_exports", "Workspace data exports that reached an end.", ["outcome"])
JOBS_REAPED = Counter(
    "stockwise_jobs_reaped", "Background jobs marked failed because their heartbeat stopped.", ["kind"]
)
