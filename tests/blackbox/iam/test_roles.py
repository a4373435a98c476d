"""IAM roles, their trust policies, inline policies and tags."""
import json

from helpers import DEV_ACCOUNT, allow, doc, error_of, trust


def test_create_get_list_delete_role(client):
    iam = client("iam")
    role = iam.create_role(RoleName="deployer", Path="/ci/", AssumeRolePolicyDocument=trust(DEV_ACCOUNT),
                           Description="deploys", MaxSessionDuration=7200,
                           Tags=[{"Key": "env", "Value": "dev"}])["Role"]
    assert role["Arn"] == f"arn:aws:iam::{DEV_ACCOUNT}:role/ci/deployer"
    assert role["RoleId"].startswith("AROA") and len(role["RoleId"]) == 21
    got = iam.get_role(RoleName="deployer")["Role"]
    # botocore URL-decodes and parses the document IAM returns URL-encoded.
    assert got["AssumeRolePolicyDocument"] == json.loads(trust(DEV_ACCOUNT))
    assert got["Description"] == "deploys" and got["MaxSessionDuration"] == 7200
    assert got["Tags"] == [{"Key": "env", "Value": "dev"}]
    assert [r["RoleName"] for r in iam.list_roles()["Roles"]] == ["deployer"]
    assert iam.list_roles(PathPrefix="/other/")["Roles"] == []
    iam.delete_role(RoleName="deployer")
    assert error_of(iam.get_role, RoleName="deployer")[:2] == ("NoSuchEntity",
                                                               "The role with name deployer cannot be found.")


def test_create_role_errors(client):
    iam = client("iam")
    iam.create_role(RoleName="r", AssumeRolePolicyDocument=trust(DEV_ACCOUNT))
    code, message, status = error_of(iam.create_role, RoleName="r", AssumeRolePolicyDocument=trust(DEV_ACCOUNT))
    assert (code, status, message) == ("EntityAlreadyExists", 409, "Role with name r already exists.")
    code, _, status = error_of(iam.create_role, RoleName="bad", AssumeRolePolicyDocument="{not json")
    assert (code, status) == ("MalformedPolicyDocument", 400)
    # A trust policy needs a principal.
    assert error_of(iam.create_role, RoleName="bad",
                    AssumeRolePolicyDocument=doc({"Effect": "Allow", "Action": "sts:AssumeRole"}))[0] == \
        "MalformedPolicyDocument"
    strict = client("iam", parameter_validation=False)
    assert error_of(strict.create_role, RoleName="r", AssumeRolePolicyDocument=trust(DEV_ACCOUNT),
                    MaxSessionDuration=60)[0] == "ValidationError"


def test_update_role_and_trust_policy(client):
    iam = client("iam")
    iam.create_role(RoleName="r", AssumeRolePolicyDocument=trust(DEV_ACCOUNT))
    iam.update_role(RoleName="r", Description="new", MaxSessionDuration=43200)
    role = iam.get_role(RoleName="r")["Role"]
    assert role["Description"] == "new" and role["MaxSessionDuration"] == 43200
    iam.update_assume_role_policy(RoleName="r", PolicyDocument=trust("111111111111"))
    statement = iam.get_role(RoleName="r")["Role"]["AssumeRolePolicyDocument"]["Statement"][0]
    assert statement["Principal"] == {"AWS": "111111111111"}
    assert error_of(iam.update_assume_role_policy, RoleName="r", PolicyDocument="[]")[0] == "MalformedPolicyDocument"
    assert error_of(iam.update_role, RoleName="ghost", Description="x")[0] == "NoSuchEntity"


def test_role_inline_policies(client):
    iam = client("iam")
    iam.create_role(RoleName="r", AssumeRolePolicyDocument=trust(DEV_ACCOUNT))
    policy = doc(allow("ssm:GetParameter", "arn:aws:ssm:*:*:parameter/app/*"))
    iam.put_role_policy(RoleName="r", PolicyName="read", PolicyDocument=policy)
    got = iam.get_role_policy(RoleName="r", PolicyName="read")
    assert got["RoleName"] == "r" and got["PolicyName"] == "read"
    assert got["PolicyDocument"] == json.loads(policy)
    assert iam.list_role_policies(RoleName="r")["PolicyNames"] == ["read"]
    code, message, _ = error_of(iam.delete_role, RoleName="r")
    assert (code, message) == ("DeleteConflict", "Cannot delete entity, must delete policies first.")
    iam.delete_role_policy(RoleName="r", PolicyName="read")
    assert error_of(iam.get_role_policy, RoleName="r", PolicyName="read")[:2] == \
        ("NoSuchEntity", "The role policy with name read cannot be found.")
    assert error_of(iam.put_role_policy, RoleName="r", PolicyName="x", PolicyDocument="nope")[0] == \
        "MalformedPolicyDocument"
    # Identity policies may not name a principal.
    with_principal = doc(dict(allow("s3:*"), Principal={"AWS": "*"}))
    assert error_of(iam.put_role_policy, RoleName="r", PolicyName="x", PolicyDocument=with_principal)[0] == \
        "MalformedPolicyDocument"
    iam.delete_role(RoleName="r")


def test_user_inline_policies(client):
    iam = client("iam")
    iam.create_user(UserName="u")
    iam.put_user_policy(UserName="u", PolicyName="a", PolicyDocument=doc(allow("s3:*")))
    iam.put_user_policy(UserName="u", PolicyName="b", PolicyDocument=doc(allow("ssm:*")))
    assert iam.list_user_policies(UserName="u")["PolicyNames"] == ["a", "b"]
    assert iam.get_user_policy(UserName="u", PolicyName="b")["PolicyDocument"]["Statement"][0]["Action"] == "ssm:*"
    iam.delete_user_policy(UserName="u", PolicyName="a")
    assert iam.list_user_policies(UserName="u")["PolicyNames"] == ["b"]
    assert error_of(iam.delete_user_policy, UserName="u", PolicyName="a")[:2] == \
        ("NoSuchEntity", "The user policy with name a cannot be found.")
    assert error_of(iam.put_user_policy, UserName="ghost", PolicyName="a", PolicyDocument=doc(allow("s3:*")))[0] == \
        "NoSuchEntity"


def test_role_tags(client):
    iam = client("iam")
    iam.create_role(RoleName="r", AssumeRolePolicyDocument=trust(DEV_ACCOUNT))
    iam.tag_role(RoleName="r", Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])
    assert iam.list_role_tags(RoleName="r")["Tags"] == [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]
    iam.untag_role(RoleName="r", TagKeys=["a"])
    assert iam.list_role_tags(RoleName="r")["Tags"] == [{"Key": "b", "Value": "2"}]
    assert error_of(iam.list_role_tags, RoleName="ghost")[0] == "NoSuchEntity"


def test_cli_role_commands(aws):
    created = aws("iam", "create-role", "--role-name", "cli-role", "--assume-role-policy-document",
                  trust(DEV_ACCOUNT), check=True).json
    assert created["Role"]["Arn"] == f"arn:aws:iam::{DEV_ACCOUNT}:role/cli-role"
    got = aws("iam", "get-role", "--role-name", "cli-role", check=True).json
    assert got["Role"]["AssumeRolePolicyDocument"]["Statement"][0]["Action"] == "sts:AssumeRole"
