"""`flywheel demo` against a stand-in gateway (a local HTTP server speaking the POST /v1/events contract)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import orjson
import pytest
from typer.testing import CliRunner

from cli.demo import BATCH, parse_response, resolve_key
from cli.demo import app as demo_app
from cli.demo_api import DemoError
from cli.importer import app as import_app

runner = CliRunner()
KEY = "fw_test_key"


class FakeGateway(BaseHTTPRequestHandler):
    """202 with every id; 422 (problem+json, as the gateway does) when a batch holds a `reject_type` event."""

    reject_type: str | None = None
    batches: list[list[dict[str, Any]]] = []

    def do_POST(self) -> None:
        if self.headers.get("Authorization") != f"Bearer {KEY}":
            return self._answer(401, {"title": "Unauthorized", "status": 401})
        batch = orjson.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).batches.append(batch)
        bad = [i for i, e in enumerate(batch) if e["type"] == self.reject_type]
        accepted = [e["id"] for i, e in enumerate(batch) if i not in bad]
        if not bad:
            return self._answer(202, {"accepted": accepted, "rejected": []})
        errors = [{"index": i, "id": batch[i]["id"], "field": "type", "message": "not today"} for i in bad]
        return self._answer(422, {"status": 422, "detail": "invalid", "accepted": accepted, "errors": errors})

    def do_GET(self) -> None:  # what the workspace setup reads first (GET /v1/keys/current) checks the key
        if self.headers.get("Authorization") != f"Bearer {KEY}":
            return self._answer(401, {"title": "Unauthorized", "status": 401})
        return self._answer(404, {"title": "Not Found", "status": 404})

    def _answer(self, status: int, body: dict[str, Any]) -> None:
        payload = orjson.dumps(body)
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        return None


@pytest.fixture
def gateway() -> Iterator[str]:
    FakeGateway.reject_type, FakeGateway.batches = None, []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeGateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_demo_sends_batches_of_500_and_exits_0(gateway: str) -> None:
    result = runner.invoke(
        demo_app, ["--gateway", gateway, "--key", KEY, "--customers", "60", "--seed", "3", "--no-setup"]
    )
    assert result.exit_code == 0, result.output
    sizes = [len(b) for b in FakeGateway.batches]
    assert sizes and all(n == BATCH for n in sizes[:-1]) and 0 < sizes[-1] <= BATCH
    assert "purchase" in result.output and "total" in result.output


def test_demo_exits_1_and_names_rejected_events(gateway: str) -> None:
    FakeGateway.reject_type = "refund"
    result = runner.invoke(demo_app, ["--gateway", gateway, "--key", KEY, "--customers", "300", "--no-setup"])
    assert result.exit_code == 1, result.output
    assert "rejected refund" in result.output and "type: not today" in result.output


def test_demo_exit_2_without_key_with_a_bad_key_or_without_gateway(
    gateway: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FLYWHEEL_DEMO_KEY", raising=False)
    monkeypatch.chdir(tmp_path)  # no .flywheel/demo-key here
    result = runner.invoke(demo_app, ["--gateway", gateway, "--customers", "5"])
    assert result.exit_code == 2 and "no API key" in result.output
    result = runner.invoke(demo_app, ["--gateway", gateway, "--key", "wrong", "--customers", "5"])
    assert result.exit_code == 2 and "refused the API key" in result.output
    result = runner.invoke(demo_app, ["--gateway", "http://127.0.0.1:1", "--key", KEY, "--customers", "5"])
    assert result.exit_code == 2 and "cannot reach the gateway" in result.output
    assert "Traceback" not in result.output


def test_demo_out_file_is_importable(tmp_path: Path) -> None:
    out = tmp_path / "demo.jsonl"
    result = runner.invoke(demo_app, ["--customers", "40", "--out", str(out), "--workspace", "shop-1"])
    assert result.exit_code == 0, result.output
    imported = runner.invoke(import_app, ["jsonl", str(out), "--workspace", "shop-1", "--dry-run"])
    assert imported.exit_code == 0, imported.output


def test_resolve_key_prefers_option_then_env_then_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    key_file = tmp_path / "demo-key"
    key_file.write_text("from-file\n")
    monkeypatch.delenv("FLYWHEEL_DEMO_KEY", raising=False)
    assert resolve_key(None, key_file) == "from-file"
    assert resolve_key(None, tmp_path / "missing") is None
    monkeypatch.setenv("FLYWHEEL_DEMO_KEY", "from-env")
    assert resolve_key(None, key_file) == "from-env"
    assert resolve_key("given", key_file) == "given"


def test_parse_response_shapes() -> None:
    batch = [{"id": "a", "type": "visit"}, {"id": "b", "type": "purchase"}]
    assert parse_response(202, {"accepted": ["a", "b"]}, batch).accepted == {"a", "b"}
    errors = [
        {"index": 1, "id": "b", "field": "data.amount", "message": "too small"},
        {"index": 1, "id": "b", "field": "data.order_id", "message": "missing"},
    ]
    result = parse_response(422, {"accepted": ["a"], "errors": errors}, batch)
    assert result.accepted == {"a"}
    assert result.rejected == [(batch[1], "data.amount: too small; data.order_id: missing")]
    with pytest.raises(DemoError, match="413"):
        parse_response(413, {"detail": "too large"}, batch)
