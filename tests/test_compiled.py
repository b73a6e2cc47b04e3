"""The compiled copy (tools/compile.py): which modules it compiles, and that a run meant to
test it (``make unit-compiled`` sets ``DEFA_EXPECT_COMPILED=1``) really imports it."""

from __future__ import annotations

import ast
import importlib
import importlib.util
import json
import os
import subprocess
import sys
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path
from types import ModuleType

import pytest

import defa
from tests import answers
from tests.shared import shared_path

ROOT = Path(__file__).resolve().parent.parent


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("_compile_tool", ROOT / "tools" / "compile.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _module_name(path: str) -> str:
    return path.removesuffix(".py").replace("/", ".")


def test_what_the_tool_names_exists_and_the_check_path_is_compiled() -> None:
    tool = _tool()
    # a module kept as Python, or a pattern of national modules, that names nothing any
    # more would be dropped from the rules silently
    for path in tool._PYTHON:
        assert (ROOT / "src" / path).is_file(), path
    for pattern in tool._NATIONAL:
        assert list((ROOT / "src").glob(pattern)), pattern
    for hot in (
        "defa/einvoice/model.py",
        "defa/einvoice/syntax/_read.py",
        "defa/einvoice/rules/engine.py",
        "defa/einvoice/rules/en16931/_syntax.py",
    ):
        assert hot in tool.COMPILED
    assert not [p for p in tool.COMPILED if p.endswith("__init__.py")]  # registration: Python
    assert not set(tool._PYTHON) & set(tool.COMPILED)


def _defined_in_a_block(tree: ast.Module) -> list[str]:
    """Functions, classes and lambdas with defaults defined inside a module-level statement
    that may run its body more than once or not at all (``for``, ``while``, ``if``, ...)."""
    found = []
    for statement in tree.body:
        if not isinstance(statement, ast.For | ast.While | ast.If | ast.With | ast.Try):
            continue
        for node in ast.walk(statement):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) or (
                isinstance(node, ast.Lambda) and (node.args.defaults or node.args.kw_defaults)
            ):
                found.append(f"line {node.lineno}")
    return found


def test_the_guard_finds_a_function_defined_in_a_loop() -> None:
    tree = ast.parse("for x in (1, 2):\n    def f(a=x):\n        return a\n")
    assert _defined_in_a_block(tree) == ["line 2"]
    assert _defined_in_a_block(ast.parse("def f(a=1):\n    return a\n")) == []


def test_no_compiled_module_defines_a_function_in_a_module_level_loop() -> None:
    # Compiled, a module-level ``def`` run by a loop is one function with its defaults fixed
    # once: every rule it registers would test the same thing. A factory function is safe.
    offenders = {
        path: lines
        for path in _tool().COMPILED
        if (lines := _defined_in_a_block(ast.parse((ROOT / "src" / path).read_text())))
    }
    assert offenders == {}


def test_a_compiled_run_imports_the_compiled_copy() -> None:
    expected = os.environ.get("DEFA_EXPECT_COMPILED") == "1"
    assert defa.compiled() is expected
    if not expected:
        pytest.skip("plain Python run: nothing compiled to look at")
    for path in _tool().COMPILED:
        module = importlib.import_module(_module_name(path))
        assert str(module.__file__).endswith(tuple(EXTENSION_SUFFIXES)), path
    # the rest of the package comes from the same copy, not from src
    assert not Path(sys.modules["defa"].__file__ or "").is_relative_to(ROOT / "src")


def test_the_copy_answers_as_the_sources_do() -> None:
    """Every check of the shared e-invoice vectors, and conversions of the samples into every
    format, give the same reports, documents and losses from the copy as from the sources."""
    if not defa.compiled():
        pytest.skip("plain Python run: no copy to compare")
    vectors = shared_path("vectors", "einvoice")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "DEFA_EXPECT_COMPILED")}
    # the sources' answers in another process, while this one works out the copy's
    other = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "answers.py"), str(vectors)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    from_copy = answers.answers(vectors)
    out, err = other.communicate(timeout=600)
    assert other.returncode == 0, err[-3000:]
    sources = json.loads(out)
    assert sources["compiled"] is False  # the other process really ran the sources
    from_sources = sources["answers"]
    assert len(from_copy) > 1000
    differ = sorted(
        k for k in from_copy.keys() | from_sources.keys() if from_copy.get(k) != from_sources.get(k)
    )
    assert differ == []
