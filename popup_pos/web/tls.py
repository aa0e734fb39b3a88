"""The server's HTTPS certificate: self-signed, made once per install, kept private."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from popup_pos.files import private_folder, private_opener

YEARS = 10


@dataclass(frozen=True, slots=True)
class Certificate:
    cert_file: Path
    key_file: Path
    fingerprint: str  # SHA-256, colon-separated hex, as browsers show it


def fingerprint_of(pem: bytes) -> str:
    digest = x509.load_pem_x509_certificate(pem).fingerprint(hashes.SHA256())
    return ":".join(f"{b:02X}" for b in digest)


def _make(addresses: list[str]) -> tuple[bytes, bytes]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "popup-pos register")])
    alt: list[x509.GeneralName] = [x509.DNSName("localhost")]
    for a in addresses:
        try:
            alt.append(x509.IPAddress(ipaddress.ip_address(a)))
        except ValueError:
            alt.append(x509.DNSName(a))
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365 * YEARS))
        .add_extension(x509.SubjectAlternativeName(alt), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return cert.public_bytes(serialization.Encoding.PEM), key_pem


def certificate(folder: Path, addresses: list[str]) -> Certificate:
    """This install's certificate in `folder`, made on first use. Phones pin nothing: the
    fingerprint on the pairing screen is what a careful helper compares."""
    folder = private_folder(folder, tighten=True)
    cert_file, key_file = folder / "phone-server.crt", folder / "phone-server.key"
    if not (cert_file.is_file() and key_file.is_file()):
        cert_pem, key_pem = _make(addresses)
        with open(key_file, "wb", opener=private_opener) as f:
            f.write(key_pem)
        with open(cert_file, "wb", opener=private_opener) as f:
            f.write(cert_pem)
    return Certificate(cert_file, key_file, fingerprint_of(cert_file.read_bytes()))
