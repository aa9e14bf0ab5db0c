"""Local stack: ticket-create latency over HTTP, fresh and after 10,000 tickets, and the stack's memory."""

from __future__ import annotations

import json
import signal
import statistics
import subprocess
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import boto3

from bench.harness import prepare_process

SAMPLES = 50  # creates timed one after another, fresh and full
WARM_UP = 10  # untimed creates before each figure (see _settle)
TICKETS = 10_000  # written in between, through the API
WRITERS = 4  # concurrent HTTP clients for the bulk write
MAIL_SAMPLES = 10  # tickets whose mail is timed on the fresh stack
TARGET_RATIO, TARGET_RSS_GB = 1.5, 1.5
BODY = {"title": "Bench ticket", "description": "Raised by the local-stack benchmark.", "tags": ["Bug"]}


def run() -> list[str]:
    prepare_process()  # tests.support importable
    from tests.support.stack import LocalStack

    with tempfile.TemporaryDirectory(prefix="bench-stack-") as work:
        stack = LocalStack(Path(work) / "state").wait_ready()
        try:
            return _measure(stack, TICKETS)
        finally:
            _stop(stack)


def _measure(stack, tickets: int) -> list[str]:
    token = stack.sign_in("alice@acme.example")
    mail = _sent_mail_counter(stack)
    _settle(stack, token, mail)
    empty = _median_create_ms(stack, token)
    _wait_for_quiet(mail)
    delivery = _median_mail_ms(stack, token, mail)

    started = time.monotonic()
    with ThreadPoolExecutor(WRITERS) as pool:
        statuses = list(pool.map(lambda _: _create(stack, token)[0], range(tickets)))
    write_seconds = time.monotonic() - started
    if any(status != 201 for status in statuses):
        raise RuntimeError(f"bulk create answered {sorted(set(statuses))}")
    _wait_for_quiet(mail)  # every ticket's mail delivered, so the second figure is not the backlog's
    drain_seconds = time.monotonic() - started - write_seconds
    _settle(stack, token, mail)

    full = _median_create_ms(stack, token)
    rss_gb = _rss_kb(stack.process.pid) / 1024**2
    ratio = full / empty
    verdict = "within" if ratio <= TARGET_RATIO else "OVER"
    memory_verdict = "within" if rss_gb <= TARGET_RSS_GB else "OVER"
    return [
        (
            "Local stack (python -m infra.local, moto server mode; POST /api/tickets over HTTP as alice, "
            f"median of {SAMPLES} sequential creates, each after {WARM_UP} untimed ones)"
        ),
        f"  fresh stack (demo data)                      {empty:6.1f} ms",
        f"  {f'after {tickets:,} more tickets':<45}{full:6.1f} ms   = {ratio:.2f}x ({verdict} {TARGET_RATIO}x)",
        (
            f"    written through the API by {WRITERS} HTTP clients in {write_seconds:.0f} s "
            f"({tickets / write_seconds:.0f}/s), their mail out {drain_seconds:.0f} s later"
        ),
        f"  stack process resident memory (VmRSS)        {rss_gb:6.2f} GB   ({memory_verdict} {TARGET_RSS_GB} GB)",
        (
            f"  a new ticket's two mails in the local SES    {delivery:6.0f} ms after the create answered "
            f"(median of {MAIL_SAMPLES}; stream worker polls every 0.2 s)"
        ),
    ]


def _create(stack, token: str) -> tuple[int, float]:
    request = urllib.request.Request(
        stack.url + "api/tickets",
        data=json.dumps(BODY).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            answer.read()
            status = answer.status
    except urllib.error.HTTPError as error:
        status = error.code
    return status, (time.perf_counter() - started) * 1000


def _settle(stack, token: str, mail) -> None:
    """The same start for both figures: mail out, a few untimed creates, mail out again.

    The first creates after a quiet spell are several times slower (seen on a fresh stack and
    after the bulk write alike), whatever the table holds; they are not what is compared.
    """
    _wait_for_quiet(mail)
    for _ in range(WARM_UP):
        _create(stack, token)
    _wait_for_quiet(mail)


def _median_create_ms(stack, token: str) -> float:
    samples = []
    for _ in range(SAMPLES):
        status, milliseconds = _create(stack, token)
        if status != 201:
            raise RuntimeError(f"create answered {status}")
        samples.append(milliseconds)
    return statistics.median(samples)


def _median_mail_ms(stack, token: str, sent) -> float:
    """From a create's answer to its two mails (confirmation, inbox alert) sent by the local SES:
    the figure the mail tests used to assert, which belongs here (tests only wait for mail)."""
    samples = []
    for _ in range(MAIL_SAMPLES):
        before = sent()
        status, _ = _create(stack, token)
        answered = time.perf_counter()
        if status != 201:
            raise RuntimeError(f"create answered {status}")
        deadline = answered + 60
        while sent() < before + 2:
            if time.perf_counter() > deadline:
                raise TimeoutError("a new ticket's mail was not sent within 60 s")
            time.sleep(0.01)
        samples.append((time.perf_counter() - answered) * 1000)
    return statistics.median(samples)


def _sent_mail_counter(stack):
    """How many mails the local SES has sent: cheap, unlike the mail viewer's full listing."""
    environment = stack.environment
    ses = boto3.client(
        "ses",
        region_name="us-east-1",
        endpoint_url=f"http://127.0.0.1:{stack.aws_port}",
        aws_access_key_id=environment.get("AWS_ACCESS_KEY_ID", "local"),
        aws_secret_access_key=environment.get("AWS_SECRET_ACCESS_KEY", "local"),
    )
    return lambda: int(ses.get_send_quota()["SentLast24Hours"])


def _wait_for_quiet(sent, quiet_seconds: float = 2.0, timeout: float = 900) -> None:
    """Until no mail has gone out for ``quiet_seconds`` (the stream worker polls every 0.2 s)."""
    deadline = time.monotonic() + timeout
    last, since = sent(), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.25)
        now = sent()
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet_seconds:
            return
    raise TimeoutError("the stream worker's mail did not settle")


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


def _stop(stack) -> None:
    """Ctrl-C, as a developer stops it; killed only if it does not stop."""
    stack.process.send_signal(signal.SIGINT)
    try:
        stack.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        stack.process.kill()
        stack.process.wait()
    stack.log.close()


if __name__ == "__main__":
    print("\n".join(run()))
