"""Every event profile publishes, each built through its contract model: accepted inbound events republished
with their customer id (`flywheel.events.resolved`), and merges, erasures and acquisition sources
(`flywheel.profile.lifecycle`)."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from contracts.codec import encode_resolved
from contracts.envelope import CONTENT_TYPE, Envelope
from contracts.http.profile import MergeRecord
from contracts.internal import (
    AcquisitionChanged,
    AcquisitionChangedData,
    ProfileErased,
    ProfileErasedData,
    ProfileMerged,
    ProfileMergedData,
    ProfileUnmerged,
    ProfileUnmergedData,
    resolved_event,
)
from contracts.topics import PROFILE_LIFECYCLE, RESOLVED
from runtime.consumer import Delivery
from runtime.outbox import OutboundMessage
from services.profile.domain import Acquisition, Merge

SOURCE = "flywheel.profile"
CONTENT_TYPE_HEADER, CONTENT_TYPE_VALUE = "content-type", CONTENT_TYPE.encode()


def resolved(delivery: Delivery[Envelope], customer_id: str) -> OutboundMessage:
    """The accepted event republished on `flywheel.events.resolved` with its final customer id: the bytes
    received (made structured if it came in binary mode or without `time`) plus `customerid`
    (contracts.codec.encode_resolved), validated by its resolved contract model."""
    event = resolved_event(delivery.event, customer_id)
    return OutboundMessage(
        topic=RESOLVED,
        key=f"{event.workspace}:{event.customerid}".encode(),
        value=encode_resolved(delivery.value, event),
        headers=[(CONTENT_TYPE_HEADER, CONTENT_TYPE_VALUE), *delivery.trace_headers],
    )


def merged(workspace: str, merge: Merge, now: dt.datetime) -> OutboundMessage:
    """Its id names the merge (not the merged id): a profile merged, restored by an undo and merged again is two
    merges, and the second must not de-duplicate against the first."""
    data = ProfileMergedData(
        survivor_id=merge.survivor_id, merged_id=merge.merged_id, reason=merge.reason, merge_id=merge.merge_id
    )
    event = ProfileMerged(**_lifecycle_attributes(workspace, "profile.merged", merge.merge_id, now), data=data)
    return _lifecycle_message(workspace, merge.survivor_id, event)


def unmerged(
    workspace: str, merge: MergeRecord, restored_event_ids: list[str], reason: str, now: dt.datetime
) -> OutboundMessage:
    data = ProfileUnmergedData(
        merge_id=merge.merge_id,
        survivor_id=merge.survivor_id,
        restored_id=merge.merged_id,
        restored_event_ids=restored_event_ids,
        reason=reason,
    )
    event = ProfileUnmerged(**_lifecycle_attributes(workspace, "profile.unmerged", merge.merge_id, now), data=data)
    return _lifecycle_message(workspace, merge.survivor_id, event)


def erased(workspace: str, customer_id: str, erased_ids: list[str], now: dt.datetime) -> OutboundMessage:
    data = ProfileErasedData(customer_id=customer_id, erased_ids=erased_ids)
    event = ProfileErased(**_lifecycle_attributes(workspace, "profile.erased", customer_id, now), data=data)
    return _lifecycle_message(workspace, customer_id, event)


def acquisition_changed(workspace: str, customer_id: str, found: Acquisition, now: dt.datetime) -> OutboundMessage:
    """The customer's acquisition source as now decided. The id names the decision, so sending the same one again
    (a merge's survivor keeping its own) de-duplicates; consumers keep the latest by `time`."""
    data = AcquisitionChangedData(
        customer_id=customer_id, source=found.source, campaign=found.campaign, program_id=found.program_id, at=found.at
    )
    decision = "\x1f".join((found.source, found.campaign or "", found.program_id or ""))
    subject = f"{customer_id}:{hashlib.sha256(decision.encode()).hexdigest()[:24]}"
    event = AcquisitionChanged(
        **_lifecycle_attributes(workspace, "profile.acquisition_changed", subject, now), data=data
    )
    return _lifecycle_message(workspace, customer_id, event)


def _lifecycle_attributes(workspace: str, event_type: str, subject: str, now: dt.datetime) -> dict[str, Any]:
    # The id is derived from what happened, so a repeat of the same merge or erasure de-duplicates.
    return {
        "specversion": "1.0",
        "id": f"{event_type}:{subject}",
        "source": SOURCE,
        "type": event_type,
        "time": now,
        "workspace": workspace,
    }


def _lifecycle_message(workspace: str, customer_id: str, event: Envelope) -> OutboundMessage:
    return OutboundMessage(
        topic=PROFILE_LIFECYCLE,
        key=f"{workspace}:{customer_id}".encode(),
        value=event.model_dump_json(exclude_none=True).encode(),
        headers=[(CONTENT_TYPE_HEADER, CONTENT_TYPE_VALUE)],
    )
