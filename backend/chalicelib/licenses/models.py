"""Items of licenses, in the one table next to tickets (the key table is in ``chalicelib.core.table``).

A license id carries its organisation (``acme_k7q2m6x4pz``), so a license with all its
deployments is one Query on ``ORG#<org>`` whoever asks, and the organisation's licenses are
one Query too. The two overloaded GSIs give the other access patterns without a Scan:
``gsi1`` finds a license by its key (``LICENSEKEY#<key>``), ``gsi2`` holds every license
by expiry (``LICENSES``, ``<expires_at>#<id>``) for support, admins and the reminders.
"""

from __future__ import annotations

import re

from pynamodb.attributes import BooleanAttribute, ListAttribute, MapAttribute, NumberAttribute, UnicodeAttribute

from chalicelib.core.table import PortalItem
from chalicelib.identity.models import org_pk

LICENSES_PK = "LICENSES"
LICENSE_SK_PREFIX = "LICENSE#"
KEY_SK = "#LICENSE"  # gsi1 sort key of a license under its key
ID_PATTERN = r"[a-z0-9][a-z0-9-]{0,39}_[a-z2-7]{10}"
KEY_PATTERN = r"[A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){4}"


class Capability(MapAttribute):
    name = UnicodeAttribute()
    enabled = BooleanAttribute(default=True)
    limit = UnicodeAttribute(null=True)


class LicenseItem(PortalItem, discriminator="license"):
    """The license itself. Its status is derived on every read (see ``licenses.views``)."""

    id = UnicodeAttribute()
    org = UnicodeAttribute()
    product = UnicodeAttribute()
    edition = UnicodeAttribute()
    key = UnicodeAttribute()
    issued_at = UnicodeAttribute()
    expires_at = UnicodeAttribute()
    suspended = BooleanAttribute(default=False)
    capabilities = ListAttribute(of=Capability, default=list)
    # Keygen's maxMachines: how many instances may check in; None is unlimited.
    max_deployments = NumberAttribute(null=True)
    # The deployments stored under the license, kept in step by the same transactions that
    # add and release them, so the limit is one condition (never a count of a Query).
    deployment_count = NumberAttribute(null=True)  # missing on licenses issued before limits: 0
    updated_at = UnicodeAttribute()
    updated_by = UnicodeAttribute()


class DeploymentItem(PortalItem, discriminator="deployment"):
    """One running instance of the product, as its last check-in reported it."""

    license_id = UnicodeAttribute()
    instance_id = UnicodeAttribute()
    hostname = UnicodeAttribute()
    version = UnicodeAttribute()
    first_seen_at = UnicodeAttribute()
    last_seen_at = UnicodeAttribute()


class LicenseReminderItem(PortalItem, discriminator="license_reminder"):
    """One expiry reminder, written once; the stream handler mails the organisation on INSERT."""

    org = UnicodeAttribute()
    license_id = UnicodeAttribute()
    product = UnicodeAttribute()
    edition = UnicodeAttribute()
    expires_at = UnicodeAttribute()
    days_before = NumberAttribute()  # the threshold crossed: 30, 7 or 1
    days_left = NumberAttribute(null=True)  # whole days left when written (a late run: fewer)
    created_at = UnicodeAttribute()


def org_of(license_id: str) -> str | None:
    """The organisation encoded in a license id, or None if the id is malformed."""
    if not re.fullmatch(ID_PATTERN, license_id):
        return None
    return license_id.rpartition("_")[0]


def license_sk(license_id: str) -> str:
    return f"{LICENSE_SK_PREFIX}{license_id}"


def deployment_sk(license_id: str, instance_id: str) -> str:
    return f"{LICENSE_SK_PREFIX}{license_id}#DEPLOY#{instance_id}"


def key_pk(key: str) -> str:
    return f"LICENSEKEY#{key}"


def expiry_sk(expires_at: str, license_id: str) -> str:
    return f"{expires_at}#{license_id}"


def reminder_pk(license_id: str) -> str:
    return f"LICENSE#{license_id}"


def reminder_sk(days: int, expires_at: str) -> str:
    return f"REMINDER#{days}#{expires_at}"


def license_key(org: str, license_id: str) -> tuple[str, str]:
    return org_pk(org), license_sk(license_id)
