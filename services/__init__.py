"""Flywheel's services: one package each, all shaped alike (wiring, api, domain, store, migrations)."""
