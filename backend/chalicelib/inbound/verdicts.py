"""SES's verdicts on a received mail, as SES writes them into the mail it stores in S3.

SES puts its own headers on top of the mail: ``X-SES-Spam-Verdict``, ``X-SES-Virus-Verdict``
(the receipt rule scans), ``Received-SPF`` and ``Authentication-Results: amazonses.com;
spf=...; dkim=...; dmarc=...``. A sender can write the same headers into their mail, but
only below SES's: so the first spam and virus verdicts are SES's, and a failed SPF, DKIM or
DMARC result anywhere in SES's Authentication-Results refuses the mail (text a sender put
into a result's property can add a result, never hide SES's own "fail").
"""

from __future__ import annotations

import re

from chalicelib.inbound.message import InboundMail

_RESULT = re.compile(r"(?:^|;)\s*(spf|dkim|dmarc)\s*=\s*([a-z]+)", re.IGNORECASE)


def failed(mail: InboundMail) -> str | None:
    """Why SES's verdicts refuse the mail, or None when they pass."""
    for name, what in (("X-SES-Spam-Verdict", "spam"), ("X-SES-Virus-Verdict", "virus")):
        verdict = mail.header(name).upper()
        if verdict != "PASS":
            return f"{what} verdict {verdict or 'missing'}"
    spf = mail.header("Received-SPF").split(" ")[0].lower()
    if spf in ("fail", "softfail", "permerror"):
        return f"SPF {spf}"
    results = [
        value for value in mail.all("Authentication-Results") if value.split(";")[0].strip().lower() == "amazonses.com"
    ]
    if not results:
        return "no Authentication-Results from SES"
    for method, result in _RESULT.findall(" ".join(results[0].split())):
        if result.lower() in ("fail", "softfail", "permerror"):
            return f"{method.upper()} {result.lower()}"
    return None
