"""The one local origin: the site, the API under /api, portal-config.json and the Cognito proxy.

Chalice keeps the current request on the app object, as Lambda runs one request per
instance; the threaded server therefore hands requests to the app one at a time (a lock),
while static files, the proxy and the mail viewer are served concurrently.
"""

from __future__ import annotations

import json
import mimetypes
import re
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from infra.security_headers import inline_script_hashes, security_headers

# A mount answers the requests under its prefix: (method, path, headers, body) -> (status, headers, body).
Answer = tuple[int, dict[str, str], bytes]
Mount = Callable[[str, str, dict[str, str], bytes], Answer]


class ChaliceMount:
    """Runs the Chalice app through its local API Gateway emulation, one request at a time."""

    def __init__(self, app) -> None:
        from chalice.config import Config
        from chalice.local import LocalGateway

        self._gateway = LocalGateway(app, Config(chalice_stage="dev", config_from_disk={}))
        self._lock = threading.Lock()

    def __call__(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Answer:
        from chalice.local import LocalGatewayException

        with self._lock:
            try:
                response = self._gateway.handle_request(method, path or "/", headers, body)
            except LocalGatewayException as error:
                return error.CODE, dict(error.headers), error.body or b""  # Chalice allows a bodiless error
        answer_headers = {k: v for k, v in (response.get("headers") or {}).items()}
        payload = response.get("body") or b""
        if isinstance(payload, str):
            payload = payload.encode()
        return response["statusCode"], answer_headers, payload


class CognitoProxy:
    """Forwards Cognito API calls to the emulator so the widgets stay same-origin (CSP)."""

    def __init__(self, aws_endpoint: str) -> None:
        self._endpoint = aws_endpoint.rstrip("/") + "/"

    def __call__(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Answer:
        if method != "POST":
            return 405, {"Content-Type": "text/plain"}, b"POST only"
        forward = {k: v for k, v in headers.items() if k.lower() in ("content-type", "x-amz-target")}
        request = urllib.request.Request(self._endpoint, data=body, headers=forward, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                return (
                    answer.status,
                    {"Content-Type": answer.headers.get("Content-Type", "application/json")},
                    answer.read(),
                )
        except urllib.error.HTTPError as error:
            return error.code, {"Content-Type": error.headers.get("Content-Type", "application/json")}, error.read()


def headers_get(headers: dict[str, str], name: str) -> str | None:
    return next((value for key, value in headers.items() if key.lower() == name), None)


class StaticSite:
    """The built MkDocs site: directories answer with their index.html, misses with 404.html.

    Pages carry a CSP that allows Material's inline scripts by hash, recomputed after each
    rebuild (a new page depth brings a new scope script)."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._csp: tuple[float, str] | None = None

    def _page_headers(self) -> dict[str, str]:
        stamp = max(
            (p.stat().st_mtime for p in (self.root / "sitemap.xml", self.root / "index.html") if p.exists()),
            default=0.0,
        )
        if self._csp is None or self._csp[0] != stamp:
            policy = security_headers(script_hashes=inline_script_hashes(self.root))["Content-Security-Policy"]
            self._csp = (stamp, policy)
        return {"Content-Security-Policy": self._csp[1]}

    def __call__(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Answer:
        if method not in ("GET", "HEAD"):
            return 405, {"Content-Type": "text/plain"}, b"GET only"
        request_headers = headers
        url = urlsplit(path)
        path = unquote(url.path)  # support/ticket/?n=1042 is the page support/ticket/
        target = (self.root / path.lstrip("/")).resolve()
        if not str(target).startswith(str(self.root)):
            return 404, {"Content-Type": "text/plain"}, b"Not found"
        if target.is_dir():
            if not path.endswith("/"):
                return 301, {"Location": path + "/" + (f"?{url.query}" if url.query else "")}, b""
            target = target / "index.html"
        if not target.is_file():
            missing = self.root / "404.html"
            page = missing.read_bytes() if missing.is_file() else b"Not found"
            return 404, {"Content-Type": "text/html; charset=utf-8", **self._page_headers()}, page
        content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if content_type.startswith("text/") or content_type in ("application/javascript", "application/json"):
            content_type += "; charset=utf-8"
        headers = {"Content-Type": content_type, "Cache-Control": "no-cache"}
        if content_type.startswith("text/html"):
            headers.update(self._page_headers())
        payload = target.read_bytes()
        if path == "/sitemap.xml":
            payload = self._sitemap_for(payload, headers_get(request_headers, "host"))
        return 200, headers, payload

    @staticmethod
    def _sitemap_for(sitemap: bytes, host: str | None) -> bytes:
        """Material's instant navigation only follows links whose origin matches the sitemap's,
        port included: point the sitemap at the origin actually serving (any --port)."""
        if not host:
            return sitemap
        return re.sub(rb"<loc>https?://[^/<]+/", b"<loc>http://" + host.encode() + b"/", sitemap)


class PortalServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self, address: tuple[str, int], mounts: list[tuple[str, Mount]], site: Mount, extra_headers: dict[str, str]
    ) -> None:
        super().__init__(address, _Handler)
        # Longest prefix first, so /api/x never falls through to the site.
        self.mounts = sorted(mounts, key=lambda mount: -len(mount[0]))
        self.site = site
        self.extra_headers = extra_headers

    def route(self, path: str) -> tuple[Mount, str]:
        for prefix, mount in self.mounts:
            if path == prefix.rstrip("/") or path.startswith(prefix):
                return mount, path[len(prefix.rstrip("/")) :]
        return self.site, path


class _Handler(BaseHTTPRequestHandler):
    server: PortalServer
    protocol_version = "HTTP/1.1"

    def _serve(self) -> None:
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        mount, sub_path = self.server.route(url.path)
        target = sub_path + (f"?{url.query}" if url.query else "")
        headers = {k: v for k, v in self.headers.items()}
        try:
            status, answer_headers, payload = mount(self.command, target, headers, body)
        except Exception as error:  # a crash in one mount must not take the server down
            status, answer_headers = 500, {"Content-Type": "application/json"}
            payload = json.dumps({"Code": "InternalServerError", "Message": str(error)}).encode()
        self.send_response(status)
        for name, value in {**self.server.extra_headers, **answer_headers}.items():
            if name.lower() not in ("content-length", "connection", "transfer-encoding"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = do_HEAD = do_OPTIONS = _serve

    def log_message(self, format: str, *args) -> None:  # quiet: the console shows the banner
        pass


def json_answer(document: dict) -> Mount:
    def answer(method, path, headers, body) -> Answer:
        return 200, {"Content-Type": "application/json", "Cache-Control": "no-cache"}, json.dumps(document).encode()

    return answer


def make_server(
    port: int,
    app,
    site_dir: Path,
    aws_endpoint: str,
    portal_config: dict,
    extra_mounts: Sequence[tuple[str, Mount]] = (),
) -> PortalServer:
    mounts: list[tuple[str, Mount]] = [
        ("/api/", ChaliceMount(app)),
        ("/_cognito/", CognitoProxy(aws_endpoint)),
        ("/portal-config.json", json_answer(portal_config)),
        *extra_mounts,
    ]
    return PortalServer(("127.0.0.1", port), mounts, StaticSite(site_dir), security_headers())
