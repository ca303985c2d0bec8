"""Vendors Swagger UI into services/gateway/static/docs/, which is checked in: `python -m services.gateway.vendor_docs`.

/docs must work in a cluster that reaches no other host (FastAPI's default page loads Swagger UI from a public CDN),
so the gateway serves Swagger UI's files itself (services/gateway/docs_http.py). They come from swagger-ui-dist at
the version pinned here, installed by npm into the git-ignored .flywheel/vendor-docs/ (no package.json, no lock
file; install scripts off: swagger-ui-dist's only dependency is an install-time analytics hook). Only the files the
page needs are copied, with the package's LICENSE and NOTICE; their source-map comments are dropped, since the maps
are not shipped. Run it again after changing SWAGGER_UI_DIST and commit what changed; `--check` fails naming the
files that differ from what the pinned version gives.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

SWAGGER_UI_DIST = "5.36.0"
ROOT = Path(__file__).resolve().parents[2]
DOCS_STATIC = Path(__file__).resolve().with_name("static") / "docs"
INSTALL_DIR = ROOT / ".flywheel" / "vendor-docs"
# What the /docs page loads, and the licence texts that go with them.
ASSETS = ("swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png")
LICENCE_FILES = ("LICENSE", "NOTICE", "swagger-ui-bundle.js.LICENSE.txt")
SHIPPED = (*ASSETS, *LICENCE_FILES)
_SOURCE_MAP_COMMENT = re.compile(rb"\n?(//# sourceMappingURL=[^\n]*|/\*# sourceMappingURL=[^*]*\*/)\s*$")
COMMAND = "python -m services.gateway.vendor_docs"
OUR_NOTICE = f"""Third-party files in this folder
================================

Swagger UI {SWAGGER_UI_DIST} (the npm package swagger-ui-dist), Copyright SmartBear Software Inc., under the
Apache License 2.0: see LICENSE and NOTICE (the package's own) and swagger-ui-bundle.js.LICENSE.txt (the
licences of what its bundle holds). Vendored by `{COMMAND}` (services/gateway/vendor_docs.py): the files are as
published, less their source-map comments. The gateway serves them at /docs/assets/ for its /docs page.
"""


def install(directory: Path) -> Path:
    """swagger-ui-dist at the pinned version under `directory`; returns the package's folder."""
    if shutil.which("npm") is None:
        raise SystemExit(f"{COMMAND}: npm not found (needs Node.js >= 20 with npm)")
    directory.mkdir(parents=True, exist_ok=True)
    package = directory / "node_modules" / "swagger-ui-dist"
    if _installed_version(package) != SWAGGER_UI_DIST:
        print(f"{COMMAND}: installing swagger-ui-dist@{SWAGGER_UI_DIST}", file=sys.stderr)
        subprocess.run(
            [
                "npm",
                "install",
                "--no-save",
                "--no-package-lock",
                "--no-audit",
                "--no-fund",
                "--ignore-scripts",
                "--loglevel=error",
                "--prefix",
                str(directory),
                f"swagger-ui-dist@{SWAGGER_UI_DIST}",
            ],
            check=True,
            env={**os.environ, "SCARF_ANALYTICS": "false"},
        )
    return package


def _installed_version(package: Path) -> str | None:
    manifest = package / "package.json"
    if not manifest.is_file():
        return None
    found = re.search(r'"version":\s*"([^"]+)"', manifest.read_text(encoding="utf-8"))
    return found.group(1) if found else None


def vendored(package: Path) -> dict[str, bytes]:
    """The files to ship, by name, as they go into static/docs/."""
    files = {name: (package / name).read_bytes() for name in SHIPPED}
    for name in ("swagger-ui-bundle.js", "swagger-ui.css"):
        files[name] = _SOURCE_MAP_COMMENT.sub(b"\n", files[name])
    files["THIRD_PARTY_NOTICE"] = OUR_NOTICE.encode()
    return files


def write(files: dict[str, bytes], target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (target / name).write_bytes(content)


def stale(files: dict[str, bytes], target: Path) -> list[str]:
    """The files of `target` that differ from `files`, or are missing."""
    return sorted(name for name, content in files.items() if _read(target / name) != content)


def _read(path: Path) -> bytes | None:
    return path.read_bytes() if path.is_file() else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="fail naming the files that differ; change nothing")
    args = parser.parse_args(argv)
    files = vendored(install(INSTALL_DIR))
    if args.check:
        differing = stale(files, DOCS_STATIC)
        if differing:
            print(f"{COMMAND}: stale in {DOCS_STATIC.relative_to(ROOT)}: {', '.join(differing)}", file=sys.stderr)
            return 1
        print(f"{COMMAND}: up to date (swagger-ui-dist {SWAGGER_UI_DIST})")
        return 0
    write(files, DOCS_STATIC)
    print(f"{COMMAND}: wrote {', '.join(sorted(files))} to {DOCS_STATIC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
