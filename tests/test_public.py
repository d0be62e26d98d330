"""The library's front door (``index``) is honest: what it lists, it offers; the bot uses it."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import index

ROOT = Path(__file__).resolve().parents[1]
# The command line's tools, loaded only by the commands that run them.
TOOLS = {"index.store", "index.store.copy", "index.evaluate", "index.bench", "index.alerts_eval",
         "index.questions_eval"}


def test_every_listed_name_is_offered_by_the_module_that_defines_it() -> None:
    """Each name of ``index.__all__`` resolves, and is the very object of its home module."""
    assert sorted(index.__all__) == sorted(index._MODULE_OF)
    for name in index.__all__:
        value = getattr(index, name)
        home = importlib.import_module(index._MODULE_OF[name])
        assert getattr(home, name) is value, name
        assert name in getattr(home, "__all__", [name]), f"{name} is private in its module"


def test_an_unknown_name_is_an_attribute_error() -> None:
    """Asking the front door for something it does not offer fails like a missing attribute."""
    try:
        index.no_such_thing  # noqa: B018
    except AttributeError as error:
        assert "no_such_thing" in str(error)
    else:
        raise AssertionError("index.no_such_thing did not fail")


def test_the_bot_imports_the_library_through_its_front_door() -> None:
    """bot/ imports ``index`` itself, never its modules (the command line's tools aside)."""
    deep = []
    for path in (ROOT / "bot").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            module = node.module if isinstance(node, ast.ImportFrom) else None
            if module and module.startswith("index.") and module not in TOOLS:
                deep.append(f"{path.relative_to(ROOT)}: {module}")
    assert not deep, deep
