"""The gateway: Flywheel's one public HTTP API (auth by API key, event ingestion, customer reads)."""

SERVICE = "gateway"
