"""The compiled build: it is what runs, it says what the source says, and a stale one never runs."""

import importlib.machinery
import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.synthetic import write_corpus
from bot.compiled import (
    COMPILED_MODULES,
    PURE_PYTHON_VARIABLE,
    compiled_path,
    pure_python_asked,
    runs_compiled,
    source_path,
    stale_modules,
    use_source_when_stale,
)
from bot.config import PROJECT_ROOT

EXTENSION = importlib.machinery.EXTENSION_SUFFIXES[0]


def _tree(root: Path, *, compiled: bool) -> Path:
    """A package tree with every compiled module's source and, if `compiled`, a later build
    of each that cannot load (so a test fails if it is ever imported)."""
    (root / "bot" / "attribution").mkdir(parents=True)
    for module in COMPILED_MODULES:
        source = source_path(module, root)
        source.write_text(f"WHO = {module!r}\n")
        os.utime(source, ns=(1, 1))
        if compiled:
            stem = "__init__" if source.name == "__init__.py" else source.stem
            source.with_name(stem + EXTENSION).write_bytes(b"not a shared object")
    return root


def _run(*code: str, pure: bool = False) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != PURE_PYTHON_VARIABLE}
    if pure:
        environment[PURE_PYTHON_VARIABLE] = "1"
    return subprocess.run(
        [sys.executable, *code],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env=environment,
        timeout=120,
        check=True,
    )


def test_the_installed_build_runs_compiled_unless_pure_python_was_asked() -> None:
    # `make` installs with mypyc; only BOT_PURE_PYTHON=1 (at install, or now) makes it Python
    if pure_python_asked():
        assert not runs_compiled()
    else:
        assert runs_compiled(), "the compiled build is missing or stale: run `make` again"
        assert all(compiled_path(module) for module in COMPILED_MODULES)


def test_pure_python_runs_every_compiled_module_from_its_source() -> None:
    listing = "import sys, bot.corpus; print(*(sys.modules[m].__file__ for m in sys.argv[1:]))"
    files = _run("-c", listing, *COMPILED_MODULES, pure=True).stdout.split()
    assert files == [str(source_path(module)) for module in COMPILED_MODULES]


def test_the_compiled_build_quotes_exactly_what_the_source_quotes(tmp_path: Path) -> None:
    archive = write_corpus(tmp_path / "synthetic", 40, seed=7, as_jsonl=True)
    for corpus in (PROJECT_ROOT / "seeds", archive):
        command = ("-m", "bot", "quotes", "--json", "--corpus", str(corpus))
        compiled, source = _run(*command).stdout, _run(*command, pure=True).stdout
        assert compiled.count("\n") > 10
        assert compiled == source


def test_a_tree_without_a_build_has_nothing_stale(tmp_path: Path) -> None:
    assert stale_modules(_tree(tmp_path, compiled=False)) == []


def test_a_fresh_build_has_nothing_stale(tmp_path: Path) -> None:
    assert stale_modules(_tree(tmp_path, compiled=True)) == []


def test_a_source_edited_after_the_build_is_stale(tmp_path: Path) -> None:
    root = _tree(tmp_path, compiled=True)
    (root / "bot" / "attribution" / "clauses.py").write_text("WHO = 'edited'\n")
    assert stale_modules(root) == ["bot.attribution.clauses"]


def test_a_module_missing_from_a_build_of_the_others_is_stale(tmp_path: Path) -> None:
    root = _tree(tmp_path, compiled=True)
    compiled = compiled_path("bot.lexicon", root)
    assert compiled is not None
    compiled.unlink()
    assert stale_modules(root) == ["bot.lexicon"]


def test_a_stale_build_loads_the_whole_set_from_source_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _tree(tmp_path, compiled=True)
    (root / "bot" / "terms.py").write_text("WHO = 'edited'\n")
    monkeypatch.delenv(PURE_PYTHON_VARIABLE, raising=False)
    monkeypatch.setattr(sys, "meta_path", list(sys.meta_path))
    with pytest.warns(RuntimeWarning, match=r"bot\.terms: the compiled build is older"):
        use_source_when_stale(root)
    finder = sys.meta_path[0]
    for module in COMPILED_MODULES:  # one stale module: all of the set, which call each other
        spec = finder.find_spec(module, None)
        assert spec is not None and spec.origin == str(source_path(module, root))
    assert finder.find_spec("bot.sentences", None) is None  # not compiled: found as always
    package = finder.find_spec("bot.attribution", None)
    assert package is not None
    assert package.submodule_search_locations == [str(root / "bot" / "attribution")]


def test_a_fresh_build_is_left_to_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PURE_PYTHON_VARIABLE, raising=False)
    monkeypatch.setattr(sys, "meta_path", list(sys.meta_path))
    before = list(sys.meta_path)
    use_source_when_stale(_tree(tmp_path, compiled=True))
    assert sys.meta_path == before


@pytest.mark.parametrize(("value", "asked"), [("", False), ("0", False), ("1", True)])
def test_pure_python_is_asked_by_a_value_other_than_0(value: str, asked: bool) -> None:
    assert pure_python_asked({PURE_PYTHON_VARIABLE: value}) is asked
