"""Who may do what on S3: cross-account access through bucket policies, explicit denies, conditions
(s3:prefix, aws:SecureTransport), IAM users of the owning account."""
import pytest

from s3_helpers import DEV_ACCOUNT, PROD_ACCOUNT, code_status, error_of, policy


def creds_of(key):
    return {"aws_access_key_id": key["AccessKeyId"], "aws_secret_access_key": key["SecretAccessKey"]}


def new_user(client, name, *identity_policies):
    iam = client("iam")
    iam.create_user(UserName=name)
    for i, doc in enumerate(identity_policies):
        iam.put_user_policy(UserName=name, PolicyName=f"p{i}", PolicyDocument=doc)
    return creds_of(iam.create_access_key(UserName=name)["AccessKey"])


@pytest.fixture
def dev(client):
    s3 = client("s3")
    s3.create_bucket(Bucket="dev-bucket")
    s3.put_object(Bucket="dev-bucket", Key="app/artifact.zip", Body=b"artifact")
    s3.put_object(Bucket="dev-bucket", Key="secret/keys.txt", Body=b"keys")
    return s3


def test_other_account_denied_by_default(client, dev):
    prod = client("s3", account="prod")
    code, message, status, _ = error_of(prod.get_object, Bucket="dev-bucket", Key="app/artifact.zip")
    assert (code, status) == ("AccessDenied", 403)
    assert code_status(prod.put_object, Bucket="dev-bucket", Key="x", Body=b"x") == ("AccessDenied", 403)
    assert code_status(prod.head_object, Bucket="dev-bucket", Key="app/artifact.zip") == ("403", 403)


def test_bucket_policy_grants_other_account(client, dev):
    dev.put_bucket_policy(Bucket="dev-bucket", Policy=policy({
        "Sid": "ProdReads",
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{PROD_ACCOUNT}:root"},
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::dev-bucket/*",
    }))
    prod = client("s3", account="prod")
    assert prod.get_object(Bucket="dev-bucket", Key="app/artifact.zip")["Body"].read() == b"artifact"
    assert prod.head_object(Bucket="dev-bucket", Key="app/artifact.zip")["ResponseMetadata"]["HTTPStatusCode"] == 200
    # only what was granted
    assert code_status(prod.put_object, Bucket="dev-bucket", Key="x", Body=b"x") == ("AccessDenied", 403)
    assert code_status(prod.list_objects_v2, Bucket="dev-bucket") == ("AccessDenied", 403)
    assert code_status(prod.delete_object, Bucket="dev-bucket", Key="app/artifact.zip") == ("AccessDenied", 403)
    # a missing key under a granted s3:GetObject without s3:ListBucket is 403, not 404
    assert code_status(prod.get_object, Bucket="dev-bucket", Key="app/missing") == ("AccessDenied", 403)


def test_missing_key_is_404_with_list_permission(client, dev):
    dev.put_bucket_policy(Bucket="dev-bucket", Policy=policy(
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{PROD_ACCOUNT}:root"},
         "Action": "s3:GetObject", "Resource": "arn:aws:s3:::dev-bucket/*"},
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{PROD_ACCOUNT}:root"},
         "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::dev-bucket"}))
    prod = client("s3", account="prod")
    assert code_status(prod.get_object, Bucket="dev-bucket", Key="app/missing") == ("NoSuchKey", 404)
    assert [o["Key"] for o in prod.list_objects_v2(Bucket="dev-bucket")["Contents"]] == \
        ["app/artifact.zip", "secret/keys.txt"]


def test_cross_account_needs_the_callers_identity_policy_too(client, dev):
    dev.put_bucket_policy(Bucket="dev-bucket", Policy=policy({
        "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{PROD_ACCOUNT}:root"},
        "Action": "s3:GetObject", "Resource": "arn:aws:s3:::dev-bucket/*"}))
    prod_iam = client("iam", account="prod")
    prod_iam.create_user(UserName="deployer")
    deployer = creds_of(prod_iam.create_access_key(UserName="deployer")["AccessKey"])
    s3 = client("s3", account=deployer)
    assert code_status(s3.get_object, Bucket="dev-bucket", Key="app/artifact.zip") == ("AccessDenied", 403)
    prod_iam.put_user_policy(UserName="deployer", PolicyName="read", PolicyDocument=policy({
        "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::dev-bucket/*"}))
    assert s3.get_object(Bucket="dev-bucket", Key="app/artifact.zip")["Body"].read() == b"artifact"


def test_cross_account_copy_needs_both_sides(client, dev):
    """The CodePipeline pattern: prod copies a dev artifact into its own bucket."""
    prod = client("s3", account="prod")
    prod.create_bucket(Bucket="prod-bucket")
    assert code_status(prod.copy_object, Bucket="prod-bucket", Key="artifact.zip",
                       CopySource="dev-bucket/app/artifact.zip") == ("AccessDenied", 403)
    dev.put_bucket_policy(Bucket="dev-bucket", Policy=policy({
        "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{PROD_ACCOUNT}:root"},
        "Action": "s3:GetObject", "Resource": "arn:aws:s3:::dev-bucket/app/*"}))
    prod.copy_object(Bucket="prod-bucket", Key="artifact.zip", CopySource="dev-bucket/app/artifact.zip")
    assert prod.get_object(Bucket="prod-bucket", Key="artifact.zip")["Body"].read() == b"artifact"
    assert code_status(prod.copy_object, Bucket="prod-bucket", Key="keys.txt",
                       CopySource="dev-bucket/secret/keys.txt") == ("AccessDenied", 403)


def test_explicit_deny_in_bucket_policy_beats_allow(client, dev):
    alice = new_user(client, "alice", policy({"Effect": "Allow", "Action": "s3:*", "Resource": "*"}))
    dev.put_bucket_policy(Bucket="dev-bucket", Policy=policy({
        "Effect": "Deny",
        "Principal": {"AWS": f"arn:aws:iam::{DEV_ACCOUNT}:user/alice"},
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::dev-bucket/secret/*",
    }))
    s3 = client("s3", account=alice)
    assert s3.get_object(Bucket="dev-bucket", Key="app/artifact.zip")["Body"].read() == b"artifact"
    code, message, status, _ = error_of(s3.get_object, Bucket="dev-bucket", Key="secret/keys.txt")
    assert (code, status) == ("AccessDenied", 403)
    assert message == (f"User: arn:aws:iam::{DEV_ACCOUNT}:user/alice is not authorized to perform: s3:GetObject "
                       "on resource: \"arn:aws:s3:::dev-bucket/secret/keys.txt\" with an explicit deny in a "
                       "resource-based policy")
    # the deny covers only GetObject: alice may still overwrite it
    s3.put_object(Bucket="dev-bucket", Key="secret/keys.txt", Body=b"new")


def test_same_account_user_allowed_by_bucket_policy_alone(client, dev):
    bob = new_user(client, "bob")
    s3 = client("s3", account=bob)
    code, message, status, _ = error_of(s3.get_object, Bucket="dev-bucket", Key="app/artifact.zip")
    assert (code, status) == ("AccessDenied", 403)
    assert message == (f"User: arn:aws:iam::{DEV_ACCOUNT}:user/bob is not authorized to perform: s3:GetObject "
                       "on resource: \"arn:aws:s3:::dev-bucket/app/artifact.zip\" because no identity-based policy "
                       "allows the s3:GetObject action")
    dev.put_bucket_policy(Bucket="dev-bucket", Policy=policy({
        "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{DEV_ACCOUNT}:user/bob"},
        "Action": "s3:GetObject", "Resource": "arn:aws:s3:::dev-bucket/app/*"}))
    assert s3.get_object(Bucket="dev-bucket", Key="app/artifact.zip")["Body"].read() == b"artifact"
    assert code_status(s3.get_object, Bucket="dev-bucket", Key="secret/keys.txt") == ("AccessDenied", 403)


def test_identity_policy_resource_arns(client, dev):
    carol = new_user(client, "carol", policy(
        {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::dev-bucket/app/*"},
        {"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}))
    s3 = client("s3", account=carol)
    s3.put_object(Bucket="dev-bucket", Key="app/new", Body=b"n")
    assert s3.get_object(Bucket="dev-bucket", Key="app/new")["Body"].read() == b"n"
    assert code_status(s3.put_object, Bucket="dev-bucket", Key="other/new", Body=b"n") == ("AccessDenied", 403)
    assert code_status(s3.list_objects_v2, Bucket="dev-bucket") == ("AccessDenied", 403)
    assert code_status(s3.create_bucket, Bucket="carols-bucket") == ("AccessDenied", 403)
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["dev-bucket"]


def test_prefix_condition_on_list_bucket(client, dev):
    for k in ("home/dave/notes.txt", "home/erin/notes.txt"):
        dev.put_object(Bucket="dev-bucket", Key=k, Body=b"n")
    dave = new_user(client, "dave", policy({
        "Effect": "Allow",
        "Action": "s3:ListBucket",
        "Resource": "arn:aws:s3:::dev-bucket",
        "Condition": {"StringLike": {"s3:prefix": ["home/${aws:username}/*", "home/${aws:username}/"]}},
    }))
    s3 = client("s3", account=dave)
    out = s3.list_objects_v2(Bucket="dev-bucket", Prefix="home/dave/")
    assert [o["Key"] for o in out["Contents"]] == ["home/dave/notes.txt"]
    assert code_status(s3.list_objects_v2, Bucket="dev-bucket", Prefix="home/erin/") == ("AccessDenied", 403)
    assert code_status(s3.list_objects_v2, Bucket="dev-bucket") == ("AccessDenied", 403)
    assert code_status(s3.list_objects, Bucket="dev-bucket", Prefix="home/") == ("AccessDenied", 403)


def test_prefix_condition_in_bucket_policy_for_other_account(client, dev):
    dev.put_bucket_policy(Bucket="dev-bucket", Policy=policy({
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{PROD_ACCOUNT}:root"},
        "Action": "s3:ListBucket",
        "Resource": "arn:aws:s3:::dev-bucket",
        "Condition": {"StringEquals": {"s3:prefix": "app/"}},
    }))
    prod = client("s3", account="prod")
    assert [o["Key"] for o in prod.list_objects_v2(Bucket="dev-bucket", Prefix="app/")["Contents"]] == \
        ["app/artifact.zip"]
    assert code_status(prod.list_objects_v2, Bucket="dev-bucket", Prefix="secret/") == ("AccessDenied", 403)


def test_secure_transport_false_denies_over_http(client, dev):
    dev.put_bucket_policy(Bucket="dev-bucket", Policy=policy({
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::dev-bucket/*",
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }))
    # hakobu serves plain HTTP, so the deny applies: even to the account's root user.
    assert code_status(dev.get_object, Bucket="dev-bucket", Key="app/artifact.zip") == ("AccessDenied", 403)
    dev.put_object(Bucket="dev-bucket", Key="still/writable", Body=b"w")
    dev.delete_bucket_policy(Bucket="dev-bucket")
    assert dev.get_object(Bucket="dev-bucket", Key="app/artifact.zip")["Body"].read() == b"artifact"


def test_secure_transport_true_allow_does_not_apply(client, dev):
    dev.put_bucket_policy(Bucket="dev-bucket", Policy=policy({
        "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{PROD_ACCOUNT}:root"},
        "Action": "s3:GetObject", "Resource": "arn:aws:s3:::dev-bucket/*",
        "Condition": {"Bool": {"aws:SecureTransport": "true"}}}))
    assert code_status(client("s3", account="prod").get_object, Bucket="dev-bucket", Key="app/artifact.zip") == \
        ("AccessDenied", 403)


def test_policy_management_is_owner_only(client, dev):
    prod = client("s3", account="prod")
    assert code_status(prod.put_bucket_policy, Bucket="dev-bucket", Policy=policy({
        "Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::dev-bucket/*"})) == \
        ("AccessDenied", 403)
    assert code_status(prod.get_bucket_policy, Bucket="dev-bucket") == ("AccessDenied", 403)


def test_cli_sees_access_denied(client, dev, aws):
    r = aws("s3", "cp", "s3://dev-bucket/app/artifact.zip", "-", creds={"aws_access_key_id": "prodkey",
                                                                         "aws_secret_access_key": "prodsecret"})
    assert r.returncode != 0
    assert "403" in r.stderr or "AccessDenied" in r.stderr
