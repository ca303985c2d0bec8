"""`flywheel import spend`: marketing spend from a CSV file, sent through the gateway (POST /v1/marketing-spend).

Columns `date`, `channel`, `campaign`, `amount`, `currency` (a header row; `campaign` and `currency` may be left
out or empty). Every row is validated against the public contract (contracts.http.profile.SpendRowIn) before it is
sent; a bad row is reported with its line number and reason and never stops the import. Rows go in requests of at
most 1,000. A row sent again for the same date, channel and campaign replaces the earlier one, so re-running an
import (after a failure, or by mistake) has effect once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Sequence
from typing import IO, Any

import httpx
import orjson
from pydantic import ValidationError

from cli.import_publish import BrokerError, CsvRows
from cli.import_rows import ImportRow, Rejected, RowOutcome, UsageError
from contracts.http.profile import MAX_SPEND_ROWS, SpendRowIn

COLUMNS = ("date", "channel", "campaign", "amount", "currency")
REQUIRED = ("date", "channel", "amount")
PATH = "/v1/marketing-spend"
RETRIES = 5  # for 429s, 503s and dropped connections; safe because a re-sent row replaces itself


def columns_of(header: Sequence[str]) -> dict[str, int]:
    """Where each known column is; UsageError for a missing required column or an unknown or repeated one."""
    names = [name.strip().lower() for name in header]
    unknown = [name for name in names if name not in COLUMNS]
    if unknown:
        raise UsageError(f"unknown column(s) {', '.join(map(repr, unknown))}: the columns are {', '.join(COLUMNS)}")
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise UsageError(f"column(s) {', '.join(map(repr, repeated))} given twice")
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        raise UsageError(f"missing column(s) {', '.join(missing)} (the header row must name {', '.join(REQUIRED)})")
    return {name: index for index, name in enumerate(names)}


def parse_row(line: int, cells: Sequence[str], columns: dict[str, int]) -> RowOutcome:
    """One CSV row as the JSON of a SpendRowIn (empty cells left out), or its rejection with the reason."""
    raw = ",".join(cells)
    if len(cells) != len(columns):
        return Rejected(line, f"{len(cells)} cells, the header has {len(columns)}", raw)
    doc: dict[str, Any] = {name: cells[index].strip() for name, index in columns.items() if cells[index].strip()}
    try:
        row = SpendRowIn.model_validate(doc)
    except ValidationError as exc:
        reasons = "; ".join(f"{'.'.join(map(str, e['loc'])) or '(row)'}: {e['msg']}" for e in exc.errors())
        return Rejected(line, reasons, raw)
    return ImportRow(line, key=b"", value=orjson.dumps(row.model_dump(mode="json", exclude_none=True)), event_id="")


def read_spend_csv(f: IO[str], reader: CsvRows, columns: dict[str, int]) -> Iterator[RowOutcome]:
    previous = reader.line_num
    with f:
        for cells in reader:
            start = previous + 1  # a quoted cell may span lines: a row starts after the previous one ended
            previous = reader.line_num
            if not cells or not any(cell.strip() for cell in cells):
                continue
            yield parse_row(start, cells, columns)


class GatewaySink:
    """Sends rows to the gateway in requests of at most MAX_SPEND_ROWS; anything but success stops the import
    (BrokerError, with the gateway's reason): a quota reached, a key refused, the gateway away."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client
        self.reached = False  # a gateway never reached fails at once, not after a minute of retries

    async def publish(self, records: list[ImportRow]) -> None:
        for start in range(0, len(records), MAX_SPEND_ROWS):
            batch = records[start : start + MAX_SPEND_ROWS]
            body = b'{"rows":[' + b",".join(r.value for r in batch) + b"]}"
            await self._post(body, batch[0].line, batch[-1].line)

    async def _post(self, body: bytes, first: int, last: int) -> None:
        delay = 0.5
        for attempt in range(RETRIES + 1):
            try:
                response = await self.client.post(PATH, content=body)
            except httpx.TransportError as exc:
                if attempt == RETRIES or (isinstance(exc, httpx.ConnectError) and not self.reached):
                    raise BrokerError(f"cannot reach the gateway at {self.client.base_url}: {exc}") from exc
            else:
                self.reached = True
                if response.status_code == 200:
                    return
                if response.status_code not in (429, 502, 503, 504) or attempt == RETRIES:
                    raise BrokerError(f"the gateway refused lines {first}-{last}: {_problem(response)}")
            await asyncio.sleep(delay)
            delay = min(delay * 2, 8.0)


def _problem(response: httpx.Response) -> str:
    try:
        doc = response.json()
    except ValueError:
        return f"{response.status_code} {response.text[:300]}"
    if not isinstance(doc, dict):
        return f"{response.status_code} {str(doc)[:300]}"
    detail = str(doc.get("detail") or doc.get("title") or "")
    if response.status_code in (401, 403):
        detail += " (check --key: it needs the scope reports:write)"
    return f"{response.status_code} {detail}".strip()
