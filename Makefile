# Flywheel: `make run` starts the whole stack locally, `make test` runs every test suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
BROKER ?= kafka

.DEFAULT_GOAL := help
.PHONY: help install run stop demo lint format contracts console vendor-docs test test-unit test-integration test-security test-kafka test-deploy test-chaos images test-images bench clean

help:
	@echo "make run       start PostgreSQL, a broker (BROKER=kafka|embedded) and every service"
	@echo "make demo      feed demo customers and events through the gateway (with 'make run' going)"
	@echo "make test      lint, unit, integration (in-memory broker) and the Apache Kafka event-path suite"
	@echo "make bench     measure throughput and latency, write bench/results.json"
	@echo "make images    build every service image with no registry (as root: Debian's docker.io and mmdebstrap)"
	@echo "make lint      ruff and mypy;  make contracts: regenerate contracts/ and clients/ from the models"
	@echo "make console   rebuild the console (console/src) into services/gateway/static/console"

CHECKOV_VENV := .venv-checkov

$(VENV)/.installed: requirements.txt requirements-dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

install: $(VENV)/.installed

$(CHECKOV_VENV)/.installed: requirements-checkov.txt
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install --quiet --upgrade pip
	$(CHECKOV_VENV)/bin/pip install --quiet -r requirements-checkov.txt
	touch $@

# REPLICAS="profile=3 scoring=2": more processes of those services (one consumer group each; docs/capacity.md).
run: install
	BROKER=$(BROKER) $(BIN)/python -m devstack run $(foreach replicas,$(REPLICAS),--replicas $(replicas))

stop: install
	$(BIN)/python -m devstack stop

demo: install
	$(BIN)/flywheel demo

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy contracts runtime services devstack cli bench tests clients/generate.py console/build.py \
		deploy/observability/render_rules.py deploy/observability/grafana deploy/k8s/components/strimzi/render_users.py

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The clients (clients/typescript, clients/python) come from the OpenAPI document, so they are generated after it.
# Their generators (npm packages, openapi-python-client) install themselves on first use (clients/generate.py).
contracts: install
	$(BIN)/python -m contracts.generate
	$(BIN)/python -m services.gateway.openapi
	$(BIN)/python -m clients.generate
	$(BIN)/python -m console.build

# The console (console/src, TypeScript) is built into services/gateway/static/console, which is checked in: the
# gateway serves it without Node. Its tools (console/package.json) install themselves on first use.
console: install
	$(BIN)/python -m console.build

# Swagger UI for the gateway's /docs, vendored at the version pinned in services/gateway/vendor_docs.py into
# services/gateway/static/docs (checked in, so no Node at run time); `make test-unit` checks it is what the pin gives.
vendor-docs: install
	$(BIN)/python -m services.gateway.vendor_docs

test: lint test-unit test-deploy test-integration test-security test-kafka test-chaos test-images

test-unit: install
	$(BIN)/python -m contracts.generate --check
	$(BIN)/python -m services.gateway.openapi --check
	$(BIN)/python -m clients.generate --check
	$(BIN)/python -m services.gateway.vendor_docs --check
	clients/typescript/node_modules/.bin/tsc --noEmit -p clients/typescript
	$(BIN)/python -m console.build --check
	$(BIN)/python -m pytest tests/unit -q -n 2

# Integration tests against real PostgreSQL and the in-memory Kafka-protocol broker, in three workers (each with a
# PostgreSQL and a broker of its own; a file stays on one worker, its module fixtures shared). The Schemathesis
# file runs alone: under pytest-xdist its operations would not each be reported.
SCHEMATHESIS := tests/integration/test_gateway_schemathesis.py
test-integration: install
	$(BIN)/python -m pytest tests/integration --ignore=$(SCHEMATHESIS) -q -n 3 --dist loadfile --durations=10
	$(BIN)/python -m pytest $(SCHEMATHESIS) -q

# Attacks of one workspace on the others (tests/security/conftest.py), against the real services, PostgreSQL
# and the in-memory broker.
test-security: install
	$(BIN)/python -m pytest tests/security -q

# The event path again against Apache Kafka itself (KRaft): the shared consumer loop, outbox and dead letter,
# profile's ingestion; then the end-to-end suite, where every service runs on Apache Kafka, with the console's
# browser tests (headless Chromium; screenshots, CI's artifacts, in .flywheel/console-screenshots). Then the event path
# once more on Apache Kafka secured as in production (SASL_SSL with SCRAM-SHA-512, TLS certificates made by the
# run, the authorizer on), with the tests of that security itself (refused credentials, the catalogue's ACLs).
EVENT_PATH := tests/integration/test_infrastructure.py tests/integration/test_consumer_failures.py \
              tests/integration/test_profile_ingest.py tests/integration/test_profile_concurrency.py \
              tests/integration/test_deadletter_replay.py tests/integration/test_gateway_cached_views.py \
              tests/integration/test_profile_cloudevents.py
test-kafka: install
	FLYWHEEL_TEST_BROKER=kafka $(BIN)/python -m pytest $(EVENT_PATH) tests/e2e -q --durations=15
	FLYWHEEL_TEST_BROKER=kafka FLYWHEEL_TEST_KAFKA_SECURITY=sasl_ssl \
		$(BIN)/python -m pytest $(EVENT_PATH) tests/integration/test_kafka_security.py -q

# Infrastructure chaos on Apache Kafka (tests/chaos): the broker killed under load, exact counts, recovery times
# printed and written to .flywheel/chaos/recovery.json.
test-chaos: install
	FLYWHEEL_TEST_BROKER=kafka $(BIN)/python -m pytest tests/chaos -q

# The deployment files: Dockerfile lint (hadolint), docker-compose.yml against the Compose schema, every
# kustomize overlay rendered and checked against the Kubernetes and CRD schemas and the policy scanner.
test-deploy: install $(CHECKOV_VENV)/.installed
	FLYWHEEL_CHECKOV=$(CHECKOV_VENV)/bin/checkov $(BIN)/python -m pytest tests/deploy -q

# The base image from this machine's Debian packages, then every Dockerfile target on it (devstack/images.py).
IMAGE_TAG ?= local
images: install
	$(BIN)/python -m devstack.images build --tag $(IMAGE_TAG)

# The services from their images against devstack's PostgreSQL and Apache Kafka: how they run (read-only, uid
# 10001, healthy, drained by docker stop), then the public path through them.
IMAGE_PATH := tests/e2e/test_images.py \
              tests/e2e/test_event_path.py::test_an_event_posted_to_the_gateway_shows_up_in_the_360_view_and_timeline \
              tests/e2e/test_event_path.py::test_erase_leaves_nothing_personal_in_profile \
              tests/e2e/test_journey.py::test_dormant_reactivation_template_in_the_running_stack \
              tests/e2e/test_growth.py::test_a_referred_friend_and_a_journeys_sales_task_show_in_the_360_view
# Where no engine can be had (not root, no docker.io) it is skipped with the reason; under CI it must run.
test-images: install
	@if $(BIN)/python -m devstack.images check; then \
		$(BIN)/python -m devstack.images build --tag $(IMAGE_TAG) && \
		FLYWHEEL_TEST_BROKER=kafka FLYWHEEL_TEST_IMAGES=$(IMAGE_TAG) $(BIN)/python -m pytest $(IMAGE_PATH) -q; \
	elif [ -n "$$CI" ]; then echo "test-images: CI needs the images built and run"; exit 1; \
	else echo "test-images: skipped (as root: apt-get install docker.io mmdebstrap)"; fi

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) $(CHECKOV_VENV) .venv-clients clients/typescript/node_modules .mypy_cache .ruff_cache .pytest_cache
