"""Config problems, each named by its field and said so that a user can fix it.

The spec in the manifest holds the rules (types, ranges, the start date's pattern); jsonschema
reports a broken rule without the field's name ("7 is greater than the maximum of 5"), so this
module names the field and adds the field's own description as the hint. The API URL gets checks
of its own, because a wrong one fails in ways that do not say why (a login page, a TLS error).
"""

import ipaddress
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from jsonschema import Draft7Validator

EXPECTED_API_URL = "https://<account>.api-us1.com"
API_URL_HINT = f"Copy the API URL from Settings > Developer in ActiveCampaign; it looks like {EXPECTED_API_URL}."


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def api_url_problem(api_url: str) -> str | None:
    """What is wrong with an API URL (after normalisation), or None."""
    parts = urlsplit(api_url)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        return f"Config field 'api_url': '{api_url}' is not a URL. {API_URL_HINT}"
    if parts.scheme != "https" and not _is_loopback(host):
        return (
            f"Config field 'api_url': '{api_url}' is not https. ActiveCampaign serves its API over "
            f"https only (plain http is accepted for a local test server on loopback). {API_URL_HINT}"
        )
    if host in ("activecampaign.com", "www.activecampaign.com") or parts.path not in ("", "/"):
        return (
            f"Config field 'api_url': '{api_url}' looks like a page of ActiveCampaign's website or "
            f"web app, not the account's API URL. {API_URL_HINT}"
        )
    if parts.query or parts.fragment or parts.username or parts.password:
        return (
            f"Config field 'api_url': '{api_url}' carries a query, fragment or credentials; the API URL "
            f"is only the scheme and host. {API_URL_HINT}"
        )
    return None


def config_problems(config: Mapping[str, Any], spec_schema: Mapping[str, Any]) -> list[str]:
    """Every problem found in a config, one sentence each; empty when the config is usable."""
    problems: list[str] = []
    properties = spec_schema.get("properties", {})
    for error in sorted(Draft7Validator(spec_schema).iter_errors(config), key=lambda e: list(e.path)):
        field_name = ".".join(str(part) for part in error.absolute_path)
        if error.validator == "required":
            missing = error.message.split("'")[1]
            description = properties.get(missing, {}).get("description", "")
            problems.append(f"Config field '{missing}' is required. {description}".strip())
            continue
        field_schema = properties.get(field_name, {})
        if field_schema.get("airbyte_secret"):
            # Never echo a secret's value, even a malformed one.
            problems.append(f"Config field '{field_name}' is not a valid {field_schema.get('type')}.")
            continue
        hint = field_schema.get("pattern_descriptor") or field_schema.get("description", "")
        detail = error.message
        if error.validator == "pattern":
            detail = f"{error.instance!r} is not in the expected form"
        problems.append(f"Config field '{field_name}': {detail}. {hint}".strip())
    api_url = config.get("api_url")
    if isinstance(api_url, str):
        problem = api_url_problem(api_url)
        if problem:
            problems.append(problem)
    return problems
