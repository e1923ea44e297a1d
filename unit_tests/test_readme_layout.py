"""The README's layout table names every top-level folder and every module of the connector, and
nothing that is not there: a reader who trusts it finds each file where it says."""

import re
import subprocess
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
# Each row of the layout table starts with a path in backticks: | `tools/` | what |
_LAYOUT_ROW = re.compile(r"^\| `([^`]+)` \|")
# Folders whose modules are each listed, because a reader looks for one of them by name.
_MODULES_LISTED_ONE_BY_ONE = ("source_activecampaign",)
# Top-level entries that are files a reader finds without a guide, or that belong to git and tools.
_UNLISTED_TOP_LEVEL = {
    ".ci",
    ".dockerignore",
    ".gitignore",
    "Dockerfile",
    "LICENSE",
    "README.md",
    "conftest.py",
    "main.py",
    "metadata.yaml",
    "pyproject.toml",
    "requirements.lock",
}


def _layout_rows() -> dict[str, str]:
    """Each row of the layout table: its path, and what it says."""
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Layout", 1)[1].split("\n#", 1)[0]
    return {match.group(1): line for line in section.splitlines() if (match := _LAYOUT_ROW.match(line))}


def _layout_paths() -> set[str]:
    return set(_layout_rows())


def _tracked_files() -> set[str]:
    listed = subprocess.run(["git", "ls-files"], cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    return {line for line in listed.stdout.splitlines() if (REPO_ROOT / line).exists()}


def test_given_readme_layout_then_every_path_it_names_exists() -> None:
    missing = sorted(path for path in _layout_paths() if not (REPO_ROOT / path).exists())
    assert not missing, f"the README's layout names paths that do not exist: {missing}"


def test_given_repository_then_every_top_level_folder_is_in_the_readme_layout() -> None:
    top_level = {path.split("/", 1)[0] for path in _tracked_files()}
    listed = {path.rstrip("/").split("/", 1)[0] for path in _layout_paths()}
    unlisted = sorted(top_level - listed - _UNLISTED_TOP_LEVEL)
    assert not unlisted, f"top-level entries missing from the README's layout table: {unlisted}"


def test_given_connector_package_then_every_module_is_in_the_readme_layout() -> None:
    """A module has a row of its own, or is named (`name.py`) in the row of its sub-package."""
    rows = _layout_rows()
    modules = {
        path
        for path in _tracked_files()
        if path.endswith(".py")
        and path.split("/", 1)[0] in _MODULES_LISTED_ONE_BY_ONE
        and not path.endswith("__init__.py")
    }

    def listed(module: str) -> bool:
        folder, name = module.rsplit("/", 1)
        return module in rows or f"`{name}`" in rows.get(f"{folder}/", "")

    unlisted = sorted(module for module in modules if not listed(module))
    assert not unlisted, f"modules missing from the README's layout table: {unlisted}"
