"""CodeCommit pull requests through boto3, the aws CLI and git: creation (shapes, ids, AWS's
errors, idempotency tokens), approval rules and approvals from two IAM identities (an author user
and an approver in an assumed role), evaluation, overrides, merges by each strategy that keep the
source branch, pushes that move the source (a new revision) or merge it (closing the pull
request), branch protection on MergePullRequestBy*, DescribePullRequestEvents and the "CodeCommit
Pull Request State Change" events on the bus."""
import json
import os
import shutil
import urllib.request

import botocore.exceptions
import pytest
from git_client import GitClient

ACCOUNT = "000000000000"
REPO = "app"
AUTHOR_ARN = f"arn:aws:iam::{ACCOUNT}:user/author"
APPROVER_ARN = f"arn:aws:sts::{ACCOUNT}:assumed-role/Reviewer/approver"
ALLOW_CODECOMMIT = json.dumps({"Version": "2012-10-17",
                               "Statement": [{"Effect": "Allow", "Action": "codecommit:*", "Resource": "*"}]})
ONE_REVIEWER = json.dumps({"Version": "2018-11-08", "Statements": [{
    "Type": "Approvers", "NumberOfApprovalsNeeded": 1,
    "ApprovalPoolMembers": [f"arn:aws:sts::{ACCOUNT}:assumed-role/Reviewer/*"]}]})
PR_KEYS = {"pullRequestId", "title", "description", "lastActivityDate", "creationDate", "pullRequestStatus",
           "authorArn", "pullRequestTargets", "clientRequestToken", "revisionId", "approvalRules"}
AWS = "/usr/bin/aws" if os.path.exists("/usr/bin/aws") else shutil.which("aws")


def error_of(call, **kwargs):
    with pytest.raises(botocore.exceptions.ClientError) as info:
        call(**kwargs)
    return info.value.response["Error"]["Code"]


def tip(cc, branch):
    return cc.get_branch(repositoryName=REPO, branchName=branch)["branch"]["commitId"]


def put(cc, branch, path, content, parent=None):
    kwargs = {"parentCommitId": parent} if parent else {}
    return cc.put_file(repositoryName=REPO, branchName=branch, filePath=path, fileContent=content,
                       commitMessage=f"{path} on {branch}", **kwargs)["commitId"]


def pr_events(hakobu, after=0, wait=0):
    url = (f"{hakobu.url}/_hakobu/events?source=aws.codecommit&detail-type=CodeCommit%20Pull%20Request%20State"
           f"%20Change&after={after}&wait={wait}")
    with urllib.request.urlopen(url, timeout=30) as r:
        return json.loads(r.read())["events"]


def next_pr_event(hakobu, after):
    """The first pull request event after `after`, waiting for it: a push is answered before the
    git front records it (and the pull request follows)."""
    events = pr_events(hakobu, after=after, wait=15)
    assert events, "no pull request event"
    return events[0]


@pytest.fixture
def people(client):
    """The author (an IAM user) and the approver (a session of the Reviewer role): their
    credentials and a codecommit client for each."""
    iam = client("iam")
    iam.create_user(UserName="author")
    iam.put_user_policy(UserName="author", PolicyName="cc", PolicyDocument=ALLOW_CODECOMMIT)
    key = iam.create_access_key(UserName="author")["AccessKey"]
    author = {"aws_access_key_id": key["AccessKeyId"], "aws_secret_access_key": key["SecretAccessKey"]}
    trust = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": ACCOUNT}, "Action": "sts:AssumeRole"}]})
    iam.create_role(RoleName="Reviewer", AssumeRolePolicyDocument=trust)
    iam.put_role_policy(RoleName="Reviewer", PolicyName="cc", PolicyDocument=ALLOW_CODECOMMIT)
    session = client("sts").assume_role(RoleArn=f"arn:aws:iam::{ACCOUNT}:role/Reviewer",
                                        RoleSessionName="approver")["Credentials"]
    approver = {"aws_access_key_id": session["AccessKeyId"], "aws_secret_access_key": session["SecretAccessKey"],
                "aws_session_token": session["SessionToken"]}
    return {"author": author, "approver": approver,
            "author_cc": client("codecommit", account=author), "approver_cc": client("codecommit", account=approver)}


@pytest.fixture
def repo(client):
    """main (README.md) and feature (one more file) in repository `app`; returns their commits."""
    cc = client("codecommit")
    cc.create_repository(repositoryName=REPO)
    main = put(cc, "main", "README.md", b"hello\n")
    cc.create_branch(repositoryName=REPO, branchName="feature", commitId=main)
    feature = put(cc, "feature", "feature.txt", b"feature\n", parent=main)
    return {"main": main, "feature": feature}


def open_pr(cc, source="feature", destination=None, **kwargs):
    target = {"repositoryName": REPO, "sourceReference": source}
    if destination:
        target["destinationReference"] = destination
    return cc.create_pull_request(title=kwargs.pop("title", "Add feature"), targets=[target], **kwargs)["pullRequest"]


def test_create_get_and_list(people, repo, aws, hakobu):
    cc = people["author_cc"]
    pr = open_pr(cc, description="Please review", clientRequestToken="tok-1")
    assert set(pr) == PR_KEYS
    assert pr["pullRequestId"] == "1"
    assert pr["pullRequestStatus"] == "OPEN"
    assert pr["authorArn"] == AUTHOR_ARN
    assert pr["clientRequestToken"] == "tok-1"
    assert pr["approvalRules"] == []
    assert pr["pullRequestTargets"] == [{
        "repositoryName": REPO, "sourceReference": "refs/heads/feature", "destinationReference": "refs/heads/main",
        "sourceCommit": repo["feature"], "destinationCommit": repo["main"], "mergeBase": repo["main"],
        "mergeMetadata": {"isMerged": False}}]
    assert pr["creationDate"] == pr["lastActivityDate"]
    assert cc.get_pull_request(pullRequestId="1")["pullRequest"] == pr
    # The same token and parameters: the same pull request; other parameters: refused.
    assert open_pr(cc, description="Please review", clientRequestToken="tok-1")["pullRequestId"] == "1"
    assert error_of(cc.create_pull_request, title="Other", targets=[{"repositoryName": REPO, "sourceReference":
                    "feature"}], clientRequestToken="tok-1") == "IdempotencyParameterMismatchException"

    # The aws CLI fills the token itself; references may be full names.
    out = aws("codecommit", "create-pull-request", "--title", "From the CLI", "--targets",
              f"repositoryName={REPO},sourceReference=refs/heads/feature,destinationReference=refs/heads/main",
              creds=people["approver"], check=True).json["pullRequest"]
    assert out["pullRequestId"] == "2"
    assert out["authorArn"] == APPROVER_ARN
    assert out["clientRequestToken"]

    assert cc.list_pull_requests(repositoryName=REPO)["pullRequestIds"] == ["2", "1"]  # most recent activity first
    assert cc.list_pull_requests(repositoryName=REPO, authorArn=AUTHOR_ARN)["pullRequestIds"] == ["1"]
    first = cc.list_pull_requests(repositoryName=REPO, maxResults=1)
    assert first["pullRequestIds"] == ["2"]
    second = cc.list_pull_requests(repositoryName=REPO, maxResults=1, nextToken=first["nextToken"])
    assert second["pullRequestIds"] == ["1"] and "nextToken" not in second
    cli = aws("codecommit", "list-pull-requests", "--repository-name", REPO, "--pull-request-status", "OPEN",
              check=True).json
    assert cli["pullRequestIds"] == ["2", "1"]
    assert cc.list_pull_requests(repositoryName=REPO, pullRequestStatus="CLOSED")["pullRequestIds"] == []


def test_create_and_lookup_errors(people, repo):
    cc = people["author_cc"]

    def create(source, destination=None, repository=REPO, **kwargs):
        target = {"repositoryName": repository, "sourceReference": source}
        if destination:
            target["destinationReference"] = destination
        return error_of(cc.create_pull_request, title=kwargs.get("title", "t"), targets=[target])

    assert create("feature", repository="nope") == "RepositoryDoesNotExistException"
    assert create("missing") == "ReferenceDoesNotExistException"
    assert create("feature", "missing") == "ReferenceDoesNotExistException"
    assert create("refs/tags/v1") == "ReferenceTypeNotSupportedException"
    assert create("a..b") == "InvalidReferenceNameException"
    assert create("main") == "SourceAndDestinationAreSameException"
    assert create("feature", title="") == "TitleRequiredException"
    assert error_of(cc.create_pull_request, title="t", targets=[]) == "TargetsRequiredException"
    assert error_of(cc.create_pull_request, title="t", targets=[
        {"repositoryName": REPO, "sourceReference": "feature"},
        {"repositoryName": "other", "sourceReference": "feature"}]) == "MultipleRepositoriesInPullRequestException"
    assert error_of(cc.get_pull_request, pullRequestId="abc") == "InvalidPullRequestIdException"
    assert error_of(cc.get_pull_request, pullRequestId="999") == "PullRequestDoesNotExistException"
    assert error_of(cc.list_pull_requests, repositoryName="nope") == "RepositoryDoesNotExistException"
    assert error_of(cc.list_pull_requests, repositoryName=REPO, authorArn="bob") == "InvalidAuthorArnException"
    assert error_of(cc.list_pull_requests, repositoryName=REPO, nextToken="junk") == "InvalidContinuationTokenException"


@pytest.mark.parametrize("strategy", ["fast-forward", "squash", "three-way"])
def test_approve_evaluate_and_merge(people, repo, client, aws, hakobu, strategy):
    author, approver = people["author_cc"], people["approver_cc"]
    pr = open_pr(author)
    pid, revision = pr["pullRequestId"], pr["revisionId"]
    rule = author.create_pull_request_approval_rule(pullRequestId=pid, approvalRuleName="one reviewer",
                                                    approvalRuleContent=ONE_REVIEWER)["approvalRule"]
    assert rule["lastModifiedUser"] == AUTHOR_ARN and len(rule["ruleContentSha256"]) == 64
    assert "originApprovalRuleTemplate" not in rule
    evaluation = author.evaluate_pull_request_approval_rules(pullRequestId=pid, revisionId=revision)["evaluation"]
    assert evaluation == {"approved": False, "overridden": False, "approvalRulesSatisfied": [],
                          "approvalRulesNotSatisfied": ["one reviewer"]}
    assert error_of(author.update_pull_request_approval_state, pullRequestId=pid, revisionId=revision,
                    approvalState="APPROVE") == "PullRequestCannotBeApprovedByAuthorException"
    assert error_of(author.merge_pull_request_by_fast_forward, pullRequestId=pid,
                    repositoryName=REPO) == "PullRequestApprovalRulesNotSatisfiedException"

    # The approver approves with the aws CLI.
    aws("codecommit", "update-pull-request-approval-state", "--pull-request-id", pid, "--revision-id", revision,
        "--approval-state", "APPROVE", creds=people["approver"], check=True)
    states = author.get_pull_request_approval_states(pullRequestId=pid, revisionId=revision)["approvals"]
    assert states == [{"userArn": APPROVER_ARN, "approvalState": "APPROVE"}]
    evaluation = author.evaluate_pull_request_approval_rules(pullRequestId=pid, revisionId=revision)["evaluation"]
    assert evaluation["approved"] is True and evaluation["approvalRulesSatisfied"] == ["one reviewer"]

    if strategy != "fast-forward":
        put(client("codecommit"), "main", "main.txt", b"main moved on\n", parent=repo["main"])
    main_before = tip(author, "main")
    assert error_of(author.merge_pull_request_by_squash, pullRequestId=pid, repositoryName=REPO,
                    sourceCommitId=repo["main"]) == "TipOfSourceReferenceIsDifferentException"
    assert error_of(author.merge_pull_request_by_squash, pullRequestId=pid,
                    repositoryName="nope") == "RepositoryDoesNotExistException"
    out = aws("codecommit", f"merge-pull-request-by-{strategy}", "--pull-request-id", pid, "--repository-name", REPO,
              "--source-commit-id", repo["feature"], creds=people["author"], check=True).json["pullRequest"]
    assert out["pullRequestStatus"] == "CLOSED"
    target = out["pullRequestTargets"][0]
    option = {"fast-forward": "FAST_FORWARD_MERGE", "squash": "SQUASH_MERGE", "three-way": "THREE_WAY_MERGE"}[strategy]
    assert target["mergeMetadata"]["isMerged"] is True
    assert target["mergeMetadata"]["mergedBy"] == AUTHOR_ARN
    assert target["mergeMetadata"]["mergeOption"] == option
    assert target["mergeMetadata"]["mergeCommitId"] == tip(author, "main")
    assert target["destinationCommit"] == main_before
    # Merged into main; the source branch is untouched.
    assert tip(author, "feature") == repo["feature"]
    assert author.get_file(repositoryName=REPO, filePath="feature.txt")["fileContent"] == b"feature\n"
    if strategy == "fast-forward":
        assert tip(author, "main") == repo["feature"]
    assert error_of(author.merge_pull_request_by_three_way, pullRequestId=pid,
                    repositoryName=REPO) == "PullRequestAlreadyClosedException"
    assert error_of(approver.update_pull_request_approval_state, pullRequestId=pid, revisionId=revision,
                    approvalState="REVOKE") == "PullRequestAlreadyClosedException"

    types = [e["pullRequestEventType"] for e in
             author.describe_pull_request_events(pullRequestId=pid)["pullRequestEvents"]]
    assert types == ["PULL_REQUEST_CREATED", "PULL_REQUEST_APPROVAL_RULE_CREATED",
                     "PULL_REQUEST_APPROVAL_STATE_CHANGED", "PULL_REQUEST_MERGE_STATE_CHANGED"]
    merged = author.describe_pull_request_events(pullRequestId=pid, pullRequestEventType="PULL_REQUEST_MERGE_STATE_"
                                                 "CHANGED")["pullRequestEvents"][0]
    assert merged["actorArn"] == AUTHOR_ARN
    assert merged["pullRequestMergedStateChangedEventMetadata"] == {
        "repositoryName": REPO, "destinationReference": "refs/heads/main", "mergeMetadata": target["mergeMetadata"]}

    bus = [(e["detail"]["event"], e["detail"].get("callerUserArn")) for e in pr_events(hakobu)]
    assert bus == [("pullRequestCreated", AUTHOR_ARN), ("pullRequestApprovalRuleCreated", AUTHOR_ARN),
                   ("pullRequestApprovalStateChanged", APPROVER_ARN), ("pullRequestMergeStatusUpdated", AUTHOR_ARN)]
    last = pr_events(hakobu)[-1]
    assert last["resources"] == [f"arn:aws:codecommit:us-east-1:{ACCOUNT}:{REPO}"]
    assert last["detail"]["isMerged"] == "True" and last["detail"]["pullRequestStatus"] == "Closed"
    assert last["detail"]["mergeOption"] == option
    assert last["detail"]["repositoryNames"] == [REPO]


def test_override_lets_an_unapproved_pull_request_merge(people, repo):
    author = people["author_cc"]
    pr = open_pr(author)
    pid, revision = pr["pullRequestId"], pr["revisionId"]
    author.create_pull_request_approval_rule(pullRequestId=pid, approvalRuleName="r", approvalRuleContent=ONE_REVIEWER)
    assert author.get_pull_request_override_state(pullRequestId=pid, revisionId=revision)["overridden"] is False
    author.override_pull_request_approval_rules(pullRequestId=pid, revisionId=revision, overrideStatus="OVERRIDE")
    assert error_of(author.override_pull_request_approval_rules, pullRequestId=pid, revisionId=revision,
                    overrideStatus="OVERRIDE") == "OverrideAlreadySetException"
    state = author.get_pull_request_override_state(pullRequestId=pid, revisionId=revision)
    assert state["overridden"] is True and state["overrider"] == AUTHOR_ARN
    evaluation = author.evaluate_pull_request_approval_rules(pullRequestId=pid, revisionId=revision)["evaluation"]
    assert evaluation["overridden"] is True and evaluation["approved"] is False
    assert error_of(author.get_pull_request_override_state, pullRequestId=pid,
                    revisionId="nope") == "InvalidRevisionIdException"
    merged = author.merge_pull_request_by_fast_forward(pullRequestId=pid, repositoryName=REPO)["pullRequest"]
    assert merged["pullRequestTargets"][0]["mergeMetadata"]["isMerged"] is True
    overridden = author.describe_pull_request_events(
        pullRequestId=pid, pullRequestEventType="PULL_REQUEST_APPROVAL_RULE_OVERRIDDEN")["pullRequestEvents"]
    assert overridden[0]["approvalRuleOverriddenEventMetadata"] == {"revisionId": revision,
                                                                    "overrideStatus": "OVERRIDE"}


def test_approval_rule_content_changes(people, repo):
    author = people["author_cc"]
    pid = open_pr(author)["pullRequestId"]
    rule = author.create_pull_request_approval_rule(pullRequestId=pid, approvalRuleName="r",
                                                    approvalRuleContent=ONE_REVIEWER)["approvalRule"]
    assert error_of(author.create_pull_request_approval_rule, pullRequestId=pid, approvalRuleName="r",
                    approvalRuleContent=ONE_REVIEWER) == "ApprovalRuleNameAlreadyExistsException"
    assert error_of(author.create_pull_request_approval_rule, pullRequestId=pid, approvalRuleName="x",
                    approvalRuleContent='{"Version": "2018-11-08"}') == "InvalidApprovalRuleContentException"
    two = ONE_REVIEWER.replace('"NumberOfApprovalsNeeded": 1', '"NumberOfApprovalsNeeded": 2')
    assert error_of(author.update_pull_request_approval_rule_content, pullRequestId=pid, approvalRuleName="r",
                    existingRuleContentSha256="0" * 64, newRuleContent=two) == "InvalidRuleContentSha256Exception"
    assert error_of(author.update_pull_request_approval_rule_content, pullRequestId=pid, approvalRuleName="none",
                    newRuleContent=two) == "ApprovalRuleDoesNotExistException"
    updated = author.update_pull_request_approval_rule_content(
        pullRequestId=pid, approvalRuleName="r", existingRuleContentSha256=rule["ruleContentSha256"],
        newRuleContent=two)["approvalRule"]
    assert updated["approvalRuleId"] == rule["approvalRuleId"] and updated["approvalRuleContent"] == two
    got = author.get_pull_request(pullRequestId=pid)["pullRequest"]["approvalRules"]
    assert [r["approvalRuleContent"] for r in got] == [two]
    assert author.delete_pull_request_approval_rule(pullRequestId=pid, approvalRuleName="r")["approvalRuleId"] == \
        rule["approvalRuleId"]
    assert author.delete_pull_request_approval_rule(pullRequestId=pid, approvalRuleName="r")["approvalRuleId"] == ""
    assert author.get_pull_request(pullRequestId=pid)["pullRequest"]["approvalRules"] == []


def test_title_description_status(people, repo, hakobu):
    author = people["author_cc"]
    pid = open_pr(author)["pullRequestId"]
    assert author.update_pull_request_title(pullRequestId=pid, title="Renamed")["pullRequest"]["title"] == "Renamed"
    assert error_of(author.update_pull_request_title, pullRequestId=pid, title="") == "TitleRequiredException"
    out = author.update_pull_request_description(pullRequestId=pid, description="Details")["pullRequest"]
    assert out["description"] == "Details"
    assert error_of(author.update_pull_request_status, pullRequestId=pid,
                    pullRequestStatus="OPEN") == "InvalidPullRequestStatusUpdateException"
    closed = author.update_pull_request_status(pullRequestId=pid, pullRequestStatus="CLOSED")["pullRequest"]
    assert closed["pullRequestStatus"] == "CLOSED"
    assert closed["pullRequestTargets"][0]["mergeMetadata"] == {"isMerged": False}
    assert error_of(author.update_pull_request_status, pullRequestId=pid,
                    pullRequestStatus="OPEN") == "InvalidPullRequestStatusUpdateException"
    assert error_of(author.update_pull_request_description, pullRequestId=pid,
                    description="x") == "PullRequestAlreadyClosedException"
    events = author.describe_pull_request_events(pullRequestId=pid, actorArn=AUTHOR_ARN)["pullRequestEvents"]
    assert [e["pullRequestEventType"] for e in events] == ["PULL_REQUEST_CREATED", "PULL_REQUEST_STATUS_CHANGED"]
    assert events[1]["pullRequestStatusChangedEventMetadata"] == {"pullRequestStatus": "CLOSED"}
    assert events[0]["pullRequestCreatedEventMetadata"]["sourceCommitId"] == repo["feature"]
    assert author.describe_pull_request_events(pullRequestId=pid, actorArn=APPROVER_ARN)["pullRequestEvents"] == []
    paged = author.describe_pull_request_events(pullRequestId=pid, maxResults=1)
    assert len(paged["pullRequestEvents"]) == 1 and paged["nextToken"]
    assert error_of(author.describe_pull_request_events, pullRequestId=pid,
                    maxResults=101) == "InvalidMaxResultsException"
    assert error_of(author.describe_pull_request_events, pullRequestId=pid,
                    actorArn="someone") == "InvalidActorArnException"
    assert [e["detail"]["event"] for e in pr_events(hakobu)] == ["pullRequestCreated", "pullRequestStatusChanged"]


class Git(GitClient):
    """git with the aws CLI's credential helper and the given credentials."""

    def __init__(self, home, creds):
        env = {"AWS_ACCESS_KEY_ID": creds["aws_access_key_id"], "AWS_SECRET_ACCESS_KEY": creds["aws_secret_access_key"],
               "AWS_DEFAULT_REGION": "us-east-1", "AWS_CONFIG_FILE": str(home / "none"),
               "AWS_SHARED_CREDENTIALS_FILE": str(home / "none")}
        helper = f"!{AWS} codecommit credential-helper --ignore-host-check $@"
        super().__init__(home, env=env, config=f'[credential]\n\thelper = "{helper}"\n\tUseHttpPath = true\n')


def test_pushes_move_the_source_and_merge_the_pull_request(people, repo, hakobu, tmp_path):
    author, approver = people["author_cc"], people["approver_cc"]
    pr = open_pr(author)
    pid, first_revision = pr["pullRequestId"], pr["revisionId"]
    author.create_pull_request_approval_rule(pullRequestId=pid, approvalRuleName="r", approvalRuleContent=ONE_REVIEWER)
    approver.update_pull_request_approval_state(pullRequestId=pid, revisionId=first_revision, approvalState="APPROVE")

    git = Git(tmp_path / "home", people["author"])
    url = f"{hakobu.url}/v1/repos/{REPO}"
    git.run(tmp_path, "clone", "-q", "-b", "feature", url, "work")
    work = tmp_path / "work"
    (work / "more.txt").write_text("more\n")
    git.run(work, "add", "more.txt")
    git.run(work, "commit", "-qm", "more")
    seen = pr_events(hakobu)[-1]["seq"]
    git.run(work, "push", "-q", "origin", "feature")
    pushed = git.run(work, "rev-parse", "HEAD").stdout.strip()

    # The push is a new revision (the bus told the pull request, with the pusher); approvals reset.
    last = next_pr_event(hakobu, seen)["detail"]
    assert last["event"] == "pullRequestSourceBranchUpdated"
    assert last["callerUserArn"] == AUTHOR_ARN and last["sourceCommit"] == pushed
    now = author.get_pull_request(pullRequestId=pid)["pullRequest"]
    assert now["pullRequestTargets"][0]["sourceCommit"] == pushed
    assert now["revisionId"] != first_revision and now["revisionId"] == last["revisionId"]
    assert author.get_pull_request_approval_states(pullRequestId=pid, revisionId=now["revisionId"])["approvals"] == []
    assert error_of(author.evaluate_pull_request_approval_rules, pullRequestId=pid,
                    revisionId=first_revision) == "RevisionNotCurrentException"
    assert error_of(approver.update_pull_request_approval_state, pullRequestId=pid, revisionId=first_revision,
                    approvalState="APPROVE") == "RevisionNotCurrentException"
    updated = author.describe_pull_request_events(
        pullRequestId=pid, pullRequestEventType="PULL_REQUEST_SOURCE_REFERENCE_UPDATED")["pullRequestEvents"]
    assert updated[0]["actorArn"] == AUTHOR_ARN
    assert updated[0]["pullRequestSourceReferenceUpdatedEventMetadata"] == {
        "repositoryName": REPO, "beforeCommitId": repo["feature"], "afterCommitId": pushed, "mergeBase": repo["main"]}

    # Merging by hand and pushing main merges (and closes) the pull request, approvals or not.
    seen = pr_events(hakobu)[-1]["seq"]
    git.run(work, "push", "-q", "origin", "feature:main")
    assert next_pr_event(hakobu, seen)["detail"]["event"] == "pullRequestMergeStatusUpdated"
    merged = author.get_pull_request(pullRequestId=pid)["pullRequest"]
    assert merged["pullRequestStatus"] == "CLOSED"
    assert merged["pullRequestTargets"][0]["mergeMetadata"]["isMerged"] is True
    assert merged["pullRequestTargets"][0]["mergeMetadata"]["mergedBy"] == AUTHOR_ARN
    assert tip(author, "feature") == pushed


def test_branch_protection_applies_to_pull_request_merges(client, people, repo):
    root = client("codecommit")
    root.create_branch(repositoryName=REPO, branchName="release", commitId=repo["main"])
    iam = client("iam")
    protection = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Deny", "Action": ["codecommit:GitPush", "codecommit:DeleteBranch", "codecommit:PutFile",
                                     "codecommit:Merge*"],
        "Resource": f"arn:aws:codecommit:us-east-1:{ACCOUNT}:{REPO}",
        "Condition": {"StringEqualsIfExists": {"codecommit:References": ["refs/heads/main"]},
                      "Null": {"codecommit:References": "false"}}}]}
    iam.put_user_policy(UserName="author", PolicyName="protect-main", PolicyDocument=json.dumps(protection))
    author = people["author_cc"]
    into_main = open_pr(author)["pullRequestId"]
    into_release = open_pr(author, destination="release")["pullRequestId"]
    assert error_of(author.merge_pull_request_by_fast_forward, pullRequestId=into_main,
                    repositoryName=REPO) == "AccessDeniedException"
    assert error_of(author.merge_pull_request_by_squash, pullRequestId=into_main,
                    repositoryName=REPO) == "AccessDeniedException"
    assert tip(root, "main") == repo["main"]
    author.merge_pull_request_by_fast_forward(pullRequestId=into_release, repositoryName=REPO)
    assert tip(root, "release") == repo["feature"]
    # Everything else on the pull request into main is still allowed.
    assert author.get_pull_request(pullRequestId=into_main)["pullRequest"]["pullRequestStatus"] == "OPEN"
    # The account root is not bound by the user's policy.
    root.merge_pull_request_by_fast_forward(pullRequestId=into_main, repositoryName=REPO)
    assert tip(root, "main") == repo["feature"]
