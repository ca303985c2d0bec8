"""Valid `data` for each event type a service publishes, used by the contract tests (one file per service)."""
