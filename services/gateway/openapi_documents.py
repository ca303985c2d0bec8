"""The JSON Schemas of the documents the gateway passes through unparsed (journeys, referral and loyalty programs,
pipelines, lead rules, segment conditions), generated from the models the services validate them with.

The gateway forwards these bodies as it received them and the service answers for them (its 422 names every bad
field): the schemas only make /openapi.json say what the service takes, so generated clients get typed models.
They are imported when the document is built, not when the gateway starts: the gateway never validates with them.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, TypeAdapter
from pydantic.json_schema import models_json_schema

from contracts.openapi_inputs import rename_refs

_REF = "#/components/schemas/"

# A document kind (operations.yaml `documents`) -> its component in /openapi.json.
DOCUMENT_COMPONENTS = {
    "journey": "JourneyIn",
    "referral program": "ReferralProgramIn",
    "pipeline": "PipelineIn",
    "lead rules": "LeadRulesIn",
    "loyalty program": "LoyaltyProgramIn",
}
SEGMENT_CONDITION = "SegmentCondition"


def document_ref(kind: str) -> dict[str, str]:
    return {"$ref": _REF + DOCUMENT_COMPONENTS[kind]}


def document_schemas(existing: dict[str, Any]) -> dict[str, Any]:
    """The documents' components and what they refer to. A referred model whose name an existing component already
    has (with another schema) is prefixed `Document` instead (`DocumentStage`)."""
    from contracts.http.loyalty import LoyaltyProgramIn
    from services.journey.domain.model import Journey
    from services.referral.domain.program import Program
    from services.sales.domain.lead_score import LeadRules
    from services.sales.domain.pipeline import Pipeline
    from services.scoring.domain.segments import Condition

    models: dict[str, type[BaseModel]] = {
        "journey": Journey,
        "referral program": Program,
        "pipeline": Pipeline,
        "lead rules": LeadRules,
        "loyalty program": LoyaltyProgramIn,
    }
    tops, found = models_json_schema(
        [(model, "validation") for model in models.values()], ref_template=_REF + "{model}"
    )
    defs: dict[str, Any] = found.get("$defs", {})
    condition = TypeAdapter(Condition).json_schema(mode="validation", ref_template=_REF + "{model}")
    condition_defs = condition.pop("$defs", {})
    clash = {name for name, schema in condition_defs.items() if name in defs and defs[name] != schema}
    assert not clash, f"segment condition models named like documents' ones: {sorted(clash)}"
    defs.update(condition_defs)
    components: dict[str, Any] = {}
    for kind, model in models.items():
        top = defs.pop(tops[(model, "validation")]["$ref"][len(_REF) :])
        # Titled as named: generators name models by title (`Journey` is the answer's model), and `<Model>In` as the
        # services' own input models are named (openapi-python-client names an answer's inline `document` property
        # `JourneyDocument`: not that).
        components[DOCUMENT_COMPONENTS[kind]] = {**top, "title": DOCUMENT_COMPONENTS[kind]}
    components[SEGMENT_CONDITION] = condition
    renamed = {name: f"Document{name}" for name in defs if name in existing and existing[name] != defs[name]}
    for name, schema in defs.items():
        components[renamed.get(name, name)] = schema
    rename_refs(components, renamed)
    return components


def add_document_schemas(schema: dict[str, Any]) -> None:
    """The documents' components, and the segment bodies' `condition` typed as a SegmentCondition."""
    components: dict[str, Any] = schema.setdefault("components", {}).setdefault("schemas", {})
    components.update(document_schemas(components))
    segment_in = components.get("SegmentIn", {}).get("properties", {})
    if "condition" in segment_in:
        words = {
            key: segment_in["condition"][key] for key in ("description", "examples") if key in segment_in["condition"]
        }
        segment_in["condition"] = {"$ref": _REF + SEGMENT_CONDITION, **words}
