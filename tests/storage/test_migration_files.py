"""Migration files are named in the order they run: walking the revision chain from the base
visits them in file-name order (revision ids stay as they were, so old databases upgrade)."""

from __future__ import annotations

import ast
from pathlib import Path

VERSIONS = Path(__file__).resolve().parents[2] / "storage" / "migrations" / "versions"


def _ids(path: Path) -> tuple[str, str | None]:
    values: dict[str, str | None] = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        target = node.targets[0] if isinstance(node, ast.Assign) else None
        if not isinstance(node, ast.AnnAssign | ast.Assign):
            continue
        target = node.target if isinstance(node, ast.AnnAssign) else target
        if isinstance(target, ast.Name) and target.id in ("revision", "down_revision"):
            assert node.value is not None
            values[target.id] = ast.literal_eval(node.value)
    revision = values["revision"]
    assert revision is not None
    return revision, values["down_revision"]


def test_file_names_follow_the_revision_chain() -> None:
    files = sorted(p for p in VERSIONS.glob("[0-9]*.py"))
    parent_of = {_ids(p)[0]: (_ids(p)[1], p.name) for p in files}
    child_of = {parent: (rev, name) for rev, (parent, name) in parent_of.items()}
    chain, current = [], None
    while current in child_of:
        current, name = child_of[current]
        chain.append(name)
    assert chain == [p.name for p in files]
