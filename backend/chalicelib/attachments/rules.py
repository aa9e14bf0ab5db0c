"""What a file may be called and how it is served: names made safe, executables refused, and
every type a browser could run (HTML, SVG, XML, scripts) served as application/octet-stream."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from chalicelib.core.errors import Invalid

# Programs and scripts a double click runs: a support bundle zips them instead.
REFUSED_EXTENSIONS = frozenset(
    "exe dll msi msp bat cmd com scr pif cpl ps1 psm1 vbs vbe wsf wsh jse hta jar app apk lnk reg".split()  # noqa: SIM905
)
# Types served as they were declared: none of them runs in a browser. Anything else (HTML, SVG,
# XML, JavaScript, unknown types) is stored and served as application/octet-stream.
SAFE_TYPES = frozenset(
    {
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
        "text/plain",
        "text/csv",
        "application/pdf",
        "application/json",
        "application/zip",
        "application/gzip",
        "application/x-gzip",
        "application/x-tar",
        "application/x-7z-compressed",
        "application/vnd.tcpdump.pcap",
    }
)
# Extensions a browser renders as a page whatever type is declared.
MARKUP_EXTENSIONS = frozenset("html htm xhtml shtml svg svgz xml xsl xslt mht mhtml".split())  # noqa: SIM905
NEUTRAL_TYPE = "application/octet-stream"
THUMBNAIL_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")  # the widgets preview these
NAME_LIMIT = 200
# Path separators and the characters that are not allowed in file names on Windows, except
# < and > (kept so a name reads as the person wrote it; widgets only ever show it as text).
_UNSAFE = re.compile(r'[\\/:*?"|]')


def extension(name: str) -> str:
    return name.rpartition(".")[2].lower() if "." in name else ""


def safe_name(raw: str) -> str:
    """The name a file is stored and downloaded under: its last path component, without
    control, formatting or bidirectional characters, at most NAME_LIMIT characters."""
    name = unicodedata.normalize("NFC", raw).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in name)
    name = re.sub(r"\s+", " ", _UNSAFE.sub("_", name)).strip(" .")
    stem, dot, ext = name.rpartition(".") if "." in name else (name, "", "")
    ext = ext[:20]
    # S3 keeps the name, percent-encoded, in the object's metadata (2 KB at most): 1 KB for it.
    while stem and (len(stem + dot + ext) > NAME_LIMIT or len(quote(stem + dot + ext, safe="")) > 1024):
        stem = stem[:-1]
    name = (stem.rstrip(" .") + dot + ext) if stem.rstrip(" .") else name[:NAME_LIMIT]
    return name or "attachment"


def checked_name(raw: str) -> str:
    name = safe_name(raw)
    if extension(name) in REFUSED_EXTENSIONS:
        raise Invalid(
            f"filename: .{extension(name)} files are programs, which the portal does not accept; "
            "put the file in a .zip archive and attach that."
        )
    return name


def served_type(name: str, declared: str) -> str:
    """The Content-Type the file is stored and served with."""
    declared = declared.lower()
    if declared not in SAFE_TYPES or extension(name) in MARKUP_EXTENSIONS:
        return NEUTRAL_TYPE
    return declared
