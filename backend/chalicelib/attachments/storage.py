"""The attachments bucket: presigned uploads and downloads, and the few calls the API makes.

Two clients: one talks to S3 for the API (the emulator locally); the other only signs, for the
endpoint a browser reaches (the bucket's regional endpoint, or the local stack's /_s3 proxy).
Signing is local computation: presigning a URL makes no request. Created lazily and cached."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote

from chalicelib.core.config import settings
from chalicelib.core.errors import Unavailable

UPLOAD_SECONDS = 30 * 60  # a presigned POST: long enough for 25 MB on a slow line
DOWNLOAD_SECONDS = 5 * 60  # a presigned GET (PRODUCT.md §3.3: at most 5 minutes)


@dataclass(frozen=True)
class StoredObject:
    key: str
    size: int
    content_type: str
    owner: str
    filename: str


@functools.lru_cache(maxsize=1)
def _s3() -> Any:
    import boto3

    config = settings()
    return boto3.client("s3", region_name=config.region, endpoint_url=config.endpoint_url)


@functools.lru_cache(maxsize=1)
def _signer() -> Any:
    import boto3
    from botocore.config import Config

    config = settings()
    public = config.attachments_public_endpoint
    return boto3.client(
        "s3",
        region_name=config.region,
        endpoint_url=public or f"https://s3.{config.region}.amazonaws.com",
        config=Config(signature_version="s3v4", s3={"addressing_style": "path" if public else "virtual"}),
    )


def _unavailable(error: Exception) -> Unavailable:
    return Unavailable(f"The file store cannot be reached ({type(error).__name__}); try again in a minute.")


def presigned_upload(key: str, *, size: int, content_type: str, owner: str, filename: str) -> dict[str, Any]:
    """A presigned POST whose policy makes S3 refuse any other size, type, owner or name."""
    fields = {"Content-Type": content_type, "x-amz-meta-owner": owner, "x-amz-meta-filename": quote(filename, safe="")}
    conditions: list[Any] = [{name: value} for name, value in fields.items()]
    conditions.append(["content-length-range", size, size])
    post = _signer().generate_presigned_post(
        settings().attachments_bucket, key, Fields=fields, Conditions=conditions, ExpiresIn=UPLOAD_SECONDS
    )
    return {"url": post["url"], "fields": post["fields"]}


def put(key: str, data: bytes, *, content_type: str, owner: str, filename: str) -> None:
    try:
        _s3().put_object(
            Bucket=settings().attachments_bucket,
            Key=key,
            Body=data,
            ContentType=content_type,
            Metadata={"owner": owner, "filename": quote(filename, safe="")},
        )
    except Exception as error:
        raise _unavailable(error) from None


def stored(key: str) -> StoredObject | None:
    """The object's size, type and uploader, or None when nothing was uploaded there."""
    from botocore.exceptions import ClientError

    try:
        head = _s3().head_object(Bucket=settings().attachments_bucket, Key=key)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
            return None
        raise _unavailable(error) from None
    except Exception as error:
        raise _unavailable(error) from None
    metadata = head.get("Metadata") or {}
    return StoredObject(
        key=key,
        size=int(head["ContentLength"]),
        content_type=head.get("ContentType", ""),
        owner=metadata.get("owner", ""),
        filename=unquote(metadata.get("filename", "")),
    )


def copy(source: str, target: str) -> None:
    """Keep a referenced upload: a copy outside the prefix S3 expires (the API may not delete)."""
    bucket = settings().attachments_bucket
    try:
        _s3().copy_object(Bucket=bucket, Key=target, CopySource={"Bucket": bucket, "Key": source})
    except Exception as error:
        raise _unavailable(error) from None


def content_disposition(filename: str) -> str:
    """``attachment`` with the name for every browser: an ASCII fallback and RFC 6266's filename*."""
    fallback = "".join(ch if 32 <= ord(ch) < 127 and ch not in '"\\%' else "_" for ch in filename)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def presigned_download(key: str, *, filename: str, content_type: str) -> str:
    return _signer().generate_presigned_url(
        "get_object",
        Params={
            "Bucket": settings().attachments_bucket,
            "Key": key,
            "ResponseContentDisposition": content_disposition(filename),
            "ResponseContentType": content_type,
        },
        ExpiresIn=DOWNLOAD_SECONDS,
    )
