"""The package as pyproject.toml defines it: the tests of the platform files and of the wheel read it."""

from pathlib import Path
from typing import Any

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10; pytest depends on tomli there
    import tomli as tomllib

REPO_ROOT = Path(__file__).resolve().parents[1]


def pyproject() -> dict[str, Any]:
    return tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def console_script() -> tuple[str, str]:
    """The one console script the package declares: (its name, its ``module:function``)."""
    scripts = pyproject()["project"]["scripts"]
    assert len(scripts) == 1, f"expected one console script, pyproject declares {scripts}"
    name, target = next(iter(scripts.items()))
    return name, target
