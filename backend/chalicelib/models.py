"""PynamoDB models of the one table (single-table design).

Key layout — every access pattern is one Query or one key read:

====================  ===========================  ===============================
item                  pk                           sk
====================  ===========================  ===============================
ticket                TICKET#<number>              #TICKET
response / note       TICKET#<number>              MSG#<created_at>#<id>
event (history, mail) TICKET#<number>              EVT#<created_at>#<id>
ticket counter        COUNTER                      TICKET
idempotency record    IDEMPOTENCY#<scope>#<key>    #RESULT
organisation          ORG#<org>                    #ORG
organisation member   ORG#<org>                    USER#<email>
====================  ===========================  ===============================

Detail is one Query on ``TICKET#<number>``. Lists use two overloaded GSIs:
``gsi1`` (an organisation's tickets by activity, ``ORG#<org>#TICKETS``) and ``gsi2`` (the
support queue across organisations, ``TICKETS``), both sorted by ``<updated_at>#<number>``.
"""
from __future__ import annotations

from pynamodb.attributes import (
    BooleanAttribute,
    DiscriminatorAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.config import settings

_config = settings()


class ActivityByOrg(GlobalSecondaryIndex):
    class Meta:
        index_name = "gsi1"
        projection = AllProjection()

    gsi1pk = UnicodeAttribute(hash_key=True)
    gsi1sk = UnicodeAttribute(range_key=True)


class ActivityAcrossOrgs(GlobalSecondaryIndex):
    class Meta:
        index_name = "gsi2"
        projection = AllProjection()

    gsi2pk = UnicodeAttribute(hash_key=True)
    gsi2sk = UnicodeAttribute(range_key=True)


class PortalItem(Model):
    """Every item of the table; ``item_type`` picks the subclass when items are read."""

    class Meta:
        table_name = _config.table_name
        region = _config.region
        host = _config.endpoint_url
        billing_mode = "PAY_PER_REQUEST"
        stream_view_type = "NEW_AND_OLD_IMAGES"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    item_type = DiscriminatorAttribute(attr_name="type")
    gsi1pk = UnicodeAttribute(null=True)
    gsi1sk = UnicodeAttribute(null=True)
    gsi2pk = UnicodeAttribute(null=True)
    gsi2sk = UnicodeAttribute(null=True)
    # DynamoDB's TTL deletes short-lived items (idempotency records, rate-limit windows).
    expires = TTLAttribute(null=True)

    by_org = ActivityByOrg()
    across_orgs = ActivityAcrossOrgs()


class TicketItem(PortalItem, discriminator="ticket"):
    number = NumberAttribute()
    org = UnicodeAttribute()
    title = UnicodeAttribute()
    title_search = UnicodeAttribute()  # lower-cased title for the `q` filter
    description = UnicodeAttribute()
    tags = ListAttribute(of=UnicodeAttribute)
    status = UnicodeAttribute()
    priority = UnicodeAttribute()
    created_at = UnicodeAttribute()
    created_by = UnicodeAttribute()  # e-mail of the customer the ticket is for
    created_by_id = UnicodeAttribute()
    updated_at = UnicodeAttribute()
    updated_by = UnicodeAttribute()
    closed_at = UnicodeAttribute(null=True)
    version = NumberAttribute()
    message_count = NumberAttribute(default=0)


class MessageItem(PortalItem, discriminator="message"):
    id = UnicodeAttribute()
    number = NumberAttribute()
    body = UnicodeAttribute()
    internal = BooleanAttribute(default=False)
    author = UnicodeAttribute()
    author_role = UnicodeAttribute()  # "customer" or "support"
    created_at = UnicodeAttribute()


class EventItem(PortalItem, discriminator="event"):
    """One change of a ticket: its history line, and (through the stream) its mails."""

    id = UnicodeAttribute()
    number = NumberAttribute()
    kind = UnicodeAttribute()
    actor = UnicodeAttribute()
    actor_role = UnicodeAttribute()
    at = UnicodeAttribute()
    changes = MapAttribute(null=True)  # field -> {"from"?, "to"}
    message_id = UnicodeAttribute(null=True)
    body = UnicodeAttribute(null=True)
    internal = BooleanAttribute(default=False)


class CounterItem(PortalItem, discriminator="counter"):
    value = NumberAttribute(default=0)


class IdempotencyItem(PortalItem, discriminator="idempotency"):
    result = UnicodeAttribute()  # what the first call made: a ticket number or a message sk


class OrganisationItem(PortalItem, discriminator="organisation"):
    org = UnicodeAttribute()
    name = UnicodeAttribute()
    created_at = UnicodeAttribute()


class UserItem(PortalItem, discriminator="user"):
    """A member of an organisation: who gets the organisation's mail (license reminders)."""

    email = UnicodeAttribute()
    org = UnicodeAttribute()
    roles = ListAttribute(of=UnicodeAttribute, default=list)
    created_at = UnicodeAttribute()


def user_sk(email: str) -> str:
    return f"USER#{email.lower()}"


def ticket_pk(number: int) -> str:
    return f"TICKET#{number}"


TICKET_SK = "#TICKET"
ORG_SK = "#ORG"
ORGS_INDEX_PK = "ORGS"  # gsi1 partition listing every organisation


def org_pk(org: str) -> str:
    return f"ORG#{org}"


def org_activity_pk(org: str) -> str:
    return f"ORG#{org}#TICKETS"


QUEUE_PK = "TICKETS"


def activity_sk(updated_at: str, number: int) -> str:
    return f"{updated_at}#{number:010d}"
