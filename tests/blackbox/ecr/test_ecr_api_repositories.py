"""ECR's repository operations through boto3 and the aws CLI (v1 and v2): shapes, errors with
AWS's wording, pagination, settings, tags and the registry-level calls."""
import re

import pytest

from ecr_api_helpers import DEV_ACCOUNT, error_of, push_image

REPO_KEYS = {"repositoryArn", "registryId", "repositoryName", "repositoryUri", "createdAt", "imageTagMutability",
             "imageScanningConfiguration", "encryptionConfiguration"}


def test_create_repository_shape(client, hakobu):
    ecr = client("ecr")
    repo = ecr.create_repository(repositoryName="team/app")["repository"]
    assert set(repo) == REPO_KEYS
    assert repo["repositoryArn"] == f"arn:aws:ecr:us-east-1:{DEV_ACCOUNT}:repository/team/app"
    assert repo["registryId"] == DEV_ACCOUNT
    assert repo["repositoryName"] == "team/app"
    # The URI is reachable the way the client reached hakobu: host, then account, then name.
    assert repo["repositoryUri"] == f"127.0.0.1:{hakobu.port}/{DEV_ACCOUNT}/team/app"
    assert repo["imageTagMutability"] == "MUTABLE"
    assert repo["imageScanningConfiguration"] == {"scanOnPush": False}
    assert repo["encryptionConfiguration"] == {"encryptionType": "AES256"}
    assert repo["createdAt"].year >= 2024


def test_create_repository_with_settings(client):
    ecr = client("ecr")
    repo = ecr.create_repository(
        repositoryName="svc", imageTagMutability="IMMUTABLE", imageScanningConfiguration={"scanOnPush": True},
        encryptionConfiguration={"encryptionType": "KMS"})["repository"]
    assert repo["imageTagMutability"] == "IMMUTABLE"
    assert repo["imageScanningConfiguration"] == {"scanOnPush": True}
    assert repo["encryptionConfiguration"]["encryptionType"] == "KMS"
    assert repo["encryptionConfiguration"]["kmsKey"].startswith(f"arn:aws:kms:us-east-1:{DEV_ACCOUNT}:key/")
    excl = ecr.create_repository(
        repositoryName="excl", imageTagMutability="IMMUTABLE_WITH_EXCLUSION",
        imageTagMutabilityExclusionFilters=[{"filterType": "WILDCARD", "filter": "dev-*"}])["repository"]
    assert excl["imageTagMutabilityExclusionFilters"] == [{"filterType": "WILDCARD", "filter": "dev-*"}]
    described = ecr.describe_repositories(repositoryNames=["excl"])["repositories"][0]
    assert described["imageTagMutabilityExclusionFilters"] == [{"filterType": "WILDCARD", "filter": "dev-*"}]


def test_create_repository_bad_settings(client):
    ecr = client("ecr")
    code, _ = error_of(ecr.create_repository, repositoryName="a1", imageTagMutability="IMMUTABLE_WITH_EXCLUSION")
    assert code == "InvalidParameterException"
    code, _ = error_of(ecr.create_repository, repositoryName="a2", imageTagMutability="MUTABLE",
                       imageTagMutabilityExclusionFilters=[{"filterType": "WILDCARD", "filter": "x*"}])
    assert code == "InvalidParameterException"
    code, _ = error_of(ecr.create_repository, repositoryName="a3",
                       encryptionConfiguration={"encryptionType": "AES256", "kmsKey": "arn:aws:kms:x"})
    assert code == "InvalidParameterException"
    # The model's name rule: lower case, '/'-separated components.
    code, _ = error_of(ecr.create_repository, repositoryName="Upper")
    assert code in ("InvalidParameterException", "ValidationException")
    assert ecr.describe_repositories()["repositories"] == []


def test_create_repository_twice(client):
    ecr = client("ecr")
    ecr.create_repository(repositoryName="dup")
    code, message = error_of(ecr.create_repository, repositoryName="dup")
    assert code == "RepositoryAlreadyExistsException"
    assert message == f"The repository with name 'dup' already exists in the registry with id '{DEV_ACCOUNT}'"


def test_describe_repositories_named_and_missing(client):
    ecr = client("ecr")
    for name in ("bb", "aa", "cc/dd"):
        ecr.create_repository(repositoryName=name)
    names = [r["repositoryName"] for r in ecr.describe_repositories()["repositories"]]
    assert sorted(names) == ["aa", "bb", "cc/dd"]
    got = ecr.describe_repositories(repositoryNames=["cc/dd", "aa"])["repositories"]
    assert [r["repositoryName"] for r in got] == ["cc/dd", "aa"]
    code, message = error_of(ecr.describe_repositories, repositoryNames=["aa", "nope"])
    assert code == "RepositoryNotFoundException"
    assert message == f"The repository with name 'nope' does not exist in the registry with id '{DEV_ACCOUNT}'"


def test_describe_repositories_paginates(client, aws):
    ecr = client("ecr")
    for i in range(7):
        ecr.create_repository(repositoryName=f"r{i}")
    first = ecr.describe_repositories(maxResults=3)
    assert len(first["repositories"]) == 3 and "nextToken" in first
    seen = [r["repositoryName"] for r in first["repositories"]]
    token = first["nextToken"]
    while token:
        page = ecr.describe_repositories(maxResults=3, nextToken=token)
        seen += [r["repositoryName"] for r in page["repositories"]]
        token = page.get("nextToken")
    assert sorted(seen) == [f"r{i}" for i in range(7)]
    paginator = ecr.get_paginator("describe_repositories")
    pages = list(paginator.paginate(PaginationConfig={"PageSize": 2}))
    assert len(pages) == 4
    # The CLI follows nextToken itself.
    out = aws("ecr", "describe-repositories", "--page-size", "2", check=True).json
    assert len(out["repositories"]) == 7
    code, _ = error_of(ecr.describe_repositories, nextToken="not-a-token")
    assert code == "InvalidParameterException"


def test_regions_are_separate(client):
    client("ecr").create_repository(repositoryName="east")
    west = client("ecr", region="us-west-2")
    assert west.describe_repositories()["repositories"] == []
    repo = west.create_repository(repositoryName="east")["repository"]
    assert repo["repositoryArn"] == f"arn:aws:ecr:us-west-2:{DEV_ACCOUNT}:repository/east"
    # Outside the server's default region the URI names the region too.
    assert repo["repositoryUri"].endswith(f"/{DEV_ACCOUNT}/us-west-2/east")


def test_delete_repository(client):
    ecr = client("ecr")
    ecr.create_repository(repositoryName="gone")
    deleted = ecr.delete_repository(repositoryName="gone")["repository"]
    assert deleted["repositoryName"] == "gone" and set(deleted) == REPO_KEYS
    code, message = error_of(ecr.delete_repository, repositoryName="gone")
    assert code == "RepositoryNotFoundException"
    assert message == f"The repository with name 'gone' does not exist in the registry with id '{DEV_ACCOUNT}'"


def test_delete_repository_with_images_needs_force(client):
    ecr = client("ecr")
    ecr.create_repository(repositoryName="full")
    push_image(ecr, "full", "v1")
    code, message = error_of(ecr.delete_repository, repositoryName="full")
    assert code == "RepositoryNotEmptyException"
    assert message == (f"The repository with name 'full' in registry with id '{DEV_ACCOUNT}' cannot be deleted "
                       "because it still contains images")
    ecr.delete_repository(repositoryName="full", force=True)
    assert ecr.describe_repositories()["repositories"] == []


def test_put_image_tag_mutability_and_scanning(client):
    ecr = client("ecr")
    ecr.create_repository(repositoryName="settings")
    out = ecr.put_image_tag_mutability(repositoryName="settings", imageTagMutability="IMMUTABLE")
    assert out["imageTagMutability"] == "IMMUTABLE"
    assert out["registryId"] == DEV_ACCOUNT and out["repositoryName"] == "settings"
    out = ecr.put_image_tag_mutability(repositoryName="settings", imageTagMutability="MUTABLE_WITH_EXCLUSION",
                                       imageTagMutabilityExclusionFilters=[{"filterType": "WILDCARD",
                                                                            "filter": "release-*"}])
    assert out["imageTagMutabilityExclusionFilters"] == [{"filterType": "WILDCARD", "filter": "release-*"}]
    out = ecr.put_image_scanning_configuration(repositoryName="settings",
                                               imageScanningConfiguration={"scanOnPush": True})
    assert out["imageScanningConfiguration"] == {"scanOnPush": True}
    repo = ecr.describe_repositories(repositoryNames=["settings"])["repositories"][0]
    assert repo["imageTagMutability"] == "MUTABLE_WITH_EXCLUSION"
    assert repo["imageScanningConfiguration"] == {"scanOnPush": True}
    code, _ = error_of(ecr.put_image_tag_mutability, repositoryName="nope", imageTagMutability="MUTABLE")
    assert code == "RepositoryNotFoundException"
    code, _ = error_of(ecr.put_image_tag_mutability, repositoryName="settings", imageTagMutability="SOMETIMES")
    assert code in ("InvalidParameterException", "ValidationException")


def test_tags(client):
    ecr = client("ecr")
    arn = ecr.create_repository(repositoryName="tagged", tags=[{"Key": "team", "Value": "a"}])["repository"][
        "repositoryArn"]
    assert ecr.list_tags_for_resource(resourceArn=arn)["tags"] == [{"Key": "team", "Value": "a"}]
    ecr.tag_resource(resourceArn=arn, tags=[{"Key": "env", "Value": "dev"}, {"Key": "team", "Value": "b"}])
    tags = {t["Key"]: t["Value"] for t in ecr.list_tags_for_resource(resourceArn=arn)["tags"]}
    assert tags == {"team": "b", "env": "dev"}
    ecr.untag_resource(resourceArn=arn, tagKeys=["team"])
    assert ecr.list_tags_for_resource(resourceArn=arn)["tags"] == [{"Key": "env", "Value": "dev"}]


def test_tag_errors(client):
    ecr = client("ecr")
    arn = ecr.create_repository(repositoryName="tt")["repository"]["repositoryArn"]
    code, message = error_of(ecr.list_tags_for_resource, resourceArn="arn:aws:s3:::bucket")
    assert code == "InvalidParameterException"
    assert message == "Invalid parameter at 'resourceArn' failed to satisfy constraint: 'Invalid ARN'"
    missing = arn.replace("repository/tt", "repository/nope")
    code, message = error_of(ecr.tag_resource, resourceArn=missing, tags=[{"Key": "k", "Value": "v"}])
    assert code == "RepositoryNotFoundException"
    assert message == f"The repository with name 'nope' does not exist in the registry with id '{DEV_ACCOUNT}'"
    code, _ = error_of(ecr.tag_resource, resourceArn=arn, tags=[{"Key": "aws:owner", "Value": "v"}])
    assert code == "InvalidTagParameterException"
    code, _ = error_of(ecr.create_repository, repositoryName="t2", tags=[{"Key": "aws:x", "Value": "v"}])
    assert code == "InvalidTagParameterException"
    code, _ = error_of(ecr.tag_resource, resourceArn=arn,
                       tags=[{"Key": f"k{i}", "Value": "v"} for i in range(51)])
    assert code == "TooManyTagsException"
    assert ecr.list_tags_for_resource(resourceArn=arn)["tags"] == []


def test_deleted_repository_loses_its_tags(client):
    ecr = client("ecr")
    arn = ecr.create_repository(repositoryName="again", tags=[{"Key": "k", "Value": "v"}])["repository"][
        "repositoryArn"]
    ecr.delete_repository(repositoryName="again")
    ecr.create_repository(repositoryName="again")
    assert ecr.list_tags_for_resource(resourceArn=arn)["tags"] == []


def test_describe_registry_and_registry_policy(client):
    ecr = client("ecr")
    out = ecr.describe_registry()
    assert out["registryId"] == DEV_ACCOUNT
    assert out["replicationConfiguration"] == {"rules": []}
    code, message = error_of(ecr.get_registry_policy)
    assert code == "RegistryPolicyNotFoundException"
    assert message == f"Registry policy does not exist in the registry with id '{DEV_ACCOUNT}'"


@pytest.mark.parametrize("v2", [False, True])
def test_cli_repository_round_trip(aws, v2):
    created = aws("ecr", "create-repository", "--repository-name", "cli/app", "--image-tag-mutability",
                  "IMMUTABLE", v2=v2, check=True).json["repository"]
    assert created["imageTagMutability"] == "IMMUTABLE"
    # v1 prints createdAt as epoch seconds, v2 as an ISO-8601 string.
    if v2:
        assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", created["createdAt"])
    else:
        assert isinstance(created["createdAt"], float)
    uri = aws("ecr", "describe-repositories", "--repository-names", "cli/app", "--query",
              "repositories[0].repositoryUri", "--output", "text", v2=v2, check=True).stdout.strip()
    assert uri.endswith(f"/{DEV_ACCOUNT}/cli/app")
    dup = aws("ecr", "create-repository", "--repository-name", "cli/app", v2=v2)
    assert dup.returncode != 0 and "RepositoryAlreadyExistsException" in dup.stderr
    aws("ecr", "delete-repository", "--repository-name", "cli/app", v2=v2, check=True)
    missing = aws("ecr", "describe-repositories", "--repository-names", "cli/app", v2=v2)
    assert missing.returncode != 0 and "RepositoryNotFoundException" in missing.stderr
