"""The house rules of the package layout (README, "Architecture"), checked on the source.

Short modules with one reason to change, and no rule family that reaches into another:
what several families share lives beside the document model.
"""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "persona_lint"
RULES = PACKAGE / "rules"
MAX_LINES = 400
# What every family may import from persona_lint.rules: the rule API itself.
RULE_API = {"registry", "context", "options", "xml_findings"}
# Modules that are parts of one family: the bounded engines of the rules in configuration.
PART_OF = {"xpath": "configured", "linear_regex": "configured"}


def test_no_module_is_over_400_lines() -> None:
    lengths = {
        path.relative_to(PACKAGE).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in PACKAGE.rglob("*.py")
    }
    too_long = {name: n for name, n in lengths.items() if n > MAX_LINES}
    assert too_long == {}


def imported_modules(path: Path) -> set[str]:
    """The absolute module names ``path`` imports from (``from x import y`` gives ``x.y``)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module is not None:
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_no_rule_family_imports_another() -> None:
    """A family is a module or a folder of persona_lint/rules (PL9xx: ``template``)."""
    reaching: list[tuple[str, str]] = []
    for path in RULES.rglob("*.py"):
        module = path.relative_to(RULES).parts[0].removesuffix(".py")
        family = PART_OF.get(module, module)
        for name in imported_modules(path):
            parts = name.split(".")
            if parts[:2] != ["persona_lint", "rules"] or len(parts) < 3:
                continue
            where = (path.relative_to(PACKAGE).as_posix(), ".".join(parts[:-1]))
            imported = PART_OF.get(parts[2], parts[2])
            if imported in RULE_API | {family} or family == "__init__":
                continue
            reaching.append((where[0], name))
    assert reaching == []
