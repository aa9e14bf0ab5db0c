"""The one local origin: the site, the API under /api, portal-config.json and the Cognito proxy.

Chalice keeps the current request on the app object, as Lambda runs one request per
instance; the threaded server therefore hands requests to the app one at a time (a lock),
while static files, the proxy and the mail viewer are served concurrently.

It answers only under the names 127.0.0.1 and localhost (its own port): a page of another
site whose name an attacker points at 127.0.0.1 (DNS rebinding) gets nothing.
"""

from __future__ import annotations

import gzip
import json
import mimetypes
import re
import threading
from collections.abc import Callable, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from infra.local.cognito_proxy import CognitoProxy
from infra.local.settings import LOCAL_HOSTS
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
                # Chalice allows a bodiless error; its bodies are JSON.
                return error.CODE, with_json_default(dict(error.headers)), error.body or b""
        answer_headers = {k: v for k, v in (response.get("headers") or {}).items()}
        payload = response.get("body") or b""
        if isinstance(payload, str):
            payload = payload.encode()
        return response["statusCode"], with_json_default(answer_headers), payload


def with_json_default(headers: dict[str, str]) -> dict[str, str]:
    """API Gateway answers ``application/json`` when the function names no Content-Type
    (a dict body, Chalice's own errors); Chalice's LocalGateway leaves it out."""
    if any(name.lower() == "content-type" for name in headers):
        return headers
    return {**headers, "Content-Type": "application/json"}


def headers_get(headers: dict[str, str], name: str) -> str | None:
    return next((value for key, value in headers.items() if key.lower() == name), None)


# What CloudFront compresses (its "compress objects automatically"): text types of 1,000 bytes
# to 10 MB, for a client that accepts it; the answer then varies with Accept-Encoding.
COMPRESSIBLE = re.compile(r"text/|application/(javascript|json|xml)|image/svg\+xml")
MIN_COMPRESSED, MAX_COMPRESSED = 1_000, 10_000_000


def accepts_gzip(accept_encoding: str | None) -> bool:
    """Whether an Accept-Encoding header takes gzip (or ``*``) with a quality above 0."""
    qualities: dict[str, float] = {}
    for item in (accept_encoding or "").split(","):
        name, _, params = item.strip().partition(";")
        quality = re.fullmatch(r"\s*q=(\S*)\s*", params)
        try:
            qualities[name.strip().lower()] = float(quality.group(1)) if quality else 1.0
        except ValueError:
            qualities[name.strip().lower()] = 0.0
    return qualities.get("gzip", qualities.get("*", 0.0)) > 0


def compressed(request_headers: dict[str, str], headers: dict[str, str], payload: bytes) -> bytes:
    """The payload gzipped when CloudFront would compress it, headers updated in place."""
    if not COMPRESSIBLE.match(headers.get("Content-Type", "")):
        return payload
    headers["Vary"] = "Accept-Encoding"
    if not MIN_COMPRESSED <= len(payload) <= MAX_COMPRESSED or not accepts_gzip(
        headers_get(request_headers, "accept-encoding")
    ):
        return payload
    headers["Content-Encoding"] = "gzip"
    return gzip.compress(payload, compresslevel=6, mtime=0)


class StaticSite:
    """The built MkDocs site: directories answer with their index.html, misses with 404.html,
    text compressed as CloudFront compresses it (gzip, negotiated by Accept-Encoding).

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
        if not target.is_relative_to(self.root):
            return 404, {"Content-Type": "text/plain"}, b"Not found"
        if target.is_dir():
            if not path.endswith("/"):
                # Built from where the file is, never from the request: //evil.example/.. must not
                # become a Location that leaves the site.
                location = quote("/" + "".join(f"{part}/" for part in target.relative_to(self.root).parts))
                return 301, {"Location": location + (f"?{url.query}" if url.query else "")}, b""
            target = target / "index.html"
        if not target.is_file():
            missing = self.root / "404.html"
            page = missing.read_bytes() if missing.is_file() else b"Not found"
            headers = {"Content-Type": "text/html; charset=utf-8", **self._page_headers()}
            return 404, headers, compressed(request_headers, headers, page)
        content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if content_type.startswith("text/") or content_type in ("application/javascript", "application/json"):
            content_type += "; charset=utf-8"
        headers = {"Content-Type": content_type, "Cache-Control": "no-cache"}
        if content_type.startswith("text/html"):
            headers.update(self._page_headers())
        payload = target.read_bytes()
        if path == "/sitemap.xml":
            payload = self._sitemap_for(payload, headers_get(request_headers, "host"))
        return 200, headers, compressed(request_headers, headers, payload)

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


def is_local_host(host: str | None, port: int) -> bool:
    """Whether ``Host`` names this machine's loopback by one of its own names and our port."""
    if not host:
        return False
    allowed = {f"{name}:{port}" for name in LOCAL_HOSTS}
    if port == 80:
        allowed.update(LOCAL_HOSTS)
    return host.lower() in allowed


def foreign_host_answer(host: str | None, port: int) -> Answer:
    message = (
        f"This local stack answers only as http://127.0.0.1:{port}/ or http://localhost:{port}/, "
        f"not as {host!r}: another name pointing at this machine is refused (DNS rebinding)."
    )
    return 421, {"Content-Type": "text/plain; charset=utf-8", "Connection": "close"}, message.encode()


class _Handler(BaseHTTPRequestHandler):
    server: PortalServer
    protocol_version = "HTTP/1.1"

    def _serve(self) -> None:
        host, port = self.headers.get("Host"), self.server.server_address[1]
        if not is_local_host(host, port):
            self.close_connection = True  # the body, if any, is left unread
            self._send(*foreign_host_answer(host, port))
            return
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
        self._send(status, answer_headers, payload)

    def _send(self, status: int, answer_headers: dict[str, str], payload: bytes) -> None:
        self.send_response(status)
        for name, value in {**self.server.extra_headers, **answer_headers}.items():
            if name.lower() not in ("content-length", "transfer-encoding"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = do_HEAD = do_OPTIONS = _serve

    def __getattr__(self, name: str) -> Any:
        # Any other method (TRACE, QUERY, ...) reaches the mounts too, so the API answers its own
        # 405 for a method a route lacks, as API Gateway does, instead of http.server's HTML 501.
        if name.startswith("do_"):
            return self._serve
        raise AttributeError(name)

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
