"""A throwaway certificate authority and a synthesised WAV for the C2PA tests (not a test module)."""

from __future__ import annotations

import datetime as dt
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


@dataclass(frozen=True)
class ThrowawayCA:
    root_pem: str
    chain_pem: str  # leaf + root
    key_pem: str  # the leaf's private key


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "sonicguide tests"),
        ]
    )


def _key_usage(*, signing: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=signing,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=not signing,
        crl_sign=not signing,
        encipher_only=False,
        decipher_only=False,
    )


def make_ca() -> ThrowawayCA:
    """P-256 root CA (keyCertSign) -> ES256 leaf (digitalSignature, EKU emailProtection)."""
    now = dt.datetime.now(dt.UTC)
    root_key = ec.generate_private_key(ec.SECP256R1())
    root = (
        x509.CertificateBuilder()
        .subject_name(_name("sonicguide test root"))
        .issuer_name(_name("sonicguide test root"))
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(_key_usage(signing=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False)
        .sign(root_key, hashes.SHA256())
    )
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(_name("sonicguide test signer"))
        .issuer_name(root.subject)
        .public_key(leaf_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(signing=True), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), critical=False
        )
        .sign(root_key, hashes.SHA256())
    )

    def pem(cert: x509.Certificate) -> str:
        return cert.public_bytes(serialization.Encoding.PEM).decode()

    key = leaf_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    return ThrowawayCA(root_pem=pem(root), chain_pem=pem(leaf) + pem(root), key_pem=key)


def write_tone(path: Path, *, seconds: float = 0.5, rate_hz: int = 48000) -> None:
    """A 440 Hz tone as 16-bit PCM in the container named by ``path``'s suffix."""
    t = np.arange(int(seconds * rate_hz)) / rate_hz
    sf.write(path, (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32), rate_hz)


def flip_audio_byte(path: Path) -> None:
    """Flip one bit in the middle of a WAV file's ``data`` chunk (the audio, not the manifest)."""
    raw = bytearray(path.read_bytes())
    pos = 12
    while pos + 8 <= len(raw):
        chunk_id, size = bytes(raw[pos : pos + 4]), struct.unpack("<I", raw[pos + 4 : pos + 8])[0]
        if chunk_id == b"data":
            raw[pos + 8 + size // 2] ^= 0x01
            path.write_bytes(bytes(raw))
            return
        pos += 8 + size + (size & 1)
    raise AssertionError("no data chunk")
