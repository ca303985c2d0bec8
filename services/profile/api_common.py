"""What every profile router shares: the path and page parameters and the service's context."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

from contracts.envelope import WORKSPACE_PATTERN
from runtime.context import context_dependency
from services.profile.service import ProfileContext

WorkspacePath = Annotated[str, Path(pattern=WORKSPACE_PATTERN)]
CustomerPath = Annotated[str, Path(min_length=1, max_length=64)]
Limit = Annotated[int, Query(ge=1, le=500)]
Cursor = Annotated[str | None, Query(max_length=500)]

context_of = context_dependency(ProfileContext)
