"""The aws CLI against hakobu: what scripts and buildspecs actually run."""
import json


def test_cli_put_get_and_errors(aws):
    put = aws("ssm", "put-parameter", "--name", "/cli/db", "--value", "v1", "--type", "String", check=True)
    assert put.json == {"Version": 1, "Tier": "Standard"}
    got = aws("ssm", "get-parameter", "--name", "/cli/db", "--query", "Parameter.Value", "--output", "text")
    assert got.returncode == 0 and got.stdout.strip() == "v1"
    again = aws("ssm", "put-parameter", "--name", "/cli/db", "--value", "v2", "--type", "String")
    assert again.returncode != 0
    assert "ParameterAlreadyExists" in again.stderr
    missing = aws("ssm", "get-parameter", "--name", "/cli/none")
    assert missing.returncode != 0
    assert "ParameterNotFound" in missing.stderr


def test_cli_secure_string_and_by_path(aws):
    aws("ssm", "put-parameter", "--name", "/cli/env/pw", "--value", "s3cret", "--type", "SecureString", check=True)
    aws("ssm", "put-parameter", "--name", "/cli/env/host", "--value", "h", "--type", "String", check=True)
    out = aws("ssm", "get-parameters-by-path", "--path", "/cli/env", "--with-decryption", check=True).json
    values = {p["Name"]: p["Value"] for p in out["Parameters"]}
    assert values == {"/cli/env/pw": "s3cret", "/cli/env/host": "h"}


def test_cli_auto_paginates_describe_and_by_path(aws, client):
    ssm = client("ssm")
    for i in range(25):
        ssm.put_parameter(Name=f"/cli/many/p{i:02d}", Value="v", Type="String")
    by_path = aws("ssm", "get-parameters-by-path", "--path", "/cli/many", "--page-size", "3", check=True).json
    assert len(by_path["Parameters"]) == 25
    described = aws("ssm", "describe-parameters", "--page-size", "7", check=True).json
    assert len(described["Parameters"]) == 25


def test_cli_labels_history_and_delete(aws):
    aws("ssm", "put-parameter", "--name", "/cli/l", "--value", "1", "--type", "String", check=True)
    aws("ssm", "put-parameter", "--name", "/cli/l", "--value", "2", "--overwrite", check=True)
    out = aws("ssm", "label-parameter-version", "--name", "/cli/l", "--parameter-version", "1",
              "--labels", "stable", check=True).json
    assert out["ParameterVersion"] == 1
    got = aws("ssm", "get-parameter", "--name", "/cli/l:stable", check=True).json
    assert got["Parameter"]["Value"] == "1"
    history = aws("ssm", "get-parameter-history", "--name", "/cli/l", check=True).json
    assert [h["Version"] for h in history["Parameters"]] == [1, 2]
    aws("ssm", "delete-parameter", "--name", "/cli/l", check=True)
    assert aws("ssm", "get-parameter", "--name", "/cli/l").returncode != 0


def test_cli_tags(aws):
    aws("ssm", "put-parameter", "--name", "/cli/t", "--value", "1", "--type", "String",
        "--tags", "Key=env,Value=dev", check=True)
    out = aws("ssm", "list-tags-for-resource", "--resource-type", "Parameter", "--resource-id", "/cli/t",
              check=True).json
    assert out["TagList"] == [{"Key": "env", "Value": "dev"}]
