"""The AWS emulator: moto's server, in this process, one request at a time.

DynamoDB applies each request atomically; moto's in-memory tables are not safe for
concurrent writers (a transaction copies the table while another thread writes to it).
The stream worker, the API and the admin CLI all talk to the emulator at once, so every
request is handled under one lock, which is what DynamoDB's own per-request atomicity
guarantees them anyway.

A cancelled transaction is also made to leave no trace, as in DynamoDB: see
``_roll_back_in_place``.
"""

from __future__ import annotations

import threading

from moto.moto_server.threaded_moto_server import MotoRequestHandler
from moto.server import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import make_server


def _roll_back_in_place() -> None:
    """moto undoes a cancelled transaction by swapping in a copy of the table taken before it.

    The stream records its applied items wrote stay on the old table's shard, where the
    stream worker's open iterator keeps reading: mail for a change that never happened,
    then a stalled stream. Here the live table and shard are kept and given the copy's
    state instead, so the phantom records vanish and iterators stay valid.
    """
    from moto.dynamodb.models import DynamoDBBackend

    transact = DynamoDBBackend.transact_write_items
    if getattr(transact, "rolls_back_in_place", False):
        return

    def transact_write_items(self, transact_items):
        live = dict(self.tables)
        try:
            return transact(self, transact_items)
        except Exception:
            for name, table in live.items():
                backup = self.tables.get(name)
                if backup is None or backup is table:
                    continue
                shard = table.stream_shard
                table.__dict__.update(backup.__dict__)
                if shard is not None and backup.stream_shard is not None:
                    shard.items[:] = backup.stream_shard.items
                    table.stream_shard = shard
                self.tables[name] = table
            raise

    transact_write_items.rolls_back_in_place = True
    DynamoDBBackend.transact_write_items = transact_write_items


class Emulator:
    def __init__(self, port: int) -> None:
        _roll_back_in_place()
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
