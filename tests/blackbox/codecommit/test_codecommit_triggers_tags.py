"""CodeCommit's repository triggers, tags, encryption key and file history through boto3 and the
aws CLI: shapes, AWS's errors, IAM on the repository ARN, and TestRepositoryTriggers saying that
hakobu runs no trigger (it has no SNS or Lambda) instead of pretending a delivery."""
import json

import botocore.exceptions
import pytest

ACCOUNT = "000000000000"
TOPIC = f"arn:aws:sns:us-east-1:{ACCOUNT}:MyCodeCommitTopic"
FUNCTION = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:MyCodeCommitFunction"


def error_code(call, **kwargs):
    with pytest.raises(botocore.exceptions.ClientError) as info:
        call(**kwargs)
    return info.value.response["Error"]["Code"]


def arn(name, region="us-east-1", account=ACCOUNT):
    return f"arn:aws:codecommit:{region}:{account}:{name}"


def trigger(name, **overrides):
    t = {"name": name, "destinationArn": TOPIC, "customData": "", "branches": [], "events": ["all"]}
    t.update(overrides)
    return t


def test_put_get_and_clear_triggers(client):
    cc = client("codecommit")
    cc.create_repository(repositoryName="trig")
    empty = cc.get_repository_triggers(repositoryName="trig")
    assert empty["triggers"] == []

    triggers = [trigger("MyFirstTrigger", branches=["main", "preprod"], customData="Project ID 12345"),
                trigger("MySecondTrigger", destinationArn=FUNCTION, events=["updateReference", "deleteReference"])]
    first = cc.put_repository_triggers(repositoryName="trig", triggers=triggers)["configurationId"]
    got = cc.get_repository_triggers(repositoryName="trig")
    assert got["configurationId"] == first
    assert got["triggers"] == triggers

    second = cc.put_repository_triggers(repositoryName="trig", triggers=[trigger("Only")])["configurationId"]
    assert second != first
    assert [t["name"] for t in cc.get_repository_triggers(repositoryName="trig")["triggers"]] == ["Only"]

    cleared = cc.put_repository_triggers(repositoryName="trig", triggers=[])["configurationId"]
    got = cc.get_repository_triggers(repositoryName="trig")
    assert (got["configurationId"], got["triggers"]) == (cleared, [])


@pytest.mark.parametrize("bad, code", [
    (trigger(""), "RepositoryTriggerNameRequiredException"),
    (trigger("no spaces"), "InvalidRepositoryTriggerNameException"),
    (trigger("t", destinationArn=""), "RepositoryTriggerDestinationArnRequiredException"),
    (trigger("t", destinationArn=f"arn:aws:sqs:us-east-1:{ACCOUNT}:queue"), "InvalidRepositoryTriggerDestinationArnException"),
    (trigger("t", destinationArn=f"arn:aws:sns:eu-west-1:{ACCOUNT}:topic"), "InvalidRepositoryTriggerRegionException"),
    (trigger("t", customData="x" * 1001), "InvalidRepositoryTriggerCustomDataException"),
    (trigger("t", events=[]), "RepositoryTriggerEventsListRequiredException"),
    (trigger("t", events=["all", "createReference"]), "InvalidRepositoryTriggerEventsException"),
    (trigger("t", branches=["bad..name"]), "InvalidRepositoryTriggerBranchNameException"),
    (trigger("t", branches=[f"b{i}" for i in range(11)]), "MaximumBranchesExceededException"),
    ({"name": "t", "destinationArn": TOPIC, "events": ["all"]}, "RepositoryTriggerBranchNameListRequiredException"),
])
def test_trigger_errors(client, bad, code):
    cc = client("codecommit")
    cc.create_repository(repositoryName="trig")
    assert error_code(cc.put_repository_triggers, repositoryName="trig", triggers=[bad]) == code
    assert error_code(cc.test_repository_triggers, repositoryName="trig", triggers=[bad]) == code
    assert cc.get_repository_triggers(repositoryName="trig")["triggers"] == []


def test_trigger_limits_and_missing_repository(client):
    cc = client("codecommit")
    cc.create_repository(repositoryName="trig")
    eleven = [trigger(f"t{i}") for i in range(11)]
    assert error_code(cc.put_repository_triggers, repositoryName="trig",
                      triggers=eleven) == "MaximumRepositoryTriggersExceededException"
    cc.put_repository_triggers(repositoryName="trig", triggers=eleven[:10])
    assert len(cc.get_repository_triggers(repositoryName="trig")["triggers"]) == 10
    assert error_code(cc.put_repository_triggers, repositoryName="nope", triggers=[]) == "RepositoryDoesNotExistException"
    assert error_code(cc.get_repository_triggers, repositoryName="nope") == "RepositoryDoesNotExistException"


def test_test_repository_triggers_reports_no_delivery(aws, client):
    client("codecommit").create_repository(repositoryName="trig")
    # The CLI line AWS documents (shorthand: branches and events are lists).
    r = aws("codecommit", "test-repository-triggers", "--repository-name", "trig", "--triggers",
            f"name=MyFirstTrigger,destinationArn={TOPIC},branches=main,preprod,events=all")
    assert r.returncode == 0, r.stderr
    assert r.json["successfulExecutions"] == []
    [failed] = r.json["failedExecutions"]
    assert failed["trigger"] == "MyFirstTrigger"
    assert "not available in hakobu" in failed["failureMessage"] and "Amazon SNS" in failed["failureMessage"]
    lam = client("codecommit").test_repository_triggers(repositoryName="trig",
                                                         triggers=[trigger("L", destinationArn=FUNCTION)])
    assert "AWS Lambda" in lam["failedExecutions"][0]["failureMessage"]
    # Testing stores nothing.
    assert client("codecommit").get_repository_triggers(repositoryName="trig")["triggers"] == []


def test_tags_through_the_cli(aws, client):
    client("codecommit").create_repository(repositoryName="tagged", tags={"Team": "Saanvi"})
    r = aws("codecommit", "tag-resource", "--resource-arn", arn("tagged"), "--tags", "Status=Secret,Team=Other")
    assert r.returncode == 0 and r.stdout == "", r
    listed = aws("codecommit", "list-tags-for-resource", "--resource-arn", arn("tagged"))
    assert listed.json == {"tags": {"Status": "Secret", "Team": "Other"}}
    assert aws("codecommit", "untag-resource", "--resource-arn", arn("tagged"), "--tag-keys", "Status",
               "Missing").returncode == 0
    assert aws("codecommit", "list-tags-for-resource", "--resource-arn", arn("tagged")).json == {
        "tags": {"Team": "Other"}}


def test_tag_errors(client):
    cc = client("codecommit")
    cc.create_repository(repositoryName="tagged")
    assert error_code(cc.tag_resource, resourceArn="", tags={"a": "b"}) == "ResourceArnRequiredException"
    for bad in ["arn:aws:s3:::bucket", "tagged", arn("tagged")[:-7], f"arn:aws:codecommit:us-east-1:12:tagged"]:
        assert error_code(cc.list_tags_for_resource, resourceArn=bad) == "InvalidResourceArnException", bad
    for missing in [arn("nope"), arn("tagged", region="eu-west-1"), arn("tagged", account="111111111111")]:
        assert error_code(cc.tag_resource, resourceArn=missing,
                          tags={"a": "b"}) == "RepositoryDoesNotExistException", missing
    assert error_code(cc.tag_resource, resourceArn=arn("tagged"), tags={}) == "TagsMapRequiredException"
    assert error_code(cc.tag_resource, resourceArn=arn("tagged"),
                      tags={"aws:owner": "x"}) == "InvalidSystemTagUsageException"
    assert error_code(cc.untag_resource, resourceArn=arn("tagged"), tagKeys=[]) == "TagKeysListRequiredException"
    assert error_code(cc.untag_resource, resourceArn=arn("tagged"),
                      tagKeys=["aws:owner"]) == "InvalidSystemTagUsageException"
    cc.tag_resource(resourceArn=arn("tagged"), tags={f"k{i}": "v" for i in range(50)})
    assert error_code(cc.tag_resource, resourceArn=arn("tagged"), tags={"k50": "v"}) == "TooManyTagsException"
    cc.tag_resource(resourceArn=arn("tagged"), tags={"k0": "overwritten"})  # still 50
    assert len(cc.list_tags_for_resource(resourceArn=arn("tagged"))["tags"]) == 50


def test_tag_operations_are_authorized_on_the_repository_arn(client):
    cc = client("codecommit")
    cc.create_repository(repositoryName="mine")
    cc.create_repository(repositoryName="theirs")
    iam = client("iam")
    iam.create_user(UserName="tagger")
    policy = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["codecommit:TagResource", "codecommit:ListTagsForResource"],
         "Resource": arn("mine")}]}
    iam.put_user_policy(UserName="tagger", PolicyName="tags", PolicyDocument=json.dumps(policy))
    key = iam.create_access_key(UserName="tagger")["AccessKey"]
    tagger = client("codecommit",
                    account={"aws_access_key_id": key["AccessKeyId"], "aws_secret_access_key": key["SecretAccessKey"]})
    tagger.tag_resource(resourceArn=arn("mine"), tags={"a": "b"})
    assert tagger.list_tags_for_resource(resourceArn=arn("mine"))["tags"] == {"a": "b"}
    assert error_code(tagger.tag_resource, resourceArn=arn("theirs"), tags={"a": "b"}) == "AccessDeniedException"
    assert error_code(tagger.untag_resource, resourceArn=arn("mine"), tagKeys=["a"]) == "AccessDeniedException"
    assert cc.list_tags_for_resource(resourceArn=arn("theirs"))["tags"] == {}


def test_update_repository_encryption_key(client, aws):
    cc = client("codecommit")
    created = cc.create_repository(repositoryName="enc")["repositoryMetadata"]
    assert created["kmsKeyId"] == "alias/aws/codecommit"
    key = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    r = aws("codecommit", "update-repository-encryption-key", "--repository-name", "enc", "--kms-key-id", key)
    assert r.returncode == 0, r.stderr
    assert r.json == {"repositoryId": created["repositoryId"], "kmsKeyId": key,
                      "originalKmsKeyId": "alias/aws/codecommit"}
    assert cc.get_repository(repositoryName="enc")["repositoryMetadata"]["kmsKeyId"] == key
    again = cc.update_repository_encryption_key(repositoryName="enc", kmsKeyId="alias/my-key")
    assert again["originalKmsKeyId"] == key
    assert error_code(cc.update_repository_encryption_key, repositoryName="enc",
                      kmsKeyId="not-a-key") == "EncryptionKeyInvalidIdException"
    assert error_code(cc.update_repository_encryption_key, repositoryName="enc",
                      kmsKeyId=f"arn:aws:kms:eu-west-1:{ACCOUNT}:alias/k") == "EncryptionKeyNotFoundException"
    assert error_code(cc.update_repository_encryption_key, repositoryName="nope",
                      kmsKeyId="alias/k") == "RepositoryDoesNotExistException"


def test_list_file_commit_history(client, aws):
    cc = client("codecommit")
    cc.create_repository(repositoryName="hist")
    c1 = cc.put_file(repositoryName="hist", branchName="main", fileContent=b"1", filePath="README.md",
                     commitMessage="one", name="Ann", email="ann@example.com")
    c2 = cc.put_file(repositoryName="hist", branchName="main", fileContent=b"x", filePath="other.txt",
                     parentCommitId=c1["commitId"])
    c3 = cc.put_file(repositoryName="hist", branchName="main", fileContent=b"2", filePath="README.md",
                     parentCommitId=c2["commitId"], commitMessage="two")
    cc.create_branch(repositoryName="hist", branchName="old", commitId=c2["commitId"])

    dag = cc.list_file_commit_history(repositoryName="hist", filePath="README.md")["revisionDag"]
    assert [v["commit"]["commitId"] for v in dag] == [c3["commitId"], c1["commitId"]]
    assert [v["revisionChildren"] for v in dag] == [[], [c3["commitId"]]]
    assert [v["blobId"] for v in dag] == [c3["blobId"], c1["blobId"]]
    assert {v["path"] for v in dag} == {"README.md"}
    commit = cc.get_commit(repositoryName="hist", commitId=c3["commitId"])["commit"]
    assert dag[0]["commit"] == commit

    page = cc.list_file_commit_history(repositoryName="hist", filePath="README.md", maxResults=1)
    assert [v["commit"]["commitId"] for v in page["revisionDag"]] == [c3["commitId"]]
    rest = cc.list_file_commit_history(repositoryName="hist", filePath="README.md", maxResults=1,
                                       nextToken=page["nextToken"])
    assert [v["commit"]["commitId"] for v in rest["revisionDag"]] == [c1["commitId"]]
    assert "nextToken" not in rest
    old = aws("codecommit", "list-file-commit-history", "--repository-name", "hist", "--file-path", "README.md",
              "--commit-specifier", "old")
    assert old.returncode == 0, old.stderr
    assert [v["commit"]["commitId"] for v in old.json["revisionDag"]] == [c1["commitId"]]

    assert error_code(cc.list_file_commit_history, repositoryName="hist", filePath="README.md",
                      commitSpecifier="nope") == "CommitDoesNotExistException"
    assert error_code(cc.list_file_commit_history, repositoryName="hist", filePath="README.md",
                      maxResults=0) == "InvalidMaxResultsException"
    assert error_code(cc.list_file_commit_history, repositoryName="hist", filePath="README.md",
                      nextToken="bogus") == "InvalidContinuationTokenException"
    assert error_code(cc.list_file_commit_history, repositoryName="nope",
                      filePath="README.md") == "RepositoryDoesNotExistException"
    assert cc.list_file_commit_history(repositoryName="hist", filePath="never.txt")["revisionDag"] == []
