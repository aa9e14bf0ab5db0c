"""Verify a Customer Portal license file offline.

Usage: python verify_license.py LICENSE_FILE PUBLIC_KEY_HEX
Needs only the `cryptography` package. PUBLIC_KEY_HEX is the 64 hex digits published by
GET /licenses/public-key (and in this documentation).
"""

import base64
import binascii
import json
import sys
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

BEGIN = "-----BEGIN LICENSE FILE-----"
END = "-----END LICENSE FILE-----"


class InvalidLicenseFile(Exception):
    """The file was altered, signed by another key, or is not a license file."""


def verify_license_file(text, public_key_hex, now=None):
    """Return the signed payload if the file verifies; raise InvalidLicenseFile otherwise."""
    text = text.strip()
    if not (text.startswith(BEGIN) and text.endswith(END)):
        raise InvalidLicenseFile("missing the BEGIN/END LICENSE FILE lines")
    body = "".join(text[len(BEGIN) : -len(END)].split())
    try:
        document = json.loads(base64.b64decode(body, validate=True))
        enc, sig, alg = document["enc"], document["sig"], document["alg"]
        if alg != "base64+ed25519":
            raise InvalidLicenseFile(f"unsupported algorithm {alg!r}")
        public_key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key_hex))
        # The signature covers the bytes "license/" + enc, exactly as they appear in the file.
        public_key.verify(base64.b64decode(sig, validate=True), f"license/{enc}".encode())
        payload = json.loads(base64.b64decode(enc, validate=True))
    except InvalidSignature:
        raise InvalidLicenseFile(
            "the signature does not match: the file was altered or signed by another key"
        ) from None
    except (ValueError, KeyError, TypeError, binascii.Error) as error:
        raise InvalidLicenseFile(f"not a well-formed license file ({error})") from None

    # The file itself expires (its TTL): after that, download a fresh one.
    now = now or datetime.now(UTC)
    file_expires = datetime.strptime(payload["expires_at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    if now >= file_expires:
        raise InvalidLicenseFile(f"the file expired at {payload['expires_at']}; download a fresh one")
    return payload


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as handle:
        text = handle.read()
    try:
        payload = verify_license_file(text, argv[2])
    except InvalidLicenseFile as error:
        print(f"INVALID: {error}", file=sys.stderr)
        return 1
    license = payload["license"]
    print(
        f"VALID: {license['product']} {license['edition']}, license {license['status']} "
        f"until {license['expires_at']}; file valid until {payload['expires_at']}"
    )
    for capability in license["capabilities"]:
        limit = f" ({capability['limit']})" if capability.get("limit") else ""
        state = "enabled" if capability["enabled"] else "disabled"
        print(f"  {capability['name']}{limit}: {state}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
