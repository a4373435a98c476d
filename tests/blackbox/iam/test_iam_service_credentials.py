"""IAM service-specific credentials (HTTPS git credentials for CodeCommit) through boto3 and the
aws CLI: create, list, reset, update, delete, their limits and errors, and DeleteUser's conflict."""
import re

from helpers import DEV_ACCOUNT, error_of

CODECOMMIT = "codecommit.amazonaws.com"
PASSWORD = re.compile(r"^[A-Za-z0-9+/]{43}=$")


def test_create_list_reset_update_delete(client):
    iam = client("iam")
    iam.create_user(UserName="dev1")
    created = iam.create_service_specific_credential(UserName="dev1", ServiceName=CODECOMMIT)
    c = created["ServiceSpecificCredential"]
    assert c["UserName"] == "dev1"
    assert c["ServiceName"] == CODECOMMIT
    assert c["ServiceUserName"] == f"dev1-at-{DEV_ACCOUNT}"
    assert PASSWORD.match(c["ServicePassword"]), c["ServicePassword"]
    assert re.match(r"^ACCA[A-Z0-9]{17}$", c["ServiceSpecificCredentialId"])
    assert c["Status"] == "Active"
    assert c["CreateDate"].year >= 2020
    cid = c["ServiceSpecificCredentialId"]

    listed = iam.list_service_specific_credentials(UserName="dev1")["ServiceSpecificCredentials"]
    assert len(listed) == 1
    assert listed[0]["ServiceSpecificCredentialId"] == cid
    assert listed[0]["ServiceUserName"] == f"dev1-at-{DEV_ACCOUNT}"
    assert listed[0]["Status"] == "Active"
    assert "ServicePassword" not in listed[0]
    filtered = iam.list_service_specific_credentials(UserName="dev1", ServiceName="cassandra.amazonaws.com")
    assert filtered["ServiceSpecificCredentials"] == []
    assert len(iam.list_service_specific_credentials(UserName="dev1", ServiceName=CODECOMMIT)
               ["ServiceSpecificCredentials"]) == 1

    reset = iam.reset_service_specific_credential(UserName="dev1", ServiceSpecificCredentialId=cid)
    r = reset["ServiceSpecificCredential"]
    assert r["ServiceSpecificCredentialId"] == cid
    assert PASSWORD.match(r["ServicePassword"])
    assert r["ServicePassword"] != c["ServicePassword"]

    iam.update_service_specific_credential(UserName="dev1", ServiceSpecificCredentialId=cid, Status="Inactive")
    listed = iam.list_service_specific_credentials(UserName="dev1")["ServiceSpecificCredentials"]
    assert listed[0]["Status"] == "Inactive"
    iam.update_service_specific_credential(UserName="dev1", ServiceSpecificCredentialId=cid, Status="Active")
    assert iam.list_service_specific_credentials(UserName="dev1")["ServiceSpecificCredentials"][0]["Status"] == "Active"

    iam.delete_service_specific_credential(UserName="dev1", ServiceSpecificCredentialId=cid)
    assert iam.list_service_specific_credentials(UserName="dev1")["ServiceSpecificCredentials"] == []


def test_unsupported_service_limit_and_unknown_entities(client):
    iam = client("iam")
    iam.create_user(UserName="dev2")
    code, message, status = error_of(iam.create_service_specific_credential, UserName="dev2",
                                     ServiceName="s3.amazonaws.com")
    assert (code, status) == ("NotSupportedService", 404)
    assert "s3.amazonaws.com" in message

    iam.create_service_specific_credential(UserName="dev2", ServiceName=CODECOMMIT)
    iam.create_service_specific_credential(UserName="dev2", ServiceName=CODECOMMIT)
    code, message, status = error_of(iam.create_service_specific_credential, UserName="dev2", ServiceName=CODECOMMIT)
    assert (code, status) == ("LimitExceeded", 409)
    assert "2" in message

    code, _, status = error_of(iam.create_service_specific_credential, UserName="ghost", ServiceName=CODECOMMIT)
    assert (code, status) == ("NoSuchEntity", 404)
    code, _, _ = error_of(iam.list_service_specific_credentials, UserName="ghost")
    assert code == "NoSuchEntity"
    missing = "ACCA" + "Z" * 17
    for call, extra in [(iam.reset_service_specific_credential, {}),
                        (iam.update_service_specific_credential, {"Status": "Inactive"}),
                        (iam.delete_service_specific_credential, {})]:
        code, message, status = error_of(call, UserName="dev2", ServiceSpecificCredentialId=missing, **extra)
        assert (code, status) == ("NoSuchEntity", 404), call
        assert missing in message


def test_credentials_of_another_user_are_not_found(client):
    iam = client("iam")
    iam.create_user(UserName="owner")
    iam.create_user(UserName="other")
    cid = iam.create_service_specific_credential(UserName="owner", ServiceName=CODECOMMIT)[
        "ServiceSpecificCredential"]["ServiceSpecificCredentialId"]
    code, _, _ = error_of(iam.delete_service_specific_credential, UserName="other", ServiceSpecificCredentialId=cid)
    assert code == "NoSuchEntity"
    assert len(iam.list_service_specific_credentials(UserName="owner")["ServiceSpecificCredentials"]) == 1


def test_delete_user_conflicts_while_credentials_exist(client):
    iam = client("iam")
    iam.create_user(UserName="leaver")
    cid = iam.create_service_specific_credential(UserName="leaver", ServiceName=CODECOMMIT)[
        "ServiceSpecificCredential"]["ServiceSpecificCredentialId"]
    code, message, status = error_of(iam.delete_user, UserName="leaver")
    assert (code, status) == ("DeleteConflict", 409)
    assert "service specific credentials" in message
    iam.delete_service_specific_credential(UserName="leaver", ServiceSpecificCredentialId=cid)
    iam.delete_user(UserName="leaver")


def test_user_manages_its_own_credentials_without_user_name(client):
    iam = client("iam")
    iam.create_user(UserName="self")
    iam.put_user_policy(UserName="self", PolicyName="all", PolicyDocument=(
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*","Resource":"*"}]}'))
    key = iam.create_access_key(UserName="self")["AccessKey"]
    mine = client("iam", account={"aws_access_key_id": key["AccessKeyId"],
                                  "aws_secret_access_key": key["SecretAccessKey"]})
    cid = mine.create_service_specific_credential(UserName="self", ServiceName=CODECOMMIT)[
        "ServiceSpecificCredential"]["ServiceSpecificCredentialId"]
    assert [c["ServiceSpecificCredentialId"] for c in
            mine.list_service_specific_credentials()["ServiceSpecificCredentials"]] == [cid]
    mine.update_service_specific_credential(ServiceSpecificCredentialId=cid, Status="Inactive")
    assert mine.reset_service_specific_credential(ServiceSpecificCredentialId=cid)["ServiceSpecificCredential"][
        "Status"] == "Inactive"
    mine.delete_service_specific_credential(ServiceSpecificCredentialId=cid)


def test_denied_without_iam_permission(client):
    iam = client("iam")
    iam.create_user(UserName="nobody")
    key = iam.create_access_key(UserName="nobody")["AccessKey"]
    theirs = client("iam", account={"aws_access_key_id": key["AccessKeyId"],
                                    "aws_secret_access_key": key["SecretAccessKey"]})
    code, _, status = error_of(theirs.create_service_specific_credential, UserName="nobody", ServiceName=CODECOMMIT)
    assert (code, status) == ("AccessDenied", 403)


def test_aws_cli(aws, client):
    client("iam").create_user(UserName="cliuser")
    created = aws("iam", "create-service-specific-credential", "--user-name", "cliuser",
                  "--service-name", CODECOMMIT, check=True).json["ServiceSpecificCredential"]
    assert created["ServiceUserName"] == f"cliuser-at-{DEV_ACCOUNT}"
    assert PASSWORD.match(created["ServicePassword"])
    cid = created["ServiceSpecificCredentialId"]
    listed = aws("iam", "list-service-specific-credentials", "--user-name", "cliuser", check=True).json
    assert [c["ServiceSpecificCredentialId"] for c in listed["ServiceSpecificCredentials"]] == [cid]
    reset = aws("iam", "reset-service-specific-credential", "--user-name", "cliuser",
                "--service-specific-credential-id", cid, check=True).json["ServiceSpecificCredential"]
    assert reset["ServicePassword"] != created["ServicePassword"]
    aws("iam", "update-service-specific-credential", "--user-name", "cliuser",
        "--service-specific-credential-id", cid, "--status", "Inactive", check=True)
    listed = aws("iam", "list-service-specific-credentials", "--user-name", "cliuser", check=True).json
    assert listed["ServiceSpecificCredentials"][0]["Status"] == "Inactive"
    bad = aws("iam", "create-service-specific-credential", "--user-name", "cliuser", "--service-name", "nope")
    assert bad.returncode != 0 and "NotSupportedService" in bad.stderr
    aws("iam", "delete-service-specific-credential", "--user-name", "cliuser",
        "--service-specific-credential-id", cid, check=True)
    gone = aws("iam", "delete-service-specific-credential", "--user-name", "cliuser",
               "--service-specific-credential-id", cid)
    assert gone.returncode != 0 and "NoSuchEntity" in gone.stderr
