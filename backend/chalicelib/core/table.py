"""The one DynamoDB table (single-table design): its PynamoDB base model, indexes and key table.

Every item type subclasses ``PortalItem`` in its feature's ``models`` module (its one home);
``type`` (the discriminator) picks the subclass when items are read. Every key pattern (the
developers' guide, docs/install/source-code.md, shows this table from here):

--8<-- [start:key-table]
======================  =================================  ===================================  =========
item (home)             pk                                 sk                                   GSIs
======================  =================================  ===================================  =========
organisation (identity) ORG#<org>                          #ORG                                 gsi1 ORGS
user (identity)         ORG#<org>                          USER#<email>
ticket (tickets)        TICKET#<number>                    #TICKET                              gsi1-gsi6, gsi7
response / note         TICKET#<number>                    MSG#<created_at>#<id>
event (history, mail)   TICKET#<number>                    EVT#<created_at>#<id>
attachment              TICKET#<number>                    ATT#<id>
  (attachments)
ticket counter          COUNTER                            TICKET
queue counter           COUNTER                            QUEUE#<open|pending|unassigned|
                                                           breached> or QUEUE#mine#<agent>
macro (macros)          MACROS                             MACRO#<id>
idempotency record      IDEMPOTENCY#<user>#<scope>#<key>   #RESULT                              (TTL)
license (licenses)      ORG#<org>                          LICENSE#<id>                         gsi1, gsi2
deployment              ORG#<org>                          LICENSE#<id>#DEPLOY#<instance_id>    (TTL)
freed slot (licenses)   FREED#<stream event id>            #FREED                               (TTL)
expiry reminder         LICENSE#<id>                       REMINDER#<days>#<expires_at>
rate-limit window       RATE#<scope>#<digest>#<window>     #WINDOW                              (TTL)
  (core)
page feedback tally     FEEDBACK#<page>                    #TALLY                               gsi1
  (feedback)
page feedback vote      FEEDBACK#<page>                    VOTE#<submission digest>             gsi2 (TTL)
notification marker     NOTIFY#<event key>                 #SENT                                (TTL)
  (mail)
week count (reports)    REPORT#WEEKS                       <week>#created, <week>#solved,
                                                           <week>#csat#<good|bad>,
                                                           <week>#first_response#<bucket>
backlog count (reports) REPORT#BACKLOG                     <status|priority|tag|org>#<value>
counted record          REPORTED#<stream event id>         #APPLIED                             (TTL)
  (reports)
======================  =================================  ===================================  =========

The two overloaded GSIs:

=========================  ===================  ==========================  ==========================
gsi1pk                     gsi1sk               holds                       read by
=========================  ===================  ==========================  ==========================
ORG#<org>#TICKETS          <updated_at>#<n>     an organisation's tickets   a customer's ticket list
ORGS                       <org>                every organisation          admin organisation list
LICENSEKEY#<key>           #LICENSE             the license with that key   lookup, check-in
FEEDBACK_TALLIES           <page>               every page's tally          the feedback report
=========================  ===================  ==========================  ==========================

=========================  ===================  ==========================  ==========================
gsi2pk                     gsi2sk               holds                       read by
=========================  ===================  ==========================  ==========================
TICKETS                    <updated_at>#<n>     every ticket                the support queue
LICENSES                   <expires_at>#<id>    every license by expiry     support, admin, reminders
FEEDBACK_COMMENTS          <at>#<digest>        feedback with a comment     the feedback comments
=========================  ===================  ==========================  ==========================

The agent workspace's keyed views (PRODUCT.md §3.4). Every ticket is in each of gsi1-gsi6 once;
a view is one partition, so its page is one Query reading ``limit + 1`` items however many
closed tickets exist. Status is in the partition key, not the sort key, so each view sorts by
activity alone; ``<activity>`` is ``<updated_at>#<number>`` (``<number>`` zero-padded):

=========================================  ============  ===========================================
partition (gsiNpk)                         gsiNsk        read by
=========================================  ============  ===========================================
gsi3  ORG#<org>#TICKETS#<status>           <activity>    a customer's status filter; support's org
gsi4  TICKETS#<status>                     <activity>    support's status views across organisations
gsi5  ASSIGNEE#<agent> / ASSIGNEE#-        <activity>    view=mine / view=unassigned (any status)
gsi6  ASSIGNEE#<agent>#<status>            <activity>    view=mine / unassigned with a status
      / ASSIGNEE#-#<status>
gsi7  DUE (sparse: only tickets awaiting   <due_at>#<n>  sort=due (soonest first); the breach check
      support's response)
=========================================  ============  ===========================================

Why five more and not fewer: one GSI gives an item one place, and a ticket must be in six lists
at once (its organisation's and everyone's, each with and without its status; its assignee's,
with and without). A status in the sort key (``<status>#<activity>``) would serve the status
view but not the any-status one newest first, so it saves no index. The unassigned and an
agent's lists share gsi5/gsi6 (a ticket is in exactly one of them). What no key serves is read
on by filter, a bounded number of Queries until the page is full (``tickets.reading``): tags,
priority, text (``q``), a customer's ``view=mine|following``, an organisation inside an agent's
view. Every change writes the ticket's keys with the change, in its transaction, with the queue
counters it moves (``tickets.queue``); ``bin/portal reindex-tickets`` writes them for tickets
stored before the indexes existed.

The reports' counts (``chalicelib.reports``) are kept by the stream handler from each ticket
record's old and new images: one transaction per record that moves a count, with its counted-record
marker on condition that it does not exist (a redelivered record counts once). ``<week>`` is the
ISO week in UTC (``2026-W48``, which sorts as text); ``<bucket>`` is a first-response time's
histogram bucket (three digits: the whole minute below an hour, then buckets 5 % wide). A report
is two Queries read to their end: ``REPORT#WEEKS`` between ``<from>#`` and ``<to>#~`` (at most
104 weeks of four counts and the buckets hit, typically a few dozen items a week, well under
one 1 MB page) and ``REPORT#BACKLOG`` (11 status, priority and tag counts and one per
organisation); no ticket is read, however many there are.

A ticket's detail is one Query on ``TICKET#<number>``; a license with its deployments is one
Query on ``ORG#<org>`` (the id carries the organisation). ``expires`` is DynamoDB's TTL.
An attachment's file is the S3 object ``tickets/<number>/<id>`` of the attachments bucket; an
upload nobody referenced yet is ``uploads/<id>`` there, and S3 expires it (no item at all).
--8<-- [end:key-table]
"""

from __future__ import annotations

from pynamodb.attributes import DiscriminatorAttribute, TTLAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.core.config import settings


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


# The workspace's keyed views (the second table of the key table above); sparse, like all GSIs:
# an item is in an index only while it carries both of its attributes.
class StatusByOrg(GlobalSecondaryIndex):
    """An organisation's tickets in one status, newest activity first."""

    class Meta:
        index_name = "gsi3"
        projection = AllProjection()

    gsi3pk = UnicodeAttribute(hash_key=True)
    gsi3sk = UnicodeAttribute(range_key=True)


class StatusAcrossOrgs(GlobalSecondaryIndex):
    """Every organisation's tickets in one status, newest activity first."""

    class Meta:
        index_name = "gsi4"
        projection = AllProjection()

    gsi4pk = UnicodeAttribute(hash_key=True)
    gsi4sk = UnicodeAttribute(range_key=True)


class ByAssignee(GlobalSecondaryIndex):
    """One agent's tickets, or the unassigned ones, newest activity first."""

    class Meta:
        index_name = "gsi5"
        projection = AllProjection()

    gsi5pk = UnicodeAttribute(hash_key=True)
    gsi5sk = UnicodeAttribute(range_key=True)


class StatusByAssignee(GlobalSecondaryIndex):
    """One agent's tickets, or the unassigned ones, in one status, newest activity first."""

    class Meta:
        index_name = "gsi6"
        projection = AllProjection()

    gsi6pk = UnicodeAttribute(hash_key=True)
    gsi6sk = UnicodeAttribute(range_key=True)


class ResponseDue(GlobalSecondaryIndex):
    """Tickets awaiting a response from support, soonest due first (sort=due, the breach check)."""

    class Meta:
        index_name = "gsi7"
        projection = AllProjection()

    gsi7pk = UnicodeAttribute(hash_key=True)
    gsi7sk = UnicodeAttribute(range_key=True)


class PortalItem(Model):
    """Every item of the table; ``item_type`` picks the subclass when items are read."""

    class Meta:
        billing_mode = "PAY_PER_REQUEST"
        stream_view_type = "NEW_AND_OLD_IMAGES"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    item_type = DiscriminatorAttribute(attr_name="type")
    gsi1pk = UnicodeAttribute(null=True)
    gsi1sk = UnicodeAttribute(null=True)
    gsi2pk = UnicodeAttribute(null=True)
    gsi2sk = UnicodeAttribute(null=True)
    gsi3pk = UnicodeAttribute(null=True)
    gsi3sk = UnicodeAttribute(null=True)
    gsi4pk = UnicodeAttribute(null=True)
    gsi4sk = UnicodeAttribute(null=True)
    gsi5pk = UnicodeAttribute(null=True)
    gsi5sk = UnicodeAttribute(null=True)
    gsi6pk = UnicodeAttribute(null=True)
    gsi6sk = UnicodeAttribute(null=True)
    gsi7pk = UnicodeAttribute(null=True)
    gsi7sk = UnicodeAttribute(null=True)
    # DynamoDB's TTL deletes short-lived items (idempotency records, rate-limit windows).
    expires = TTLAttribute(null=True)

    by_org = ActivityByOrg()
    across_orgs = ActivityAcrossOrgs()
    status_by_org = StatusByOrg()
    status_across_orgs = StatusAcrossOrgs()
    by_assignee = ByAssignee()
    status_by_assignee = StatusByAssignee()
    response_due = ResponseDue()


class _FromSettings(type):
    """PynamoDB reads the table name, region and endpoint when it first connects: from the
    settings then, not when this module is imported, so importing a model needs no environment."""

    @property
    def table_name(cls) -> str:
        return settings().table_name

    @property
    def region(cls) -> str:
        return settings().region

    @property
    def host(cls) -> str | None:
        return settings().endpoint_url


# Installed after the class is made: PynamoDB fills in Meta's defaults when it makes the class,
# and a property there would be read (and the settings with it) at import time.
PortalItem.Meta = _FromSettings("Meta", (PortalItem.Meta,), {})  # type: ignore[assignment,misc]
