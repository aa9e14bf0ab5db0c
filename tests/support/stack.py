"""The real local stack as a subprocess on free ports, for smoke, mail and browser tests."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.support import ROOT

DEMO_PASSWORD = "Portal-Demo-1!"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LocalStack:
    def __init__(self, state_dir: Path, demo: bool = True) -> None:
        self.port, self.aws_port, self.smtp_port = free_port(), free_port(), free_port()
        self.state_dir = state_dir
        self.url = f"http://127.0.0.1:{self.port}/"
        command = [
            sys.executable,
            "-m",
            "infra.local",
            "--port",
            str(self.port),
            "--aws-port",
            str(self.aws_port),
            "--smtp-port",
            str(self.smtp_port),
            "--no-watch",
            "--state-dir",
            str(state_dir),
        ]
        if not demo:
            command.append("--no-demo")
        # Open as long as the stack runs; stop() closes it.
        self.log = open(state_dir.parent / f"stack-{self.port}.log", "w")  # noqa: SIM115
        environment = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        self.process = subprocess.Popen(
            command, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT, env={**environment, "PYTHONUNBUFFERED": "1"}
        )

    def wait_ready(self, timeout: float = 120) -> LocalStack:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"local stack exited: {Path(self.log.name).read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(self.url + "api/health", timeout=2):
                    return self
            except OSError:
                time.sleep(0.3)
        raise TimeoutError(f"local stack not ready: {Path(self.log.name).read_text()[-3000:]}")

    @property
    def environment(self) -> dict[str, str]:
        return json.loads((self.state_dir / "env.json").read_text())

    def config(self) -> dict:
        with urllib.request.urlopen(self.url + "portal-config.json") as answer:
            return json.load(answer)

    def request(
        self, method: str, path: str, token: str | None = None, body=None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict | None]:
        data = json.dumps(body).encode() if body is not None else None
        all_headers = {"Content-Type": "application/json", **(headers or {})}
        if token:
            all_headers["Authorization"] = f"Bearer {token}"
        request = urllib.request.Request(self.url + path.lstrip("/"), data=data, method=method, headers=all_headers)
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                payload = answer.read()
                return answer.status, json.loads(payload) if payload else None
        except urllib.error.HTTPError as error:
            payload = error.read()
            return error.code, json.loads(payload) if payload else None

    def sign_in(self, email: str, password: str = DEMO_PASSWORD) -> str:
        """An ID token from the local Cognito, through the site's same-origin proxy."""
        client_id = self.config()["cognito"]["clientId"]
        body = json.dumps(
            {
                "AuthFlow": "USER_PASSWORD_AUTH",
                "ClientId": client_id,
                "AuthParameters": {"USERNAME": email, "PASSWORD": password},
            }
        ).encode()
        request = urllib.request.Request(
            self.url + "_cognito/",
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/x-amz-json-1.1",
                "X-Amz-Target": "AWSCognitoIdentityProviderService.InitiateAuth",
            },
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            return json.load(answer)["AuthenticationResult"]["IdToken"]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()
