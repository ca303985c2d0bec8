"""The public contracts change only by additions: compare them with what they were at an earlier commit.

    python -m contracts.compatibility --base REV   # exit 1, naming every place REV's documents said more

The public documents are contracts/openapi.json (front-end teams), contracts/asyncapi.yaml and
contracts/schemas/*.schema.json (data producers and consumers). Everything a document said at REV must still be
said at the same place: no path, operation, field, channel, message, enum value or list item goes away, and no
value changes. Prose (descriptions, titles, summaries) is documentation, not contract: it may be reworded.
Anything may be added. A list keeps an item when an item of the new list keeps all of it, in any order (an
AsyncAPI list reordered, a oneOf gaining a branch).

An older OpenAPI document is first read as issue 21 restated it for client generators (operation ids, optional
request fields, named request bodies, typed documents, problem types: contracts/compatibility_restated.py).

One change of a value is not a loss: an upper bound (maxItems, maxLength, maximum) that grows in an OpenAPI
schema only requests use. What clients send may then be larger; what they sent before is still accepted, and no
answer they read changes. (A bound on an answer may not grow: a client may rely on it.) For the same reason a
field may stop being `required` in what only senders use: an OpenAPI schema only requests use, and the schemas
of the events producers send (`flywheel.events.inbound`: CloudEvents makes `time` optional). What they sent
before is still accepted.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml

from contracts.compatibility_restated import restated

REPO_ROOT = Path(__file__).resolve().parent.parent
PROSE = frozenset({"description", "title", "summary"})
# What documents are public: every JSON Schema under contracts/schemas, and the two API documents.
DOCUMENTS = ("contracts/openapi.json", "contracts/asyncapi.yaml")
SCHEMAS = "contracts/schemas"


INBOUND_TOPIC = "flywheel.events.inbound"  # what producers send (events.md)
UPPER_BOUNDS = frozenset({"maxItems", "maxLength", "maximum"})
Loosening = Callable[[str, Any, Any], bool]


def _never(where: str, before: Any, after: Any) -> bool:
    return False


def losses(before: Any, after: Any, where: str = "", loosens: Loosening = _never) -> Iterator[str]:
    """Every place where `after` no longer says what `before` said, as a readable line (but for the changes of a
    value `loosens` allows; a list item is such a value, `after` None)."""
    if isinstance(before, dict):
        if not isinstance(after, dict):
            yield f"{where or '/'}: was an object, now {type(after).__name__}"
            return
        for key, value in before.items():
            if key in PROSE:
                continue
            if key not in after:
                yield f"{where}/{key}: removed"
            else:
                yield from losses(value, after[key], f"{where}/{key}", loosens)
    elif isinstance(before, list):
        if not isinstance(after, list):
            yield f"{where or '/'}: was a list, now {type(after).__name__}"
            return
        for index, item in enumerate(before):
            if not any(_keeps(item, candidate) for candidate in after) and not loosens(f"{where}/{index}", item, None):
                yield f"{where}/{index}: {json.dumps(item)[:120]} removed or changed"
    elif before != after and not loosens(where, before, after):
        yield f"{where or '/'}: was {json.dumps(before)}, now {json.dumps(after)}"


def _keeps(before: Any, after: Any) -> bool:
    return next(losses(before, after), None) is None


def _schema_refs(node: Any) -> Iterator[str]:
    """The component schemas `node` names by $ref, anywhere inside it."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            yield ref.removeprefix("#/components/schemas/")
        for value in node.values():
            yield from _schema_refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _schema_refs(value)


def request_only_schemas(openapi: dict[str, Any]) -> set[str]:
    """The component schemas reached (through $refs, transitively) from request bodies and parameters and never
    from an answer."""
    schemas = openapi.get("components", {}).get("schemas", {})

    def reached(roots: Iterator[str]) -> set[str]:
        seen: set[str] = set()
        todo = list(roots)
        while todo:
            name = todo.pop()
            if name not in seen:
                seen.add(name)
                todo.extend(_schema_refs(schemas.get(name, {})))
        return seen

    operations = [op for item in openapi.get("paths", {}).values() for op in item.values() if isinstance(op, dict)]
    asked = reached(
        r for op in operations for part in ("requestBody", "parameters") for r in _schema_refs(op.get(part))
    )
    answered = reached(r for op in operations for r in _schema_refs(op.get("responses")))
    return asked - answered


def request_bound_grew(openapi: dict[str, Any]) -> Loosening:
    request_only = request_only_schemas(openapi)

    def allowed(where: str, before: Any, after: Any) -> bool:
        parts = where.split("/")
        if len(parts) <= 4 or parts[1:3] != ["components", "schemas"] or parts[3] not in request_only:
            return False
        if parts[-2] == "required" and after is None:
            return True  # a field requests need not send any more
        return (
            parts[-1] in UPPER_BOUNDS
            and isinstance(before, int | float)
            and isinstance(after, int | float)
            and (after > before)
        )

    return allowed


def _required_dropped(where: str, before: Any, after: Any) -> bool:
    """A field the event no longer requires, in a schema of what producers send."""
    return where.split("/")[-2:-1] == ["required"] and after is None


def producer_schemas_dropped(asyncapi: dict[str, Any]) -> Loosening:
    """In the AsyncAPI document: a `required` item gone from a component schema only the inbound topic's messages
    (what producers send) name."""
    channels = asyncapi.get("channels", {})
    messages = asyncapi.get("components", {}).get("messages", {})
    by_channel = {
        address: {ref["$ref"].rsplit("/", 1)[-1] for ref in channel.get("messages", {}).values()}
        for channel in channels.values()
        if (address := channel.get("address"))
    }

    def payloads(names: set[str]) -> set[str]:
        return {r for name in names for r in _schema_refs(messages.get(name, {}).get("payload"))}

    inbound = payloads(by_channel.get(INBOUND_TOPIC, set()))
    elsewhere = payloads({name for address, names in by_channel.items() if address != INBOUND_TOPIC for name in names})
    producer_only = inbound - elsewhere

    def allowed(where: str, before: Any, after: Any) -> bool:
        parts = where.split("/")
        return (
            len(parts) == 6
            and parts[1:3] == ["components", "schemas"]
            and parts[3] in producer_only
            and (_required_dropped(where, before, after))
        )

    return allowed


def _loosening(path: str, now: Any) -> Loosening:
    if path == DOCUMENTS[0]:
        return request_bound_grew(now)
    if path == DOCUMENTS[1]:
        return producer_schemas_dropped(now)
    if isinstance(now, dict) and now.get("x-flywheel-topic") == INBOUND_TOPIC:
        return lambda where, before, after: where == f"/required/{where.rsplit('/', 1)[-1]}" and after is None
    return _never


def _parse(path: str, text: str) -> Any:
    return yaml.safe_load(text) if path.endswith((".yaml", ".yml")) else json.loads(text)


def _at_revision(revision: str, path: str) -> str | None:
    shown = subprocess.run(
        ["git", "-C", str(REPO_ROOT), "show", f"{revision}:{path}"], capture_output=True, text=True, check=False
    )
    return shown.stdout if shown.returncode == 0 else None


def _public_paths_at(revision: str) -> list[str]:
    listed = subprocess.run(
        ["git", "-C", str(REPO_ROOT), "ls-tree", "--name-only", f"{revision}:{SCHEMAS}"],
        capture_output=True,
        text=True,
        check=True,
    )
    schemas = [f"{SCHEMAS}/{name}" for name in listed.stdout.split() if name.endswith(".json")]
    return [*DOCUMENTS, *schemas]


def losses_since(revision: str) -> list[str]:
    """What the working tree's public documents no longer say that they said at `revision`."""
    found = []
    for path in _public_paths_at(revision):
        before = _at_revision(revision, path)
        if before is None:
            continue
        current = REPO_ROOT / path
        if not current.exists():
            found.append(f"{path}: removed")
            continue
        now, then = _parse(path, current.read_text()), _parse(path, before)
        if path == DOCUMENTS[0]:  # the OpenAPI document, read as issue 21 restated it for client generators
            then = restated(then, now)
        found.extend(f"{path}: {line}" for line in losses(then, now, loosens=_loosening(path, now)))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", required=True, help="the git revision whose public documents must still hold")
    arguments = parser.parse_args(argv)
    if _at_revision(arguments.base, DOCUMENTS[0]) is None:
        print(f"contracts.compatibility: {arguments.base} is not a revision of this repository", file=sys.stderr)
        return 2
    found = losses_since(arguments.base)
    for line in found:
        print(line, file=sys.stderr)
    if found:
        print(
            f"contracts.compatibility: {len(found)} public contract change(s) since {arguments.base} are not additions",
            file=sys.stderr,
        )
        return 1
    print(f"contracts.compatibility: the public contracts only grew since {arguments.base}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
