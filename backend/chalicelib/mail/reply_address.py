"""Reply addresses (PRODUCT.md §3.2): ``<local>+<token>@<reply domain>``, one per ticket and recipient.

The token is ``t<number>-<mac>``, the mac an HMAC-SHA256 over (ticket, recipient) under the
portal's secret, so a reply address cannot be made for another ticket or another person:
the inbound handler recomputes the mac for the sender (a customer must be the recipient the
token was made for) or for the support inbox (which any support user may answer).
The key is the cursors' secret with a purpose of its own, so one secret serves both and a
cursor signature is never a valid token.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass

from chalicelib.core import cursors
from chalicelib.core.config import settings

# 80 bits of mac, base32 without padding (16 characters, lower case: mail systems fold case
# of local parts, so the token must survive it).
_MAC_CHARS = 16
_TOKEN = re.compile(r"t(?P<number>[1-9][0-9]{0,11})-(?P<mac>[a-z2-7]{16})")


@dataclass(frozen=True)
class ReplyToken:
    number: int
    mac: str

    def made_for(self, recipient: str) -> bool:
        return hmac.compare_digest(self.mac, _mac(self.number, recipient))


def _mac(number: int, recipient: str) -> str:
    message = f"reply:{number}:{recipient.strip().lower()}".encode()
    digest = hmac.new(cursors.signing_key(), message, hashlib.sha256).digest()
    return base64.b32encode(digest).decode().lower()[:_MAC_CHARS]


def local_part() -> str:
    """The local part of the support address, which reply addresses share."""
    return settings().support_email.partition("@")[0].lower()


def reply_domain() -> str:
    return settings().reply_domain


def reply_address(number: int, recipient: str) -> str:
    """The Reply-To of every mail about ticket ``number`` to ``recipient``."""
    return f"{local_part()}+t{number}-{_mac(number, recipient)}@{reply_domain()}"


def plain_address() -> str:
    """The address without a token on the reply domain: mail to it raises a new ticket."""
    return f"{local_part()}@{reply_domain()}"


def parse(address: str) -> ReplyToken | None:
    """The token of a reply address on the reply domain, or None (not ours, or no token)."""
    local, _, domain = address.strip().lower().rpartition("@")
    if domain != reply_domain():
        return None
    base, plus, token = local.partition("+")
    if not plus or base != local_part():
        return None
    match = _TOKEN.fullmatch(token)
    if match is None:
        return None
    return ReplyToken(int(match["number"]), match["mac"])
