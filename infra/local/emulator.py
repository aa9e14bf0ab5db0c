"""The AWS emulator: moto's server, in this process, one request at a time.

DynamoDB applies each request atomically; moto's in-memory tables are not safe for
concurrent writers (a query iterates a table while another thread writes to it).
The stream worker, the API and the admin CLI all talk to the emulator at once, so every
request is handled under one lock, which is what DynamoDB's own per-request atomicity
guarantees them anyway.

moto is patched first (``moto_patches.install``): a cancelled transaction leaves no trace,
as in DynamoDB, without copying the tables; the stream keeps 24 hours of records; GetRecords
is cheap enough that the stream worker catching up never stalls the API behind the lock.

moto takes every call without credentials and answers CORS preflights from any origin, so the
emulator refuses what only a browser sends (an ``Origin`` header) and any ``Host`` but its own
loopback names: no web page can call it, directly or by DNS rebinding. The widgets reach
Cognito through the site's proxy (``cognito_proxy``), which passes only their operations.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from typing import Any

from moto.moto_server.threaded_moto_server import MotoRequestHandler
from moto.server import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import make_server

from infra.local import moto_patches
from infra.local.settings import LOCAL_HOSTS

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def local_callers_only(app: WsgiApp, port: int) -> WsgiApp:
    """Refuse browsers (they send ``Origin``) and names other than the loopback's own."""
    allowed = {f"{name}:{port}" for name in LOCAL_HOSTS}

    def guarded(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        host = str(environ.get("HTTP_HOST", "")).lower()
        if "HTTP_ORIGIN" in environ or host not in allowed:
            message = (
                f"The local AWS emulator answers only programs on this machine at 127.0.0.1:{port} "
                "(boto3, the local stack); browsers and other host names are refused."
            ).encode()
            start_response(
                "403 Forbidden", [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(message)))]
            )
            return [message]
        return app(environ, start_response)

    return guarded


class Emulator:
    def __init__(self, port: int) -> None:
        moto_patches.install()
        # moto's Cognito checks TOTP codes (two-step sign-in) only when told to; without it any
        # code would pass. Its key is one fixed secret for every user: fine for a local emulator.
        os.environ["MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP"] = "true"
        dispatcher = DomainDispatcherApplication(create_backend_app)
        lock = threading.Lock()

        def one_at_a_time(environ, start_response):
            with lock:
                return list(dispatcher(environ, start_response))

        self._server = make_server(
            "127.0.0.1",
            port,
            local_callers_only(one_at_a_time, port),
            threaded=True,
            request_handler=MotoRequestHandler,
        )
        self._thread = threading.Thread(target=self._server.serve_forever, name="aws-emulator", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)
