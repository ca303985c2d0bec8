"""`python -m console.build`: build the console (console/src) into services/gateway/static/console.

The built files are checked in, so the gateway serves the console without Node at run time. The build is the
field's tools at pinned versions (console/package.json: esbuild bundles, TypeScript checks), installed on first use
outside git's view, like the clients' generators (clients/generate.py), without a lock file (it would name the
registry). The console calls the API through the generated TypeScript client (clients/typescript), so that
client's packages are installed too.

    python -m console.build            type-check, bundle, write services/gateway/static/console
    python -m console.build --check    the same into a temporary folder; exit 1 naming every stale file

Output: index.html and assets/console-<hash>.js|.css (+ the bundled packages' licence texts), names that change
with their content, so the gateway may tell browsers to keep them forever.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from clients.generate import ensure_node_tools, ensure_npm_packages

COMMAND = "python -m console.build"
CONSOLE_DIR = Path(__file__).resolve().parent
REPO_ROOT = CONSOLE_DIR.parent
OUTPUT_DIR = REPO_ROOT / "services" / "gateway" / "static" / "console"
ENTRY = CONSOLE_DIR / "src" / "main.tsx"

INDEX_HTML = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Flywheel console</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/console/assets/{css}">
<script type="module" src="/console/assets/{js}"></script>
</head>
<body>
<div id="app"></div>
<noscript>The Flywheel console needs JavaScript. The API is documented at <a href="/docs">/docs</a>.</noscript>
</body>
</html>
"""


def build(out_dir: Path) -> None:
    """Type-check console/src, then bundle it into `out_dir` (emptied first)."""
    ensure_node_tools()  # clients/typescript's packages (openapi-fetch), which the console imports
    bin_dir = ensure_npm_packages(CONSOLE_DIR, COMMAND)
    typecheck = subprocess.run(
        [bin_dir / "tsc", "--noEmit", "-p", CONSOLE_DIR], check=False, capture_output=True, text=True
    )
    if typecheck.returncode != 0:
        raise SystemExit(f"{COMMAND}: TypeScript errors\n{typecheck.stdout}{typecheck.stderr}")
    shutil.rmtree(out_dir, ignore_errors=True)
    assets = out_dir / "assets"
    assets.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as scratch:
        meta_file = Path(scratch) / "meta.json"
        bundle = subprocess.run(
            [
                bin_dir / "esbuild",
                str(ENTRY.relative_to(CONSOLE_DIR)),
                "--bundle",
                "--minify",
                "--format=esm",
                "--target=es2020",
                "--jsx=automatic",
                "--jsx-import-source=preact",
                "--legal-comments=external",
                "--charset=utf8",
                "--log-level=warning",
                "--entry-names=console-[hash]",
                f"--outdir={assets}",
                f"--metafile={meta_file}",
            ],
            cwd=CONSOLE_DIR,
            check=False,
            capture_output=True,
            text=True,
        )
        if bundle.returncode != 0:
            raise SystemExit(f"{COMMAND}: esbuild failed\n{bundle.stdout}{bundle.stderr}")
        outputs = json.loads(meta_file.read_text())["outputs"]
    names = [Path(name).name for name in outputs]
    js = next(name for name in names if name.endswith(".js"))
    css = next(name for name in names if name.endswith(".css"))
    (out_dir / "index.html").write_text(INDEX_HTML.format(js=js, css=css), encoding="utf-8")


def _files(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def check() -> list[str]:
    """What differs between a fresh build and the checked-in one, a line per file."""
    with tempfile.TemporaryDirectory() as scratch:
        fresh_dir = Path(scratch) / "console"
        build(fresh_dir)
        fresh = _files(fresh_dir)
    current = _files(OUTPUT_DIR) if OUTPUT_DIR.is_dir() else {}
    stale = [f"stale: {name}" for name in sorted(fresh.keys() & current.keys()) if fresh[name] != current[name]]
    missing = [f"missing: {name}" for name in sorted(fresh.keys() - current.keys())]
    extra = [f"left over: {name}" for name in sorted(current.keys() - fresh.keys())]
    return stale + missing + extra


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the checked-in build is not what src makes")
    args = parser.parse_args(argv)
    if args.check:
        problems = check()
        if problems:
            where = OUTPUT_DIR.relative_to(REPO_ROOT)
            print(f"{COMMAND} --check: {where} is not what console/src builds:", file=sys.stderr)
            for line in problems:
                print(f"  {line}", file=sys.stderr)
            print(f"run `{COMMAND}` (or `make console`) and commit the result", file=sys.stderr)
            return 1
        print(f"{COMMAND} --check: up to date")
        return 0
    build(OUTPUT_DIR)
    print(f"{COMMAND}: wrote {OUTPUT_DIR.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
