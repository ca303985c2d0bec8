"""What the sales documents share: the base of the sales service's answers and a person's name."""

from __future__ import annotations

from typing import Annotated

from pydantic import ConfigDict, Field

from contracts.http import View

Person = Annotated[str, Field(min_length=1, max_length=100, examples=["ana"])]


class SalesView(View):
    # Amounts and percentages are decimal strings; a number the service gives is taken as its text.
    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)
