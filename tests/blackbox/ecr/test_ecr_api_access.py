"""Who may use ECR's API: repository policies (validation, cross-account grants), IAM identity
policies, and the authorization token (`aws ecr get-login-password`) as registry credentials."""
import base64
import datetime
import json
import urllib.error
import urllib.request

import pytest

from ecr_api_helpers import DEV_ACCOUNT, PROD_ACCOUNT, error_of, push_image

PULL_ACTIONS = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability",
                "ecr:DescribeImages", "ecr:ListImages"]


def repo_policy(principal, actions=PULL_ACTIONS, effect="Allow"):
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Sid": "pull", "Effect": effect, "Principal": {"AWS": principal}, "Action": actions}]})


def identity_policy(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def new_user(client, name, *policies):
    iam = client("iam")
    iam.create_user(UserName=name)
    for i, doc in enumerate(policies):
        iam.put_user_policy(UserName=name, PolicyName=f"p{i}", PolicyDocument=doc)
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return {"aws_access_key_id": key["AccessKeyId"], "aws_secret_access_key": key["SecretAccessKey"]}


def registry_status(hakobu, password, path="/v2/"):
    basic = base64.b64encode(f"AWS:{password}".encode()).decode()
    req = urllib.request.Request(hakobu.url + path, headers={"Authorization": f"Basic {basic}"})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


# --- repository policies -------------------------------------------------------------------

def test_set_get_delete_repository_policy(client):
    ecr = client("ecr")
    ecr.create_repository(repositoryName="shared")
    text = repo_policy(f"arn:aws:iam::{PROD_ACCOUNT}:root")
    out = ecr.set_repository_policy(repositoryName="shared", policyText=text)
    assert out == {"registryId": DEV_ACCOUNT, "repositoryName": "shared", "policyText": text,
                   "ResponseMetadata": out["ResponseMetadata"]}
    got = ecr.get_repository_policy(repositoryName="shared")
    assert got["policyText"] == text and got["registryId"] == DEV_ACCOUNT
    deleted = ecr.delete_repository_policy(repositoryName="shared")
    assert deleted["policyText"] == text
    code, message = error_of(ecr.get_repository_policy, repositoryName="shared")
    assert code == "RepositoryPolicyNotFoundException"
    assert message == ("Repository policy does not exist for the repository with name 'shared' in the registry "
                       f"with id '{DEV_ACCOUNT}'")
    code, _ = error_of(ecr.delete_repository_policy, repositoryName="shared")
    assert code == "RepositoryPolicyNotFoundException"
    code, message = error_of(ecr.set_repository_policy, repositoryName="nope", policyText=text)
    assert code == "RepositoryNotFoundException"


@pytest.mark.parametrize("text", [
    "not json",
    json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ecr:*"}]}),  # no Principal
    json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"}]}),  # not an ECR action
    json.dumps({"Version": "2012-10-17", "Statement": []}),
    json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Maybe", "Principal": "*", "Action": "ecr:*"}]}),
])
def test_set_repository_policy_rejects_invalid(client, text):
    ecr = client("ecr")
    ecr.create_repository(repositoryName="strict")
    code, message = error_of(ecr.set_repository_policy, repositoryName="strict", policyText=text, force=True)
    assert code == "InvalidParameterException"
    assert message == ("Invalid parameter at 'PolicyText' failed to satisfy constraint: "
                       "'Invalid repository policy provided'")
    assert error_of(ecr.get_repository_policy, repositoryName="strict")[0] == "RepositoryPolicyNotFoundException"


def test_set_repository_policy_accepts_2008_version_and_wildcards(client):
    ecr = client("ecr")
    ecr.create_repository(repositoryName="loose")
    text = json.dumps({"Version": "2008-10-17", "Statement": [
        {"Sid": "all", "Effect": "Allow", "Principal": "*", "Action": ["ecr:*"]}]})
    assert ecr.set_repository_policy(repositoryName="loose", policyText=text)["policyText"] == text


# --- cross-account ---------------------------------------------------------------------------

def test_cross_account_read_needs_repository_policy(client):
    dev = client("ecr")
    dev.create_repository(repositoryName="app")
    digest, manifest, _ = push_image(dev, "app", "v1")
    prod = client("ecr", account="prod")
    code, message = error_of(prod.batch_get_image, registryId=DEV_ACCOUNT, repositoryName="app",
                             imageIds=[{"imageTag": "v1"}])
    assert code == "AccessDeniedException"
    assert f"arn:aws:ecr:us-east-1:{DEV_ACCOUNT}:repository/app" in message
    assert error_of(prod.describe_images, registryId=DEV_ACCOUNT, repositoryName="app")[0] == "AccessDeniedException"

    dev.set_repository_policy(repositoryName="app", policyText=repo_policy(f"arn:aws:iam::{PROD_ACCOUNT}:root"))
    got = prod.batch_get_image(registryId=DEV_ACCOUNT, repositoryName="app", imageIds=[{"imageTag": "v1"}])
    assert got["images"][0]["imageManifest"] == manifest
    assert got["images"][0]["registryId"] == DEV_ACCOUNT
    described = prod.describe_images(registryId=DEV_ACCOUNT, repositoryName="app")["imageDetails"]
    assert [d["imageDigest"] for d in described] == [digest]
    # The policy grants reads only: pushing, deleting or re-policying stays denied.
    code, _ = error_of(prod.batch_delete_image, registryId=DEV_ACCOUNT, repositoryName="app",
                       imageIds=[{"imageTag": "v1"}])
    assert code == "AccessDeniedException"
    code, _ = error_of(prod.initiate_layer_upload, registryId=DEV_ACCOUNT, repositoryName="app")
    assert code == "AccessDeniedException"
    # Listing the other account's registry is not granted by a repository's policy.
    code, _ = error_of(prod.describe_repositories, registryId=DEV_ACCOUNT)
    assert code == "AccessDeniedException"


def test_cross_account_explicit_deny_wins(client):
    dev = client("ecr")
    dev.create_repository(repositoryName="locked")
    policy = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{PROD_ACCOUNT}:root"}, "Action": "ecr:*"},
        {"Effect": "Deny", "Principal": {"AWS": f"arn:aws:iam::{PROD_ACCOUNT}:root"}, "Action": "ecr:ListImages"}]})
    dev.set_repository_policy(repositoryName="locked", policyText=policy)
    prod = client("ecr", account="prod")
    assert prod.describe_images(registryId=DEV_ACCOUNT, repositoryName="locked")["imageDetails"] == []
    assert error_of(prod.list_images, registryId=DEV_ACCOUNT, repositoryName="locked")[0] == "AccessDeniedException"


def test_cross_account_missing_repository(client):
    prod = client("ecr", account="prod")
    # Nothing to grant access: IAM denies before the repository's absence could show.
    code, _ = error_of(prod.list_images, registryId=DEV_ACCOUNT, repositoryName="absent")
    assert code == "AccessDeniedException"


# --- IAM identity policies -------------------------------------------------------------------

def test_iam_user_limited_to_one_repository(client):
    client("ecr").create_repository(repositoryName="allowed")
    client("ecr").create_repository(repositoryName="other")
    creds = new_user(client, "reader", identity_policy(
        {"Effect": "Allow", "Action": ["ecr:DescribeRepositories", "ecr:ListImages"],
         "Resource": f"arn:aws:ecr:us-east-1:{DEV_ACCOUNT}:repository/allowed"},
        {"Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"}))
    ecr = client("ecr", account=creds)
    assert ecr.describe_repositories(repositoryNames=["allowed"])["repositories"][0]["repositoryName"] == "allowed"
    assert ecr.list_images(repositoryName="allowed")["imageIds"] == []
    code, message = error_of(ecr.describe_repositories, repositoryNames=["other"])
    assert code == "AccessDeniedException"
    assert "ecr:DescribeRepositories" in message and "repository/other" in message
    assert error_of(ecr.describe_repositories)[0] == "AccessDeniedException"  # all repositories
    assert error_of(ecr.create_repository, repositoryName="mine")[0] == "AccessDeniedException"
    assert error_of(ecr.delete_repository, repositoryName="allowed")[0] == "AccessDeniedException"
    assert ecr.get_authorization_token()["authorizationData"]


def test_iam_user_without_token_permission(client):
    creds = new_user(client, "nobody", identity_policy(
        {"Effect": "Allow", "Action": "ecr:DescribeRepositories", "Resource": "*"}))
    code, message = error_of(client("ecr", account=creds).get_authorization_token)
    assert code == "AccessDeniedException"
    assert "ecr:GetAuthorizationToken" in message


def test_create_repository_with_tags_needs_tag_permission(client):
    creds = new_user(client, "creator", identity_policy(
        {"Effect": "Allow", "Action": "ecr:CreateRepository", "Resource": "*"}))
    ecr = client("ecr", account=creds)
    code, message = error_of(ecr.create_repository, repositoryName="tagged", tags=[{"Key": "k", "Value": "v"}])
    assert code == "AccessDeniedException" and "ecr:TagResource" in message
    assert ecr.create_repository(repositoryName="plain")["repository"]["repositoryName"] == "plain"


def test_same_account_user_allowed_by_repository_policy(client):
    dev = client("ecr")
    dev.create_repository(repositoryName="team")
    creds = new_user(client, "teammate")  # no identity policy at all
    user_arn = f"arn:aws:iam::{DEV_ACCOUNT}:user/teammate"
    ecr = client("ecr", account=creds)
    assert error_of(ecr.list_images, repositoryName="team")[0] == "AccessDeniedException"
    dev.set_repository_policy(repositoryName="team", policyText=repo_policy(user_arn, ["ecr:ListImages"]))
    assert ecr.list_images(repositoryName="team")["imageIds"] == []


# --- authorization tokens ------------------------------------------------------------------

def test_get_authorization_token_shape(client, hakobu):
    out = client("ecr").get_authorization_token()["authorizationData"]
    assert len(out) == 1
    data = out[0]
    user, password = base64.b64decode(data["authorizationToken"]).decode().split(":", 1)
    assert user == "AWS" and password
    assert data["proxyEndpoint"] == f"http://127.0.0.1:{hakobu.port}"
    remaining = data["expiresAt"] - datetime.datetime.now(datetime.timezone.utc)
    assert datetime.timedelta(hours=11, minutes=50) < remaining <= datetime.timedelta(hours=12, minutes=1)
    assert registry_status(hakobu, password) == 200
    several = client("ecr").get_authorization_token(registryIds=[DEV_ACCOUNT, PROD_ACCOUNT])["authorizationData"]
    assert len(several) == 2


@pytest.mark.parametrize("v2", [False, True])
def test_cli_get_login_password_works_on_registry(hakobu, aws, v2):
    out = aws("ecr", "get-login-password", v2=v2, check=True)
    password = out.stdout.strip()
    assert password and "\n" not in password
    assert registry_status(hakobu, password) == 200
    assert registry_status(hakobu, password + "x") == 401
    assert registry_status(hakobu, "") == 401


def test_session_credentials_token_works_on_registry(client, hakobu):
    iam = client("iam")
    trust = {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{DEV_ACCOUNT}:root"}, "Action": "sts:AssumeRole"}
    iam.create_role(RoleName="pusher", AssumeRolePolicyDocument=identity_policy(trust))
    iam.put_role_policy(RoleName="pusher", PolicyName="ecr", PolicyDocument=identity_policy(
        {"Effect": "Allow", "Action": "ecr:*", "Resource": "*"}))
    creds = client("sts").assume_role(RoleArn=f"arn:aws:iam::{DEV_ACCOUNT}:role/pusher",
                                      RoleSessionName="ci")["Credentials"]
    session = {"aws_access_key_id": creds["AccessKeyId"], "aws_secret_access_key": creds["SecretAccessKey"],
               "aws_session_token": creds["SessionToken"]}
    token = client("ecr", account=session).get_authorization_token()["authorizationData"][0]["authorizationToken"]
    password = base64.b64decode(token).decode().split(":", 1)[1]
    assert registry_status(hakobu, password) == 200
