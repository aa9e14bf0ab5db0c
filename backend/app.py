"""The Chalice application: blueprints registered, event handlers wired; nothing else."""
from chalice import Chalice, Cron

from chalicelib import reminders
from chalicelib.config import settings
from chalicelib.api import admin, meta, tickets
from chalicelib.api import admin_licenses, licenses

app = Chalice(app_name="customer-portal")
app.api.cors = False  # the site and the API share one origin (CloudFront, or the local server)

app.register_blueprint(meta.bp)
app.register_blueprint(tickets.bp)
app.register_blueprint(admin.bp)
app.register_blueprint(licenses.bp)
app.register_blueprint(admin_licenses.bp)


@app.schedule(Cron(0, 6, "*", "*", "?", "*"))
def send_expiry_reminders(event):
    """Daily at 06:00 UTC: write the due expiry reminders; the stream handler mails them."""
    reminders.send_expiry_reminders()


@app.on_dynamodb_record(stream_arn=settings().table_stream_arn, batch_size=100)
def handle_ticket_events(event):
    """Ticket events and expiry reminders -> mail. Answers Lambda's partial batch response."""
    from chalicelib import mail_delivery  # stream-only code: never imported on the API path

    return mail_delivery.handle_stream_event(event.to_dict())
