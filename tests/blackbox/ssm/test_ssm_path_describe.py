"""GetParametersByPath (recursion, filters, pagination) and DescribeParameters (both filter
styles, pagination)."""
import pytest
from botocore.exceptions import ClientError


def code(excinfo):
    return excinfo.value.response["Error"]["Code"]


@pytest.fixture
def tree(client):
    ssm = client("ssm")
    for name, kind in [
        ("/app/dev/db", "String"),
        ("/app/dev/password", "SecureString"),
        ("/app/dev/hosts", "StringList"),
        ("/app/dev/deep/flag", "String"),
        ("/app/prod/db", "String"),
        ("/app", "String"),
        ("toplevel", "String"),
    ]:
        ssm.put_parameter(Name=name, Value=f"value-of-{name}", Type=kind)
    return ssm


def names_by_path(ssm, path, **kwargs):
    pages = ssm.get_paginator("get_parameters_by_path").paginate(Path=path, **kwargs)
    return sorted(p["Name"] for page in pages for p in page["Parameters"])


def test_one_level_only_by_default(tree):
    assert names_by_path(tree, "/app/dev") == ["/app/dev/db", "/app/dev/hosts", "/app/dev/password"]
    assert names_by_path(tree, "/app/dev/") == ["/app/dev/db", "/app/dev/hosts", "/app/dev/password"]


def test_recursive_returns_all_descendants_not_the_path_itself(tree):
    assert names_by_path(tree, "/app", Recursive=True) == [
        "/app/dev/db", "/app/dev/deep/flag", "/app/dev/hosts", "/app/dev/password", "/app/prod/db"]


def test_root_path(tree):
    assert names_by_path(tree, "/") == ["/app", "toplevel"]
    assert len(names_by_path(tree, "/", Recursive=True)) == 7


def test_by_path_decryption(tree):
    raw = tree.get_parameters_by_path(Path="/app/dev")["Parameters"]
    secret = [p for p in raw if p["Name"] == "/app/dev/password"][0]
    assert secret["Value"] != "value-of-/app/dev/password"
    plain = tree.get_parameters_by_path(Path="/app/dev", WithDecryption=True)["Parameters"]
    secret = [p for p in plain if p["Name"] == "/app/dev/password"][0]
    assert secret["Value"] == "value-of-/app/dev/password"


def test_by_path_pagination_with_small_pages(client):
    ssm = client("ssm")
    for i in range(23):
        ssm.put_parameter(Name=f"/many/p{i:02d}", Value=str(i), Type="String")
    first = ssm.get_parameters_by_path(Path="/many", MaxResults=10)
    assert len(first["Parameters"]) <= 10
    assert "NextToken" in first
    assert names_by_path(ssm, "/many", PaginationConfig={"PageSize": 4}) == [f"/many/p{i:02d}" for i in range(23)]
    with pytest.raises(ClientError) as e:
        ssm.get_parameters_by_path(Path="/many", NextToken="not-a-token")
    assert code(e) == "InvalidNextToken"


def test_by_path_filters(tree):
    assert names_by_path(tree, "/app", Recursive=True,
                         ParameterFilters=[{"Key": "Type", "Values": ["SecureString"]}]) == ["/app/dev/password"]
    tree.label_parameter_version(Name="/app/dev/db", Labels=["blue"])
    assert names_by_path(tree, "/app", Recursive=True,
                         ParameterFilters=[{"Key": "Label", "Values": ["blue"]}]) == ["/app/dev/db"]
    assert names_by_path(tree, "/app", Recursive=True,
                         ParameterFilters=[{"Key": "KeyId", "Values": ["alias/aws/ssm"]}]) == ["/app/dev/password"]


@pytest.mark.parametrize("key", ["Name", "Path", "Tier", "DataType"])
def test_by_path_rejects_describe_only_filter_keys(tree, key):
    with pytest.raises(ClientError) as e:
        tree.get_parameters_by_path(Path="/app", ParameterFilters=[{"Key": key, "Values": ["x"]}])
    assert code(e) == "InvalidFilterKey"


def test_by_path_label_option_must_be_equals(tree):
    with pytest.raises(ClientError) as e:
        tree.get_parameters_by_path(Path="/app", ParameterFilters=[{"Key": "Label", "Option": "BeginsWith",
                                                                  "Values": ["x"]}])
    assert code(e) == "InvalidFilterOption"


def test_by_path_invalid_path(tree):
    with pytest.raises(ClientError) as e:
        tree.get_parameters_by_path(Path="app/dev")
    assert code(e) == "ValidationException"


def describe_names(ssm, **kwargs):
    pages = ssm.get_paginator("describe_parameters").paginate(**kwargs)
    return sorted(p["Name"] for page in pages for p in page["Parameters"])


def test_describe_returns_metadata_without_values(tree):
    params = tree.describe_parameters(ParameterFilters=[{"Key": "Name", "Values": ["/app/dev/db"]}])["Parameters"]
    assert len(params) == 1
    p = params[0]
    assert "Value" not in p
    assert p["Type"] == "String"
    assert p["Version"] == 1
    assert p["Tier"] == "Standard"
    assert p["Policies"] == []
    assert p["DataType"] == "text"
    assert p["ARN"].endswith(":parameter/app/dev/db")
    assert p["LastModifiedUser"].startswith("arn:aws:iam::")


def test_describe_all_with_pagination(tree):
    assert len(describe_names(tree, PaginationConfig={"PageSize": 2})) == 7


def test_describe_parameter_filters(tree):
    assert describe_names(tree, ParameterFilters=[{"Key": "Type", "Values": ["StringList"]}]) == ["/app/dev/hosts"]
    assert describe_names(tree, ParameterFilters=[{"Key": "Name", "Option": "BeginsWith",
                                                   "Values": ["/app/prod"]}]) == ["/app/prod/db"]
    assert describe_names(tree, ParameterFilters=[{"Key": "Name", "Option": "Contains",
                                                   "Values": ["deep"]}]) == ["/app/dev/deep/flag"]
    assert describe_names(tree, ParameterFilters=[{"Key": "Path", "Values": ["/app/dev"]}]) == [
        "/app/dev/db", "/app/dev/hosts", "/app/dev/password"]
    assert len(describe_names(tree, ParameterFilters=[{"Key": "Path", "Option": "Recursive",
                                                       "Values": ["/app"]}])) == 5
    assert describe_names(tree, ParameterFilters=[{"Key": "Tier", "Values": ["Standard"]},
                                                  {"Key": "Type", "Values": ["SecureString"]}]) == ["/app/dev/password"]
    assert len(describe_names(tree, ParameterFilters=[{"Key": "DataType", "Values": ["text"]}])) == 7


def test_describe_tag_filters(tree):
    tree.add_tags_to_resource(ResourceType="Parameter", ResourceId="/app/prod/db",
                              Tags=[{"Key": "env", "Value": "prod"}])
    assert describe_names(tree, ParameterFilters=[{"Key": "tag:env", "Values": ["prod"]}]) == ["/app/prod/db"]
    assert describe_names(tree, ParameterFilters=[{"Key": "tag:env"}]) == ["/app/prod/db"]
    assert describe_names(tree, ParameterFilters=[{"Key": "tag:env", "Values": ["dev"]}]) == []


def test_describe_legacy_filters(tree):
    assert describe_names(tree, Filters=[{"Key": "Type", "Values": ["SecureString"]}]) == ["/app/dev/password"]
    assert describe_names(tree, Filters=[{"Key": "Name", "Values": ["/app/prod"]}]) == ["/app/prod/db"]
    assert describe_names(tree, Filters=[{"Key": "KeyId", "Values": ["alias/aws/ssm"]}]) == ["/app/dev/password"]


def test_describe_filter_errors(tree):
    cases = [
        ({"ParameterFilters": [{"Key": "Label", "Values": ["x"]}]}, "InvalidFilterKey"),
        ({"ParameterFilters": [{"Key": "Path", "Option": "Equals", "Values": ["/app"]}]}, "InvalidFilterOption"),
        ({"ParameterFilters": [{"Key": "Type", "Option": "Contains", "Values": ["String"]}]}, "InvalidFilterOption"),
        ({"ParameterFilters": [{"Key": "Type", "Values": ["Number"]}]}, "InvalidFilterValue"),
        ({"ParameterFilters": [{"Key": "Path", "Values": ["no-slash"]}]}, "InvalidFilterValue"),
        ({"ParameterFilters": [{"Key": "Type", "Values": ["String"]}, {"Key": "Type", "Values": ["String"]}]},
         "InvalidFilterKey"),
        ({"Filters": [{"Key": "Name", "Values": ["/a"]}], "ParameterFilters": [{"Key": "Type", "Values": ["String"]}]},
         "ValidationException"),
        ({"NextToken": "garbage"}, "InvalidNextToken"),
    ]
    for kwargs, expected in cases:
        with pytest.raises(ClientError) as e:
            tree.describe_parameters(**kwargs)
        assert code(e) == expected, kwargs
