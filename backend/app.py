"""The Chalice application: each feature's blueprint registered, event handlers wired; nothing else."""

from chalice import Chalice, Cron, Rate

from chalicelib import service
from chalicelib.attachments import routes as attachments
from chalicelib.core.config import settings
from chalicelib.core.http import no_store_when_authenticated
from chalicelib.feedback import routes as feedback
from chalicelib.identity import routes as identity
from chalicelib.licenses import admin_routes as license_admin
from chalicelib.licenses import reminders
from chalicelib.licenses import routes as licenses
from chalicelib.macros import routes as macros
from chalicelib.reports import routes as reports
from chalicelib.tickets import breaches
from chalicelib.tickets import routes as tickets

app = Chalice(app_name="customer-portal")
app.api.cors = False  # the site and the API share one origin (CloudFront, or the local server)

for blueprint in (
    service.bp,
    identity.bp,
    tickets.bp,
    attachments.bp,
    macros.bp,
    reports.bp,
    licenses.bp,
    license_admin.bp,
):
    app.register_blueprint(blueprint)
app.register_blueprint(feedback.bp)
app.register_middleware(no_store_when_authenticated, "http")


@app.schedule(Cron(0, 6, "*", "*", "?", "*"))
def send_expiry_reminders(event):
    """Daily at 06:00 UTC: write the due expiry reminders; the stream handler mails them."""
    reminders.send_expiry_reminders()


@app.schedule(Rate(5, unit=Rate.MINUTES))
def check_sla_breaches(event):
    """Every five minutes: mark the tickets whose SLA target passed; the stream handler mails them."""
    breaches.check_breaches()


@app.on_dynamodb_record(stream_arn=settings().table_stream_arn, batch_size=100)
def handle_ticket_events(event):
    """Ticket events and expiry reminders -> mail; TTL-removed deployments -> a freed slot.
    Answers Lambda's partial batch response."""
    from chalicelib import streams  # stream-only code: never imported on the API path

    return streams.handle(event.to_dict())


@app.lambda_function(name="handle_inbound_mail")
def handle_inbound_mail(event, context):
    """SES stored a received mail in the inbound bucket (S3 ObjectCreated): a reply becomes a
    response, mail to the support address a ticket. A plain Lambda function, because Chalice
    cannot package ``on_s3_event`` for CloudFormation; the CDK app wires the bucket to it."""
    from chalicelib.inbound import s3_event  # inbound-only code: never imported on the API path

    return s3_event.handle(event)
