"""The package as pip builds it: a wheel that carries the manifest, every schema and the console
script, and that works from any directory.

The wheel is built offline: ``--no-build-isolation`` uses the build backend installed in the venv
(hatchling, pinned in the dev extra and requirements.lock, the version pyproject's
``build-system`` names) instead of downloading it into a throwaway environment, and ``--no-index``
keeps pip away from any package index. A suite of its own because it is the one test that runs
pip; the platform files it shares a subject with (metadata, Dockerfile, manifest, schemas) are
checked in ``unit_tests/test_platform.py``.
"""

import json
import os
import re
import subprocess
import sys
import textwrap
import zipfile
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest

from testing.package_definition import console_script, pyproject

REPO_ROOT = Path(__file__).resolve().parents[1]
CONFIG = {"api_url": "https://acct.api-us1.com", "api_key": "ac-platform-test-key-0123456789"}
# What the package finds and discovers when imported from PYTHONPATH, run from a directory of its own.
_PROBE = textwrap.dedent(
    f"""
    import json, logging
    import requests_mock
    import source_activecampaign
    from source_activecampaign.packaged_files import manifest_path, schema_path
    from source_activecampaign.source import SourceActivecampaign
    config = {CONFIG!r}
    with requests_mock.Mocker() as no_custom_objects:
        no_custom_objects.get(config["api_url"] + "/api/3/customObjects/schemas", json={{"schemas": []}})
        catalog = SourceActivecampaign(config=config).discover(logging.getLogger("airbyte"), config)
    print(json.dumps({{
        "package": source_activecampaign.__file__,
        "manifest": str(manifest_path()),
        "schema": str(schema_path("contacts")),
        "streams": sorted(stream.name for stream in catalog.streams),
    }}))
    """
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out_dir = tmp_path_factory.mktemp("wheel")
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-build-isolation",
            "--no-deps",
            "--no-index",
            "--quiet",
            "--disable-pip-version-check",
            "--wheel-dir",
            str(out_dir),
            str(REPO_ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, f"building the wheel failed:\n{build.stderr[-3000:]}"
    wheels = list(out_dir.glob("*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def _probe(pythonpath: Path, cwd: Path) -> dict[str, Any]:
    run = subprocess.run(
        [sys.executable, "-c", _PROBE],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(pythonpath)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    found: dict[str, Any] = json.loads(run.stdout.strip().splitlines()[-1])
    return found


def test_given_the_build_backend_then_it_is_the_one_pyproject_names_installed_from_the_lock() -> None:
    requires = pyproject()["build-system"]["requires"]
    assert requires == ["hatchling==1.27.0"]
    assert f"hatchling=={version('hatchling')}" in requires
    assert "hatchling==1.27.0" in (REPO_ROOT / "requirements.lock").read_text().splitlines()


def test_given_wheel_then_it_carries_the_manifest_every_schema_and_the_console_script(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        members = set(archive.namelist())
        assert archive.read("source_activecampaign/manifest.yaml") == (REPO_ROOT / "manifest.yaml").read_bytes()
        entry_points = next(archive.read(m).decode() for m in members if m.endswith(".dist-info/entry_points.txt"))
    expected_schemas = {f"source_activecampaign/schemas/{path.name}" for path in (REPO_ROOT / "schemas").glob("*.json")}
    assert len(expected_schemas) > 60
    assert sorted(expected_schemas - members) == []
    script_name, target = console_script()
    assert re.search(rf"^\[console_scripts\]\s*^{re.escape(script_name)} = {re.escape(target)}$", entry_points, re.M)


def test_given_unpacked_wheel_when_run_from_another_directory_then_it_uses_its_own_manifest_and_schemas(
    wheel: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "schemas").mkdir(parents=True)
    # Files a relative path would pick up instead of the package's own.
    (elsewhere / "manifest.yaml").write_text("not: a manifest\n")
    (elsewhere / "schemas" / "contacts.json").write_text("{}")

    from_wheel = _probe(site, elsewhere)
    from_checkout = _probe(REPO_ROOT, elsewhere)

    package_dir = site / "source_activecampaign"
    assert Path(from_wheel["package"]).parent == package_dir
    assert Path(from_wheel["manifest"]) == package_dir / "manifest.yaml"
    assert Path(from_wheel["schema"]) == package_dir / "schemas" / "contacts.json"
    assert Path(from_checkout["package"]).parent == REPO_ROOT / "source_activecampaign"
    assert len(from_wheel["streams"]) > 60
    assert from_wheel["streams"] == from_checkout["streams"]
