"""Where the local stack lives: ports, names and the state folder, shared by every part."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STATE_DIR = ROOT / ".local-stack"
ENV_FILE = STATE_DIR / "env.json"
REGION = "us-east-1"
TABLE_NAME = "portal"
POOL_NAME = "customer-portal"
DEAD_LETTER_QUEUE = "portal-notifications-dlq"
SIGNING_KEY_SECRET = "portal/license-signing-key"
ATTACHMENTS_BUCKET = "portal-attachments"
ATTACHMENTS_PROXY = "/_s3/"  # the bucket on the site's origin, for browsers (infra/local/s3_proxy.py)
CURSOR_SECRET = "portal/cursor-secret"  # created fresh at each start, like the data
SENDER_EMAIL = "portal@vendor.example"
SUPPORT_EMAIL = "support@vendor.example"
DEMO_PASSWORD = "Portal-Demo-1!"
REPLY_DOMAIN = "reply.vendor.example"  # replies go to support+<token>@ this domain
INBOUND_BUCKET = "portal-inbound"  # received mail, as SES's S3 action stores it
# What a user may write of their own account, as the CDK app client allows (custom:org is
# set by admins only); the local Cognito proxy enforces it, as AWS does.
APP_CLIENT_WRITE_ATTRIBUTES = ("email",)
# The only names the local stack answers to: any other Host is a DNS-rebinding attempt.
LOCAL_HOSTS = ("127.0.0.1", "localhost")


@dataclass(frozen=True)
class Ports:
    site: int = 8000
    aws: int = 4566
    smtp: int = 2525  # inbound mail (replies and new tickets)

    @property
    def aws_endpoint(self) -> str:
        return f"http://127.0.0.1:{self.aws}"

    @property
    def site_url(self) -> str:
        return f"http://127.0.0.1:{self.site}/"
