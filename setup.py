"""Packaging's one dynamic part: the per-sentence modules compiled to C with mypyc.

Everything else is in pyproject.toml. Which modules, and what runs when their build is stale,
is `bot/compiled.py`'s. Set BOT_PURE_PYTHON=1 to install without compiling; a build that
cannot compile (no C compiler) installs the pure-Python package (`pip install -v` says why).
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

from setuptools import Extension, setup


def _compiled_modules() -> list[str]:
    """`bot/compiled.py`'s list, read without importing the package (its dependencies may
    not be installed yet)."""
    spec = importlib.util.spec_from_file_location("compiled", Path("bot", "compiled.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return [str(module.source_path(name, Path("."))) for name in module.COMPILED_MODULES]


def _extensions() -> list[Extension]:
    if os.environ.get("BOT_PURE_PYTHON", "") not in ("", "0"):
        return []
    from mypyc.build import mypycify

    # The build's own environment lacks the package's dependencies: their types read as Any.
    options = ["--ignore-missing-imports", "--no-warn-unused-ignores"]
    extensions: list[Extension] = mypycify(
        [*options, *_compiled_modules()], opt_level="3", group_name="bot"
    )
    for extension in extensions:
        extension.optional = True  # no compiler: the package still installs, as Python
    return extensions


# Always compiled anew: an extension the build skipped as up to date would keep the old time
# that `bot/compiled.py` compares with its source's.
setup(ext_modules=_extensions(), options={"build_ext": {"force": True}})
