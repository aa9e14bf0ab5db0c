"""Sign-in: the Cognito user pool (e-mail as user name, ``custom:org`` set by admins only,
the ``support`` and ``admin`` groups) and the public app client the widgets sign in with."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_cognito as cognito
from constructs import Construct

GROUPS = {
    "support": "Support agents: work every organisation's tickets",
    "admin": "Administrators: organisations, users and licenses",
}


# Threat protection needs the Plus feature plan, billed per monthly active user.
THREAT_PROTECTION: dict[str, dict[str, Any]] = {
    "enforced": {
        "feature_plan": cognito.FeaturePlan.PLUS,
        "standard_threat_protection_mode": cognito.StandardThreatProtectionMode.FULL_FUNCTION,
    },
    "audit": {
        "feature_plan": cognito.FeaturePlan.PLUS,
        "standard_threat_protection_mode": cognito.StandardThreatProtectionMode.AUDIT_ONLY,
    },
    "off": {},
}


class Identity(Construct):
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        stage: str,
        site_url: str = "",
        ses_sender: str = "",
        configuration_set_name: str = "",
        threat_protection: str = "off",
    ) -> None:
        """``site_url`` is named in the invitation mail; it is only known before the deploy
        with a custom domain (the CloudFront address would make a dependency cycle).
        ``ses_sender``: send Cognito's mails (invitations, password codes) through SES from
        this address, whose domain must already be verified; otherwise Cognito's own sender
        (no-reply@verificationemail.com, 50 mails a day) is used. ``threat_protection``:
        ``enforced`` or ``audit`` puts the pool on Cognito's Plus plan with threat protection
        (compromised passwords, risky sign-ins) blocking or only reporting; ``off`` leaves it out."""
        super().__init__(scope, id)
        email = None
        if ses_sender:
            email = cognito.UserPoolEmail.with_ses(
                from_email=ses_sender,
                from_name="Customer Portal",
                ses_verified_domain=ses_sender.rsplit("@", 1)[1],
                ses_region=cdk.Stack.of(self).region,
                configuration_set_name=configuration_set_name or None,
            )

        self.user_pool = cognito.UserPool(
            self,
            "UserPool",
            user_pool_name=f"portal-{stage}",
            sign_in_aliases=cognito.SignInAliases(email=True),
            sign_in_case_sensitive=False,
            self_sign_up_enabled=False,  # admins invite users
            auto_verify=cognito.AutoVerifiedAttrs(email=True),
            keep_original=cognito.KeepOriginalAttrs(email=True),
            standard_attributes=cognito.StandardAttributes(
                email=cognito.StandardAttribute(required=True, mutable=True)
            ),
            # The user's organisation. Mutable so admins can move a user; the app client
            # below does not list it among the attributes users may write.
            custom_attributes={"org": cognito.StringAttribute(min_len=1, max_len=64, mutable=True)},
            password_policy=cognito.PasswordPolicy(
                min_length=10,
                require_lowercase=True,
                require_uppercase=True,
                require_digits=True,
                require_symbols=False,
                temp_password_validity=cdk.Duration.days(7),
            ),
            mfa=cognito.Mfa.OPTIONAL,
            mfa_second_factor=cognito.MfaSecondFactor(otp=True, sms=False),
            account_recovery=cognito.AccountRecovery.EMAIL_ONLY,
            user_invitation=cognito.UserInvitationConfig(
                email_subject="Your Customer Portal account",
                email_body=(
                    "You have been invited to the Customer Portal"
                    + (f" at {site_url}" if site_url else "")
                    + ".<br><br>"
                    "Sign in with your e-mail address {username} and the temporary password "
                    "{####} and choose your own password. The temporary password is valid "
                    "for 7 days."
                ),
            ),
            email=email,
            **THREAT_PROTECTION[threat_protection],
            deletion_protection=True,
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )

        self.client = self.user_pool.add_client(
            "SiteClient",
            user_pool_client_name="portal-site",
            generate_secret=False,  # a public client: the widgets run in the browser
            disable_o_auth=True,  # the widgets use Cognito's API, never the hosted UI
            auth_flows=cognito.AuthFlow(user_password=True),  # refresh tokens are always allowed
            prevent_user_existence_errors=True,
            enable_token_revocation=True,
            id_token_validity=cdk.Duration.hours(1),
            access_token_validity=cdk.Duration.hours(1),
            refresh_token_validity=cdk.Duration.days(30),
            read_attributes=cognito.ClientAttributes()
            .with_standard_attributes(email=True, email_verified=True)
            .with_custom_attributes("org"),
            write_attributes=cognito.ClientAttributes().with_standard_attributes(email=True),
        )

        for name, description in GROUPS.items():
            cognito.CfnUserPoolGroup(
                self,
                f"{name.capitalize()}Group",
                user_pool_id=self.user_pool.user_pool_id,
                group_name=name,
                description=description,
            )
