"""Traces (OpenTelemetry, W3C trace context over HTTP and Kafka headers) and Prometheus metrics."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from opentelemetry import propagate, trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter
from prometheus_client import Counter, Gauge, Histogram

from runtime.settings import RuntimeSettings

KafkaHeaders = list[tuple[str, bytes]]
TRACE_HEADERS = ("traceparent", "tracestate")

_configured = False
_exported = False


def configure_tracing(settings: RuntimeSettings) -> None:
    """Install the global tracer provider once per process."""
    global _configured, _exported  # noqa: PLW0603 - the provider is process-global by OpenTelemetry's design
    if _configured:
        return
    provider = TracerProvider(resource=Resource.create({"service.name": f"flywheel-{settings.service_name}"}))
    exporter: SpanExporter | None = None
    if settings.otel_exporter == "console":
        exporter = ConsoleSpanExporter()
    elif settings.otel_exporter == "otlp":
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        exporter = OTLPSpanExporter(endpoint=settings.otel_endpoint) if settings.otel_endpoint else OTLPSpanExporter()
    if exporter is not None:
        provider.add_span_processor(BatchSpanProcessor(exporter))
        _exported = True
    trace.set_tracer_provider(provider)
    _configured = True


def spans_exported() -> bool:
    """Whether this process's spans go anywhere (FLYWHEEL_OTEL_EXPORTER is not "none")."""
    return _exported


_tracer: tuple[trace.TracerProvider, trace.Tracer] | None = None


def tracer() -> trace.Tracer:
    """The process's tracer, made once per provider: get_tracer builds a new Tracer (and its
    instrumentation scope) on every call, which the gateway did six times per 360 view."""
    global _tracer  # noqa: PLW0603 - a cache of the process-global provider's tracer
    provider = trace.get_tracer_provider()
    if _tracer is None or _tracer[0] is not provider:
        _tracer = (provider, provider.get_tracer("flywheel"))
    return _tracer[1]


def inject_headers(headers: KafkaHeaders | None = None) -> KafkaHeaders:
    """Kafka headers carrying the current trace context (W3C traceparent)."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    out = list(headers or [])
    out.extend((k, v.encode()) for k, v in carrier.items())
    return out


def extract_context(headers: Sequence[tuple[str, bytes]] | None) -> Context:
    carrier = {k: v.decode("latin-1") for k, v in headers or () if k in TRACE_HEADERS}
    return propagate.extract(carrier)


def trace_headers_of(headers: Iterable[tuple[str, bytes]] | None) -> KafkaHeaders:
    """The trace headers of a consumed message, to pass on with what it causes."""
    return [(k, v) for k, v in headers or () if k in TRACE_HEADERS]


# Metrics: one set per process, labelled by service so dashboards can sum across services.
CONSUMED = Counter("flywheel_consumer_consumed", "Messages fetched from Kafka.", ["service", "topic"])
PROCESSED = Counter("flywheel_consumer_processed", "Events whose effects committed.", ["service", "topic"])
DUPLICATES = Counter("flywheel_consumer_duplicates", "Events skipped as already processed.", ["service", "topic"])
DEADLETTERED = Counter(
    "flywheel_consumer_deadlettered", "Messages sent to the dead letter.", ["service", "topic", "reason_kind"]
)
RETRIES = Counter("flywheel_consumer_retries", "Batches retried after a transient error.", ["service", "topic"])
WORKSPACE_FAILURES = Counter(
    "flywheel_consumer_workspace_failures",
    "Batch attempts that failed on a workspace's own statement (statement timeout, too many query arguments); "
    "past FLYWHEEL_TENANT_FAILURE_RETRIES the batch is processed one workspace at a time.",
    ["service", "topic"],
)
BATCH_SECONDS = Histogram(
    "flywheel_consumer_batch_seconds",
    "Time to handle and commit one batch.",
    ["service", "topic"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
BATCH_SIZE = Histogram(
    "flywheel_consumer_batch_size",
    "Messages per batch.",
    ["service", "topic"],
    buckets=(1, 10, 50, 100, 500, 1000, 2000, 5000, 10000),
)
LAG = Gauge(
    "flywheel_consumer_lag", "Messages behind the partition's high watermark.", ["service", "topic", "partition"]
)
OUTBOX_PUBLISHED = Counter("flywheel_outbox_published", "Outbox messages published to Kafka.", ["service", "topic"])
JOB_ROUNDS = Counter(
    "flywheel_job_rounds",
    "Rounds of a service's periodic jobs (runtime/service.py PeriodicJob), by outcome: done; failed (the round "
    "raised; run again next interval); skipped (a singleton job whose lock another replica held).",
    ["service", "job", "outcome"],
)  # exposed as flywheel_job_rounds_total
HTTP_REQUESTS = Counter("flywheel_http_requests", "HTTP requests answered.", ["service", "method", "route", "status"])
HTTP_SECONDS = Histogram(
    "flywheel_http_request_seconds",
    "HTTP request latency.",
    ["service", "method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
