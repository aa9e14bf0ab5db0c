"""`make dev`: the whole portal on one machine — emulator, API, site, demo data.

Run as ``python -m infra.local [--port 8000] [--aws-port 4566] [--no-demo]``.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import time
from pathlib import Path

from infra.local import settings as local
from infra.local.settings import Ports


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m infra.local", description=__doc__)
    parser.add_argument("--port", type=int, default=8000, help="site and API port (default 8000)")
    parser.add_argument("--aws-port", type=int, default=4566, help="AWS emulator port (default 4566)")
    parser.add_argument("--smtp-port", type=int, default=2525, help="inbound mail SMTP port (default 2525)")
    parser.add_argument("--no-demo", action="store_true", help="start empty: no demo data")
    parser.add_argument("--no-watch", action="store_true", help="build the site once, do not watch docs/")
    parser.add_argument(
        "--state-dir",
        default=str(local.STATE_DIR),
        help="where the site build, env.json and keys live (default .local-stack)",
    )
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    ports = Ports(site=args.port, aws=args.aws_port, smtp=args.smtp_port)
    started = time.monotonic()

    import logging

    from infra.local.emulator import Emulator

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # the emulator's per-request lines drown the banner
    emulator = Emulator(ports.aws)
    emulator.start()

    from infra.local.bootstrap import bootstrap, portal_config

    state_dir = Path(args.state_dir).resolve()
    environment = bootstrap(ports, state_dir)  # sets os.environ before the backend first reads its settings

    from app import app
    from infra.local import site_builder
    from infra.local.mail_viewer import MailViewer
    from infra.local.server import make_server
    from infra.local.smtp_server import start_inbound_mail_server
    from infra.local.stream_worker import start_stream_worker

    stream_worker = start_stream_worker()  # mails every event from the table's first record on
    smtp_server = start_inbound_mail_server(ports.smtp, ports.aws_endpoint)

    if not args.no_demo:
        from infra.local.demo import seed

        seed()

    site_dir = state_dir / "site"
    build_seconds = site_builder.build(site_dir)
    stop = threading.Event()
    if not args.no_watch:
        site_builder.watch(site_dir, stop)

    server = make_server(
        ports.site,
        app,
        site_dir,
        ports.aws_endpoint,
        portal_config(environment, ports.site_url.rstrip("/")),
        extra_mounts=[("/_mail/", MailViewer(inbound=smtp_server)), attachments_mount(ports, environment)],
    )
    serving = threading.Thread(target=server.serve_forever, name="portal-server", daemon=True)
    serving.start()
    # AWS runs the SLA breach check every five minutes (EventBridge); locally, every minute.
    threading.Thread(target=_check_breaches_every_minute, args=(stop,), name="sla-check", daemon=True).start()

    print(_banner(ports, environment, state_dir, time.monotonic() - started, build_seconds), flush=True)

    def shut_down(*_: object) -> None:
        stop.set()

    signal.signal(signal.SIGINT, shut_down)
    signal.signal(signal.SIGTERM, shut_down)
    # Woken twice a second: a signal that the OS hands to another thread (aiosmtpd's event loop)
    # only runs its Python handler when the main thread next runs.
    while not stop.wait(0.5):
        pass
    print("\nStopping the local stack...", flush=True)
    server.shutdown()
    server.server_close()
    smtp_server.stop()
    stream_worker.stop()
    emulator.stop()
    print("Stopped.", flush=True)
    return 0


def _check_breaches_every_minute(stop: threading.Event) -> None:
    from chalicelib.tickets.breaches import check_breaches

    while not stop.wait(60):
        try:
            check_breaches()
        except Exception as error:  # the next minute tries again, as the schedule would
            print(f"SLA check failed: {error}", flush=True)


def attachments_mount(ports: Ports, environment: dict[str, str]):
    """/_s3/: the attachments bucket for browsers (uploads and downloads only)."""
    from infra.local.s3_proxy import S3Proxy

    proxy = S3Proxy(ports.aws_endpoint, environment["ATTACHMENTS_BUCKET"], ports.site_url)
    return local.ATTACHMENTS_PROXY, proxy


def _banner(ports: Ports, environment: dict[str, str], state_dir: Path, seconds: float, build_seconds: float) -> str:
    site = ports.site_url
    return f"""
Customer Portal — local stack ready in {seconds:.1f} s (site built in {build_seconds:.1f} s)

  Site              {site}
  API               {site}api   (OpenAPI: {site}api/openapi.json)
  Site config       {site}portal-config.json
  Mail viewer       {site}_mail/   (the stream worker mails every ticket change to the local SES; Reply answers)
  Inbound SMTP      127.0.0.1:{ports.smtp}   (replies by mail, and mail to {environment["SUPPORT_EMAIL"]})
  AWS emulator      {ports.aws_endpoint}   (moto: DynamoDB, Streams, Cognito, SES, SQS, Secrets Manager, S3)
  Attachments       {site}_s3/   (the emulator's attachments bucket, for presigned URLs only)
  User pool         {environment["USER_POOL_ID"]}   app client {environment["USER_POOL_CLIENT_ID"]}
  Environment       {state_dir / local.ENV_FILE.name}

  Demo users (password {local.DEMO_PASSWORD}):
    alice@acme.example, bob@acme.example   Acme Corp customers
    carol@globex.example                   Globex customer
    agent@vendor.example                   support agent
    admin@vendor.example                   admin

Press Ctrl-C to stop.
"""


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
