"""Tags on parameters and DeleteParameter(s)."""
import pytest
from botocore.exceptions import ClientError


def code(excinfo):
    return excinfo.value.response["Error"]["Code"]


def test_tags_at_create_and_through_tagging_calls(client):
    ssm = client("ssm")
    ssm.put_parameter(Name="/tagged", Value="v", Type="String", Tags=[{"Key": "team", "Value": "a"}])
    ssm.add_tags_to_resource(ResourceType="Parameter", ResourceId="/tagged",
                             Tags=[{"Key": "env", "Value": "dev"}, {"Key": "team", "Value": "b"}])
    tags = ssm.list_tags_for_resource(ResourceType="Parameter", ResourceId="/tagged")["TagList"]
    assert sorted((t["Key"], t["Value"]) for t in tags) == [("env", "dev"), ("team", "b")]
    ssm.remove_tags_from_resource(ResourceType="Parameter", ResourceId="/tagged", TagKeys=["team", "absent"])
    tags = ssm.list_tags_for_resource(ResourceType="Parameter", ResourceId="/tagged")["TagList"]
    assert tags == [{"Key": "env", "Value": "dev"}]


def test_tagging_missing_parameter(client):
    ssm = client("ssm")
    with pytest.raises(ClientError) as e:
        ssm.list_tags_for_resource(ResourceType="Parameter", ResourceId="/missing")
    assert code(e) == "InvalidResourceId"
    with pytest.raises(ClientError) as e:
        ssm.add_tags_to_resource(ResourceType="Parameter", ResourceId="/missing", Tags=[{"Key": "a", "Value": "b"}])
    assert code(e) == "InvalidResourceId"
    with pytest.raises(ClientError) as e:
        ssm.remove_tags_from_resource(ResourceType="Parameter", ResourceId="/missing", TagKeys=["a"])
    assert code(e) == "InvalidResourceId"


def test_tagging_other_resource_types(client):
    ssm = client("ssm")
    ssm.put_parameter(Name="/p", Value="v", Type="String")
    with pytest.raises(ClientError) as e:
        ssm.list_tags_for_resource(ResourceType="Document", ResourceId="/p")
    assert code(e) == "InvalidResourceType"
    with pytest.raises(ClientError) as e:
        client("ssm", parameter_validation=False).list_tags_for_resource(ResourceType="Bucket", ResourceId="/p")
    assert code(e) == "ValidationException"


def test_too_many_tags(client):
    ssm = client("ssm")
    ssm.put_parameter(Name="/p", Value="v", Type="String")
    ssm.add_tags_to_resource(ResourceType="Parameter", ResourceId="/p",
                             Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(50)])
    with pytest.raises(ClientError) as e:
        ssm.add_tags_to_resource(ResourceType="Parameter", ResourceId="/p", Tags=[{"Key": "k50", "Value": "v"}])
    assert code(e) == "TooManyTagsError"


def test_delete_parameter(client):
    ssm = client("ssm")
    ssm.put_parameter(Name="/del", Value="v", Type="String", Tags=[{"Key": "a", "Value": "b"}])
    ssm.put_parameter(Name="/del", Value="w", Overwrite=True)
    ssm.label_parameter_version(Name="/del", Labels=["x"])
    ssm.delete_parameter(Name="/del")
    with pytest.raises(ClientError) as e:
        ssm.get_parameter(Name="/del")
    assert code(e) == "ParameterNotFound"
    with pytest.raises(ClientError) as e:
        ssm.delete_parameter(Name="/del")
    assert code(e) == "ParameterNotFound"
    # Recreated: history, labels and tags start over.
    assert ssm.put_parameter(Name="/del", Value="new", Type="String")["Version"] == 1
    assert len(ssm.get_parameter_history(Name="/del")["Parameters"]) == 1
    assert ssm.list_tags_for_resource(ResourceType="Parameter", ResourceId="/del")["TagList"] == []


def test_delete_parameters_reports_invalid(client):
    ssm = client("ssm")
    ssm.put_parameter(Name="/d1", Value="v", Type="String")
    ssm.put_parameter(Name="/d2", Value="v", Type="String")
    out = ssm.delete_parameters(Names=["/d1", "/nope", "/d2"])
    assert sorted(out["DeletedParameters"]) == ["/d1", "/d2"]
    assert out["InvalidParameters"] == ["/nope"]
    assert ssm.describe_parameters()["Parameters"] == []
