"""Compiled modules: which modules mypyc compiles, and when their Python source runs instead.

The modules that run once per sentence of the corpus (attribution, the analyzer, document
cleaning and the lexicon's tables they read) are compiled to C extensions by mypyc when the
package is installed (`setup.py`), which makes an ingest about a quarter cheaper. The source is
the truth: a compiled module older than its source (edited or checked out since the build)
would run code that is no longer there, so then the whole set runs as Python, with a warning,
until the next install rebuilds it. `BOT_PURE_PYTHON=1` runs the source on purpose (to
profile, or to compare). A build without them (no compiler, or `BOT_PURE_PYTHON=1` at install)
runs as Python silently.

This module must import nothing of the package: `setup.py` reads `COMPILED_MODULES` from it,
and `bot/__init__.py` runs `use_source_when_stale` before any compiled module is imported.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import sys
import warnings
from collections.abc import Mapping, Sequence
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType

# Compiled together, as one group: they call one another natively, so one stale module means
# the whole set runs from source.
COMPILED_MODULES = (
    "bot.attribution",
    "bot.attribution.clauses",
    "bot.attribution.model",
    "bot.attribution.phrases",
    "bot.attribution.quotes",
    "bot.attribution.resolve",
    "bot.documents",
    "bot.lexicon",
    "bot.terms",
)
PURE_PYTHON_VARIABLE = "BOT_PURE_PYTHON"
_PACKAGE_PARENT = Path(__file__).resolve().parent.parent


def source_path(module: str, root: Path = _PACKAGE_PARENT) -> Path:
    """The source file of a dotted module name under `root`: a package's `__init__.py`."""
    path = root.joinpath(*module.split("."))
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def compiled_path(module: str, root: Path = _PACKAGE_PARENT) -> Path | None:
    """The extension module the build left beside the source, if there is one."""
    source = source_path(module, root)
    stem = "__init__" if source.name == "__init__.py" else source.stem
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        candidate = source.with_name(stem + suffix)
        if candidate.exists():
            return candidate
    return None


def stale_modules(root: Path = _PACKAGE_PARENT) -> list[str]:
    """Compiled modules whose source changed after they were compiled, or that are missing
    from a build that compiled others (a module added to the set since)."""
    built = {module: compiled_path(module, root) for module in COMPILED_MODULES}
    if not any(built.values()):
        return []
    return [
        module
        for module, compiled in built.items()
        if compiled is None
        or source_path(module, root).stat().st_mtime_ns > compiled.stat().st_mtime_ns
    ]


def pure_python_asked(environment: Mapping[str, str] = os.environ) -> bool:
    return environment.get(PURE_PYTHON_VARIABLE, "") not in ("", "0")


def runs_compiled() -> bool:
    """Whether this process runs the compiled set rather than its source."""
    import bot.terms  # one module of the set stands for all: they load together

    return not str(bot.terms.__file__).endswith(".py")


class _SourceFinder:
    """Finds the compiled set's modules as their source files, ahead of the extensions."""

    def __init__(self, root: Path) -> None:
        self._root = root

    def find_spec(
        self, name: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if name not in COMPILED_MODULES:
            return None
        source = source_path(name, self._root)
        package = [str(source.parent)] if source.name == "__init__.py" else None
        return importlib.util.spec_from_file_location(
            name, source, submodule_search_locations=package
        )


def use_source_when_stale(root: Path = _PACKAGE_PARENT) -> None:
    """Make the compiled set load from source when asked to, or when its build is stale."""
    if any(isinstance(finder, _SourceFinder) for finder in sys.meta_path):
        return
    if pure_python_asked():
        sys.meta_path.insert(0, _SourceFinder(root))
        return
    if stale := stale_modules(root):
        warnings.warn(
            f"{', '.join(stale)}: the compiled build is older than the source, so the "
            "source runs (slower); reinstall the package (`make`) to compile it again",
            RuntimeWarning,
            stacklevel=2,
        )
        sys.meta_path.insert(0, _SourceFinder(root))
