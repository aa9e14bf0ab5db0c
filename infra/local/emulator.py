"""The AWS emulator: moto's server, in this process, one request at a time.

DynamoDB applies each request atomically; moto's in-memory tables are not safe for
concurrent writers (a query iterates a table while another thread writes to it).
The stream worker, the API and the admin CLI all talk to the emulator at once, so every
request is handled under one lock, which is what DynamoDB's own per-request atomicity
guarantees them anyway.

moto is patched first (``moto_patches.install``): a cancelled transaction leaves no trace,
as in DynamoDB, without copying the tables; the stream keeps 24 hours of records; GetRecords
is cheap enough that the stream worker catching up never stalls the API behind the lock.
"""

from __future__ import annotations

import threading

from moto.moto_server.threaded_moto_server import MotoRequestHandler
from moto.server import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import make_server

from infra.local import moto_patches


class Emulator:
    def __init__(self, port: int) -> None:
        moto_patches.install()
        dispatcher = DomainDispatcherApplication(create_backend_app)
        lock = threading.Lock()

        def one_at_a_time(environ, start_response):
            with lock:
                return list(dispatcher(environ, start_response))

        self._server = make_server("127.0.0.1", port, one_at_a_time, threaded=True, request_handler=MotoRequestHandler)
        self._thread = threading.Thread(target=self._server.serve_forever, name="aws-emulator", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)
