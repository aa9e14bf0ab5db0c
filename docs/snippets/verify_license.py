"""Verify a Customer Portal license file offline (Keygen's license-file format).

Usage: python verify_license.py LICENSE_FILE PUBLIC_KEY_HEX [LICENSE_KEY]
Needs only the `cryptography` package. PUBLIC_KEY_HEX is the 64 hex digits published by
GET /licenses/public-key (and in this documentation). LICENSE_KEY is needed for files
downloaded with ?algorithm=aes-256-gcm+ed25519, whose dataset is encrypted with it.
"""

import base64
import binascii
import hashlib
import json
import sys
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

BEGIN = "-----BEGIN LICENSE FILE-----"
END = "-----END LICENSE FILE-----"
ALGORITHMS = ("base64+ed25519", "aes-256-gcm+ed25519")


class InvalidLicenseFile(Exception):
    """The file was altered, signed by another key, expired, or is not a license file."""


def _time(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def verify_license_file(text, public_key_hex, license_key=None, now=None):
    """Return Keygen's dataset ({"data", "included", "meta"}) if the file verifies and is
    within its TTL; raise InvalidLicenseFile otherwise."""
    text = text.strip()
    if not (text.startswith(BEGIN) and text.endswith(END)):
        raise InvalidLicenseFile("missing the BEGIN/END LICENSE FILE lines")
    body = "".join(text[len(BEGIN) : -len(END)].split())
    try:
        document = json.loads(base64.b64decode(body, validate=True))
        enc, sig, alg = document["enc"], document["sig"], document["alg"]
        if alg not in ALGORITHMS:
            raise InvalidLicenseFile(f"unsupported algorithm {alg!r}")
        public_key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key_hex))
        # The signature covers the bytes "license/" + enc, exactly as they appear in the file:
        # verify it before anything of the payload is decoded or decrypted.
        public_key.verify(base64.b64decode(sig, validate=True), f"license/{enc}".encode())
        if alg == "aes-256-gcm+ed25519":
            if not license_key:
                raise InvalidLicenseFile("the file is encrypted: pass the license key to decrypt it")
            ciphertext, iv, tag = (base64.b64decode(part, validate=True) for part in enc.split("."))
            aes = AESGCM(hashlib.sha256(license_key.encode()).digest())
            plaintext = aes.decrypt(iv, ciphertext + tag, None)
        else:
            plaintext = base64.b64decode(enc, validate=True)
        dataset = json.loads(plaintext)
        issued, expiry = _time(dataset["meta"]["issued"]), _time(dataset["meta"]["expiry"])
    except InvalidSignature:
        raise InvalidLicenseFile(
            "the signature does not match: the file was altered or signed by another key"
        ) from None
    except InvalidTag:
        raise InvalidLicenseFile("decryption failed: this is not the file's license key") from None
    except (ValueError, KeyError, TypeError, binascii.Error) as error:
        raise InvalidLicenseFile(f"not a well-formed license file ({error})") from None

    # The file itself expires (meta.expiry, never after the license's own expiry): after that,
    # download a fresh one. A file issued in the future means the system clock is wrong.
    now = now or datetime.now(UTC)
    if now >= expiry:
        raise InvalidLicenseFile(f"the file expired at {dataset['meta']['expiry']}; download a fresh one")
    if (issued - now).total_seconds() > 300:
        raise InvalidLicenseFile("the file was issued in the future: check the system clock")
    return dataset


def main(argv):
    if len(argv) not in (3, 4):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as handle:
        text = handle.read()
    try:
        dataset = verify_license_file(text, argv[2], argv[3] if len(argv) == 4 else None)
    except InvalidLicenseFile as error:
        print(f"INVALID: {error}", file=sys.stderr)
        return 1
    license = dataset["data"]["attributes"]
    machines = license["maxMachines"] if license["maxMachines"] is not None else "unlimited"
    print(
        f"VALID: {license['name']}, license {license['status']} until {license['expiry']}, "
        f"{machines} deployments; file valid until {dataset['meta']['expiry']}"
    )
    for entitlement in dataset["included"]:
        if entitlement["type"] == "entitlements":
            attributes = entitlement["attributes"]
            limit = f" ({attributes['metadata']['limit']})" if attributes["metadata"].get("limit") else ""
            print(f"  {attributes['code']}: {attributes['name']}{limit}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
