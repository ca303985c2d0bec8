"""Files the gateway serves from a directory of its package (the console, Swagger UI for /docs): which file a
request path names, never one outside the directory, and the media type it is sent as."""

from __future__ import annotations

import mimetypes
import re
from pathlib import Path

# Each segment of a file's path below its directory: no leading dot (so no `..`, no hidden file), no separator,
# nothing a shell or URL would need to escape.
_SEGMENT = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$")
_MAX_SEGMENTS = 8
# The types the built console and Swagger UI use, stated rather than left to the host's mime.types.
MEDIA_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".webp": "image/webp",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".txt": "text/plain; charset=utf-8",
}


def file_below(directory: Path, relative: str) -> Path | None:
    """The regular file `relative` (a URL path's rest, `/`-separated) names under `directory`, or None: when it
    names nothing, a directory, or, through any segment or symbolic link, something outside `directory`."""
    segments = relative.split("/")
    if not relative or len(segments) > _MAX_SEGMENTS or not all(_SEGMENT.fullmatch(s) for s in segments):
        return None
    root = directory.resolve()
    candidate = root.joinpath(*segments).resolve()
    if not candidate.is_relative_to(root) or not candidate.is_file():
        return None
    return candidate


def media_type(path: Path) -> str:
    known = MEDIA_TYPES.get(path.suffix.lower())
    if known is not None:
        return known
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"
