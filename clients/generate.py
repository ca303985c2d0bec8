"""Generate the API clients from the OpenAPI document (contracts/openapi.json), checked in under clients/.

    python -m clients.generate           # (re)write clients/typescript/src/generated/ and clients/python/
    python -m clients.generate --check   # write nothing; exit 1 naming every file that differs

- TypeScript: `openapi-typescript` turns the document into `clients/typescript/src/generated/schema.ts`, the
  types `openapi-fetch` and the hand-written wrapper (`clients/typescript/src/index.ts`) are typed with.
- Python: `openapi-python-client` writes the whole `flywheel_client` project into `clients/python/`
  (config: clients/openapi-python-client.yaml), formatted by its ruff post-hooks.

The generators are the field's tools at pinned versions, installed on first use outside git's view: the npm
packages of clients/typescript/package.json into clients/typescript/node_modules (no lock file: it would name the
registry host), openapi-python-client (requirements-clients.txt) into .venv-clients (it pins a typer older than
the project's own, so it cannot live in .venv). Both generate into a temporary directory; the result is compared
with (or copied over) the checked-in files, so `--check` is the drift test CI runs.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import venv
from pathlib import Path
from typing import Any

from runtime.generated import write_or_check

REPO_ROOT = Path(__file__).resolve().parents[1]
CLIENTS_DIR = REPO_ROOT / "clients"
DOCUMENT = REPO_ROOT / "contracts" / "openapi.json"

TYPESCRIPT_DIR = CLIENTS_DIR / "typescript"
TYPESCRIPT_SCHEMA = TYPESCRIPT_DIR / "src" / "generated" / "schema.ts"
NODE_MODULES = TYPESCRIPT_DIR / "node_modules"

PYTHON_DIR = CLIENTS_DIR / "python"
PYTHON_CONFIG = CLIENTS_DIR / "openapi-python-client.yaml"
GENERATOR_REQUIREMENTS = REPO_ROOT / "requirements-clients.txt"
GENERATOR_VENV = REPO_ROOT / ".venv-clients"

COMMAND = "python -m clients.generate"

OPENAPI_TYPESCRIPT_FLAGS = (
    "--alphabetize",
    # `SegmentIn`, `CustomerView`, ... exported by name beside `components["schemas"][...]`.
    "--root-types",
    "--root-types-no-schema-prefix",
    # By default openapi-typescript makes every property with a `default` required, also in request bodies' shared
    # components: a journey document would need `transactional`, `priority`, `reentry`... that the server defaults.
    # (Today it also hits every optional request field, `anyOf [T, null]` with `default: null`; i21-openapi drops
    # those, but typed documents keep their defaults, so the flag stays.) Answers' defaulted fields read as optional.
    "--default-non-nullable=false",
)


def _digest(*paths: Path) -> str:
    sha = hashlib.sha256()
    for path in paths:
        sha.update(path.read_bytes())
    return sha.hexdigest()[:16]


def ensure_npm_packages(folder: Path, command: str) -> Path:
    """`folder`/node_modules as its package.json pins it, installed again when package.json changes (no lock file:
    it would name the registry); the bin/ of those packages. Shared by the clients' and the console's builds."""
    if shutil.which("npm") is None:
        raise SystemExit(f"{command}: npm not found (needs Node.js >= 20 with npm)")
    node_modules = folder / "node_modules"
    stamp = node_modules / f".flywheel-{_digest(folder / 'package.json')}"
    if not stamp.is_file():
        where = folder.relative_to(REPO_ROOT) / "package.json"
        print(f"{command}: installing the npm packages of {where}", file=sys.stderr)
        subprocess.run(
            ["npm", "install", "--no-save", "--no-package-lock", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=folder,
            check=True,
            stdout=sys.stderr,
        )
        for old in node_modules.glob(".flywheel-*"):
            old.unlink()
        stamp.touch()
    return node_modules / ".bin"


def ensure_node_tools() -> Path:
    """clients/typescript/node_modules as package.json pins it."""
    return ensure_npm_packages(TYPESCRIPT_DIR, COMMAND)


def ensure_python_generator() -> Path:
    """The bin/ of .venv-clients holding requirements-clients.txt (created again when that file changes)."""
    bin_dir = GENERATOR_VENV / "bin"
    stamp = GENERATOR_VENV / f".flywheel-{_digest(GENERATOR_REQUIREMENTS)}"
    if not stamp.is_file():
        print(f"{COMMAND}: installing requirements-clients.txt into .venv-clients", file=sys.stderr)
        shutil.rmtree(GENERATOR_VENV, ignore_errors=True)
        venv.create(GENERATOR_VENV, with_pip=True)
        subprocess.run(
            [bin_dir / "pip", "install", "--quiet", "-r", GENERATOR_REQUIREMENTS],
            check=True,
            stdout=sys.stderr,
        )
        stamp.touch()
    return bin_dir


def python_generator_document(document: dict[str, Any]) -> dict[str, Any]:
    """The document as openapi-python-client can use it.

    Its model classes are named by each schema's `title` before its component name, and pydantic titles a schema
    by its model's class name, which two components can share (a service's `Journey` document model and the
    gateway's `Journey` answer): a clash drops both models and every operation using them. Each component's title
    is therefore its (unique) component name. An object schema declared inline in a component's property is named
    `<Component><Title>` (`Journey` + `Document`), which can be another component's name (`JourneyDocument`): such
    an inline schema is titled `<Title> Object` instead.

    POST /v1/events declares its body under several content types (`application/json`,
    `application/cloudevents+json`). openapi-python-client 0.29.1 dispatches such bodies by `isinstance` on each
    content type's Python type (openapi-python-client issue #1276, open), and for this body, a union holding
    `list[...]`, that raises `isinstance() argument 2 cannot be a parameterized generic` on every call, whether the
    content types repeat the schema or share one component (checked against i21-openapi's `EventsBody`). The
    Python client therefore sends `application/json` only, which the gateway takes for every event and batch.

    An object schema may also state which of its properties go together as a `oneOf`/`anyOf` of branches that only
    name required properties ("exactly one of `customer_ids` and `segment_id`"). openapi-python-client reads each
    branch as a model of its own and fails on it (dropping the operation), so such constraints are left out of its
    copy: the client's model keeps every property optional, and the server still refuses a request breaking one.
    """
    patched = copy.deepcopy(document)
    components: dict[str, Any] = patched.get("components", {}).get("schemas", {})
    for name, schema in components.items():
        if "title" in schema:
            schema["title"] = name
        for combinator in ("oneOf", "anyOf"):
            branches = schema.get(combinator)
            if schema.get("type") == "object" and branches and all(_names_properties_only(b) for b in branches):
                del schema[combinator]
        for prop, inline in schema.get("properties", {}).items():
            title = inline.get("title") or prop
            if inline.get("type") == "object" and f"{_pascal(name)}{_pascal(title)}" in components:
                inline["title"] = f"{title} Object"
    body = patched["paths"]["/v1/events"]["post"]["requestBody"]
    body["content"] = {"application/json": body["content"]["application/json"]}
    return patched


def _names_properties_only(branch: dict[str, Any]) -> bool:
    """A branch that only says which properties are required (and restates them), not a schema of its own."""
    return set(branch) <= {"required", "properties"} and "type" not in branch


def _pascal(text: str) -> str:
    return "".join(word[:1].upper() + word[1:] for word in re.split(r"[^A-Za-z0-9]+", text) if word)


def render_typescript(document_path: Path, work: Path) -> dict[Path, str]:
    bin_dir = ensure_node_tools()
    out = work / "schema.ts"
    subprocess.run(
        [bin_dir / "openapi-typescript", document_path, "--output", out, *OPENAPI_TYPESCRIPT_FLAGS],
        check=True,
        stdout=subprocess.DEVNULL,
        env={**os.environ, "NO_COLOR": "1"},
    )
    return {TYPESCRIPT_SCHEMA: out.read_text(encoding="utf-8")}


def render_python(document: dict[str, Any], work: Path) -> dict[Path, str]:
    bin_dir = ensure_python_generator()
    patched = work / "openapi-python-client.json"
    patched.write_text(json.dumps(python_generator_document(document), indent=2, sort_keys=True), encoding="utf-8")
    out = work / "python"
    # The post-hooks (ruff check --fix, ruff format) run the generator venv's ruff, pinned like the project's.
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}", "NO_COLOR": "1"}
    result = subprocess.run(
        [
            bin_dir / "openapi-python-client",
            "generate",
            "--path",
            patched,
            "--config",
            PYTHON_CONFIG,
            "--meta",
            "setup",
            "--output-path",
            out,
            "--fail-on-warning",
        ],
        check=False,
        capture_output=True,
        text=True,
        env=env,
    )
    if result.returncode != 0:
        raise SystemExit(f"{COMMAND}: openapi-python-client failed:\n{result.stdout}{result.stderr}")
    return {
        PYTHON_DIR / path.relative_to(out): path.read_text(encoding="utf-8")
        for path in sorted(out.rglob("*"))
        if path.is_file() and not _tool_cache(path.relative_to(out))
    }


def render(document_path: Path = DOCUMENT) -> dict[Path, str]:
    """Every generated file (absolute path) and its content, from the document at `document_path`."""
    document = json.loads(document_path.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="flywheel-clients-") as tmp:
        work = Path(tmp)
        return {**render_typescript(document_path, work), **render_python(document, work)}


GENERATED_TREES = (PYTHON_DIR, TYPESCRIPT_SCHEMA.parent)


def with_leftovers(rendered: dict[Path, str], trees: tuple[Path, ...] = GENERATED_TREES) -> dict[Path, str | None]:
    """The rendered files, plus None for every file under the generated `trees` that is no longer generated (an
    operation or model the document lost must not linger)."""
    files: dict[Path, str | None] = dict(rendered)
    for tree in trees:
        for path in sorted(tree.rglob("*")) if tree.is_dir() else []:
            if path.is_file() and not _tool_cache(path.relative_to(tree)) and path not in files:
                files[path] = None
    return files


def _tool_cache(relative: Path) -> bool:
    """Under a directory that tools leave beside code (__pycache__, .ruff_cache, .mypy_cache...): git-ignored."""
    return any(part == "__pycache__" or part.startswith(".") for part in relative.parent.parts)


def main(argv: list[str]) -> int:
    return write_or_check(with_leftovers(render()), COMMAND, argv, description=__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
