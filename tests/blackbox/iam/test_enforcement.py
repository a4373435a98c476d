"""IAM policies decide every request: users, explicit denies, conditions, isolation."""
import pytest

from helpers import DEV_ACCOUNT, PROD_ACCOUNT, allow, deny, doc, error_of, new_user


def test_user_without_policy_is_denied_until_a_policy_allows(client):
    iam = client("iam")
    client("ssm").put_parameter(Name="/app/dev/db", Value="x", Type="String")
    creds = new_user(iam, "alice")
    ssm = client("ssm", account=creds)
    code, message, status = error_of(ssm.get_parameter, Name="/app/dev/db")
    assert (code, status) == ("AccessDeniedException", 400)
    assert message == (f"User: arn:aws:iam::{DEV_ACCOUNT}:user/alice is not authorized to perform: "
                       f"ssm:GetParameter on resource: arn:aws:ssm:us-east-1:{DEV_ACCOUNT}:parameter/app/dev/db "
                       "because no identity-based policy allows the ssm:GetParameter action")
    user_iam = client("iam", account=creds)
    code, message, status = error_of(user_iam.list_users)
    assert (code, status) == ("AccessDenied", 403)
    assert "iam:ListUsers" in message
    iam.put_user_policy(UserName="alice", PolicyName="read", PolicyDocument=doc(allow(["ssm:GetParameter",
                                                                                       "iam:ListUsers"])))
    assert ssm.get_parameter(Name="/app/dev/db")["Parameter"]["Value"] == "x"
    assert [u["UserName"] for u in user_iam.list_users()["Users"]] == ["alice"]


def test_explicit_deny_beats_allow(client):
    iam = client("iam")
    client("ssm").put_parameter(Name="/app/dev/secret", Value="s", Type="String")
    client("ssm").put_parameter(Name="/app/dev/open", Value="o", Type="String")
    creds = new_user(iam, "alice", doc(allow("ssm:*")),
                     doc(deny("ssm:GetParameter", "arn:aws:ssm:*:*:parameter/app/dev/secret")))
    ssm = client("ssm", account=creds)
    assert ssm.get_parameter(Name="/app/dev/open")["Parameter"]["Value"] == "o"
    code, message, _ = error_of(ssm.get_parameter, Name="/app/dev/secret")
    assert code == "AccessDeniedException"
    assert message.endswith("with an explicit deny in an identity-based policy")


def test_managed_policy_attachment_grants(client):
    iam = client("iam")
    client("ssm").put_parameter(Name="/p", Value="v", Type="String")
    creds = new_user(iam, "alice")
    ssm = client("ssm", account=creds)
    assert error_of(ssm.get_parameter, Name="/p")[0] == "AccessDeniedException"
    iam.attach_user_policy(UserName="alice", PolicyArn="arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess")
    assert ssm.get_parameter(Name="/p")["Parameter"]["Value"] == "v"
    assert error_of(ssm.put_parameter, Name="/q", Value="v", Type="String")[0] == "AccessDeniedException"
    arn = iam.create_policy(PolicyName="write", PolicyDocument=doc(allow("ssm:PutParameter")))["Policy"]["Arn"]
    iam.attach_user_policy(UserName="alice", PolicyArn=arn)
    ssm.put_parameter(Name="/q", Value="v", Type="String")
    iam.detach_user_policy(UserName="alice", PolicyArn=arn)
    assert error_of(ssm.put_parameter, Name="/q", Value="w", Type="String", Overwrite=True)[0] == \
        "AccessDeniedException"


def test_username_policy_variable(client):
    iam = client("iam")
    root_ssm = client("ssm")
    root_ssm.put_parameter(Name="/home/alice/x", Value="mine", Type="String")
    root_ssm.put_parameter(Name="/home/bob/x", Value="theirs", Type="String")
    creds = new_user(iam, "alice", doc(allow("ssm:GetParameter", "arn:aws:ssm:*:*:parameter/home/${aws:username}/*")))
    ssm = client("ssm", account=creds)
    assert ssm.get_parameter(Name="/home/alice/x")["Parameter"]["Value"] == "mine"
    assert error_of(ssm.get_parameter, Name="/home/bob/x")[0] == "AccessDeniedException"


def test_principal_account_condition(client):
    iam = client("iam")
    client("ssm").put_parameter(Name="/p", Value="v", Type="String")
    right = doc(allow("ssm:GetParameter", Condition={"StringEquals": {"aws:PrincipalAccount": DEV_ACCOUNT}}))
    wrong = doc(allow("ssm:GetParameter", Condition={"StringEquals": {"aws:PrincipalAccount": PROD_ACCOUNT}}))
    assert client("ssm", account=new_user(iam, "good", right)).get_parameter(Name="/p")["Parameter"]["Value"] == "v"
    assert error_of(client("ssm", account=new_user(iam, "bad", wrong)).get_parameter, Name="/p")[0] == \
        "AccessDeniedException"


def test_iam_writes_by_users_are_enforced(client):
    iam = client("iam")
    creds = new_user(iam, "admin", doc(allow("iam:*")), doc(deny("iam:DeleteUser")))
    admin = client("iam", account=creds)
    admin.create_user(UserName="worker")
    code, message, status = error_of(admin.delete_user, UserName="worker")
    assert (code, status) == ("AccessDenied", 403)
    assert message == (f"User: arn:aws:iam::{DEV_ACCOUNT}:user/admin is not authorized to perform: iam:DeleteUser "
                       f"on resource: arn:aws:iam::{DEV_ACCOUNT}:user/worker with an explicit deny in an "
                       "identity-based policy")


def test_accounts_are_isolated(client):
    client("iam").create_user(UserName="dev-only")
    client("ssm").put_parameter(Name="/app/dev/x", Value="dev", Type="String")
    prod_iam = client("iam", account="prod")
    assert prod_iam.list_users()["Users"] == []
    assert error_of(prod_iam.get_user, UserName="dev-only")[0] == "NoSuchEntity"
    prod_ssm = client("ssm", account="prod")
    assert error_of(prod_ssm.get_parameter, Name="/app/dev/x")[0] == "ParameterNotFound"
    prod_iam.create_user(UserName="dev-only")  # the same name is free in another account
    assert prod_iam.get_user(UserName="dev-only")["User"]["Arn"] == f"arn:aws:iam::{PROD_ACCOUNT}:user/dev-only"


def test_cli_reports_access_denied(client, aws):
    creds = new_user(client("iam"), "alice")
    result = aws("iam", "list-users", creds=creds)
    assert result.returncode != 0
    assert "AccessDenied" in result.stderr and "iam:ListUsers" in result.stderr
