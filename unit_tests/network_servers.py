"""Local servers that fail the way a wrong or unreachable API URL fails, for the network-fault tests.

Each is a context manager yielding a base URL on loopback (port 0, so tests can run side by side).
"""

import datetime
import ipaddress
import socket
import ssl
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

# An unresolvable host: .invalid is reserved for exactly this (RFC 2606).
UNRESOLVABLE_URL = "https://no-such-account.invalid"


def _listening_socket() -> socket.socket:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    return listener


def _serve(listener: socket.socket, handle: Callable[[socket.socket], None]) -> None:
    """Hands every accepted connection to `handle`, in a daemon thread, until the listener closes."""

    def accept() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            handle(connection)

    threading.Thread(target=accept, daemon=True).start()


@contextmanager
def closed_port_url() -> Iterator[str]:
    """A loopback port nothing listens on: connections are refused at once."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    yield f"http://127.0.0.1:{port}"


@contextmanager
def silent_server_url(scheme: str = "http") -> Iterator[str]:
    """A server that accepts connections and never sends a byte (nor finishes a TLS handshake)."""
    listener = _listening_socket()
    accepted: list[socket.socket] = []
    _serve(listener, accepted.append)
    try:
        yield f"{scheme}://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        listener.close()
        for connection in accepted:
            connection.close()


def _self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .sign(key, hashes.SHA256())
    )
    certificate_path, key_path = directory / "certificate.pem", directory / "key.pem"
    certificate_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return certificate_path, key_path


@contextmanager
def self_signed_tls_url() -> Iterator[str]:
    """An https server whose certificate no machine trusts: the client's handshake fails."""
    listener = _listening_socket()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    with tempfile.TemporaryDirectory() as directory:
        context.load_cert_chain(*_self_signed_certificate(Path(directory)))

    def handshake(connection: socket.socket) -> None:
        try:
            with context.wrap_socket(connection, server_side=True) as tls:
                tls.recv(1024)
        except (OSError, ssl.SSLError):
            connection.close()

    _serve(listener, handshake)
    try:
        yield f"https://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        listener.close()
