"""The attachments bucket: private, encrypted, TLS only, CORS for the site's origin only, uploads
nobody referenced expire; the API may presign uploads and downloads but never delete."""

from __future__ import annotations

from infra import attachments_bucket
from tests.infra.render import render
from tests.infra.test_iam import _list, _role_of, _statements

BUCKET = "portal-dev-attachments-123456789012-eu-west-1"


def _bucket(synthesised) -> dict:
    [properties] = [
        r["Properties"]
        for r in synthesised.resources("AWS::S3::Bucket").values()
        if "-attachments-" in str(render(r["Properties"].get("BucketName", "")))
    ]
    return properties


def test_the_bucket_blocks_public_access_is_encrypted_versioned_and_logged(dev):
    bucket = _bucket(dev)
    assert render(bucket["BucketName"]) == BUCKET
    assert bucket["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    [rule] = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    assert bucket["VersioningConfiguration"] == {"Status": "Enabled"}
    assert bucket["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    assert bucket["LoggingConfiguration"]["LogFilePrefix"] == "s3/attachments/"


def test_the_bucket_refuses_plain_http(dev):
    policies = [
        p["Properties"]["PolicyDocument"]["Statement"]
        for p in dev.resources("AWS::S3::BucketPolicy").values()
        if "Attachments" in str(p["Properties"]["Bucket"])
    ]
    [statements] = policies
    assert any(
        s["Effect"] == "Deny" and s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}} for s in statements
    )


def test_cors_allows_only_the_sites_origin_and_only_post_and_get(dev, prod):
    [rule] = _bucket(prod)["CorsConfiguration"]["CorsRules"]
    assert rule["AllowedOrigins"] == ["https://portal.vendor.example"]
    assert sorted(rule["AllowedMethods"]) == ["GET", "POST"]
    [dev_rule] = _bucket(dev)["CorsConfiguration"]["CorsRules"]
    [origin] = dev_rule["AllowedOrigins"]
    assert render(origin).startswith("https://<GetAtt:") and "DomainName" in render(origin)  # the distribution's
    assert "*" not in render(origin)


def test_unreferenced_uploads_expire_and_the_rules_are_the_shared_definitions(dev):
    rules = {rule["Id"]: rule for rule in _bucket(dev)["LifecycleConfiguration"]["Rules"]}
    uploads = rules["ExpireUnreferencedUploads"]
    assert uploads["Status"] == "Enabled"
    assert uploads["Prefix"] == "uploads/" and uploads["ExpirationInDays"] == 1
    assert uploads["NoncurrentVersionExpiration"]["NoncurrentDays"] == 1
    shared = {rule["ID"] for rule in attachments_bucket.lifecycle_rules()}
    assert set(rules) == shared
    # Kept files (tickets/) have no expiry: only their old versions go.
    assert "ExpirationInDays" not in rules["ForgetOldVersions"] and "Prefix" not in rules["ForgetOldVersions"]


def test_the_api_role_may_put_and_get_its_two_prefixes_and_never_delete(dev):
    role = _role_of(dev, "APIHandler")
    s3 = [s for name, s in _statements(dev) if name == role and any(a.startswith("s3:") for a in _list(s["Action"]))]
    actions = {a for s in s3 for a in _list(s["Action"])}
    assert actions == {"s3:PutObject", "s3:GetObject"}
    resources = {render(r) for s in s3 for r in _list(s["Resource"])}
    assert resources == {f"arn:aws:s3:::{BUCKET}/uploads/*", f"arn:aws:s3:::{BUCKET}/tickets/*"}
    every_action = {a for name, s in _statements(dev) if name == role for a in _list(s["Action"])}
    assert not {a for a in every_action if a.startswith("s3:Delete") or a in ("s3:*", "s3:ListBucket")}


def test_the_api_knows_the_bucket_and_the_limit(dev):
    variables = dev.json["Resources"]["APIHandler"]["Properties"]["Environment"]["Variables"]
    assert render(variables["ATTACHMENTS_BUCKET"]) == BUCKET
    assert variables["ATTACHMENT_MAX_MB"] == "25"


def test_the_csp_lets_the_widgets_upload_to_and_show_images_from_the_bucket_only(dev):
    [policy] = dev.resources("AWS::CloudFront::ResponseHeadersPolicy").values()
    csp = render(
        policy["Properties"]["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]["ContentSecurityPolicy"][
            "ContentSecurityPolicy"
        ]
    )
    origin = f"https://{BUCKET}.s3.eu-west-1.amazonaws.com"
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert origin in directives["connect-src"].split() and origin in directives["img-src"].split()
    assert origin not in directives["script-src"]
