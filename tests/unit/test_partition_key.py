"""One partition key for every ingestion path (issue 17): the same customer, however spelt and however its
event arrives, gets the same Kafka key, so its events share a partition and keep their order.

Each path's own key-building code is called: the gateway's batch plan (POST /v1/events, and the demo, which
sends through it), `flywheel import jsonl` and `csv`, bench's producer, the tests' producer and the contract
function an outside producer would use. tests/integration/test_import_cli.py reads the keys back from Kafka.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import orjson
import pytest

from bench.events import key_of as bench_key_of
from cli.demo_data import generate as demo_events
from cli.import_rows import CsvMapper, ImportRow, parse_jsonl_line, resolve_mapping
from contracts.partition import NoCustomerIdentifier, customer_subject, document_partition_key, partition_key
from services.gateway.domain import plan_batch
from tests.helpers import key_of as helpers_key_of

WORKSPACE = "acme"
IDENTIFIERS = ("external_id", "email", "phone", "anonymous_id")

# Each group: one customer written several ways, and the subject every spelling must come to.
SPELLINGS: dict[str, tuple[list[dict[str, str]], str]] = {
    "phone punctuation": (
        [
            {"phone": "+1 (555) 010-0000"},
            {"phone": "+15550100000"},
            {"phone": " +1 555.010.0000 "},
            {"phone": "+1-555-010-0000", "anonymous_id": "cookie-9"},
        ],
        "+15550100000",
    ),
    "phone trunk prefix": ([{"phone": "+44 (0)20 7946 0000"}, {"phone": "+442079460000"}], "+442079460000"),
    "phone, German mobile": (
        [{"phone": " +49 (151) 123-45.678 "}, {"phone": "+4915112345678"}],
        "+4915112345678",
    ),
    "email case and spaces": (
        [
            {"email": "Ann@Example.com"},
            {"email": "ann@example.com"},
            {"email": "  ANN@EXAMPLE.COM ", "phone": "+4915112345678"},
        ],
        "ann@example.com",
    ),
    "external id first": (
        [{"external_id": " u-1 ", "email": "Ann@Example.com"}, {"external_id": "u-1", "phone": "+15550100000"}],
        "u-1",
    ),
    "anonymous id": ([{"anonymous_id": " d-1"}, {"anonymous_id": "d-1"}], "d-1"),
}
CASES = [(name, customer, subject) for name, (spellings, subject) in SPELLINGS.items() for customer in spellings]


def purchase(customer: dict[str, str], event_id: str = "e-1") -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": event_id,
        "source": "shop",
        "type": "purchase",
        "time": "2026-01-01T00:00:00Z",
        "workspace": WORKSPACE,
        "data": {"customer": customer, "order_id": "o-1", "amount": "9.50"},
    }


def gateway_key(doc: dict[str, Any]) -> bytes:
    plan = plan_batch([doc], WORKSPACE)
    assert not plan.errors, plan.errors
    return plan.publish[0].key


def jsonl_key(doc: dict[str, Any]) -> bytes:
    record = parse_jsonl_line(1, orjson.dumps(doc), WORKSPACE)
    assert isinstance(record, ImportRow), record
    return record.key


def csv_key(doc: dict[str, Any]) -> bytes:
    customer = doc["data"]["customer"]
    header = [*IDENTIFIERS, "time", "order_id", "amount"]
    mapper = CsvMapper("purchase", WORKSPACE, "orders.csv", header, resolve_mapping("purchase", header, {}))
    data = doc["data"]
    cells = [*(customer.get(kind, "") for kind in IDENTIFIERS), doc["time"], data["order_id"], data["amount"]]
    record = mapper.row(2, cells)
    assert isinstance(record, ImportRow), record
    return record.key


def contract_key(doc: dict[str, Any]) -> bytes:
    return partition_key(doc["workspace"], doc["data"]["customer"])


PATHS: dict[str, Callable[[dict[str, Any]], bytes]] = {
    "gateway POST /v1/events": gateway_key,
    "import jsonl": jsonl_key,
    "import csv": csv_key,
    "bench producer": bench_key_of,
    "tests producer": helpers_key_of,
    "contract function": contract_key,
    "contract function on the document": document_partition_key,
}


@pytest.mark.parametrize(("group", "customer", "subject"), CASES)
@pytest.mark.parametrize("path", list(PATHS))
def test_every_ingestion_path_gives_one_customer_one_key(
    path: str, group: str, customer: dict[str, str], subject: str
) -> None:
    assert PATHS[path](purchase(customer)) == f"{WORKSPACE}:{subject}".encode(), group


def test_the_demo_keys_its_customers_as_every_other_path() -> None:
    """The demo sends through the gateway: its events, with their customers written differently, keep their
    keys, and those keys are the import's and the contract's."""
    docs = demo_events(seed=7, customers=200, workspace=WORKSPACE)
    phone_customers = [doc for doc in docs if "phone" in doc["data"]["customer"]][:5]
    email_customers = [doc for doc in docs if set(doc["data"]["customer"]) == {"email", "external_id"}][:5]
    assert phone_customers and email_customers  # the demo has both identity styles to check
    for doc in phone_customers + email_customers:
        respelt = copy.deepcopy(doc)
        customer = respelt["data"]["customer"]
        customer.pop("external_id", None)  # the phone or email is then the subject
        if "phone" in customer:
            digits = customer["phone"]
            customer["phone"] = f" {digits[:3]} ({digits[3:6]}) {digits[6:9]}-{digits[9:]} "
        else:
            customer["email"] = customer["email"].upper()
        original = copy.deepcopy(doc)
        original["data"]["customer"].pop("external_id", None)
        keys = {gateway_key(original), gateway_key(respelt), jsonl_key(respelt), contract_key(original)}
        assert len(keys) == 1, keys


def test_the_subject_follows_profiles_order_of_identifiers() -> None:
    everything = {"external_id": "u-1", "email": "a@b.io", "phone": "+15550100000", "anonymous_id": "d"}
    order = []
    while everything:
        subject = customer_subject(everything)
        kind = next(k for k, v in everything.items() if v == subject)
        order.append(kind)
        everything = {k: v for k, v in everything.items() if k != kind}
    assert order == list(IDENTIFIERS)


@pytest.mark.parametrize(
    "customer", [{}, {"email": "   "}, {"external_id": 7}, {"phone": None}], ids=["none", "blank", "number", "null"]
)
def test_a_customer_without_an_identifier_has_no_key(customer: dict[str, Any]) -> None:
    with pytest.raises(NoCustomerIdentifier):
        partition_key(WORKSPACE, customer)
    assert helpers_key_of(purchase(customer)) == f"{WORKSPACE}:-".encode()  # the tests' broken documents


def test_a_national_number_keeps_its_digits_and_an_invalid_one_its_characters() -> None:
    # Profile reads a national number with the deployment's default region, which producers do not know.
    assert customer_subject({"phone": "030 1234-567"}) == "0301234567"
    assert customer_subject({"phone": "+999 555 0123"}) == "+9995550123"
