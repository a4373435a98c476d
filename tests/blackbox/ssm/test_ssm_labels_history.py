"""LabelParameterVersion, UnlabelParameterVersion, GetParameterHistory and the 100-version
window."""
import pytest
from botocore.exceptions import ClientError


def code(excinfo):
    return excinfo.value.response["Error"]["Code"]


def make_versions(ssm, name, count):
    ssm.put_parameter(Name=name, Value="v1", Type="String")
    for i in range(2, count + 1):
        ssm.put_parameter(Name=name, Value=f"v{i}", Overwrite=True)


def test_label_defaults_to_latest_and_moves_between_versions(client):
    ssm = client("ssm")
    make_versions(ssm, "/lab", 3)
    out = ssm.label_parameter_version(Name="/lab", Labels=["live"])
    assert out["ParameterVersion"] == 3
    assert out["InvalidLabels"] == []
    ssm.label_parameter_version(Name="/lab", ParameterVersion=1, Labels=["live"])
    assert ssm.get_parameter(Name="/lab:live")["Parameter"]["Version"] == 1
    history = ssm.get_parameter_history(Name="/lab")["Parameters"]
    assert [h["Labels"] for h in history] == [["live"], [], []]


def test_invalid_labels_are_returned_not_raised(client):
    ssm = client("ssm")
    make_versions(ssm, "/lab", 1)
    out = ssm.label_parameter_version(Name="/lab", Labels=["ok", "9lives", "awsx", "ssmy", "bad/char"])
    assert sorted(out["InvalidLabels"]) == ["9lives", "awsx", "bad/char", "ssmy"]
    assert ssm.get_parameter(Name="/lab:ok")["Parameter"]["Version"] == 1


def test_label_errors(client):
    ssm = client("ssm")
    with pytest.raises(ClientError) as e:
        ssm.label_parameter_version(Name="/none", Labels=["x"])
    assert code(e) == "ParameterNotFound"
    make_versions(ssm, "/lab", 1)
    with pytest.raises(ClientError) as e:
        ssm.label_parameter_version(Name="/lab", ParameterVersion=5, Labels=["x"])
    assert code(e) == "ParameterVersionNotFound"
    ssm.label_parameter_version(Name="/lab", Labels=[f"l{i}" for i in range(10)])
    with pytest.raises(ClientError) as e:
        ssm.label_parameter_version(Name="/lab", Labels=["eleventh"])
    assert code(e) == "ParameterVersionLabelLimitExceeded"


def test_label_too_long_is_rejected(client):
    ssm = client("ssm", parameter_validation=False)
    make_versions(ssm, "/lab", 1)
    with pytest.raises(ClientError) as e:
        ssm.label_parameter_version(Name="/lab", Labels=["a" * 101])
    assert code(e) == "ValidationException"


def test_unlabel(client):
    ssm = client("ssm")
    make_versions(ssm, "/un", 2)
    ssm.label_parameter_version(Name="/un", ParameterVersion=1, Labels=["a", "b"])
    out = ssm.unlabel_parameter_version(Name="/un", ParameterVersion=1, Labels=["a", "zzz"])
    assert out["RemovedLabels"] == ["a"]
    assert out["InvalidLabels"] == ["zzz"]
    with pytest.raises(ClientError) as e:
        ssm.get_parameter(Name="/un:a")
    assert code(e) == "ParameterNotFound"
    with pytest.raises(ClientError) as e:
        ssm.unlabel_parameter_version(Name="/un", ParameterVersion=9, Labels=["b"])
    assert code(e) == "ParameterVersionNotFound"
    with pytest.raises(ClientError) as e:
        ssm.unlabel_parameter_version(Name="/none", ParameterVersion=1, Labels=["b"])
    assert code(e) == "ParameterNotFound"


def test_history_keeps_every_version_oldest_first(client):
    ssm = client("ssm")
    ssm.put_parameter(Name="/h", Value="one", Type="String", Description="first")
    ssm.put_parameter(Name="/h", Value="two", Overwrite=True, Description="second")
    history = ssm.get_parameter_history(Name="/h")["Parameters"]
    assert [(h["Version"], h["Value"], h["Description"]) for h in history] == [(1, "one", "first"), (2, "two", "second")]
    for h in history:
        assert h["Tier"] == "Standard"
        assert h["Policies"] == []
        assert h["DataType"] == "text"
        assert h["Type"] == "String"


def test_history_secure_string_decryption(client):
    ssm = client("ssm")
    ssm.put_parameter(Name="/hs", Value="s3cr3t", Type="SecureString")
    raw = ssm.get_parameter_history(Name="/hs")["Parameters"][0]
    assert raw["Value"] != "s3cr3t"
    assert raw["KeyId"] == "alias/aws/ssm"
    assert ssm.get_parameter_history(Name="/hs", WithDecryption=True)["Parameters"][0]["Value"] == "s3cr3t"


def test_history_pagination_and_errors(client):
    ssm = client("ssm")
    make_versions(ssm, "/hp", 7)
    pages = ssm.get_paginator("get_parameter_history").paginate(Name="/hp", PaginationConfig={"PageSize": 3})
    versions = [p["Version"] for page in pages for p in page["Parameters"]]
    assert versions == list(range(1, 8))
    with pytest.raises(ClientError) as e:
        ssm.get_parameter_history(Name="/none")
    assert code(e) == "ParameterNotFound"
    with pytest.raises(ClientError) as e:
        ssm.get_parameter_history(Name="/hp", NextToken="bogus")
    assert code(e) == "InvalidNextToken"


def test_hundred_versions_then_oldest_is_dropped(client):
    ssm = client("ssm")
    make_versions(ssm, "/cap", 100)
    assert ssm.put_parameter(Name="/cap", Value="v101", Overwrite=True)["Version"] == 101
    pages = ssm.get_paginator("get_parameter_history").paginate(Name="/cap")
    versions = [p["Version"] for page in pages for p in page["Parameters"]]
    assert versions == list(range(2, 102))
    with pytest.raises(ClientError) as e:
        ssm.get_parameter(Name="/cap:1")
    assert code(e) == "ParameterVersionNotFound"


def test_labelled_oldest_version_blocks_the_101st(client):
    ssm = client("ssm")
    make_versions(ssm, "/cap", 100)
    ssm.label_parameter_version(Name="/cap", ParameterVersion=1, Labels=["pinned"])
    with pytest.raises(ClientError) as e:
        ssm.put_parameter(Name="/cap", Value="v101", Overwrite=True)
    assert code(e) == "ParameterMaxVersionLimitExceeded"
    assert ssm.get_parameter(Name="/cap")["Parameter"]["Version"] == 100
