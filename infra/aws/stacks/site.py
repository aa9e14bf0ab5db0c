"""The site: the built MkDocs ``site/`` in a private bucket behind CloudFront (origin access
control), ``/api/*`` sent to API Gateway on the same origin with the origin secret and the
viewer's address (see edge.py), the shared security headers (plus HSTS), the CDN's and the
bucket's logs, and ``portal-config.json`` written at deploy time from the stack's values."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_deployment as s3deploy
from constructs import Construct

from infra.security_headers import inline_script_hashes, security_headers

from .edge import ORIGIN_SECRET_HEADER, viewer_address_function
from .settings import StageSettings

HSTS_MAX_AGE = cdk.Duration.days(730)
LOG_RETENTION = cdk.Duration.days(90)  # CloudFront's and S3's access logs, as long as the functions' logs

# S3 has no directory index behind origin access control: MkDocs links to ".../page/", so a
# viewer-request function adds the "index.html" that a web server would.
DIRECTORY_INDEX = """
function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.endsWith('/')) {
    request.uri = uri + 'index.html';
  } else if (uri.split('/').pop().indexOf('.') === -1) {
    request.uri = uri + '/index.html';
  }
  return request;
}
""".strip()


def cognito_origin(region: str) -> str:
    """Where the widgets call Cognito's public API from the browser."""
    return f"https://cognito-idp.{region}.amazonaws.com"


def response_headers(
    scope: Construct, region: str, site_dir: Path, attachments_origin: str = ""
) -> cloudfront.ResponseHeadersPolicy:
    """The headers of infra/security_headers.py (what the local server sends too) plus HSTS."""
    headers = dict(security_headers(cognito_origin(region), inline_script_hashes(site_dir), attachments_origin))
    behaviour = cloudfront.ResponseSecurityHeadersBehavior(
        content_security_policy=cloudfront.ResponseHeadersContentSecurityPolicy(
            content_security_policy=headers.pop("Content-Security-Policy"), override=True
        ),
        strict_transport_security=cloudfront.ResponseHeadersStrictTransportSecurity(
            access_control_max_age=HSTS_MAX_AGE, include_subdomains=True, override=True
        ),
        content_type_options=cloudfront.ResponseHeadersContentTypeOptions(override=True)
        if headers.pop("X-Content-Type-Options", None) == "nosniff"
        else None,
        frame_options=cloudfront.ResponseHeadersFrameOptions(
            frame_option=cloudfront.HeadersFrameOption(headers.pop("X-Frame-Options")), override=True
        )
        if "X-Frame-Options" in headers
        else None,
        referrer_policy=cloudfront.ResponseHeadersReferrerPolicy(
            referrer_policy=cloudfront.HeadersReferrerPolicy(headers.pop("Referrer-Policy").upper().replace("-", "_")),
            override=True,
        )
        if "Referrer-Policy" in headers
        else None,
    )
    # Anything the shared module adds later goes out as a plain custom header.
    custom = (
        cloudfront.ResponseCustomHeadersBehavior(
            custom_headers=[
                cloudfront.ResponseCustomHeader(header=name, value=value, override=True)
                for name, value in headers.items()
            ]
        )
        if headers
        else None
    )
    return cloudfront.ResponseHeadersPolicy(
        scope,
        "SecurityHeaders",
        comment="Customer Portal: CSP, HSTS and the other security headers",
        security_headers_behavior=behaviour,
        custom_headers_behavior=custom,
    )


class Site(Construct):
    def __init__(
        self, scope: Construct, id: str, *, settings: StageSettings, site_dir: Path, attachments_origin: str = ""
    ) -> None:
        super().__init__(scope, id)
        self.settings = settings
        self.site_dir = site_dir
        # CloudFront's standard logs and the site bucket's access logs. CloudFront writes its
        # logs with an ACL, so this bucket (and only this one) keeps ACLs for the log writer.
        self.logs = s3.Bucket(
            self,
            "Logs",
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
            lifecycle_rules=[s3.LifecycleRule(id="expire-logs", expiration=LOG_RETENTION)],
            # Logs may be needed after a tear-down (an incident): kept, and expire by themselves.
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        self.bucket = s3.Bucket(
            self,
            "Bucket",
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            server_access_logs_bucket=self.logs,
            server_access_logs_prefix="s3/site/",
            # The bucket only holds the built site: `make deploy` puts it back in full.
            removal_policy=cdk.RemovalPolicy.DESTROY,
            auto_delete_objects=True,
        )
        self.headers = response_headers(self, cdk.Stack.of(self).region, site_dir, attachments_origin)
        self.index_function = cloudfront.Function(
            self,
            "DirectoryIndex",
            code=cloudfront.FunctionCode.from_inline(DIRECTORY_INDEX),
            runtime=cloudfront.FunctionRuntime.JS_2_0,
            comment="Serve index.html for directory URLs",
        )
        self.viewer_address_function = viewer_address_function(self)

    def distribute(self, api_domain: str, origin_secret: str) -> cloudfront.Distribution:
        """The distribution; ``api_domain`` is API Gateway's host (its stage is named api),
        ``origin_secret`` the header value the API's WAF lets in (a dynamic reference)."""
        certificate = (
            acm.Certificate.from_certificate_arn(self, "Certificate", self.settings.certificate_arn)
            if self.settings.certificate_arn
            else None
        )
        self.distribution = cloudfront.Distribution(
            self,
            "Distribution",
            comment=f"Customer Portal ({self.settings.stage})",
            default_root_object="index.html",
            http_version=cloudfront.HttpVersion.HTTP2_AND_3,
            # Only a custom certificate has a security policy to choose (the default one is fixed).
            minimum_protocol_version=cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021 if certificate else None,
            domain_names=[self.settings.domain] if self.settings.domain else None,
            certificate=certificate,
            enable_logging=True,
            log_bucket=self.logs,
            log_file_prefix="cloudfront/",
            log_includes_cookies=False,  # session cookies are none of the logs' business
            default_behavior=cloudfront.BehaviorOptions(
                origin=origins.S3BucketOrigin.with_origin_access_control(self.bucket),
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
                response_headers_policy=self.headers,
                compress=True,
                function_associations=[
                    cloudfront.FunctionAssociation(
                        function=self.index_function, event_type=cloudfront.FunctionEventType.VIEWER_REQUEST
                    )
                ],
            ),
            additional_behaviors={
                "/api/*": cloudfront.BehaviorOptions(
                    origin=origins.HttpOrigin(
                        api_domain,
                        protocol_policy=cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
                        origin_ssl_protocols=[cloudfront.OriginSslPolicy.TLS_V1_2],
                        custom_headers={ORIGIN_SECRET_HEADER: origin_secret},
                    ),
                    viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
                    allowed_methods=cloudfront.AllowedMethods.ALLOW_ALL,
                    cache_policy=cloudfront.CachePolicy.CACHING_DISABLED,
                    # API Gateway needs its own Host header; everything else goes through.
                    origin_request_policy=cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
                    response_headers_policy=self.headers,
                    # The viewer's address as a viewer header (CloudFront's own CloudFront-Viewer-Address
                    # is not forwarded by this origin request policy), overwriting any the viewer sent.
                    function_associations=[
                        cloudfront.FunctionAssociation(
                            function=self.viewer_address_function,
                            event_type=cloudfront.FunctionEventType.VIEWER_REQUEST,
                        )
                    ],
                ),
            },
        )
        # CDK gives the log bucket the legacy canned ACL LogDeliveryWrite; CloudFront grants its
        # log writer on the bucket's ACL itself when logging is turned on, and S3's access logs
        # use the bucket policy (@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy).
        logs_bucket = self.logs.node.default_child
        if isinstance(logs_bucket, s3.CfnBucket):
            logs_bucket.add_property_deletion_override("AccessControl")
        return self.distribution

    @property
    def url(self) -> str:
        host = self.settings.domain or self.distribution.distribution_domain_name
        return f"https://{host}/"

    def deploy(self, portal_config: dict[str, Any]) -> s3deploy.BucketDeployment:
        """Upload the built site and the run-time configuration, then invalidate the CDN."""
        deployment = s3deploy.BucketDeployment(
            self,
            "Deployment",
            sources=[
                s3deploy.Source.asset(str(self.site_dir)),
                s3deploy.Source.json_data("portal-config.json", portal_config),
            ],
            destination_bucket=self.bucket,
            distribution=self.distribution,
            distribution_paths=["/*"],
            prune=True,
            memory_limit=512,
        )
        self._scope_invalidation(deployment)
        return deployment

    def _scope_invalidation(self, deployment: s3deploy.BucketDeployment) -> None:
        """CDK lets the deployment's function invalidate any distribution ("*"); CloudFront
        supports resource-level permissions, so narrow it to this distribution."""
        policy = deployment.handler_role.node.try_find_child("DefaultPolicy")
        cfn_policy = policy.node.default_child if policy is not None else None
        # The role's DefaultPolicy is an iam.Policy, whose default child is its CfnPolicy.
        if not isinstance(cfn_policy, iam.CfnPolicy):
            return
        stack = cdk.Stack.of(self)
        document = stack.resolve(cfn_policy.policy_document)
        for statement in document["Statement"]:
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            if statement.get("Resource") == "*" and all(a.startswith("cloudfront:") for a in actions):
                statement["Resource"] = stack.resolve(self.distribution.distribution_arn)
        cfn_policy.add_property_override("PolicyDocument", document)
