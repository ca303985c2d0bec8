"""One name per idea, one idea per name: no two modules of services/, runtime/, cli/ and contracts/ define a
top-level class of the same name, so a reader who meets `NotFound` or `Delivery` knows which one it is
(issue 17: `Delivery`, `NotFound`, `Changes`, `Outcome` and `Record` each named different things).

Allowed, and only these:
- private names (`_In`, `_View`): a module's own helpers, never imported;
- a wire model in contracts/http/<service>.py (or a module of the package contracts/http/<service>/) and the
  value it carries in services/<service>/: the model's name is the public schema's name and must not change,
  and both are the same idea in two layers;
- the names in DELIBERATE below, each with the modules allowed to define it and why. A name may leave a
  module (the test does not fail when a duplicate goes away), but may not spread to a new one."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("services", "runtime", "cli", "contracts")

# One idea per service: each service has its own handler of a topic, or its own projection of a purchase.
_PER_SERVICE = {
    "LifecycleHandler": {
        "services/journey/handlers.py",
        "services/loyalty/handlers.py",
        "services/referral/handlers.py",
        "services/sales/handlers.py",
        "services/scoring/handlers.py",
    },
    "ResolvedHandler": {"services/referral/handlers.py", "services/scoring/handlers.py"},
    "JourneyActionsHandler": {"services/referral/handlers.py", "services/sales/handlers.py"},
    "Purchase": {"services/loyalty/domain/earn.py", "services/referral/domain/engine.py", "services/scoring/store.py"},
    # Each service's program as its rules read it (referral's wire model and its domain's; loyalty's versioned one).
    "Program": {
        "contracts/http/referral.py",
        "services/referral/domain/program.py",
        "services/loyalty/domain/program.py",
    },
    # The gateway's audit row (audit_store) and the HTTP view of it (schemas_keys): one idea, two layers.
    "AuditEntry": {"services/gateway/audit_store.py", "services/gateway/schemas_keys.py"},
}

# Issue 17's pending duplicates (the gateway's copies of the services' HTTP models, `Leaf`) are all gone.
DELIBERATE: dict[str, set[str]] = dict(_PER_SERVICE)


def top_level_classes(packages: tuple[str, ...] = PACKAGES, root: Path = ROOT) -> dict[str, set[str]]:
    """Each public top-level class name -> the modules (paths relative to root) that define it."""
    found: dict[str, set[str]] = defaultdict(set)
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in tree.body:
                if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                    found[node.name].add(path.relative_to(root).as_posix())
    return found


def wire_service(module: str) -> str | None:
    """The service whose HTTP documents a module of contracts/http/ declares: contracts/http/<service>.py or
    contracts/http/<service>/<part>.py; None for any other module."""
    parts = Path(module).parts
    if parts[:2] != ("contracts", "http") or len(parts) not in (3, 4):
        return None
    return Path(parts[2]).stem


def is_wire_model_pair(modules: set[str]) -> bool:
    """One module of contracts/http/<service>(.py or /) and modules of services/<service>/ only."""
    wire = {m for m in modules if m.startswith("contracts/http/")}
    if len(wire) != 1:
        return False
    service = wire_service(next(iter(wire)))
    return service is not None and all(m.startswith(f"services/{service}/") for m in modules - wire)


def clashes(classes: dict[str, set[str]], deliberate: dict[str, set[str]]) -> list[str]:
    """The names defined in more than one module that no rule allows, as `name: module, module`."""
    found = []
    for name, modules in sorted(classes.items()):
        if len(modules) < 2 or is_wire_model_pair(modules) or modules <= deliberate.get(name, set()):
            continue
        found.append(f"{name}: {', '.join(sorted(modules))}")
    return found


def test_no_class_name_names_two_things() -> None:
    assert clashes(top_level_classes(), DELIBERATE) == []


def test_the_names_issue_17_found_mean_one_thing_each() -> None:
    classes = top_level_classes()
    for name in ("NotFound", "Conflict", "Delivery", "Outcome", "Changes", "Record"):
        assert len(classes.get(name, set())) <= 1, (name, classes[name])
    assert classes["NotFound"] == {"runtime/errors.py"}
    assert classes["Conflict"] == {"runtime/errors.py"}


def test_the_check_finds_a_clash(tmp_path: Path) -> None:
    for module, source in {
        "services/a/events.py": "class Changes:\n    pass\nclass _Local:\n    pass\n",
        "services/b/domain.py": "class Changes:\n    pass\nclass _Local:\n    pass\n",
        "services/b/api.py": "class Deal:\n    pass\n",
        "contracts/http/b.py": "class Deal:\n    pass\nclass Task:\n    pass\n",
        "services/c/api.py": "class Task:\n    pass\n",
        "contracts/http/d/quotes.py": "class Quote:\n    pass\nclass Owner:\n    pass\n",
        "contracts/http/d/deals.py": "class Owner:\n    pass\n",
        "services/d/api.py": "class Quote:\n    pass\n",
    }.items():
        (tmp_path / module).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / module).write_text(source)
    classes = top_level_classes(("services", "contracts"), tmp_path)
    assert clashes(classes, {}) == [
        "Changes: services/a/events.py, services/b/domain.py",
        "Owner: contracts/http/d/deals.py, contracts/http/d/quotes.py",
        "Task: contracts/http/b.py, services/c/api.py",
    ]
    deliberate = {"Changes": {"services/a/events.py", "services/b/domain.py"}, "Task": set(), "Owner": set()}
    assert clashes(classes, deliberate) == [
        "Owner: contracts/http/d/deals.py, contracts/http/d/quotes.py",
        "Task: contracts/http/b.py, services/c/api.py",
    ]
