"""CodeCommit's merge operations (MergeBranchesByFastForward / BySquash / ByThreeWay,
CreateUnreferencedMergeCommit, GetMergeConflicts, GetMergeOptions, DescribeMergeConflicts,
BatchDescribeMergeConflicts, GetMergeCommit) through boto3 and the aws CLI: shapes, AWS's errors,
conflicts and their resolution, the merge's referenceUpdated event, branch protection (§2.5) on
merges from an assumed role, and merges never deleting the source branch."""
import base64
import json
import urllib.request

import botocore.exceptions
import pytest

ACCOUNT = "000000000000"
REPO = "merges"
BRANCH_PROTECTION = {
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Deny",
        "Action": ["codecommit:GitPush", "codecommit:DeleteBranch", "codecommit:PutFile", "codecommit:Merge*"],
        "Resource": f"arn:aws:codecommit:us-east-1:{ACCOUNT}:{REPO}",
        "Condition": {"StringEqualsIfExists": {"codecommit:References": ["refs/heads/main"]},
                      "Null": {"codecommit:References": "false"}},
    }],
}
ALLOW_CODECOMMIT = {"Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Action": "codecommit:*", "Resource": "*"}]}


def error_code(call, **kwargs):
    with pytest.raises(botocore.exceptions.ClientError) as info:
        call(**kwargs)
    return info.value.response["Error"]["Code"]


def tip(cc, branch):
    return cc.get_branch(repositoryName=REPO, branchName=branch)["branch"]["commitId"]


def put(cc, branch, path, content, parent=None):
    kwargs = {"parentCommitId": parent} if parent else {}
    if parent is None:
        try:
            kwargs = {"parentCommitId": tip(cc, branch)}
        except botocore.exceptions.ClientError:
            kwargs = {}
    return cc.put_file(repositoryName=REPO, branchName=branch, filePath=path, fileContent=content,
                       commitMessage=f"{path} on {branch}", **kwargs)["commitId"]


@pytest.fixture
def cc(client):
    """A repository with main (a.txt of five lines) and a feature branch made from it."""
    cc = client("codecommit")
    cc.create_repository(repositoryName=REPO)
    base = put(cc, "main", "a.txt", b"1\n2\n3\n4\n5\n")
    cc.create_branch(repositoryName=REPO, branchName="feature", commitId=base)
    return cc


def conflicting(cc):
    """main and feature change line 2 of a.txt differently (feature also changes line 5)."""
    put(cc, "main", "a.txt", b"1\nmain\n3\n4\n5\n")
    put(cc, "feature", "a.txt", b"1\nfeature\n3\n4\nfive\n")


def merge_events(hakobu):
    with urllib.request.urlopen(f"{hakobu.url}/_hakobu/events?source=aws.codecommit", timeout=10) as r:
        events = json.loads(r.read())["events"]
    return [e for e in events if e["detail"].get("mergeOption")]


def test_fast_forward_moves_main_keeps_the_source_and_publishes_the_merge(cc, hakobu):
    base = tip(cc, "main")
    feature = put(cc, "feature", "b.txt", b"b\n")
    out = cc.merge_branches_by_fast_forward(repositoryName=REPO, sourceCommitSpecifier="feature",
                                            destinationCommitSpecifier="main")
    assert out["commitId"] == feature
    assert out["treeId"] == cc.get_commit(repositoryName=REPO, commitId=feature)["commit"]["treeId"]
    assert tip(cc, "main") == feature
    assert tip(cc, "feature") == feature  # the source branch is never deleted
    [event] = merge_events(hakobu)
    assert event["detail-type"] == "CodeCommit Repository State Change"
    assert event["resources"] == [f"arn:aws:codecommit:us-east-1:{ACCOUNT}:{REPO}"]
    detail = event["detail"]
    assert detail["event"] == "referenceUpdated"
    assert (detail["referenceType"], detail["referenceName"], detail["referenceFullName"]) == (
        "branch", "main", "refs/heads/main")
    assert (detail["commitId"], detail["oldCommitId"]) == (feature, base)
    assert (detail["baseCommitId"], detail["sourceCommitId"], detail["destinationCommitId"]) == (base, feature, base)
    assert detail["mergeOption"] == "FAST_FORWARD_MERGE"
    assert (detail["conflictDetailsLevel"], detail["conflictResolutionStrategy"]) == ("FILE_LEVEL", "NONE")
    assert detail["callerUserArn"] == f"arn:aws:iam::{ACCOUNT}:root"


def test_fast_forward_of_diverged_branches_needs_a_manual_merge(cc):
    put(cc, "feature", "b.txt", b"b\n")
    main = put(cc, "main", "c.txt", b"c\n")
    assert error_code(cc.merge_branches_by_fast_forward, repositoryName=REPO, sourceCommitSpecifier="feature",
                      destinationCommitSpecifier="main") == "ManualMergeRequiredException"
    assert tip(cc, "main") == main


def test_cli_squash_and_three_way(cc, hakobu):
    feature = put(cc, "feature", "b.txt", b"b\n")
    main = put(cc, "main", "c.txt", b"c\n")
    squash = hakobu.aws("codecommit", "merge-branches-by-squash", "--repository-name", REPO,
                        "--source-commit-specifier", "feature", "--destination-commit-specifier", "main",
                        "--author-name", "Maria Garcia", "--email", "maria@example.com",
                        "--commit-message", "squashed", check=True).json
    assert set(squash) == {"commitId", "treeId"}
    commit = cc.get_commit(repositoryName=REPO, commitId=squash["commitId"])["commit"]
    assert commit["parents"] == [main]
    assert commit["message"] == "squashed"
    assert commit["author"]["name"] == "Maria Garcia" and commit["author"]["email"] == "maria@example.com"
    assert cc.get_file(repositoryName=REPO, filePath="b.txt", commitSpecifier="main")["fileContent"] == b"b\n"

    put(cc, "feature", "d.txt", b"d\n")
    feature = tip(cc, "feature")
    three_way = hakobu.aws("codecommit", "merge-branches-by-three-way", "--repository-name", REPO,
                           "--source-commit-specifier", "feature", "--destination-commit-specifier", "main",
                           "--target-branch", "main", check=True).json
    commit = cc.get_commit(repositoryName=REPO, commitId=three_way["commitId"])["commit"]
    assert commit["parents"] == [squash["commitId"], feature]
    assert commit["author"]["name"] == "root"  # the caller when no author name is given
    assert tip(cc, "main") == three_way["commitId"]
    assert sorted(cc.list_branches(repositoryName=REPO)["branches"]) == ["feature", "main"]
    merged = cc.get_merge_commit(repositoryName=REPO, sourceCommitSpecifier="feature",
                                 destinationCommitSpecifier="main")
    assert merged["mergedCommitId"] == three_way["commitId"]
    assert merged["sourceCommitId"] == feature and merged["baseCommitId"] == feature


def test_merge_options_and_line_level_merge(cc):
    put(cc, "main", "a.txt", b"one\n2\n3\n4\n5\n")
    feature = put(cc, "feature", "a.txt", b"1\n2\n3\n4\nfive\n")
    options = cc.get_merge_options(repositoryName=REPO, sourceCommitSpecifier="feature",
                                   destinationCommitSpecifier="main")
    assert options["mergeOptions"] == []  # FILE_LEVEL: the same file changed on both sides
    assert options["sourceCommitId"] == feature
    line = cc.get_merge_options(repositoryName=REPO, sourceCommitSpecifier="feature",
                                destinationCommitSpecifier="main", conflictDetailLevel="LINE_LEVEL")
    assert line["mergeOptions"] == ["SQUASH_MERGE", "THREE_WAY_MERGE"]
    assert error_code(cc.merge_branches_by_squash, repositoryName=REPO, sourceCommitSpecifier="feature",
                      destinationCommitSpecifier="main") == "ManualMergeRequiredException"
    out = cc.merge_branches_by_squash(repositoryName=REPO, sourceCommitSpecifier="feature",
                                      destinationCommitSpecifier="main", conflictDetailLevel="LINE_LEVEL")
    assert cc.get_file(repositoryName=REPO, filePath="a.txt", commitSpecifier=out["commitId"])[
        "fileContent"] == b"one\n2\n3\n4\nfive\n"
    fast = cc.get_merge_options(repositoryName=REPO, sourceCommitSpecifier="main",
                                destinationCommitSpecifier=out["commitId"])
    assert fast["mergeOptions"] == ["FAST_FORWARD_MERGE", "SQUASH_MERGE", "THREE_WAY_MERGE"]


def test_conflicts_described(cc, hakobu):
    conflicting(cc)
    got = cc.get_merge_conflicts(repositoryName=REPO, sourceCommitSpecifier="feature",
                                 destinationCommitSpecifier="main", mergeOption="THREE_WAY_MERGE",
                                 conflictDetailLevel="LINE_LEVEL")
    assert got["mergeable"] is False
    assert got["sourceCommitId"] == tip(cc, "feature") and got["destinationCommitId"] == tip(cc, "main")
    [meta] = got["conflictMetadataList"]
    assert meta == {
        "filePath": "a.txt",
        "fileSizes": {"source": 19, "destination": 13, "base": 10},
        "fileModes": {"source": "NORMAL", "destination": "NORMAL", "base": "NORMAL"},
        "objectTypes": {"source": "FILE", "destination": "FILE", "base": "FILE"},
        "numberOfConflicts": 1,
        "isBinaryFile": {"source": False, "destination": False, "base": False},
        "contentConflict": True,
        "fileModeConflict": False,
        "objectTypeConflict": False,
        "mergeOperations": {"source": "M", "destination": "M"},
    }
    fast = cc.get_merge_conflicts(repositoryName=REPO, sourceCommitSpecifier="feature",
                                  destinationCommitSpecifier="main", mergeOption="FAST_FORWARD_MERGE")
    assert fast["mergeable"] is False and fast["conflictMetadataList"] == []

    described = cc.describe_merge_conflicts(repositoryName=REPO, sourceCommitSpecifier="feature",
                                            destinationCommitSpecifier="main", mergeOption="THREE_WAY_MERGE",
                                            filePath="a.txt", conflictDetailLevel="LINE_LEVEL")
    assert described["conflictMetadata"] == meta
    first, second = described["mergeHunks"]
    assert first["isConflict"] is True
    assert first["source"] == {"startLine": 1, "endLine": 2, "hunkContent": base64.b64encode(b"feature\n").decode()}
    assert first["destination"]["hunkContent"] == base64.b64encode(b"main\n").decode()
    assert first["base"]["hunkContent"] == base64.b64encode(b"2\n").decode()
    assert second["isConflict"] is False
    paged = cc.describe_merge_conflicts(repositoryName=REPO, sourceCommitSpecifier="feature",
                                        destinationCommitSpecifier="main", mergeOption="SQUASH_MERGE",
                                        filePath="a.txt", maxMergeHunks=1)
    assert len(paged["mergeHunks"]) == 1 and "nextToken" in paged
    rest = cc.describe_merge_conflicts(repositoryName=REPO, sourceCommitSpecifier="feature",
                                       destinationCommitSpecifier="main", mergeOption="SQUASH_MERGE",
                                       filePath="a.txt", nextToken=paged["nextToken"])
    assert rest["mergeHunks"] == [second] and "nextToken" not in rest
    assert error_code(cc.describe_merge_conflicts, repositoryName=REPO, sourceCommitSpecifier="feature",
                      destinationCommitSpecifier="main", mergeOption="SQUASH_MERGE",
                      filePath="nope.txt") == "FileDoesNotExistException"
    assert error_code(cc.describe_merge_conflicts, repositoryName=REPO, sourceCommitSpecifier="feature",
                      destinationCommitSpecifier="main", mergeOption="FAST_FORWARD_MERGE",
                      filePath="a.txt") == "InvalidMergeOptionException"

    batch = hakobu.aws("codecommit", "batch-describe-merge-conflicts", "--repository-name", REPO,
                       "--source-commit-specifier", "feature", "--destination-commit-specifier", "main",
                       "--merge-option", "THREE_WAY_MERGE", "--file-paths", "a.txt", "nope.txt", check=True).json
    assert [c["conflictMetadata"]["filePath"] for c in batch["conflicts"]] == ["a.txt"]
    assert len(batch["conflicts"][0]["mergeHunks"]) == 2
    assert batch["errors"] == [{"filePath": "nope.txt", "exceptionName": "FileDoesNotExistException",
                                "message": "The specified file does not exist: nope.txt"}]
    assert batch["baseCommitId"] == got["baseCommitId"]


def test_conflict_pagination(cc):
    for name in ("x.txt", "y.txt", "z.txt"):
        put(cc, "main", name, f"main {name}\n".encode())
        put(cc, "feature", name, f"feature {name}\n".encode())
    first = cc.get_merge_conflicts(repositoryName=REPO, sourceCommitSpecifier="feature",
                                   destinationCommitSpecifier="main", mergeOption="SQUASH_MERGE",
                                   maxConflictFiles=2)
    assert [c["filePath"] for c in first["conflictMetadataList"]] == ["x.txt", "y.txt"]
    rest = cc.get_merge_conflicts(repositoryName=REPO, sourceCommitSpecifier="feature",
                                  destinationCommitSpecifier="main", mergeOption="SQUASH_MERGE",
                                  nextToken=first["nextToken"])
    assert [c["filePath"] for c in rest["conflictMetadataList"]] == ["z.txt"] and "nextToken" not in rest
    assert error_code(cc.get_merge_conflicts, repositoryName=REPO, sourceCommitSpecifier="feature",
                      destinationCommitSpecifier="main", mergeOption="SQUASH_MERGE",
                      nextToken="bogus") == "InvalidContinuationTokenException"
    assert error_code(cc.get_merge_conflicts, repositoryName=REPO, sourceCommitSpecifier="feature",
                      destinationCommitSpecifier="main", mergeOption="SQUASH_MERGE",
                      maxConflictFiles=0) == "InvalidMaxConflictFilesException"
    batch = cc.batch_describe_merge_conflicts(repositoryName=REPO, sourceCommitSpecifier="feature",
                                              destinationCommitSpecifier="main", mergeOption="SQUASH_MERGE",
                                              maxConflictFiles=1)
    assert [c["conflictMetadata"]["filePath"] for c in batch["conflicts"]] == ["x.txt"] and batch["nextToken"]


def test_conflict_resolution(cc):
    conflicting(cc)
    main = tip(cc, "main")
    resolved = cc.merge_branches_by_three_way(
        repositoryName=REPO, sourceCommitSpecifier="feature", destinationCommitSpecifier="main",
        conflictDetailLevel="LINE_LEVEL", conflictResolutionStrategy="AUTOMERGE",
        conflictResolution={"replaceContents": [{"filePath": "a.txt", "replacementType": "USE_NEW_CONTENT",
                                                 "content": b"resolved\n", "fileMode": "EXECUTABLE"}]})
    got = cc.get_file(repositoryName=REPO, filePath="a.txt", commitSpecifier="main")
    assert (got["fileContent"], got["fileMode"], got["commitId"]) == (b"resolved\n", "EXECUTABLE",
                                                                     resolved["commitId"])
    assert cc.get_commit(repositoryName=REPO, commitId=resolved["commitId"])["commit"]["parents"] == [
        main, tip(cc, "feature")]


def test_resolution_strategies_and_unreferenced_commits(cc):
    conflicting(cc)
    main = tip(cc, "main")
    source = cc.create_unreferenced_merge_commit(repositoryName=REPO, sourceCommitSpecifier="feature",
                                                 destinationCommitSpecifier="main", mergeOption="SQUASH_MERGE",
                                                 conflictDetailLevel="LINE_LEVEL",
                                                 conflictResolutionStrategy="ACCEPT_SOURCE")
    assert cc.get_file(repositoryName=REPO, filePath="a.txt", commitSpecifier=source["commitId"])[
        "fileContent"] == b"1\nfeature\n3\n4\nfive\n"
    destination = cc.create_unreferenced_merge_commit(repositoryName=REPO, sourceCommitSpecifier="feature",
                                                      destinationCommitSpecifier="main",
                                                      mergeOption="THREE_WAY_MERGE",
                                                      conflictResolutionStrategy="ACCEPT_DESTINATION")
    assert cc.get_file(repositoryName=REPO, filePath="a.txt", commitSpecifier=destination["commitId"])[
        "fileContent"] == b"1\nmain\n3\n4\n5\n"
    assert cc.get_commit(repositoryName=REPO, commitId=destination["commitId"])["commit"]["parents"] == [
        main, tip(cc, "feature")]
    assert tip(cc, "main") == main  # unreferenced: no branch moved
    keep = cc.create_unreferenced_merge_commit(
        repositoryName=REPO, sourceCommitSpecifier="feature", destinationCommitSpecifier="main",
        mergeOption="SQUASH_MERGE", conflictResolution={"replaceContents": [
            {"filePath": "a.txt", "replacementType": "KEEP_BASE"}]})
    assert cc.get_file(repositoryName=REPO, filePath="a.txt", commitSpecifier=keep["commitId"])[
        "fileContent"] == b"1\n2\n3\n4\n5\n"

    def unreferenced(**kwargs):
        return error_code(cc.create_unreferenced_merge_commit, repositoryName=REPO, sourceCommitSpecifier="feature",
                          destinationCommitSpecifier="main", **kwargs)
    assert unreferenced(mergeOption="FAST_FORWARD_MERGE") == "InvalidMergeOptionException"
    assert unreferenced(mergeOption="SQUASH_MERGE") == "ManualMergeRequiredException"
    assert unreferenced(mergeOption="SQUASH_MERGE", conflictResolution={"replaceContents": [
        {"filePath": "a.txt", "replacementType": "USE_NEW_CONTENT"}]}) == "ReplacementContentRequiredException"
    assert unreferenced(mergeOption="SQUASH_MERGE", conflictResolution={"replaceContents": [
        {"filePath": "b.txt", "replacementType": "KEEP_SOURCE"}]}) == "InvalidConflictResolutionException"
    assert unreferenced(mergeOption="SQUASH_MERGE", conflictResolution={
        "replaceContents": [{"filePath": "a.txt", "replacementType": "KEEP_SOURCE"}],
        "deleteFiles": [{"filePath": "a.txt"}]}) == "MultipleConflictResolutionEntriesException"


def test_merge_errors(cc):
    put(cc, "feature", "b.txt", b"b\n")
    old_main = tip(cc, "main")
    put(cc, "main", "c.txt", b"c\n")

    def merge(call=cc.merge_branches_by_squash, **kwargs):
        args = {"repositoryName": REPO, "sourceCommitSpecifier": "feature", "destinationCommitSpecifier": "main"}
        args.update(kwargs)
        return error_code(call, **args)
    assert merge(repositoryName="nope") == "RepositoryDoesNotExistException"
    assert merge(sourceCommitSpecifier="nope") == "CommitDoesNotExistException"
    assert merge(sourceCommitSpecifier="") == "CommitRequiredException"
    assert merge(destinationCommitSpecifier="f" * 40) == "CommitDoesNotExistException"
    assert merge(targetBranch="missing") == "BranchDoesNotExistException"
    assert merge(targetBranch="bad..name") == "InvalidTargetBranchException"
    # The merge is computed against old_main, but main moved on: the branch is left alone.
    assert merge(destinationCommitSpecifier=old_main, targetBranch="main") == "ConcurrentReferenceUpdateException"
    assert merge(call=cc.merge_branches_by_fast_forward) == "ManualMergeRequiredException"
    assert error_code(cc.get_merge_conflicts, repositoryName=REPO, sourceCommitSpecifier="feature",
                      destinationCommitSpecifier="nope", mergeOption="SQUASH_MERGE") == "CommitDoesNotExistException"


def test_already_merged_source_is_nothing_to_do(cc, hakobu):
    main = put(cc, "main", "c.txt", b"c\n")
    out = cc.merge_branches_by_three_way(repositoryName=REPO, sourceCommitSpecifier="feature",
                                         destinationCommitSpecifier="main")
    assert out["commitId"] == main and tip(cc, "main") == main
    assert merge_events(hakobu) == []
    merged = cc.get_merge_commit(repositoryName=REPO, sourceCommitSpecifier="feature",
                                 destinationCommitSpecifier="main")
    assert merged["mergedCommitId"] == tip(cc, "feature")


def test_branch_protection_stops_merges_into_main_from_an_assumed_role(cc, client, hakobu):
    iam = client("iam")
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                     "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}}]}
    iam.create_role(RoleName="developer", AssumeRolePolicyDocument=json.dumps(trust))
    iam.put_role_policy(RoleName="developer", PolicyName="codecommit", PolicyDocument=json.dumps(ALLOW_CODECOMMIT))
    iam.put_role_policy(RoleName="developer", PolicyName="protect-main",
                        PolicyDocument=json.dumps(BRANCH_PROTECTION))
    creds = client("sts").assume_role(RoleArn=f"arn:aws:iam::{ACCOUNT}:role/developer",
                                      RoleSessionName="dev")["Credentials"]
    dev = client("codecommit", account={"aws_access_key_id": creds["AccessKeyId"],
                                        "aws_secret_access_key": creds["SecretAccessKey"],
                                        "aws_session_token": creds["SessionToken"]})
    feature = put(cc, "feature", "b.txt", b"b\n")
    main = tip(cc, "main")
    for call in (dev.merge_branches_by_fast_forward, dev.merge_branches_by_squash, dev.merge_branches_by_three_way):
        assert error_code(call, repositoryName=REPO, sourceCommitSpecifier="feature",
                          destinationCommitSpecifier="main") == "AccessDeniedException"
        assert error_code(call, repositoryName=REPO, sourceCommitSpecifier="feature",
                          destinationCommitSpecifier="main", targetBranch="main") == "AccessDeniedException"
    assert tip(cc, "main") == main
    # Merging main into the feature branch is allowed, as are the read-only operations.
    cc.put_file(repositoryName=REPO, branchName="main", filePath="c.txt", fileContent=b"c\n", parentCommitId=main)
    out = dev.merge_branches_by_three_way(repositoryName=REPO, sourceCommitSpecifier="main",
                                          destinationCommitSpecifier="feature")
    assert tip(cc, "feature") == out["commitId"]
    assert dev.get_merge_options(repositoryName=REPO, sourceCommitSpecifier="feature",
                                 destinationCommitSpecifier="main")["mergeOptions"]
    [event] = merge_events(hakobu)
    assert event["detail"]["referenceName"] == "feature"
    assert event["detail"]["oldCommitId"] == feature
    assert event["detail"]["callerUserArn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/developer/dev"
    assert event["detail"]["mergeOption"] == "THREE_WAY_MERGE"


def test_merges_never_delete_the_source_branch(cc):
    for i, merge in enumerate((cc.merge_branches_by_squash, cc.merge_branches_by_three_way,
                               cc.merge_branches_by_fast_forward)):
        cc.create_branch(repositoryName=REPO, branchName=f"topic{i}", commitId=tip(cc, "main"))
        topic = put(cc, f"topic{i}", f"t{i}.txt", b"t\n")
        merge(repositoryName=REPO, sourceCommitSpecifier=f"topic{i}", destinationCommitSpecifier="main")
        assert tip(cc, f"topic{i}") == topic
    assert sorted(cc.list_branches(repositoryName=REPO)["branches"]) == ["feature", "main", "topic0", "topic1",
                                                                        "topic2"]
