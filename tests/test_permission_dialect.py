"""One permission dialect: every predicate and scoper has a caller.

A predicate (``can_*``) or scoper (``*_qs``) defined in a ``permissions`` module
and called nowhere is a rule nobody enforces: a reader trusts it, a change to it
changes nothing. The sets are read statically, from the syntax trees of the
project's modules, so a test calling a predicate does not count as a caller.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIPPED = {".venv", "tests", "bench", "node_modules", "migrations", "static"}


def _is_permission_name(name: str) -> bool:
    return name.startswith("can_") or name.endswith("_qs")


def _project_modules() -> list[Path]:
    return [
        path
        for path in ROOT.rglob("*.py")
        if not SKIPPED.intersection(path.relative_to(ROOT).parts)
        and not path.name.startswith(".")
    ]


def _defined(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return {name for name in names if _is_permission_name(name)}


def _referenced(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            names.add(node.id)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
            names.add(node.attr)
    return {name for name in names if _is_permission_name(name)}


def _definitions() -> dict[str, Path]:
    modules = [path for path in _project_modules() if path.name == "permissions.py"]
    return {name: path for path in modules for name in _defined(path)}


def _calls_outside(definitions: dict[str, Path]) -> set[str]:
    """Return the defined names some other non-test module refers to."""
    called: set[str] = set()
    for path in _project_modules():
        for name in _referenced(path):
            if name in definitions and definitions[name] != path:
                called.add(name)
    return called


def test_the_permission_modules_are_found():
    """The scan sees the four permission modules and their best-known names, so an
    empty scan cannot pass as a clean one."""
    definitions = _definitions()
    modules = {path.relative_to(ROOT).as_posix() for path in definitions.values()}
    assert modules == {
        "portal/permissions.py",
        "portal/jobs/permissions.py",
        "negative_list/permissions.py",
        "requests_/permissions.py",
        "letters/permissions.py",
        "messaging/permissions.py",
    }
    assert {"readable_entries_qs", "can_review_entry", "can_read_request"} <= set(
        definitions
    )


def test_every_predicate_and_scoper_defined_is_called():
    """The set of ``can_*`` and ``*_qs`` defined in the permissions modules equals
    the set referred to from the rest of the (non-test) code."""
    definitions = _definitions()
    unused = {
        f"{definitions[name].relative_to(ROOT).as_posix()}:{name}"
        for name in set(definitions) - _calls_outside(definitions)
    }
    assert unused == set()


def test_no_role_is_spelled_outside_the_permission_modules():
    """Views, services, selectors, jobs and reports ask predicates and scopers; only
    the permission modules (and the models and demo data that declare and grant
    the roles) name a role."""
    allowed = {"permissions.py", "models.py", "demo.py"}
    spelled = []
    for path in _project_modules():
        if path.name in allowed or path.parent.name == "models":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "Role"
                and node.attr in {"EDITOR", "REVIEWER", "COORDINATOR"}
            ):
                spelled.append(f"{path.relative_to(ROOT).as_posix()}:{node.lineno}")
    assert spelled == []
