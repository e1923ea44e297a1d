"""The connector as the Airbyte platform takes it: registry metadata, image, manifest, schemas.

The platform reads ``metadata.yaml`` to list and build the connector, builds the image from the
``Dockerfile``, and runs whatever the wheel installs. These tests check that those files agree
with each other and with the connector itself: versions, base image, entrypoint, the manifest
against the CDK's schema, one schema file per discovered stream. The wheel itself is built and run
in ``build_tests/`` (the one suite that runs pip).
"""

import copy
import fnmatch
import json
import logging
import re
import shlex
import uuid
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import pytest
import yaml
from airbyte_cdk.models import AirbyteStream, SyncMode
from airbyte_cdk.sources.declarative.concurrent_declarative_source import (
    get_declarative_component_schema,
    validate_manifest,
)
from airbyte_cdk.sources.declarative.parsers.manifest_component_transformer import (
    ManifestComponentTransformer,
)
from airbyte_cdk.sources.declarative.parsers.manifest_reference_resolver import (
    ManifestReferenceResolver,
)

from source_activecampaign.source import SourceActivecampaign
from testing.package_definition import console_script, pyproject
from unit_tests.mock_server.read_helpers import account_without_custom_objects

REPO_ROOT = Path(__file__).resolve().parents[1]
CONFIG = {"api_url": "https://acct.api-us1.com", "api_key": "ac-platform-test-key-0123456789"}
TEST_SUITES = {"unitTests", "integrationTests", "acceptanceTests", "liveTests"}


def _metadata() -> dict[str, Any]:
    return yaml.safe_load((REPO_ROOT / "metadata.yaml").read_text(encoding="utf-8"))


def _manifest() -> dict[str, Any]:
    return yaml.safe_load((REPO_ROOT / "manifest.yaml").read_text(encoding="utf-8"))


def _schema_files() -> dict[str, Path]:
    return {path.stem: path for path in sorted((REPO_ROOT / "schemas").glob("*.json"))}


def _dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) per instruction, continuation lines joined, comments dropped."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for raw_line in (REPO_ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines():
        line = raw_line.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        keyword, _, arguments = (pending + line).partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
        pending = ""
    return instructions


def _resolved_manifest() -> dict[str, Any]:
    """The manifest as the CDK validates it: references resolved, component types propagated."""
    resolved = ManifestReferenceResolver().preprocess_manifest(_manifest())
    return ManifestComponentTransformer().propagate_types_and_parameters("", resolved, {})


def _stream_templates() -> set[str]:
    """The names of the manifest's dynamic stream definitions (custom objects). Each has a schema
    file of the columns all its streams share, and a docs row with a placeholder name."""
    return {definition["name"] for definition in _manifest()["dynamic_streams"]}


@pytest.fixture(scope="module")
def discovered() -> dict[str, AirbyteStream]:
    with account_without_custom_objects(CONFIG["api_url"]):
        catalog = SourceActivecampaign(config=CONFIG).discover(logging.getLogger("airbyte"), CONFIG)
    return {stream.name: stream for stream in catalog.streams}


# --- metadata.yaml ---------------------------------------------------------------------------------


def _is_uuid4(value: Any) -> bool:
    try:
        parsed = uuid.UUID(str(value))
    except ValueError:
        return False
    return parsed.version == 4 and str(parsed) == value


def _is_iso_date(value: Any) -> bool:
    try:
        date.fromisoformat(str(value))
    except ValueError:
        return False
    return True


@pytest.mark.parametrize(
    "path, check",
    [
        pytest.param("metadataSpecVersion", lambda v: v == "1.0", id="metadataSpecVersion is the string 1.0"),
        pytest.param("data.name", lambda v: v == "ActiveCampaign", id="name"),
        pytest.param("data.connectorType", lambda v: v == "source", id="connectorType"),
        pytest.param("data.connectorSubtype", lambda v: v == "api", id="connectorSubtype"),
        pytest.param("data.definitionId", _is_uuid4, id="definitionId is a uuid4"),
        pytest.param("data.dockerRepository", lambda v: v == "airbyte/source-activecampaign", id="dockerRepository"),
        pytest.param(
            "data.dockerImageTag",
            lambda v: isinstance(v, str) and re.fullmatch(r"\d+\.\d+\.\d+", v),
            id="dockerImageTag is a semver string",
        ),
        pytest.param("data.releaseDate", _is_iso_date, id="releaseDate is a date"),
        pytest.param("data.releaseStage", lambda v: v == "alpha", id="releaseStage"),
        pytest.param("data.supportLevel", lambda v: v == "community", id="supportLevel"),
        pytest.param("data.license", lambda v: v == "MIT", id="license"),
        pytest.param(
            "data.documentationUrl",
            lambda v: isinstance(v, str) and v.startswith("https://"),
            id="documentationUrl is https",
        ),
        pytest.param("data.githubIssueLabel", lambda v: v == "source-activecampaign", id="githubIssueLabel"),
        pytest.param(
            "data.tags",
            lambda v: isinstance(v, list) and {"cdk:low-code", "language:python"} <= set(v),
            id="tags name the CDK and the language",
        ),
        pytest.param(
            "data.connectorBuildOptions.baseImage",
            lambda v: (
                isinstance(v, str)
                and re.fullmatch(r"docker\.io/airbyte/python-connector-base:\d+\.\d+\.\d+@sha256:[0-9a-f]{64}", v)
            ),
            id="baseImage is the python connector base pinned by digest",
        ),
        pytest.param(
            "data.allowedHosts.hosts",
            lambda v: isinstance(v, list) and v and all(isinstance(h, str) for h in v),
            id="allowedHosts is a list of hosts",
        ),
        pytest.param("data.registryOverrides.cloud.enabled", lambda v: v is True, id="enabled on cloud"),
        pytest.param("data.registryOverrides.oss.enabled", lambda v: v is True, id="enabled on oss"),
        pytest.param(
            "data.connectorTestSuitesOptions",
            lambda v: isinstance(v, list) and {"unitTests", "integrationTests"} <= {s.get("suite") for s in v},
            id="test suites include unit and integration tests",
        ),
        pytest.param("data.ab_internal.sl", lambda v: v in (0, 100, 200, 300), id="ab_internal sl"),
        pytest.param("data.ab_internal.ql", lambda v: v in (0, 100, 200, 300, 400, 500, 600), id="ab_internal ql"),
    ],
)
def test_given_metadata_then_registry_field_is_present_with_its_type(path: str, check: Any) -> None:
    value: Any = _metadata()
    for key in path.split("."):
        assert isinstance(value, dict) and key in value, f"metadata.yaml has no {path}"
        value = value[key]
    assert check(value), f"metadata.yaml {path} = {value!r}"


def test_given_metadata_then_every_test_suite_is_one_the_platform_runs() -> None:
    for suite in _metadata()["data"]["connectorTestSuitesOptions"]:
        assert suite["suite"] in TEST_SUITES, suite
        for secret in suite.get("testSecrets", []):
            assert {"name", "fileName", "secretStore"} <= set(secret), secret
            assert secret["secretStore"].get("type") == "GSM", secret


def test_given_metadata_then_docker_image_tag_is_the_package_version() -> None:
    assert _metadata()["data"]["dockerImageTag"] == pyproject()["project"]["version"]


def test_given_metadata_then_license_is_the_package_license() -> None:
    assert _metadata()["data"]["license"] == pyproject()["project"]["license"]


def test_given_metadata_then_documentation_url_is_the_specs_and_names_the_docs_page() -> None:
    documentation_url = _metadata()["data"]["documentationUrl"]
    assert documentation_url == _manifest()["spec"]["documentation_url"]
    assert documentation_url.endswith("/docs/activecampaign.md")
    assert (REPO_ROOT / "docs" / "activecampaign.md").is_file()


def _resolve_allowed_hosts(hosts: list[str], config: Mapping[str, Any]) -> list[str]:
    """What the platform does with allowedHosts: ``${field}`` becomes the host of that config value,
    and an entry it cannot fill is dropped."""
    resolved = []
    for host in hosts:
        placeholders = re.findall(r"\$\{([^}]+)\}", host)
        values = [config.get(name) for name in placeholders]
        if any(not isinstance(value, str) for value in values):
            continue
        for name, value in zip(placeholders, values, strict=True):
            host = host.replace("${" + name + "}", urlsplit(value if "://" in value else f"x://{value}").hostname or "")
        resolved.append(host)
    return resolved


def test_given_allowed_hosts_then_every_placeholder_is_a_spec_field() -> None:
    spec_fields = _manifest()["spec"]["connection_specification"]["properties"]
    placeholders = [
        name for host in _metadata()["data"]["allowedHosts"]["hosts"] for name in re.findall(r"\$\{([^}]+)\}", host)
    ]
    assert placeholders, "allowedHosts does not name the account's API URL"
    assert set(placeholders) <= set(spec_fields)


@pytest.mark.parametrize(
    "api_url, host, allowed",
    [
        pytest.param("https://acct.api-us1.com", "acct.api-us1.com", True, id="the usual API host"),
        pytest.param("https://acct.api-us1.com/api/3/", "acct.api-us1.com", True, id="URL pasted with /api/3"),
        pytest.param("https://acct.activehosted.com", "acct.activehosted.com", True, id="activehosted host"),
        pytest.param("https://acct.api-eu9.com", "acct.api-eu9.com", True, id="any host the account's URL names"),
        pytest.param("https://acct.api-us1.com", "collector.example.com", False, id="an unrelated host"),
    ],
)
def test_given_allowed_hosts_when_platform_resolves_them_then_the_account_host_is_admitted(
    api_url: str, host: str, allowed: bool
) -> None:
    patterns = _resolve_allowed_hosts(_metadata()["data"]["allowedHosts"]["hosts"], {**CONFIG, "api_url": api_url})
    assert any(fnmatch.fnmatchcase(host, pattern) for pattern in patterns) is allowed, patterns


# --- Dockerfile ------------------------------------------------------------------------------------


def test_given_dockerfile_then_every_stage_builds_from_the_metadata_base_image() -> None:
    base_image = _metadata()["data"]["connectorBuildOptions"]["baseImage"]
    froms = [shlex.split(arguments)[0] for keyword, arguments in _dockerfile_instructions() if keyword == "FROM"]
    assert froms, "the Dockerfile has no FROM"
    assert set(froms) == {base_image}


def test_given_dockerfile_then_it_copies_what_the_wheel_is_built_from_and_installs_it() -> None:
    instructions = _dockerfile_instructions()
    copied = set()
    for keyword, arguments in instructions:
        words = shlex.split(arguments)
        if keyword == "COPY" and not any(word.startswith("--from") for word in words):
            sources = [word for word in words[:-1] if not word.startswith("--")]
            for source in sources:
                assert (REPO_ROOT / source).exists(), f"the Dockerfile copies {source}, which does not exist"
            copied.update(Path(source).as_posix().rstrip("/") for source in sources)
    project = pyproject()
    wheel_target = project["tool"]["hatch"]["build"]["targets"]["wheel"]
    needed = {"pyproject.toml", project["project"]["readme"], *wheel_target["packages"], *wheel_target["force-include"]}
    assert needed <= copied, f"the build needs {sorted(needed - copied)}, which the Dockerfile does not copy"
    installs = [
        arguments
        for keyword, arguments in instructions
        if keyword == "RUN" and re.search(r"\bpip install\b", arguments)
    ]
    assert any("." in shlex.split(run) for run in installs), f"no `pip install .` in {installs}"


def test_given_dockerfile_then_its_entrypoint_is_the_packagesconsole_script() -> None:
    script_name, target = console_script()
    instructions = _dockerfile_instructions()
    entrypoints = [json.loads(arguments) for keyword, arguments in instructions if keyword == "ENTRYPOINT"]
    assert entrypoints and entrypoints[-1] == [script_name]
    env = {}
    for keyword, arguments in instructions:
        if keyword == "ENV":
            env.update(word.split("=", 1) for word in shlex.split(arguments) if "=" in word)
    assert env.get("AIRBYTE_ENTRYPOINT") == script_name
    module_name, _, function_name = target.partition(":")
    module = __import__(module_name, fromlist=[function_name])
    assert callable(getattr(module, function_name))


# --- manifest.yaml against the CDK's declarative component schema -----------------------------------


def test_given_manifest_when_validated_standalone_then_it_matches_the_cdk_schema() -> None:
    validate_manifest(_resolved_manifest(), get_declarative_component_schema())


def test_given_manifest_with_a_stream_of_unknown_type_when_validated_then_it_fails() -> None:
    broken = copy.deepcopy(_resolved_manifest())
    stream = next(s for s in broken["streams"] if s.get("type") == "DeclarativeStream")
    stream["type"] = "DeclarativeStreem"
    with pytest.raises(jsonschema.ValidationError) as failure:
        validate_manifest(broken, get_declarative_component_schema())
    assert "DeclarativeStreem" in str(failure.value.__cause__)


# --- schemas/ --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(_schema_files()))
def test_given_schema_file_then_it_is_a_valid_draft07_object_schema(name: str) -> None:
    schema = json.loads(_schema_files()[name].read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    assert schema.get("$schema", "http://json-schema.org/draft-07/schema#") == "http://json-schema.org/draft-07/schema#"
    assert "object" in ([schema["type"]] if isinstance(schema["type"], str) else schema["type"])


def test_given_discovery_then_each_stream_has_exactly_one_schema_file_and_each_file_a_stream(
    discovered: dict[str, AirbyteStream],
) -> None:
    files = _schema_files()
    assert sorted(set(discovered) - set(files)) == [], "streams without a schema file"
    assert sorted(set(files) - set(discovered) - _stream_templates()) == [], "schema files no stream uses"
    assert _stream_templates() <= set(files), "stream templates without the schema file of their shared columns"
    for name, stream in discovered.items():
        file_properties = json.loads(files[name].read_text(encoding="utf-8"))["properties"]
        assert stream.json_schema["properties"] == file_properties, f"{name}: discovered columns differ from its file"


def test_given_discovery_then_cursor_and_primary_key_are_declared_in_each_schema(
    discovered: dict[str, AirbyteStream],
) -> None:
    for name, stream in discovered.items():
        properties = stream.json_schema["properties"]
        for key_path in stream.source_defined_primary_key or []:
            assert key_path[0] in properties, f"{name}: primary key {key_path} is not in its schema"
        for cursor in stream.default_cursor_field or []:
            assert properties.get(cursor, {}).get("format") == "date-time", f"{name}: cursor {cursor}"


# --- docs/activecampaign.md ------------------------------------------------------------------------


def _docs_stream_table() -> dict[str, dict[str, str]]:
    """The docs page's stream table: stream name -> {column header: cell}."""
    lines = (REPO_ROOT / "docs" / "activecampaign.md").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| Stream |"))
    headers = [cell.strip() for cell in lines[start].strip("|").split("|")]
    rows = {}
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        row = dict(zip(headers, (cell.strip() for cell in line.strip("|").split("|")), strict=True))
        rows[row["Stream"].strip("`")] = row
    return rows


def test_given_docs_page_then_its_stream_table_says_what_discovery_says(discovered: dict[str, AirbyteStream]) -> None:
    table = _docs_stream_table()
    templates = {name for name in table if "<" in name}
    assert templates == {f"{name[:-1]}_<slug>" for name in _stream_templates()}, "one docs row per stream template"
    table = {name: row for name, row in table.items() if name not in templates}
    assert sorted(set(discovered) - set(table)) == [], "discovered streams the docs do not list"
    assert sorted(set(table) - set(discovered)) == [], "streams the docs list that discovery does not offer"
    wrong = []
    for name, stream in discovered.items():
        row = table[name]
        incremental = SyncMode.incremental in stream.supported_sync_modes
        cursor = (stream.default_cursor_field or [None])[0] if incremental else None
        primary_key = ", ".join(f"`{'.'.join(path)}`" for path in stream.source_defined_primary_key or [])
        if ("Incremental" in row["Sync modes"]) != incremental:
            wrong.append(f"{name}: sync modes {row['Sync modes']!r}, discovery offers incremental: {incremental}")
        if row["Cursor"] != (f"`{cursor}`" if cursor else "—"):
            wrong.append(f"{name}: cursor {row['Cursor']!r}, discovery says {cursor!r}")
        if row["Primary key"] != primary_key:
            wrong.append(f"{name}: primary key {row['Primary key']!r}, discovery says {primary_key!r}")
    assert wrong == []
