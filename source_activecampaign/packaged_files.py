"""Where the manifest and the stream schemas are, installed or in a checkout.

They live at the repository root, where they are written and reviewed. The wheel copies them into
the package (see ``pyproject.toml``), so an installed connector finds them beside this module; a
checkout or an editable install finds them one level up.
"""

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _resource_root() -> Path:
    if (_PACKAGE_DIR / "manifest.yaml").is_file():
        return _PACKAGE_DIR
    return _PACKAGE_DIR.parent


def manifest_path() -> Path:
    return _resource_root() / "manifest.yaml"


def schema_path(stream_name: str) -> Path:
    return _resource_root() / "schemas" / f"{stream_name}.json"
