"""Who gets a task: the customer's owner, or the next member of a team in turn (round robin); anyone
unknown falls back to unassigned."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


@dataclass
class RoundRobin:
    """A team's members in order and the position of the next one to get a task."""

    members: Sequence[str]
    next_index: int = 0

    def take(self) -> str | None:
        if not self.members:
            return None
        member = self.members[self.next_index % len(self.members)]
        self.next_index = (self.next_index + 1) % len(self.members)
        return member


@dataclass
class Assigner:
    owners: Mapping[str, str] = field(default_factory=dict)  # customer id -> owner
    teams: Mapping[str, RoundRobin] = field(default_factory=dict)

    def assignee(self, rule: str, customer_id: str | None, team: str | None) -> str | None:
        if rule == "round_robin":
            turn = self.teams.get(team) if team else None
            return turn.take() if turn else None
        return self.owners.get(customer_id) if customer_id else None
