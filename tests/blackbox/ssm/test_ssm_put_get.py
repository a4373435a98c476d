"""PutParameter / GetParameter / GetParameters through boto3: types, versions, selectors,
tiers and size limits, SecureString, names and AllowedPattern."""
import base64
import datetime

import pytest
from botocore.exceptions import ClientError

ACCOUNT = "000000000000"


def code(excinfo):
    return excinfo.value.response["Error"]["Code"]


def test_put_then_get_returns_every_field(client):
    ssm = client("ssm")
    out = ssm.put_parameter(Name="/app/dev/db", Value="postgres://x", Type="String", Description="db url")
    assert out["Version"] == 1
    assert out["Tier"] == "Standard"
    p = ssm.get_parameter(Name="/app/dev/db")["Parameter"]
    assert p["Name"] == "/app/dev/db"
    assert p["Type"] == "String"
    assert p["Value"] == "postgres://x"
    assert p["Version"] == 1
    assert p["DataType"] == "text"
    assert p["ARN"] == f"arn:aws:ssm:us-east-1:{ACCOUNT}:parameter/app/dev/db"
    assert isinstance(p["LastModifiedDate"], datetime.datetime)
    assert "Selector" not in p


def test_get_parameter_missing_raises(client):
    with pytest.raises(ClientError) as e:
        client("ssm").get_parameter(Name="/nope")
    assert code(e) == "ParameterNotFound"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_put_existing_without_overwrite_raises(client):
    ssm = client("ssm")
    ssm.put_parameter(Name="p", Value="1", Type="String")
    with pytest.raises(ClientError) as e:
        ssm.put_parameter(Name="p", Value="2", Type="String")
    assert code(e) == "ParameterAlreadyExists"
    assert ssm.get_parameter(Name="p")["Parameter"]["Value"] == "1"


def test_overwrite_bumps_version_even_with_same_value(client):
    ssm = client("ssm")
    ssm.put_parameter(Name="/v", Value="a", Type="String")
    assert ssm.put_parameter(Name="/v", Value="a", Overwrite=True)["Version"] == 2
    assert ssm.put_parameter(Name="/v", Value="b", Type="String", Overwrite=True)["Version"] == 3
    p = ssm.get_parameter(Name="/v")["Parameter"]
    assert (p["Value"], p["Version"], p["Type"]) == ("b", 3, "String")


def test_type_required_on_create(client):
    with pytest.raises(ClientError) as e:
        client("ssm").put_parameter(Name="/notype", Value="x")
    assert code(e) == "ValidationException"


def test_root_name_with_and_without_slash_is_one_parameter(client):
    ssm = client("ssm")
    ssm.put_parameter(Name="Root", Value="1", Type="String")
    assert ssm.get_parameter(Name="/Root")["Parameter"]["Value"] == "1"
    with pytest.raises(ClientError) as e:
        ssm.put_parameter(Name="/Root", Value="2", Type="String")
    assert code(e) == "ParameterAlreadyExists"


def test_names_are_case_sensitive(client):
    ssm = client("ssm")
    ssm.put_parameter(Name="/Case", Value="upper", Type="String")
    ssm.put_parameter(Name="/case", Value="lower", Type="String")
    assert ssm.get_parameter(Name="/Case")["Parameter"]["Value"] == "upper"
    assert ssm.get_parameter(Name="/case")["Parameter"]["Value"] == "lower"


def test_string_list_is_stored_verbatim(client):
    ssm = client("ssm")
    ssm.put_parameter(Name="/list", Value="a,b,c", Type="StringList")
    p = ssm.get_parameter(Name="/list")["Parameter"]
    assert (p["Type"], p["Value"]) == ("StringList", "a,b,c")


def test_secure_string_with_and_without_decryption(client):
    ssm = client("ssm")
    ssm.put_parameter(Name="/secret", Value="hunter2", Type="SecureString")
    hidden = ssm.get_parameter(Name="/secret")["Parameter"]
    assert hidden["Type"] == "SecureString"
    assert hidden["Value"] != "hunter2"
    base64.b64decode(hidden["Value"], validate=True)  # ciphertext, base64 as AWS returns it
    shown = ssm.get_parameter(Name="/secret", WithDecryption=True)["Parameter"]
    assert shown["Value"] == "hunter2"
    many = ssm.get_parameters(Names=["/secret"], WithDecryption=True)["Parameters"]
    assert many[0]["Value"] == "hunter2"
    meta = ssm.describe_parameters(ParameterFilters=[{"Key": "Name", "Values": ["/secret"]}])["Parameters"][0]
    assert meta["KeyId"] == "alias/aws/ssm"


def test_secure_string_custom_key_id_and_bad_key_id(client):
    ssm = client("ssm")
    ssm.put_parameter(Name="/k", Value="v", Type="SecureString", KeyId="alias/my-key")
    meta = ssm.describe_parameters(ParameterFilters=[{"Key": "Name", "Values": ["/k"]}])["Parameters"][0]
    assert meta["KeyId"] == "alias/my-key"
    assert ssm.get_parameter(Name="/k", WithDecryption=True)["Parameter"]["Value"] == "v"
    with pytest.raises(ClientError) as e:
        ssm.put_parameter(Name="/k2", Value="v", Type="SecureString", KeyId="not_a:key")
    assert code(e) == "InvalidKeyId"


def test_version_and_label_selectors(client):
    ssm = client("ssm")
    ssm.put_parameter(Name="/sel", Value="one", Type="String")
    ssm.put_parameter(Name="/sel", Value="two", Overwrite=True)
    ssm.label_parameter_version(Name="/sel", ParameterVersion=1, Labels=["Prod"])
    v1 = ssm.get_parameter(Name="/sel:1")["Parameter"]
    assert (v1["Value"], v1["Version"], v1["Selector"]) == ("one", 1, ":1")
    prod = ssm.get_parameter(Name="/sel:Prod")["Parameter"]
    assert (prod["Value"], prod["Selector"]) == ("one", ":Prod")
    with pytest.raises(ClientError) as e:
        ssm.get_parameter(Name="/sel:7")
    assert code(e) == "ParameterVersionNotFound"
    with pytest.raises(ClientError) as e:
        ssm.get_parameter(Name="/sel:Missing")
    assert code(e) == "ParameterNotFound"


def test_arn_as_name(client):
    ssm = client("ssm")
    ssm.put_parameter(Name="/by/arn", Value="v", Type="String")
    arn = f"arn:aws:ssm:us-east-1:{ACCOUNT}:parameter/by/arn"
    assert ssm.get_parameter(Name=arn)["Parameter"]["Value"] == "v"
    assert ssm.get_parameter(Name=arn + ":1")["Parameter"]["Version"] == 1
    out = ssm.get_parameters(Names=[arn])
    assert [p["Value"] for p in out["Parameters"]] == ["v"]
    other_region = f"arn:aws:ssm:eu-west-1:{ACCOUNT}:parameter/by/arn"
    assert ssm.get_parameters(Names=[other_region])["InvalidParameters"] == [other_region]


def test_get_parameters_reports_invalid_and_sorts(client):
    ssm = client("ssm")
    for n in ["/g/b", "/g/a", "/g/c"]:
        ssm.put_parameter(Name=n, Value=n, Type="String")
    out = ssm.get_parameters(Names=["/g/c", "/g/missing", "/g/a", "/g/a:9", "/g/b"])
    assert [p["Name"] for p in out["Parameters"]] == ["/g/a", "/g/b", "/g/c"]
    assert sorted(out["InvalidParameters"]) == ["/g/a:9", "/g/missing"]


def test_get_parameters_more_than_ten_names_is_validation_error(client):
    with pytest.raises(ClientError) as e:
        client("ssm", parameter_validation=False).get_parameters(Names=[f"/n{i}" for i in range(11)])
    assert code(e) == "ValidationException"


def test_standard_tier_value_limit(client):
    ssm = client("ssm")
    ssm.put_parameter(Name="/size/ok", Value="x" * 4096, Type="String")
    with pytest.raises(ClientError) as e:
        ssm.put_parameter(Name="/size/big", Value="x" * 4097, Type="String")
    assert code(e) == "ValidationException"
    assert "Standard tier parameters support a maximum parameter value of 4096 characters" in str(e.value)


def test_advanced_tier_allows_8kb_and_cannot_downgrade(client):
    ssm = client("ssm")
    out = ssm.put_parameter(Name="/adv", Value="x" * 8192, Type="String", Tier="Advanced")
    assert out["Tier"] == "Advanced"
    with pytest.raises(ClientError) as e:
        ssm.put_parameter(Name="/adv2", Value="x" * 8193, Type="String", Tier="Advanced")
    assert code(e) == "ValidationException"
    with pytest.raises(ClientError) as e:
        ssm.put_parameter(Name="/adv", Value="small", Tier="Standard", Overwrite=True)
    assert code(e) == "ValidationException"
    assert ssm.put_parameter(Name="/adv", Value="small", Overwrite=True)["Tier"] == "Advanced"
    meta = ssm.describe_parameters(ParameterFilters=[{"Key": "Tier", "Values": ["Advanced"]}])["Parameters"]
    assert [m["Name"] for m in meta] == ["/adv"]


def test_intelligent_tiering_picks_the_tier(client):
    ssm = client("ssm")
    assert ssm.put_parameter(Name="/it/small", Value="x", Type="String", Tier="Intelligent-Tiering")["Tier"] == "Standard"
    big = ssm.put_parameter(Name="/it/big", Value="x" * 5000, Type="String", Tier="Intelligent-Tiering")
    assert big["Tier"] == "Advanced"


@pytest.mark.parametrize("name", [
    "has space", "bad$char", "app/no-leading-slash", "/trailing/", "/double//slash",
    "aws-thing", "/aws/x", "SSM", "/ssm/x", "/AwS/y",
])
def test_invalid_names_are_rejected(client, name):
    with pytest.raises(ClientError) as e:
        client("ssm").put_parameter(Name=name, Value="v", Type="String")
    assert code(e) == "ValidationException", name


def test_name_leading_and_trailing_spaces_are_trimmed(client):
    ssm = client("ssm")
    ssm.put_parameter(Name="  /trim/me  ", Value="v", Type="String")
    assert ssm.get_parameter(Name="/trim/me")["Parameter"]["Name"] == "/trim/me"


def test_hierarchy_depth_limit(client):
    ssm = client("ssm")
    fifteen = "".join(f"/l{i}" for i in range(15))
    ssm.put_parameter(Name=fifteen, Value="v", Type="String")
    with pytest.raises(ClientError) as e:
        ssm.put_parameter(Name=fifteen + "/l15", Value="v", Type="String")
    assert code(e) == "HierarchyLevelLimitExceededException"


def test_name_length_limit_includes_arn_prefix(client):
    ssm = client("ssm")
    prefix_len = len(f"arn:aws:ssm:us-east-1:{ACCOUNT}:parameter/")
    ok = "/" + "a" * (1011 - prefix_len)
    ssm.put_parameter(Name=ok, Value="v", Type="String")
    with pytest.raises(ClientError) as e:
        ssm.put_parameter(Name=ok + "b", Value="v", Type="String")
    assert code(e) == "ValidationException"


def test_allowed_pattern(client):
    ssm = client("ssm")
    ssm.put_parameter(Name="/num", Value="42", Type="String", AllowedPattern=r"^\d+$")
    with pytest.raises(ClientError) as e:
        ssm.put_parameter(Name="/num", Value="abc", Overwrite=True)
    assert code(e) == "ParameterPatternMismatchException"
    with pytest.raises(ClientError) as e:
        ssm.put_parameter(Name="/num2", Value="1", Type="String", AllowedPattern="(")
    assert code(e) == "InvalidAllowedPatternException"


def test_data_type_ec2_image(client):
    ssm = client("ssm")
    ssm.put_parameter(Name="/ami", Value="ami-0123456789abcdef0", Type="String", DataType="aws:ec2:image")
    assert ssm.get_parameter(Name="/ami")["Parameter"]["DataType"] == "aws:ec2:image"
    with pytest.raises(ClientError) as e:
        ssm.put_parameter(Name="/ami2", Value="not-an-ami", Type="String", DataType="aws:ec2:image")
    assert code(e) == "ValidationException"
    with pytest.raises(ClientError) as e:
        ssm.put_parameter(Name="/dt", Value="v", Type="String", DataType="json")
    assert code(e) == "ValidationException"


def test_tags_and_overwrite_cannot_be_combined(client):
    ssm = client("ssm")
    ssm.put_parameter(Name="/t", Value="v", Type="String")
    with pytest.raises(ClientError) as e:
        ssm.put_parameter(Name="/t", Value="w", Overwrite=True, Tags=[{"Key": "a", "Value": "b"}])
    assert code(e) == "ValidationException"


def test_last_modified_user_is_the_caller(client):
    ssm = client("ssm")
    ssm.put_parameter(Name="/who", Value="v", Type="String")
    h = ssm.get_parameter_history(Name="/who")["Parameters"][0]
    assert h["LastModifiedUser"] == f"arn:aws:iam::{ACCOUNT}:root"


def test_accounts_and_regions_are_isolated(client):
    dev = client("ssm")
    dev.put_parameter(Name="/iso", Value="dev", Type="String")
    with pytest.raises(ClientError) as e:
        client("ssm", account="prod").get_parameter(Name="/iso")
    assert code(e) == "ParameterNotFound"
    with pytest.raises(ClientError) as e:
        client("ssm", region="eu-west-1").get_parameter(Name="/iso")
    assert code(e) == "ParameterNotFound"
    client("ssm", account="prod").put_parameter(Name="/iso", Value="prod", Type="String")
    assert dev.get_parameter(Name="/iso")["Parameter"]["Value"] == "dev"
