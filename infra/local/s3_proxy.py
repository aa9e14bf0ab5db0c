"""/_s3/: the attachments bucket of the emulator, on the site's own origin, for browsers.

The emulator refuses every browser (an ``Origin`` header) and every ``Host`` but its own, so a
web page can never drive it. The widgets must still POST uploads and GET files with presigned
URLs, so the backend signs those for ``http://127.0.0.1:<port>/_s3`` and this mount passes on
exactly two kinds of request, for the one bucket: a POST upload to the bucket's root (from the
site's own origin: another site's form cannot upload) and a GET or HEAD of one object with a
presigned query. Anything else (listing, PUT, DELETE, other buckets) is refused here. Origin,
cookies and the widgets' Authorization header (kept on a same-origin redirect) never reach it.
"""

from __future__ import annotations

import http.client
from urllib.parse import urlsplit

from infra.local.server import Answer, headers_get

_FORWARDED = ("content-type", "range", "if-none-match", "if-modified-since")
_RETURNED = ("content-type", "content-disposition", "etag", "last-modified", "content-range", "accept-ranges")


class S3Proxy:
    def __init__(self, aws_endpoint: str, bucket: str, site_origin: str) -> None:
        target = urlsplit(aws_endpoint)
        self._host, self._port = target.hostname or "127.0.0.1", target.port or 80
        self.bucket = bucket
        self.origin = site_origin.rstrip("/")

    def _refuse(self, status: int, why: str) -> Answer:
        return status, {"Content-Type": "text/plain; charset=utf-8"}, why.encode()

    def __call__(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Answer:
        url = urlsplit(path)
        bucket, _, key = url.path.lstrip("/").partition("/")
        if bucket != self.bucket:
            return self._refuse(404, f"Only the attachments bucket ({self.bucket}) is served here.")
        upload = method == "POST" and not key and not url.query
        download = method in ("GET", "HEAD") and bool(key) and "X-Amz-Signature=" in url.query
        if not (upload or download):
            return self._refuse(403, "The local S3 proxy passes only presigned uploads (POST) and downloads (GET).")
        origin = headers_get(headers, "origin")
        if upload and origin is not None and origin != self.origin:
            return self._refuse(403, f"Uploads come from the portal's own pages ({self.origin}), not from {origin}.")
        forwarded = {name: value for name, value in headers.items() if name.lower() in _FORWARDED}
        forwarded["Host"] = f"{self._host}:{self._port}"
        forwarded["Content-Length"] = str(len(body))
        connection = http.client.HTTPConnection(self._host, self._port, timeout=60)
        try:
            connection.request(method, path, body=body or None, headers=forwarded)
            response = connection.getresponse()
            payload = response.read()
            answer = {name: value for name, value in response.getheaders() if name.lower() in _RETURNED}
            return response.status, answer, payload
        finally:
            connection.close()
