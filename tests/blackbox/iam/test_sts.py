"""STS: caller identity, AssumeRole (same- and cross-account), session credentials."""
import datetime
import json

import pytest

from helpers import (DEV_ACCOUNT, PROD_ACCOUNT, allow, creds_of, doc, error_of, new_user, session_creds, trust)

ENV_ROLE_POLICY = doc(allow(["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"],
                            "arn:aws:ssm:*:*:parameter/app/dev/*"))


def make_role(iam, name, trusted, *policies, **kwargs):
    arn = iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust(trusted), **kwargs)["Role"]["Arn"]
    for i, policy in enumerate(policies):
        iam.put_role_policy(RoleName=name, PolicyName=f"p{i}", PolicyDocument=policy)
    return arn


def test_get_caller_identity_for_root_user_and_role(client):
    root = client("sts").get_caller_identity()
    assert (root["Account"], root["Arn"], root["UserId"]) == (DEV_ACCOUNT, f"arn:aws:iam::{DEV_ACCOUNT}:root",
                                                              DEV_ACCOUNT)
    prod = client("sts", account="prod").get_caller_identity()
    assert prod["Account"] == PROD_ACCOUNT
    iam = client("iam")
    user = iam.create_user(UserName="alice")["User"]
    # No policy at all: GetCallerIdentity is never denied.
    creds = creds_of(iam.create_access_key(UserName="alice")["AccessKey"])
    me = client("sts", account=creds).get_caller_identity()
    assert (me["Arn"], me["UserId"]) == (user["Arn"], user["UserId"])
    role_arn = make_role(iam, "dev", DEV_ACCOUNT)
    out = client("sts").assume_role(RoleArn=role_arn, RoleSessionName="s1")
    session = client("sts", account=session_creds(out["Credentials"])).get_caller_identity()
    assert session["Arn"] == f"arn:aws:sts::{DEV_ACCOUNT}:assumed-role/dev/s1"
    assert session["UserId"] == out["AssumedRoleUser"]["AssumedRoleId"]
    assert session["UserId"].startswith("AROA") and session["UserId"].endswith(":s1")


def test_assume_role_returns_aws_shaped_credentials(client):
    iam = client("iam")
    role_arn = make_role(iam, "dev", DEV_ACCOUNT)
    before = datetime.datetime.now(datetime.timezone.utc)
    out = client("sts").assume_role(RoleArn=role_arn, RoleSessionName="build-42", DurationSeconds=900)
    creds = out["Credentials"]
    assert creds["AccessKeyId"].startswith("ASIA") and len(creds["AccessKeyId"]) == 20
    assert len(creds["SecretAccessKey"]) == 40 and len(creds["SessionToken"]) > 100
    lifetime = (creds["Expiration"] - before).total_seconds()
    assert 890 <= lifetime <= 905
    assert out["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{DEV_ACCOUNT}:assumed-role/dev/build-42"


def test_environment_role_reads_only_its_parameters(client):
    ssm = client("ssm")
    ssm.put_parameter(Name="/app/dev/x", Value="dev-value", Type="String")
    ssm.put_parameter(Name="/app/prod/x", Value="prod-value", Type="String")
    role_arn = make_role(client("iam"), "app-dev", DEV_ACCOUNT, ENV_ROLE_POLICY)
    creds = client("sts").assume_role(RoleArn=role_arn, RoleSessionName="app")["Credentials"]
    role_ssm = client("ssm", account=session_creds(creds))
    assert role_ssm.get_parameter(Name="/app/dev/x")["Parameter"]["Value"] == "dev-value"
    code, message, _ = error_of(role_ssm.get_parameter, Name="/app/prod/x")
    assert code == "AccessDeniedException"
    assert message.startswith(f"User: arn:aws:sts::{DEV_ACCOUNT}:assumed-role/app-dev/app is not authorized")
    assert error_of(role_ssm.put_parameter, Name="/app/dev/y", Value="v", Type="String")[0] == \
        "AccessDeniedException"


def test_cross_account_assume_role(client):
    client("ssm").put_parameter(Name="/app/dev/x", Value="dev-value", Type="String")
    role_arn = make_role(client("iam"), "prod-reader", PROD_ACCOUNT, ENV_ROLE_POLICY)
    out = client("sts", account="prod").assume_role(RoleArn=role_arn, RoleSessionName="from-prod")
    creds = session_creds(out["Credentials"])
    assert client("sts", account=creds).get_caller_identity()["Arn"] == \
        f"arn:aws:sts::{DEV_ACCOUNT}:assumed-role/prod-reader/from-prod"
    # The session acts in the role's account.
    assert client("ssm", account=creds).get_parameter(Name="/app/dev/x")["Parameter"]["Value"] == "dev-value"


def test_cross_account_assume_role_denied_without_trust(client):
    role_arn = make_role(client("iam"), "dev-only", DEV_ACCOUNT)
    code, message, status = error_of(client("sts", account="prod").assume_role, RoleArn=role_arn,
                                     RoleSessionName="ss")
    assert (code, status) == ("AccessDenied", 403)
    assert message == (f"User: arn:aws:iam::{PROD_ACCOUNT}:root is not authorized to perform: sts:AssumeRole "
                       f"on resource: {role_arn}")


def test_cross_account_user_needs_its_own_permission_too(client):
    role_arn = make_role(client("iam"), "shared", PROD_ACCOUNT)
    prod_iam = client("iam", account="prod")
    sts = client("sts", account=new_user(prod_iam, "carol"))
    assert error_of(sts.assume_role, RoleArn=role_arn, RoleSessionName="ss")[0] == "AccessDenied"
    prod_iam.put_user_policy(UserName="carol", PolicyName="assume",
                             PolicyDocument=doc(allow("sts:AssumeRole", role_arn)))
    assert sts.assume_role(RoleArn=role_arn, RoleSessionName="ss")["AssumedRoleUser"]["Arn"].endswith("/shared/ss")


def test_same_account_trust_naming_the_user_is_enough(client):
    iam = client("iam")
    user_arn = iam.create_user(UserName="dave")["User"]["Arn"]
    creds = creds_of(iam.create_access_key(UserName="dave")["AccessKey"])
    named = make_role(iam, "named", user_arn)
    account = make_role(iam, "account", DEV_ACCOUNT)
    sts = client("sts", account=creds)
    assert sts.assume_role(RoleArn=named, RoleSessionName="ss")["AssumedRoleUser"]["Arn"].endswith("/named/ss")
    # Trusting the account delegates to the user's own policies, which allow nothing here.
    assert error_of(sts.assume_role, RoleArn=account, RoleSessionName="ss")[0] == "AccessDenied"


def test_assume_missing_role_is_access_denied(client):
    code, _, status = error_of(client("sts").assume_role, RoleArn=f"arn:aws:iam::{DEV_ACCOUNT}:role/ghost",
                               RoleSessionName="ss")
    assert (code, status) == ("AccessDenied", 403)


def test_external_id_condition(client):
    iam = client("iam")
    policy = doc({"Effect": "Allow", "Principal": {"AWS": PROD_ACCOUNT}, "Action": "sts:AssumeRole",
                  "Condition": {"StringEquals": {"sts:ExternalId": "secret-123"}}})
    role_arn = iam.create_role(RoleName="ext", AssumeRolePolicyDocument=policy)["Role"]["Arn"]
    prod = client("sts", account="prod")
    assert error_of(prod.assume_role, RoleArn=role_arn, RoleSessionName="ss")[0] == "AccessDenied"
    assert error_of(prod.assume_role, RoleArn=role_arn, RoleSessionName="ss", ExternalId="wrong-1")[0] == \
        "AccessDenied"
    assert prod.assume_role(RoleArn=role_arn, RoleSessionName="ss", ExternalId="secret-123")["Credentials"]


def test_session_policy_narrows_the_role(client):
    ssm = client("ssm")
    ssm.put_parameter(Name="/app/dev/a", Value="a", Type="String")
    ssm.put_parameter(Name="/app/dev/b", Value="b", Type="String")
    role_arn = make_role(client("iam"), "wide", DEV_ACCOUNT, doc(allow("ssm:*")))
    narrow = doc(allow("ssm:GetParameter", "arn:aws:ssm:*:*:parameter/app/dev/a"))
    out = client("sts").assume_role(RoleArn=role_arn, RoleSessionName="ss", Policy=narrow)
    assert 0 <= out["PackedPolicySize"] <= 100
    role_ssm = client("ssm", account=session_creds(out["Credentials"]))
    assert role_ssm.get_parameter(Name="/app/dev/a")["Parameter"]["Value"] == "a"
    assert error_of(role_ssm.get_parameter, Name="/app/dev/b")[0] == "AccessDeniedException"
    assert error_of(role_ssm.put_parameter, Name="/app/dev/c", Value="c", Type="String")[0] == \
        "AccessDeniedException"


def test_assume_role_input_errors(client):
    role_arn = make_role(client("iam"), "r", DEV_ACCOUNT)
    sts = client("sts")
    code, message, status = error_of(sts.assume_role, RoleArn=role_arn, RoleSessionName="ss", DurationSeconds=7200)
    assert (code, status) == ("ValidationError", 400)
    assert message == "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."
    code, _, status = error_of(sts.assume_role, RoleArn=role_arn, RoleSessionName="ss", Policy="{bad")
    assert (code, status) == ("MalformedPolicyDocument", 400)
    loose = client("sts", parameter_validation=False)
    assert error_of(loose.assume_role, RoleArn=role_arn, RoleSessionName="x")[0] == "ValidationError"
    assert error_of(loose.assume_role, RoleArn=role_arn, RoleSessionName="bad name!")[0] == "ValidationError"
    assert error_of(loose.assume_role, RoleArn=role_arn, RoleSessionName="ss", DurationSeconds=60)[0] == \
        "ValidationError"
    assert error_of(loose.assume_role, RoleSessionName="ss")[0] == "ValidationError"


def test_role_chaining_is_limited_to_one_hour(client):
    iam = client("iam")
    first = make_role(iam, "first", DEV_ACCOUNT, doc(allow("sts:AssumeRole")), MaxSessionDuration=43200)
    second = make_role(iam, "second", DEV_ACCOUNT, MaxSessionDuration=43200)
    creds = client("sts").assume_role(RoleArn=first, RoleSessionName="aa")["Credentials"]
    chained = client("sts", account=session_creds(creds))
    assert error_of(chained.assume_role, RoleArn=second, RoleSessionName="bb", DurationSeconds=7200)[0] == \
        "ValidationError"
    out = chained.assume_role(RoleArn=second, RoleSessionName="bb")
    assert out["AssumedRoleUser"]["Arn"].endswith("/second/bb")


def test_tampered_session_credentials_are_rejected(client):
    role_arn = make_role(client("iam"), "r", DEV_ACCOUNT)
    creds = session_creds(client("sts").assume_role(RoleArn=role_arn, RoleSessionName="ss")["Credentials"])
    bad_token = dict(creds, aws_session_token=creds["aws_session_token"][:-4] + "AAAA")
    assert error_of(client("sts", account=bad_token).get_caller_identity)[0] == "InvalidClientTokenId"
    no_token = {k: v for k, v in creds.items() if k != "aws_session_token"}
    assert error_of(client("sts", account=no_token).get_caller_identity)[0] == "InvalidClientTokenId"
    bad_key = dict(creds, aws_access_key_id=creds["aws_access_key_id"][:-1] + "Z")
    if bad_key["aws_access_key_id"] == creds["aws_access_key_id"]:
        bad_key["aws_access_key_id"] = creds["aws_access_key_id"][:-1] + "Y"
    assert error_of(client("ssm", account=bad_key).get_parameter, Name="/x")[0] == "UnrecognizedClientException"


def test_session_credentials_with_the_cli(client, aws):
    client("ssm").put_parameter(Name="/app/dev/x", Value="v", Type="String")
    role_arn = make_role(client("iam"), "app-dev", DEV_ACCOUNT, ENV_ROLE_POLICY)
    out = aws("sts", "assume-role", "--role-arn", role_arn, "--role-session-name", "cli", check=True).json
    creds = session_creds(out["Credentials"])
    assert aws("sts", "get-caller-identity", creds=creds, check=True).json["Arn"].endswith(":assumed-role/app-dev/cli")
    got = aws("ssm", "get-parameter", "--name", "/app/dev/x", creds=creds, check=True).json
    assert got["Parameter"]["Value"] == "v"
    denied = aws("ssm", "get-parameter", "--name", "/app/prod/x", creds=creds)
    assert denied.returncode != 0 and "AccessDeniedException" in denied.stderr


def test_get_session_token(client):
    iam = client("iam")
    creds = new_user(iam, "alice", doc(allow("ssm:GetParameter")))
    client("ssm").put_parameter(Name="/p", Value="v", Type="String")
    out = client("sts", account=creds).get_session_token(DurationSeconds=900)["Credentials"]
    assert out["AccessKeyId"].startswith("ASIA")
    session = session_creds(out)
    assert client("sts", account=session).get_caller_identity()["Arn"].endswith(":user/alice")
    assert client("ssm", account=session).get_parameter(Name="/p")["Parameter"]["Value"] == "v"
    assert error_of(client("sts", account=session).get_session_token)[0] == "AccessDenied"


def test_get_access_key_info(client):
    iam = client("iam")
    creds = new_user(iam, "alice")
    sts = client("sts")
    assert sts.get_access_key_info(AccessKeyId=creds["aws_access_key_id"])["Account"] == DEV_ACCOUNT
    assert error_of(sts.get_access_key_info, AccessKeyId="AKIA" + "Q" * 16)[0] == "ValidationError"
    assert client("sts", account="prod").get_access_key_info(AccessKeyId=creds["aws_access_key_id"])["Account"] == \
        DEV_ACCOUNT
