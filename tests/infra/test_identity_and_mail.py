"""Cognito: e-mail sign-in, custom:org set by admins only, groups, passwords, optional MFA,
and the public client the widgets use. SES: identity, configuration set, suppression."""

from __future__ import annotations

from aws_cdk.assertions import Match


def test_user_pool_signs_in_by_email_with_a_password_policy_and_optional_mfa(dev):
    pool = dev.one("AWS::Cognito::UserPool")
    assert pool["UsernameAttributes"] == ["email"]
    assert pool["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True
    policy = pool["Policies"]["PasswordPolicy"]
    assert policy["MinimumLength"] >= 10 and policy["RequireUppercase"] and policy["RequireNumbers"]
    assert pool["MfaConfiguration"] == "OPTIONAL"
    assert pool["EnabledMfas"] == ["SOFTWARE_TOKEN_MFA"]
    assert pool["DeletionProtection"] == "ACTIVE"


def test_user_pool_matches_the_local_stack_password_policy(dev):
    # The local stack's pool (infra/local/bootstrap.py) must accept the same passwords.
    policy = dev.one("AWS::Cognito::UserPool")["Policies"]["PasswordPolicy"]
    assert (
        policy["MinimumLength"],
        policy["RequireUppercase"],
        policy["RequireLowercase"],
        policy["RequireNumbers"],
        policy["RequireSymbols"],
    ) == (10, True, True, True, False)


def test_org_attribute_exists_and_users_cannot_write_it(dev):
    schema = dev.one("AWS::Cognito::UserPool")["Schema"]
    assert any(a["Name"] == "org" and a["AttributeDataType"] == "String" for a in schema)
    client = dev.one("AWS::Cognito::UserPoolClient")
    assert "custom:org" in client["ReadAttributes"]
    assert "custom:org" not in client["WriteAttributes"]


def test_support_and_admin_groups_exist(dev):
    groups = {g["Properties"]["GroupName"] for g in dev.resources("AWS::Cognito::UserPoolGroup").values()}
    assert groups == {"support", "admin"}


def test_app_client_is_public_with_password_sign_in_and_refresh(dev):
    client = dev.one("AWS::Cognito::UserPoolClient")
    assert client.get("GenerateSecret", False) is False
    assert set(client["ExplicitAuthFlows"]) == {"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}
    assert client["PreventUserExistenceErrors"] == "ENABLED"
    assert "AllowedOAuthFlows" not in client  # no hosted UI, no implicit flow


def test_invitation_names_the_site_when_the_domain_is_known(prod):
    pool = prod.one("AWS::Cognito::UserPool")
    assert "https://portal.vendor.example/" in pool["AdminCreateUserConfig"]["InviteMessageTemplate"]["EmailMessage"]


def test_ses_identity_is_the_sender_domain_with_the_configuration_set(dev):
    dev.template.has_resource_properties(
        "AWS::SES::EmailIdentity",
        {
            "EmailIdentity": "mail.vendor.example",
            "ConfigurationSetAttributes": {"ConfigurationSetName": Match.any_value()},
            "DkimAttributes": {"SigningEnabled": True},
        },
    )


def test_configuration_set_suppresses_bounces_and_complaints(dev):
    dev.template.has_resource_properties(
        "AWS::SES::ConfigurationSet",
        {
            "Name": "portal-dev",
            "SuppressionOptions": {"SuppressedReasons": Match.array_with(["BOUNCE", "COMPLAINT"])},
            "ReputationOptions": {"ReputationMetricsEnabled": True},
        },
    )
    dev.template.has_resource_properties(
        "AWS::SES::ConfigurationSetEventDestination",
        {
            "EventDestination": Match.object_like(
                {
                    "Enabled": True,
                    "MatchingEventTypes": Match.array_with(["bounce", "complaint"]),
                }
            ),
        },
    )


def test_cognito_mails_go_through_ses_when_asked(dev, prod):
    assert (
        dev.one("AWS::Cognito::UserPool").get("EmailConfiguration", {}).get("EmailSendingAccount", "COGNITO_DEFAULT")
        == "COGNITO_DEFAULT"
    )
    configuration = prod.one("AWS::Cognito::UserPool")["EmailConfiguration"]
    assert configuration["EmailSendingAccount"] == "DEVELOPER"
    assert "portal@vendor.example" in configuration["From"]
    assert configuration["ConfigurationSet"] == "portal-prod"


def test_local_cognito_proxy_enforces_the_same_write_attributes_as_the_app_client(dev):
    from infra.local.settings import APP_CLIENT_WRITE_ATTRIBUTES

    client = dev.one("AWS::Cognito::UserPoolClient")
    assert sorted(client["WriteAttributes"]) == sorted(APP_CLIENT_WRITE_ATTRIBUTES)
