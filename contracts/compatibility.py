"""The public contracts change only by additions: compare them with what they were at an earlier commit.

    python -m contracts.compatibility --base REV   # exit 1, naming every place REV's documents said more

The public documents are contracts/openapi.json (front-end teams), contracts/asyncapi.yaml and
contracts/schemas/*.schema.json (data producers and consumers). Everything a document said at REV must still be
said at the same place: no path, operation, field, channel, message, enum value or list item goes away, and no
value changes. Prose (descriptions, titles, summaries) is documentation, not contract: it may be reworded.
Anything may be added. A list keeps an item when an item of the new list keeps all of it, in any order (an
AsyncAPI list reordered, a oneOf gaining a branch).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
PROSE = frozenset({"description", "title", "summary"})
# What documents are public: every JSON Schema under contracts/schemas, and the two API documents.
DOCUMENTS = ("contracts/openapi.json", "contracts/asyncapi.yaml")
SCHEMAS = "contracts/schemas"


def losses(before: Any, after: Any, where: str = "") -> Iterator[str]:
    """Every place where `after` no longer says what `before` said, as a readable line."""
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
                yield from losses(value, after[key], f"{where}/{key}")
    elif isinstance(before, list):
        if not isinstance(after, list):
            yield f"{where or '/'}: was a list, now {type(after).__name__}"
            return
        for index, item in enumerate(before):
            if not any(_keeps(item, candidate) for candidate in after):
                yield f"{where}/{index}: {json.dumps(item)[:120]} removed or changed"
    elif before != after:
        yield f"{where or '/'}: was {json.dumps(before)}, now {json.dumps(after)}"


def _keeps(before: Any, after: Any) -> bool:
    return next(losses(before, after), None) is None


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
        found.extend(f"{path}: {line}" for line in losses(_parse(path, before), _parse(path, current.read_text())))
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
