"""The site: private bucket behind CloudFront, /api/* on the same origin, the shared
security headers with HSTS, and portal-config.json from the stack's values."""

from __future__ import annotations

from aws_cdk.assertions import Match

from infra.security_headers import content_security_policy, inline_script_hashes, security_headers
from tests.infra.render import render

DISTRIBUTION = "AWS::CloudFront::Distribution"


def _distribution(synthesised) -> dict:
    return synthesised.one(DISTRIBUTION)["DistributionConfig"]


def _headers(synthesised) -> dict:
    return synthesised.one("AWS::CloudFront::ResponseHeadersPolicy")["ResponseHeadersPolicyConfig"]


def test_site_bucket_is_private_and_encrypted(dev):
    dev.template.has_resource_properties(
        "AWS::S3::Bucket",
        {
            "PublicAccessBlockConfiguration": {
                "BlockPublicAcls": True,
                "BlockPublicPolicy": True,
                "IgnorePublicAcls": True,
                "RestrictPublicBuckets": True,
            },
            "BucketEncryption": Match.any_value(),
        },
    )


def test_cloudfront_reads_the_bucket_through_origin_access_control(dev):
    dev.template.resource_count_is("AWS::CloudFront::OriginAccessControl", 1)
    s3_origins = [o for o in _distribution(dev)["Origins"] if "S3OriginConfig" in o]
    assert len(s3_origins) == 1 and "OriginAccessControlId" in s3_origins[0]
    assert s3_origins[0]["S3OriginConfig"].get("OriginAccessIdentity", "") == ""


def test_api_is_routed_on_the_same_origin_uncached(dev):
    config = _distribution(dev)
    (api,) = [b for b in config["CacheBehaviors"] if b["PathPattern"] == "/api/*"]
    assert set(api["AllowedMethods"]) == {"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"}
    assert api["CachePolicyId"] == "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"  # CachingDisabled
    assert api["OriginRequestPolicyId"] == "b689b0a8-53d0-40ab-baf2-68738e2966ac"  # AllViewerExceptHostHeader
    (origin,) = [o for o in config["Origins"] if o["Id"] == api["TargetOriginId"]]
    assert render(origin["DomainName"]) == "<Ref:RestAPI>.execute-api.eu-west-1.amazonaws.com"
    assert origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"
    assert origin.get("OriginPath", "") == ""  # /api/x reaches stage "api", resource /x
    assert api["ViewerProtocolPolicy"] == "https-only"
    assert config["DefaultCacheBehavior"]["ViewerProtocolPolicy"] == "redirect-to-https"


def test_both_behaviours_send_the_security_headers(dev):
    config = _distribution(dev)
    policy = {"Ref": next(iter(dev.resources("AWS::CloudFront::ResponseHeadersPolicy")))}
    assert config["DefaultCacheBehavior"]["ResponseHeadersPolicyId"] == policy
    for behaviour in config["CacheBehaviors"]:
        assert behaviour["ResponseHeadersPolicyId"] == policy


def test_csp_is_the_shared_policy_with_the_site_script_hashes(dev):
    hashes = inline_script_hashes(dev.site_dir)
    assert len(hashes) == 1  # the stand-in's one script; its JSON data block needs none
    attachments = "https://portal-dev-attachments-123456789012-eu-west-1.s3.eu-west-1.amazonaws.com"
    expected = content_security_policy("https://cognito-idp.eu-west-1.amazonaws.com", hashes, attachments)
    csp = _headers(dev)["SecurityHeadersConfig"]["ContentSecurityPolicy"]
    assert render(csp["ContentSecurityPolicy"]) == expected
    assert csp["Override"] is True
    assert (
        "script-src 'self' 'sha256-" in expected
        and "unsafe-inline" not in expected.split("script-src")[1].split(";")[0]
    )


def test_hsts_and_the_other_shared_headers_are_set(dev):
    config = _headers(dev)["SecurityHeadersConfig"]
    assert config["StrictTransportSecurity"]["AccessControlMaxAgeSec"] >= 365 * 24 * 3600
    assert config["StrictTransportSecurity"]["IncludeSubdomains"] is True
    shared = security_headers()
    assert config["FrameOptions"]["FrameOption"] == shared["X-Frame-Options"]
    assert config["ReferrerPolicy"]["ReferrerPolicy"] == shared["Referrer-Policy"]
    assert shared["X-Content-Type-Options"] == "nosniff" and config["ContentTypeOptions"]["Override"]


def test_directory_urls_are_served_from_index_html(dev):
    (function,) = [
        f["Properties"]
        for k, f in dev.resources("AWS::CloudFront::Function").items()
        if k.startswith("SiteDirectoryIndex")
    ]
    assert "index.html" in function["FunctionCode"]
    associations = _distribution(dev)["DefaultCacheBehavior"]["FunctionAssociations"]
    assert associations[0]["EventType"] == "viewer-request"


def test_portal_config_is_written_at_deploy_time_from_the_stack(dev):
    (deployment,) = dev.resources("Custom::CDKBucketDeployment").values()
    markers = deployment["Properties"]["SourceMarkers"]
    values = {render(v) for m in markers for v in m.values()}
    pool = next(iter(dev.resources("AWS::Cognito::UserPool")))
    client = next(iter(dev.resources("AWS::Cognito::UserPoolClient")))
    assert values == {f'"<Ref:{pool}>"', f'"<Ref:{client}>"', '"eu-west-1"'}
    assert deployment["Properties"]["DistributionPaths"] == ["/*"]


def test_custom_domain_uses_the_certificate_and_modern_tls(prod):
    config = _distribution(prod)
    assert config["Aliases"] == ["portal.vendor.example"]
    certificate = config["ViewerCertificate"]
    assert certificate["AcmCertificateArn"].startswith("arn:aws:acm:us-east-1:")
    assert certificate["MinimumProtocolVersion"] == "TLSv1.2_2021"
    assert certificate["SslSupportMethod"] == "sni-only"
