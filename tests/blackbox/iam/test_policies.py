"""Managed policies: versions, attachments, AWS-managed policies."""
import json

from helpers import DEV_ACCOUNT, allow, doc, error_of, trust

READ = doc(allow("ssm:GetParameter"))
WRITE = doc(allow("ssm:PutParameter"))


def test_create_get_list_delete_policy(client):
    iam = client("iam")
    policy = iam.create_policy(PolicyName="read", Path="/app/", PolicyDocument=READ, Description="reads")["Policy"]
    assert policy["Arn"] == f"arn:aws:iam::{DEV_ACCOUNT}:policy/app/read"
    assert policy["PolicyId"].startswith("ANPA") and policy["DefaultVersionId"] == "v1"
    assert policy["AttachmentCount"] == 0 and policy["IsAttachable"]
    got = iam.get_policy(PolicyArn=policy["Arn"])["Policy"]
    assert got["PolicyName"] == "read" and got["Description"] == "reads"
    local = iam.list_policies(Scope="Local")["Policies"]
    assert [p["Arn"] for p in local] == [policy["Arn"]]
    iam.delete_policy(PolicyArn=policy["Arn"])
    code, message, status = error_of(iam.get_policy, PolicyArn=policy["Arn"])
    assert (code, status) == ("NoSuchEntity", 404) and policy["Arn"] in message


def test_create_policy_errors(client):
    iam = client("iam")
    iam.create_policy(PolicyName="p", PolicyDocument=READ)
    code, message, status = error_of(iam.create_policy, PolicyName="p", PolicyDocument=READ)
    assert (code, status) == ("EntityAlreadyExists", 409)
    assert message == "A policy called p already exists. Duplicate names are not allowed."
    assert error_of(iam.create_policy, PolicyName="q", PolicyDocument='{"Statement": 1}')[0] == \
        "MalformedPolicyDocument"
    assert error_of(iam.create_policy, PolicyName="q", PolicyDocument=doc({"Effect": "Allow", "Action": "s3:*"}))[0] \
        == "MalformedPolicyDocument"
    strict = client("iam", parameter_validation=False)
    assert error_of(strict.create_policy, PolicyName="x" * 129, PolicyDocument=READ)[0] == "ValidationError"


def test_policy_versions(client):
    iam = client("iam")
    arn = iam.create_policy(PolicyName="p", PolicyDocument=READ)["Policy"]["Arn"]
    v2 = iam.create_policy_version(PolicyArn=arn, PolicyDocument=WRITE, SetAsDefault=True)["PolicyVersion"]
    assert v2["VersionId"] == "v2" and v2["IsDefaultVersion"]
    assert iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"] == "v2"
    got = iam.get_policy_version(PolicyArn=arn, VersionId="v1")["PolicyVersion"]
    assert got["Document"] == json.loads(READ) and not got["IsDefaultVersion"]
    for _ in range(3):
        iam.create_policy_version(PolicyArn=arn, PolicyDocument=READ)
    versions = iam.list_policy_versions(PolicyArn=arn)["Versions"]
    assert [v["VersionId"] for v in versions] == ["v5", "v4", "v3", "v2", "v1"]
    code, _, status = error_of(iam.create_policy_version, PolicyArn=arn, PolicyDocument=READ)
    assert (code, status) == ("LimitExceeded", 409)
    code, message, status = error_of(iam.delete_policy_version, PolicyArn=arn, VersionId="v2")
    assert (code, status, message) == ("DeleteConflict", 409, "Cannot delete the default version of a policy.")
    assert error_of(iam.get_policy_version, PolicyArn=arn, VersionId="v9")[0] == "NoSuchEntity"
    # A policy with versions besides the default cannot be deleted.
    assert error_of(iam.delete_policy, PolicyArn=arn)[0] == "DeleteConflict"
    for v in ("v1", "v3", "v4", "v5"):
        iam.delete_policy_version(PolicyArn=arn, VersionId=v)
    iam.delete_policy(PolicyArn=arn)


def test_attach_detach_and_list_entities(client):
    iam = client("iam")
    arn = iam.create_policy(PolicyName="p", PolicyDocument=READ)["Policy"]["Arn"]
    iam.create_user(UserName="u")
    iam.create_role(RoleName="r", AssumeRolePolicyDocument=trust(DEV_ACCOUNT))
    iam.attach_user_policy(UserName="u", PolicyArn=arn)
    iam.attach_role_policy(RoleName="r", PolicyArn=arn)
    assert iam.list_attached_user_policies(UserName="u")["AttachedPolicies"] == [{"PolicyName": "p", "PolicyArn": arn}]
    assert iam.list_attached_role_policies(RoleName="r")["AttachedPolicies"] == [{"PolicyName": "p", "PolicyArn": arn}]
    assert iam.get_policy(PolicyArn=arn)["Policy"]["AttachmentCount"] == 2
    entities = iam.list_entities_for_policy(PolicyArn=arn)
    assert [u["UserName"] for u in entities["PolicyUsers"]] == ["u"]
    assert [r["RoleName"] for r in entities["PolicyRoles"]] == ["r"]
    assert [p["Arn"] for p in iam.list_policies(OnlyAttached=True, Scope="Local")["Policies"]] == [arn]
    code, message, status = error_of(iam.delete_policy, PolicyArn=arn)
    assert (code, status, message) == ("DeleteConflict", 409, "Cannot delete a policy attached to entities.")
    assert error_of(iam.delete_role, RoleName="r")[1] == "Cannot delete entity, must detach all policies first."
    iam.detach_user_policy(UserName="u", PolicyArn=arn)
    iam.detach_role_policy(RoleName="r", PolicyArn=arn)
    assert error_of(iam.detach_role_policy, RoleName="r", PolicyArn=arn)[0] == "NoSuchEntity"
    iam.delete_policy(PolicyArn=arn)


def test_attach_missing_policy_is_no_such_entity(client):
    iam = client("iam")
    iam.create_user(UserName="u")
    missing = f"arn:aws:iam::{DEV_ACCOUNT}:policy/nope"
    code, message, status = error_of(iam.attach_user_policy, UserName="u", PolicyArn=missing)
    assert (code, status) == ("NoSuchEntity", 404)
    assert message == f"Policy {missing} does not exist or is not attachable."
    assert error_of(iam.attach_role_policy, RoleName="ghost",
                    PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")[0] == "NoSuchEntity"


def test_aws_managed_policies(client):
    iam = client("iam")
    admin = iam.get_policy(PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")["Policy"]
    assert admin["PolicyName"] == "AdministratorAccess" and admin["DefaultVersionId"] == "v1"
    version = iam.get_policy_version(PolicyArn=admin["Arn"], VersionId="v1")["PolicyVersion"]
    assert version["Document"]["Statement"][0]["Action"] == "*"
    names = {p["PolicyName"] for p in iam.list_policies(Scope="AWS")["Policies"]}
    assert {"AdministratorAccess", "ReadOnlyAccess", "PowerUserAccess", "AmazonSSMReadOnlyAccess"} <= names
    assert error_of(iam.delete_policy, PolicyArn=admin["Arn"])[0] in ("InvalidInput", "UnmodifiableEntity")


def test_policies_are_per_account(client):
    dev = client("iam")
    arn = dev.create_policy(PolicyName="p", PolicyDocument=READ)["Policy"]["Arn"]
    prod = client("iam", account="prod")
    assert error_of(prod.get_policy, PolicyArn=arn)[0] == "NoSuchEntity"
    assert prod.list_policies(Scope="Local")["Policies"] == []
    prod.create_user(UserName="u")
    assert error_of(prod.attach_user_policy, UserName="u", PolicyArn=arn)[0] == "NoSuchEntity"
