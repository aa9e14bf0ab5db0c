"""The Chalice application: blueprints registered, event handlers wired; nothing else."""
from chalice import Chalice

from chalicelib.api import admin, meta, tickets

app = Chalice(app_name="customer-portal")
app.api.cors = False  # the site and the API share one origin (CloudFront, or the local server)

app.register_blueprint(meta.bp)
app.register_blueprint(tickets.bp)
app.register_blueprint(admin.bp)
