"""``sonicguide sign``: write C2PA-signed copies of a brand's audio, manifest built from its disclosure.

Signing is an explicit step, never part of a build: two signings of the same file give different
bytes (fresh ids and signatures), so a build that signed would never be reproducible. The output
is cached: ``OUT_DIR/sonicguide-sign.json`` records, per asset, a key made of the source file's
SHA-256, the manifest definition, the certificate chain, the timestamp authority and the c2pa SDK
version; an asset whose key and signed file are unchanged is not signed again. The originals are
only ever read.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from sonicguide import __version__
from sonicguide.core.errors import BrandError
from sonicguide.core.judge import credentials
from sonicguide.core.judge.rules import derive_asset
from sonicguide.core.load.brand import load_brand

CACHE_FILE = "sonicguide-sign.json"
CACHE_VERSION = 1


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "sign", help="write C2PA-signed copies of a brand's WAV, MP3 and FLAC assets",
        description="Write copies of a brand's audio carrying a C2PA manifest built from its YAML "
                    "disclosure (IPTC digital source type, AI stages, credited people), signed with your "
                    "certificate. The originals are never modified; unchanged assets are not re-signed.")
    parser.add_argument("brand_dir", type=Path, metavar="BRAND_DIR",
                        help="the brand folder (holding brand.yml)")
    parser.add_argument("--cert", type=Path, required=True, metavar="CHAIN.pem",
                        help="signing certificate followed by its issuing CA certificates (PEM)")
    parser.add_argument("--key", type=Path, required=True, metavar="KEY.pem",
                        help="the signing certificate's P-256 private key (PKCS#8 PEM, ES256)")
    parser.add_argument("--out", type=Path, required=True, metavar="OUT_DIR",
                        help="folder for the signed copies (mirrors the brand folder's layout)")
    parser.add_argument("--tsa-url", default="none", metavar="URL",
                        help="RFC 3161 timestamp authority URL, or 'none' (the default: nothing is "
                             "fetched)")
    parser.set_defaults(func=run)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _load_cache(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != CACHE_VERSION:
        return {}
    if not isinstance(data.get("assets"), dict):
        return {}
    return dict(data["assets"])


def _write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


def run(args: argparse.Namespace) -> int:
    if not credentials.c2pa_available():
        print(f"sonicguide sign: {credentials.NOT_INSTALLED}", file=sys.stderr)
        return 2
    try:
        chain_pem = args.cert.read_text(encoding="ascii")
        key_pem = args.key.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as error:
        print(f"sonicguide sign: cannot read the certificate or key: {error}", file=sys.stderr)
        return 2
    try:
        loaded = load_brand(args.brand_dir)
    except BrandError as error:
        print(str(error), file=sys.stderr)
        return 1
    tsa_url = None if args.tsa_url.strip().lower() in ("", "none") else args.tsa_url.strip()
    out_dir: Path = args.out
    out_dir.mkdir(parents=True, exist_ok=True)
    cache_path = out_dir / CACHE_FILE
    cache = _load_cache(cache_path)
    shared_key = {"chain_sha256": _sha256(chain_pem.encode()), "tsa_url": tsa_url,
                  "sdk": credentials.sdk_version(), "sonicguide": __version__}
    folder = loaded.folder.resolve()
    failures = 0
    for asset in loaded.brand.assets:
        source = loaded.asset_paths[asset.id]
        relative = source.resolve().relative_to(folder)
        if source.suffix.lower() not in credentials.MIME_TYPES:
            print(f"skipped {asset.id} ({relative}): C2PA cannot carry credentials in {source.suffix} files; "
                  "deliver WAV, MP3 or FLAC for signed copies")
            continue
        destination = out_dir / relative
        if destination.resolve() == source.resolve():
            print(f"sonicguide sign: {destination} is the original file; choose another --out",
                  file=sys.stderr)
            return 2
        derived = derive_asset(asset)
        manifest = credentials.build_manifest(derived, generator="sonicguide",
                                              generator_version=__version__)
        key = _sha256(json.dumps({**shared_key, "source_sha256": _file_sha256(source), "manifest": manifest},
                                 sort_keys=True).encode())
        entry = cache.get(asset.id)
        if (isinstance(entry, dict) and entry.get("key") == key and destination.is_file()
                and entry.get("output_sha256") == _file_sha256(destination)):
            print(f"unchanged {asset.id} -> {destination} (already signed)")
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        partial = destination.with_name(destination.name + ".partial")
        try:
            credentials.sign_file(source, partial, manifest=manifest, cert_chain_pem=chain_pem,
                                  key_pem=key_pem, tsa_url=tsa_url)
        except Exception as error:  # c2pa.C2paError and I/O errors: report and go on with the next asset
            partial.unlink(missing_ok=True)
            print(f"failed {asset.id} ({relative}): {error}", file=sys.stderr)
            failures += 1
            continue
        partial.replace(destination)
        cache[asset.id] = {"source": relative.as_posix(), "output": relative.as_posix(), "key": key,
                           "output_sha256": _file_sha256(destination),
                           "digital_source_type": derived["iptc"]["uri"]}
        print(f"signed {asset.id} -> {destination}")
        _write_atomically(cache_path, json.dumps({"version": CACHE_VERSION, "assets": cache}, indent=2,
                                                 sort_keys=True) + "\n")
    return 1 if failures else 0
