"""Files generated from the code and checked in (the OpenAPI and AsyncAPI documents, the event JSON Schemas,
the PrometheusRule, the Strimzi KafkaUsers): each generator says what its files must hold and calls
`write_or_check`, which writes them, or with `--check` writes nothing and exits 1 naming every file out of date
and the command that brings it up to date (what CI and the drift tests run)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


def out_of_date(files: Mapping[Path, str | None]) -> list[Path]:
    """The files whose content is not the one given (None: the file must not exist), in the order given."""
    return [path for path, text in files.items() if _read(path) != text]


def write_or_check(
    files: Mapping[Path, str | None], command: str, argv: Sequence[str] | None = None, description: str | None = None
) -> int:
    """`command [--check]` for a generator of `files` (absolute paths and their content; None: remove the
    file): 0 when they are (or now are) up to date, 1 with --check when any is not."""
    parser = argparse.ArgumentParser(prog=command, description=description)
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a file is out of date")
    check = parser.parse_args(argv).check
    stale = out_of_date(files)
    if check and stale:
        print(f"out of date (run `{command}` and commit the result):", file=sys.stderr)
        for path in stale:
            print(f"  {_shown(path)}", file=sys.stderr)
        return 1
    if not check:
        for path in stale:
            text = files[path]
            if text is None:
                path.unlink()
                print(f"removed {_shown(path)}")
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
                print(f"wrote {_shown(path)}")
    if not stale:
        print("up to date")
    return 0


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


def _shown(path: Path) -> str:
    return str(path.relative_to(REPO_ROOT)) if path.is_relative_to(REPO_ROOT) else str(path)
