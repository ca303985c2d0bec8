"""Media types as CloudEvents carries them (`Content-Type`, `datacontenttype`): a type with parameters, of which
only `charset` matters to Flywheel, and only UTF-8 is read (CloudEvents' JSON format is UTF-8)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from email.message import Message

MAX_MEDIA_TYPE = 256  # characters of a Content-Type or datacontenttype: a real one is far shorter
UTF8_NAMES = frozenset({"utf-8", "utf8"})

# `application/json` with optional parameters (`; charset=utf-8`); what the event contract's `datacontenttype`
# takes (contracts/envelope.py). Lower case, as every SDK sends it; the charset is checked by `check_json_data_type`.
_TOKEN = r"[A-Za-z0-9!#$%&'*+.^_`|~-]+"  # noqa: S105 (an RFC 9110 token, no secret)
JSON_DATA_TYPE_PATTERN = rf'^application/json(\s*;\s*{_TOKEN}=({_TOKEN}|"[^"\\]*"))*\s*$'


class UnsupportedMediaType(ValueError):
    """A media type Flywheel does not read; the message says which ones it does (never quoting the value)."""


@dataclass(frozen=True)
class MediaType:
    essence: str  # type/subtype, lower case: "application/json"
    charset: str | None  # lower case, without quotes; None when not given

    @property
    def is_json(self) -> bool:
        return self.essence == "application/json" or (
            self.essence.startswith("application/") and self.essence.endswith("+json")
        )

    def text(self) -> str:
        """The canonical form: `application/json` or `application/json; charset=utf-8`."""
        return self.essence if self.charset is None else f"{self.essence}; charset={self.charset}"


@functools.lru_cache(maxsize=256)  # every request brings one of a few: email.message's parser took ~4% of an event's
def parse_media_type(value: str) -> MediaType:
    """Parse a media type with its parameters; raises UnsupportedMediaType for a malformed one, or a charset
    other than UTF-8 (the only encoding of CloudEvents' JSON format)."""
    if len(value) > MAX_MEDIA_TYPE:
        raise UnsupportedMediaType(f"the media type is longer than {MAX_MEDIA_TYPE} characters")
    parsed = Message()
    parsed["content-type"] = value
    essence = parsed.get_content_type()
    # email.message answers text/plain for what it cannot parse: only believe it when it was said.
    if essence == "text/plain" and not value.strip().lower().startswith("text/plain"):
        raise UnsupportedMediaType("the media type is malformed; send e.g. application/json; charset=utf-8")
    charset = parsed.get_param("charset")
    if charset is not None:
        name = str(charset).strip().lower()
        if name not in UTF8_NAMES:
            raise UnsupportedMediaType("only UTF-8 is accepted: leave charset out or send charset=utf-8")
        charset = "utf-8"
    return MediaType(essence, charset)


_JSON_DATA_TYPE = re.compile(JSON_DATA_TYPE_PATTERN)


def check_json_data_type(value: str | None) -> str | None:
    """A `datacontenttype`: `application/json` with parameters if any, a charset, if any, UTF-8."""
    if value is None:
        return None
    if len(value) > MAX_MEDIA_TYPE or not _JSON_DATA_TYPE.match(value):
        raise ValueError("must be application/json, with parameters if any (application/json; charset=utf-8)")
    parse_media_type(value)
    return value
