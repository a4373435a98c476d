"""CodeCommit approval rule templates through boto3 and the aws CLI: create, get, list (with
pagination), rename, describe, change content (ruleContentSha256 checks), delete (refused while
associated, silent when absent), associations single and batch with per-repository errors, IAM
(templates on "*", associations on the repository ARN) and the template change events."""
import json
import urllib.request

import botocore.exceptions
import pytest

ACCOUNT = "000000000000"
ROOT = f"arn:aws:iam::{ACCOUNT}:root"
CONTENT = json.dumps({"Version": "2018-11-08", "DestinationReferences": ["refs/heads/main"],
                      "Statements": [{"Type": "Approvers", "NumberOfApprovalsNeeded": 2,
                                      "ApprovalPoolMembers": [f"arn:aws:sts::{ACCOUNT}:assumed-role/Review/*"]}]})
OTHER = json.dumps({"Version": "2018-11-08", "Statements": [{"Type": "Approvers", "NumberOfApprovalsNeeded": 1}]})


def error_of(call, *args, **kwargs):
    with pytest.raises(botocore.exceptions.ClientError) as info:
        call(*args, **kwargs)
    return info.value.response["Error"]["Code"]


@pytest.fixture
def cc(client):
    return client("codecommit")


def create(cc, name, content=CONTENT, description="two approvers on main"):
    return cc.create_approval_rule_template(approvalRuleTemplateName=name, approvalRuleTemplateContent=content,
                                            approvalRuleTemplateDescription=description)["approvalRuleTemplate"]


def template_events(hakobu):
    with urllib.request.urlopen(f"{hakobu.url}/_hakobu/events?source=aws.codecommit", timeout=10) as r:
        events = json.loads(r.read())["events"]
    return [e for e in events if e["detail-type"] == "CodeCommit Approval Rule Template Change"]


def test_create_get_and_the_template_shape(cc):
    created = create(cc, "2-approvers-required-for-main")
    assert created["approvalRuleTemplateName"] == "2-approvers-required-for-main"
    assert created["approvalRuleTemplateContent"] == CONTENT
    assert created["approvalRuleTemplateDescription"] == "two approvers on main"
    assert len(created["approvalRuleTemplateId"]) == 36
    assert len(created["ruleContentSha256"]) == 64
    assert created["lastModifiedUser"] == ROOT
    assert created["creationDate"] == created["lastModifiedDate"]
    got = cc.get_approval_rule_template(approvalRuleTemplateName="2-approvers-required-for-main")["approvalRuleTemplate"]
    assert got == created
    assert error_of(create, cc, "2-approvers-required-for-main") == "ApprovalRuleTemplateNameAlreadyExistsException"
    assert error_of(cc.get_approval_rule_template, approvalRuleTemplateName="nope") == \
        "ApprovalRuleTemplateDoesNotExistException"
    assert error_of(create, cc, "bad", content='{"Version": "2018-11-08"}') == \
        "InvalidApprovalRuleTemplateContentException"
    assert error_of(create, cc, "bad", content="not json") == "InvalidApprovalRuleTemplateContentException"
    assert error_of(create, cc, "bad/name") == "InvalidApprovalRuleTemplateNameException"


def test_updates_name_description_and_content_with_its_hash(cc):
    created = create(cc, "t")
    renamed = cc.update_approval_rule_template_name(oldApprovalRuleTemplateName="t",
                                                    newApprovalRuleTemplateName="renamed")["approvalRuleTemplate"]
    assert renamed["approvalRuleTemplateId"] == created["approvalRuleTemplateId"]
    assert renamed["approvalRuleTemplateName"] == "renamed"
    create(cc, "taken")
    assert error_of(cc.update_approval_rule_template_name, oldApprovalRuleTemplateName="renamed",
                    newApprovalRuleTemplateName="taken") == "ApprovalRuleTemplateNameAlreadyExistsException"
    assert error_of(cc.update_approval_rule_template_name, oldApprovalRuleTemplateName="t",
                    newApprovalRuleTemplateName="x") == "ApprovalRuleTemplateDoesNotExistException"

    described = cc.update_approval_rule_template_description(
        approvalRuleTemplateName="renamed", approvalRuleTemplateDescription="")["approvalRuleTemplate"]
    assert described["approvalRuleTemplateDescription"] == ""

    assert error_of(cc.update_approval_rule_template_content, approvalRuleTemplateName="renamed", newRuleContent=OTHER,
                    existingRuleContentSha256="0" * 64) == "InvalidRuleContentSha256Exception"
    updated = cc.update_approval_rule_template_content(
        approvalRuleTemplateName="renamed", newRuleContent=OTHER,
        existingRuleContentSha256=created["ruleContentSha256"])["approvalRuleTemplate"]
    assert updated["approvalRuleTemplateContent"] == OTHER
    assert updated["ruleContentSha256"] != created["ruleContentSha256"]
    # The old hash no longer matches.
    assert error_of(cc.update_approval_rule_template_content, approvalRuleTemplateName="renamed",
                    newRuleContent=CONTENT, existingRuleContentSha256=created["ruleContentSha256"]) == \
        "InvalidRuleContentSha256Exception"
    assert error_of(cc.update_approval_rule_template_content, approvalRuleTemplateName="renamed",
                    newRuleContent="[1]") == "InvalidApprovalRuleTemplateContentException"


def test_list_pages_with_next_token(cc):
    for name in ["e", "c", "a", "d", "b"]:
        create(cc, name)
    first = cc.list_approval_rule_templates(maxResults=2)
    assert first["approvalRuleTemplateNames"] == ["a", "b"]
    second = cc.list_approval_rule_templates(maxResults=2, nextToken=first["nextToken"])
    assert second["approvalRuleTemplateNames"] == ["c", "d"]
    third = cc.list_approval_rule_templates(maxResults=2, nextToken=second["nextToken"])
    assert third["approvalRuleTemplateNames"] == ["e"] and "nextToken" not in third
    assert cc.list_approval_rule_templates()["approvalRuleTemplateNames"] == ["a", "b", "c", "d", "e"]
    assert error_of(cc.list_approval_rule_templates, nextToken="garbage") == "InvalidContinuationTokenException"
    assert error_of(cc.list_approval_rule_templates, maxResults=0) == "InvalidMaxResultsException"
    # Templates are per region.
    assert cc.meta.region_name == "us-east-1"


def test_templates_are_per_region(client):
    create(client("codecommit"), "east")
    west = client("codecommit", region="us-west-2")
    assert west.list_approval_rule_templates()["approvalRuleTemplateNames"] == []
    create(west, "east")


def test_associations_both_ways_and_deletion(cc):
    create(cc, "t")
    create(cc, "u")
    for name in ["app", "lib"]:
        cc.create_repository(repositoryName=name)
    cc.associate_approval_rule_template_with_repository(approvalRuleTemplateName="t", repositoryName="app")
    cc.associate_approval_rule_template_with_repository(approvalRuleTemplateName="t", repositoryName="app")
    cc.associate_approval_rule_template_with_repository(approvalRuleTemplateName="u", repositoryName="app")
    cc.associate_approval_rule_template_with_repository(approvalRuleTemplateName="t", repositoryName="lib")
    assert cc.list_associated_approval_rule_templates_for_repository(repositoryName="app")[
        "approvalRuleTemplateNames"] == ["t", "u"]
    assert cc.list_repositories_for_approval_rule_template(approvalRuleTemplateName="t")["repositoryNames"] == \
        ["app", "lib"]
    page = cc.list_repositories_for_approval_rule_template(approvalRuleTemplateName="t", maxResults=1)
    assert page["repositoryNames"] == ["app"] and "nextToken" in page

    assert error_of(cc.associate_approval_rule_template_with_repository, approvalRuleTemplateName="t",
                    repositoryName="nope") == "RepositoryDoesNotExistException"
    assert error_of(cc.associate_approval_rule_template_with_repository, approvalRuleTemplateName="nope",
                    repositoryName="app") == "ApprovalRuleTemplateDoesNotExistException"
    assert error_of(cc.list_associated_approval_rule_templates_for_repository, repositoryName="nope") == \
        "RepositoryDoesNotExistException"
    assert error_of(cc.list_repositories_for_approval_rule_template, approvalRuleTemplateName="nope") == \
        "ApprovalRuleTemplateDoesNotExistException"

    # AWS: "You cannot delete a template that is associated with a repository."
    assert error_of(cc.delete_approval_rule_template, approvalRuleTemplateName="t") == \
        "ApprovalRuleTemplateInUseException"
    cc.disassociate_approval_rule_template_from_repository(approvalRuleTemplateName="t", repositoryName="app")
    # Deleting a repository drops its associations.
    cc.delete_repository(repositoryName="lib")
    assert cc.list_repositories_for_approval_rule_template(approvalRuleTemplateName="t")["repositoryNames"] == []
    template_id = cc.get_approval_rule_template(approvalRuleTemplateName="t")["approvalRuleTemplate"][
        "approvalRuleTemplateId"]
    assert cc.delete_approval_rule_template(approvalRuleTemplateName="t")["approvalRuleTemplateId"] == template_id
    # "If the template has been previously deleted, the only response is a 200 OK."
    assert "approvalRuleTemplateId" not in cc.delete_approval_rule_template(approvalRuleTemplateName="t")


def test_batch_association_reports_each_repository(cc):
    create(cc, "t")
    for name in ["app", "lib"]:
        cc.create_repository(repositoryName=name)
    out = cc.batch_associate_approval_rule_template_with_repositories(approvalRuleTemplateName="t",
                                                                      repositoryNames=["app", "missing", "lib"])
    assert out["associatedRepositoryNames"] == ["app", "lib"]
    assert out["errors"] == [{"repositoryName": "missing", "errorCode": "RepositoryDoesNotExistException",
                              "errorMessage": "missing does not exist"}]
    out = cc.batch_disassociate_approval_rule_template_from_repositories(approvalRuleTemplateName="t",
                                                                         repositoryNames=["lib", "missing"])
    assert out["disassociatedRepositoryNames"] == ["lib"]
    assert [e["repositoryName"] for e in out["errors"]] == ["missing"]
    assert cc.list_repositories_for_approval_rule_template(approvalRuleTemplateName="t")["repositoryNames"] == ["app"]
    assert error_of(cc.batch_associate_approval_rule_template_with_repositories, approvalRuleTemplateName="t",
                    repositoryNames=["r%d" % i for i in range(101)]) == "MaximumRepositoryNamesExceededException"
    assert error_of(cc.batch_associate_approval_rule_template_with_repositories, approvalRuleTemplateName="nope",
                    repositoryNames=["app"]) == "ApprovalRuleTemplateDoesNotExistException"


def test_cli_round_trip(aws):
    made = aws("codecommit", "create-approval-rule-template", "--approval-rule-template-name", "cli-template",
               "--approval-rule-template-content", CONTENT, check=True).json
    assert made["approvalRuleTemplate"]["approvalRuleTemplateContent"] == CONTENT
    aws("codecommit", "create-repository", "--repository-name", "cli-repo", check=True)
    aws("codecommit", "associate-approval-rule-template-with-repository", "--approval-rule-template-name",
        "cli-template", "--repository-name", "cli-repo", check=True)
    listed = aws("codecommit", "list-associated-approval-rule-templates-for-repository", "--repository-name",
                 "cli-repo", v2=True, check=True).json
    assert listed["approvalRuleTemplateNames"] == ["cli-template"]
    in_use = aws("codecommit", "delete-approval-rule-template", "--approval-rule-template-name", "cli-template")
    assert in_use.returncode != 0 and "ApprovalRuleTemplateInUseException" in in_use.stderr
    aws("codecommit", "batch-disassociate-approval-rule-template-from-repositories", "--approval-rule-template-name",
        "cli-template", "--repository-names", "cli-repo", check=True)
    deleted = aws("codecommit", "delete-approval-rule-template", "--approval-rule-template-name", "cli-template",
                  check=True)
    assert deleted.json["approvalRuleTemplateId"] == made["approvalRuleTemplate"]["approvalRuleTemplateId"]
    # The user guide: "If the approval rule template has already been deleted, this command does
    # not return anything."
    again = aws("codecommit", "delete-approval-rule-template", "--approval-rule-template-name", "cli-template",
                check=True)
    assert again.stdout.strip() == ""


def test_iam_templates_on_star_associations_on_the_repository(client):
    cc = client("codecommit")
    create(cc, "t")
    for name in ["allowed", "other"]:
        cc.create_repository(repositoryName=name)
    iam = client("iam")
    iam.create_user(UserName="dev")
    policy = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "codecommit:*", "Resource": f"arn:aws:codecommit:us-east-1:{ACCOUNT}:allowed"},
        {"Effect": "Allow", "Action": ["codecommit:GetApprovalRuleTemplate", "codecommit:ListApprovalRuleTemplates"],
         "Resource": "*"}]}
    iam.put_user_policy(UserName="dev", PolicyName="p", PolicyDocument=json.dumps(policy))
    key = iam.create_access_key(UserName="dev")["AccessKey"]
    dev = client("codecommit",
                 account={"aws_access_key_id": key["AccessKeyId"], "aws_secret_access_key": key["SecretAccessKey"]})
    assert dev.list_approval_rule_templates()["approvalRuleTemplateNames"] == ["t"]
    assert dev.get_approval_rule_template(approvalRuleTemplateName="t")["approvalRuleTemplate"]["lastModifiedUser"] == ROOT
    # A repository ARN does not cover template operations, which IAM checks on "*".
    assert error_of(create, dev, "mine") == "AccessDeniedException"
    assert error_of(dev.delete_approval_rule_template, approvalRuleTemplateName="t") == "AccessDeniedException"
    dev.associate_approval_rule_template_with_repository(approvalRuleTemplateName="t", repositoryName="allowed")
    assert error_of(dev.associate_approval_rule_template_with_repository, approvalRuleTemplateName="t",
                    repositoryName="other") == "AccessDeniedException"
    assert error_of(dev.batch_associate_approval_rule_template_with_repositories, approvalRuleTemplateName="t",
                    repositoryNames=["allowed", "other"]) == "AccessDeniedException"
    assert dev.list_associated_approval_rule_templates_for_repository(repositoryName="allowed")[
        "approvalRuleTemplateNames"] == ["t"]


def test_changes_publish_template_events(cc, hakobu):
    created = create(cc, "t")
    repo = cc.create_repository(repositoryName="app")["repositoryMetadata"]
    cc.associate_approval_rule_template_with_repository(approvalRuleTemplateName="t", repositoryName="app")
    cc.update_approval_rule_template_content(approvalRuleTemplateName="t", newRuleContent=OTHER)
    events = template_events(hakobu)
    assert [e["detail"]["event"] for e in events] == [
        "approvalRuleTemplateCreated", "approvalRuleTemplateAssociatedWithRepository", "approvalRuleTemplateUpdated"]
    assert events[0]["resources"] == []
    assert events[0]["detail"]["approvalRuleTemplateId"] == created["approvalRuleTemplateId"]
    assert events[0]["detail"]["callerUserArn"] == ROOT
    assert events[1]["resources"] == [repo["Arn"]]
    assert events[1]["detail"]["repositories"] == {"app": repo["repositoryId"]}
    assert events[2]["detail"]["approvalRuleTemplateContentSha256"] == \
        cc.get_approval_rule_template(approvalRuleTemplateName="t")["approvalRuleTemplate"]["ruleContentSha256"]


def test_pull_requests_receive_the_associated_templates_rules(cc, aws):
    main_only = create(cc, "main-only")
    create(cc, "release-only", content=json.dumps({
        "Version": "2018-11-08", "DestinationReferences": ["refs/heads/release"],
        "Statements": [{"Type": "Approvers", "NumberOfApprovalsNeeded": 1}]}))
    create(cc, "not-associated")
    cc.create_repository(repositoryName="app")
    base = cc.put_file(repositoryName="app", branchName="main", fileContent=b"a", filePath="a.txt")["commitId"]
    cc.put_file(repositoryName="app", branchName="feature", fileContent=b"b", filePath="b.txt", parentCommitId=base)
    cc.batch_associate_approval_rule_template_with_repositories(approvalRuleTemplateName="main-only",
                                                                repositoryNames=["app"])
    cc.associate_approval_rule_template_with_repository(approvalRuleTemplateName="release-only",
                                                        repositoryName="app")
    made = aws("codecommit", "create-pull-request", "--title", "t", "--targets",
               json.dumps([{"repositoryName": "app", "sourceReference": "feature", "destinationReference": "main"}]))
    if made.returncode != 0:
        pytest.fail(f"CreatePullRequest does not work yet: {made.stderr}")
    rules = made.json["pullRequest"]["approvalRules"]
    assert [r["originApprovalRuleTemplate"] for r in rules] == [{
        "approvalRuleTemplateId": main_only["approvalRuleTemplateId"], "approvalRuleTemplateName": "main-only"}]
    assert rules[0]["approvalRuleName"] == "main-only"
    assert rules[0]["approvalRuleContent"] == CONTENT
