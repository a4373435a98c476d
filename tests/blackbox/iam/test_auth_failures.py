"""Authentication failures answer AWS's codes per protocol."""
from helpers import error_of, new_user

WRONG = {"aws_access_key_id": "test", "aws_secret_access_key": "wrong"}
UNKNOWN = {"aws_access_key_id": "AKIAUNKNOWNKEY000000", "aws_secret_access_key": "whatever"}


def test_wrong_secret(client):
    code, _, status = error_of(client("sts", account=WRONG).get_caller_identity)
    assert (code, status) == ("SignatureDoesNotMatch", 403)
    assert error_of(client("iam", account=WRONG).list_users)[0] == "SignatureDoesNotMatch"
    assert error_of(client("ssm", account=WRONG).get_parameter, Name="/x")[0] == "InvalidSignatureException"


def test_unknown_key(client):
    code, message, status = error_of(client("sts", account=UNKNOWN).get_caller_identity)
    assert (code, status) == ("InvalidClientTokenId", 403)
    assert message == "The security token included in the request is invalid."
    assert error_of(client("ssm", account=UNKNOWN).get_parameter, Name="/x")[0] == "UnrecognizedClientException"


def test_cli_wrong_secret_and_unknown_key(aws):
    wrong = aws("sts", "get-caller-identity", creds=WRONG)
    assert wrong.returncode != 0 and "SignatureDoesNotMatch" in wrong.stderr
    unknown = aws("iam", "list-users", creds=UNKNOWN)
    assert unknown.returncode != 0 and "InvalidClientTokenId" in unknown.stderr


def test_deleted_user_key_stops_working(client):
    iam = client("iam")
    creds = new_user(iam, "alice")
    sts = client("sts", account=creds)
    assert sts.get_caller_identity()["Arn"].endswith(":user/alice")
    key_id = creds["aws_access_key_id"]
    iam.delete_access_key(UserName="alice", AccessKeyId=key_id)
    assert error_of(sts.get_caller_identity)[0] == "InvalidClientTokenId"
