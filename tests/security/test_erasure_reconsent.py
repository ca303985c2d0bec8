"""Issue 16: lifting an erasure for one identifier, when the person gives their consent again, through the gateway
in front of the real services (POST /v1/customers/reconsent): events from then on make a new profile, older ones
stay dropped, the answer and the audit log never carry the identifier; and the answers stored for Idempotency-Key
retries that named the erased customer are redacted (a retry answers 409, neither their data nor a second write).
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.helpers import event, wait_for
from tests.integration.gateway_stack import GatewayInFront


async def test_a_reconsent_lets_in_what_happens_from_then_on(stack: GatewayInFront, tenant: httpx.AsyncClient) -> None:
    email = f"grace.{uuid.uuid4().hex[:8]}@example.com"
    first = event(
        "identify", stack.workspace, {"email": email, "phone": "+4915199999999"}, {"traits": {"name": "Grace"}}
    )
    assert (await tenant.post("/v1/events", json=[first])).status_code == 202

    async def customer() -> dict[str, Any] | None:
        answer = await tenant.get("/v1/customers", params={"email": email})
        return answer.json() if answer.status_code == 200 else None

    grace = (await wait_for(customer, what="grace"))["customer_id"]
    assert (await tenant.post("/v1/customers/reconsent", json={"email": email})).status_code == 404  # not erased
    deal = {"customer_id": grace, "title": "Grace Hopper's order", "amount": "10.00", "currency": "EUR"}
    key = {"Idempotency-Key": f"deal-{grace}"}
    made = await tenant.post("/v1/deals", json=deal, headers=key)
    assert made.status_code == 201 and (await tenant.post("/v1/deals", json=deal, headers=key)).json() == made.json()
    assert (await tenant.delete(f"/v1/customers/{grace}")).status_code == 202
    retried = await tenant.post("/v1/deals", json=deal, headers=key)
    assert retried.status_code == 409 and "Grace" not in retried.text and grace not in retried.text, retried.text
    both = await tenant.post("/v1/customers/reconsent", json={"email": email, "phone": "+4915199999999"})
    assert both.status_code == 422
    assert (await tenant.post("/v1/customers/reconsent", json={"email": "not an email"})).status_code == 422

    lifted = await tenant.post("/v1/customers/reconsent", json={"email": email.upper()})
    assert lifted.status_code == 200, lifted.text
    answer = lifted.json()
    assert answer["identifier"] == "email" and answer["status"] == "reconsented" and email not in lifted.text
    log = (await tenant.get("/v1/audit-log", params={"limit": 10})).json()["items"]
    entry = next(e for e in log if e["action"] == "customer.reconsented")
    assert entry["outcome"] == "done" and entry["target"].startswith("email ") and email not in str(entry)

    again = event("visit", stack.workspace, {"email": email}, {"channel": "web"})
    assert (await tenant.post("/v1/events", json=[again])).status_code == 202
    back = await wait_for(customer, what="grace back after her re-consent")
    assert back["customer_id"] != grace and back["identifiers"]["phone"] == []  # only what she consented to
