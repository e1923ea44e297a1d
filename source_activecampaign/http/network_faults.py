"""A request that got no HTTP answer at all, said so that a user can act on it.

requests reports every such failure as a ``ConnectionError`` or a ``Timeout`` whose text is a
chain of urllib3 wrappers ("Max retries exceeded with url ... Caused by NewConnectionError ...").
The cause that matters to a user is at the bottom of that chain: the host name does not resolve,
nothing listens on the port, the TLS certificate is not trusted, or the server never answered.
"""

import re
import socket
import ssl
from collections.abc import Iterator
from urllib.parse import urlsplit

import requests
from urllib3.exceptions import NameResolutionError

from source_activecampaign.config_checks import API_URL_HINT

_TIMEOUT_SECONDS = re.compile(r"(?:read|connect) timeout=([0-9.]+)")


def _causes(error: BaseException) -> Iterator[BaseException]:
    """The error and everything it wraps: urllib3 keeps the cause in ``reason``, requests in ``args``."""
    seen: set[int] = set()
    pending: list[BaseException] = [error]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        wrapped = [getattr(current, "reason", None), current.__cause__, current.__context__, *current.args]
        pending.extend(item for item in wrapped if isinstance(item, BaseException))


def _host(error: requests.RequestException) -> str:
    url = error.request.url if error.request is not None and error.request.url else ""
    parts = urlsplit(str(url))
    if not parts.hostname:
        return "the API URL"
    default_port = {"https": 443, "http": 80}.get(parts.scheme)
    return parts.hostname if parts.port in (None, default_port) else f"{parts.hostname}:{parts.port}"


def _timeout_seconds(error: BaseException) -> str:
    match = _TIMEOUT_SECONDS.search(str(error))
    return f"{float(match.group(1)):g} s" if match else "the time allowed"


def describe_network_fault(error: requests.RequestException) -> str:
    """One message for a request that got no answer: the host, the cause, what to do.

    ``ConnectionError(... NameResolutionError ...)`` for ``https://acme.api-us1.com/api/3/users/me``
    -> "Could not reach acme.api-us1.com: its host name could not be resolved (DNS). Check the
    API URL: ..."
    """
    host = _host(error)
    causes = list(_causes(error))
    if any(isinstance(cause, (NameResolutionError, socket.gaierror)) for cause in causes):
        return f"Could not reach {host}: its host name could not be resolved (DNS). Check the API URL: {API_URL_HINT}"
    if any(isinstance(cause, ConnectionRefusedError) for cause in causes):
        return (
            f"Could not reach {host}: the connection was refused (nothing accepts connections there). "
            f"Check the API URL and its port: {API_URL_HINT}"
        )
    untrusted = next((cause for cause in causes if isinstance(cause, ssl.SSLCertVerificationError)), None)
    if untrusted is not None:
        return (
            f"Could not reach {host}: its TLS certificate is not trusted by this machine "
            f"({untrusted.verify_message or untrusted.reason}). If the machine reaches the internet through a proxy "
            "that inspects TLS, add that proxy's CA certificate to the trusted certificates (or name it in "
            f"REQUESTS_CA_BUNDLE); otherwise the API URL points to a host that is not ActiveCampaign's. {API_URL_HINT}"
        )
    if isinstance(error, requests.exceptions.SSLError):
        return f"Could not reach {host}: the TLS handshake failed ({error}). {API_URL_HINT}"
    if isinstance(error, requests.exceptions.ConnectTimeout):
        return (
            f"Could not reach {host}: no connection within {_timeout_seconds(error)}. A firewall may be dropping "
            f"the traffic, or the host is wrong. {API_URL_HINT}"
        )
    if isinstance(error, requests.exceptions.ReadTimeout):
        return (
            f"{host} accepted the connection but sent no answer within {_timeout_seconds(error)}. ActiveCampaign "
            "may be slow or down, or a proxy or firewall is holding the connection; try again later, and check "
            f"that the API URL is the account's. {API_URL_HINT}"
        )
    return f"The connection to {host} failed before an answer came: {type(error).__name__}: {error}"
