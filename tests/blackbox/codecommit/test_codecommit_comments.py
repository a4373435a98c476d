"""CodeCommit comments through boto3 and the aws CLI: comments on compared commits (file
locations, blob ids, replies, grouping and pagination), clientRequestToken idempotency, edits by
the author only, deleted content, emoji reactions, IAM on the comment's repository, the
"CodeCommit Comment on Commit" events, and comments on pull requests made with the aws CLI."""
import json
import urllib.request

import botocore.exceptions
import pytest

ACCOUNT = "000000000000"
ROOT = f"arn:aws:iam::{ACCOUNT}:root"


def error_of(call, *args, **kwargs):
    with pytest.raises(botocore.exceptions.ClientError) as info:
        call(*args, **kwargs)
    return info.value.response["Error"]["Code"]


def events_of(hakobu, detail_type):
    with urllib.request.urlopen(f"{hakobu.url}/_hakobu/events?source=aws.codecommit", timeout=10) as r:
        return [e for e in json.loads(r.read())["events"] if e["detail-type"] == detail_type]


@pytest.fixture
def repo(client):
    """A repository with three commits on main: README.md (2 lines), README.md (3 lines), new.txt."""
    cc = client("codecommit")
    cc.create_repository(repositoryName="app")
    first = cc.put_file(repositoryName="app", branchName="main", fileContent=b"one\ntwo\n", filePath="README.md")
    second = cc.put_file(repositoryName="app", branchName="main", fileContent=b"one\ntwo\nthree\n",
                         filePath="README.md", parentCommitId=first["commitId"])
    third = cc.put_file(repositoryName="app", branchName="main", fileContent=b"new\n", filePath="new.txt",
                        parentCommitId=second["commitId"])
    return cc, first["commitId"], second["commitId"], third["commitId"]


def user_client(client, name, policy_resource="*"):
    iam = client("iam")
    iam.create_user(UserName=name)
    policy = {"Version": "2012-10-17",
              "Statement": [{"Effect": "Allow", "Action": "codecommit:*", "Resource": policy_resource}]}
    iam.put_user_policy(UserName=name, PolicyName="codecommit", PolicyDocument=json.dumps(policy))
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return client("codecommit",
                  account={"aws_access_key_id": key["AccessKeyId"], "aws_secret_access_key": key["SecretAccessKey"]})


def test_post_on_a_file_line_and_read_it_back(repo):
    cc, first, second, _ = repo
    posted = cc.post_comment_for_compared_commit(
        repositoryName="app", beforeCommitId=first, afterCommitId=second, content="why a third line?",
        location={"filePath": "README.md", "filePosition": 3, "relativeFileVersion": "AFTER"},
        clientRequestToken="token-1")
    assert posted["repositoryName"] == "app"
    assert (posted["beforeCommitId"], posted["afterCommitId"]) == (first, second)
    assert posted["location"] == {"filePath": "README.md", "filePosition": 3, "relativeFileVersion": "AFTER"}
    blob = cc.get_file(repositoryName="app", filePath="README.md", commitSpecifier=second)["blobId"]
    assert posted["afterBlobId"] == blob
    assert posted["beforeBlobId"] == cc.get_file(repositoryName="app", filePath="README.md",
                                                 commitSpecifier=first)["blobId"]
    comment = posted["comment"]
    assert len(comment["commentId"]) == 36
    assert comment["content"] == "why a third line?"
    assert comment["authorArn"] == ROOT
    assert comment["deleted"] is False
    assert comment["clientRequestToken"] == "token-1"
    assert comment["callerReactions"] == [] and comment["reactionCounts"] == {}
    assert comment["creationDate"] == comment["lastModifiedDate"]
    assert "inReplyTo" not in comment
    assert cc.get_comment(commentId=comment["commentId"])["comment"] == comment


def test_comparison_errors(repo):
    cc, first, second, third = repo

    def post(**kwargs):
        args = {"repositoryName": "app", "beforeCommitId": first, "afterCommitId": second, "content": "x"}
        args.update(kwargs)
        return cc.post_comment_for_compared_commit(**args)

    assert error_of(post, afterCommitId="a" * 40) == "CommitDoesNotExistException"
    assert error_of(post, afterCommitId="zz") == "InvalidCommitIdException"
    assert error_of(post, beforeCommitId=second) == "BeforeCommitIdAndAfterCommitIdAreSameException"
    assert error_of(post, repositoryName="nope") == "RepositoryDoesNotExistException"
    assert error_of(post, content="") == "CommentContentRequiredException"
    assert error_of(post, content="x" * 10241) == "CommentContentSizeLimitExceededException"
    post(content="x" * 10240)
    at = {"filePosition": 1, "relativeFileVersion": "AFTER"}
    assert error_of(post, location={"filePath": "missing.txt", **at}) == "PathDoesNotExistException"
    assert error_of(post, location={"filePath": "README.md", "filePosition": 9,
                                    "relativeFileVersion": "AFTER"}) == "InvalidFilePositionException"
    assert error_of(post, beforeCommitId=second, afterCommitId=third,
                    location={"filePath": "new.txt", "filePosition": 1, "relativeFileVersion": "BEFORE"}) == \
        "InvalidRelativeFileVersionEnumException"
    # The before commit may be left out only on the initial commit.
    assert error_of(cc.post_comment_for_compared_commit, repositoryName="app", afterCommitId=second,
                    content="x") == "CommitIdRequiredException"
    root = cc.post_comment_for_compared_commit(repositoryName="app", afterCommitId=first, content="first!")
    assert "beforeCommitId" not in root


def test_replies_grouping_and_pagination(repo):
    cc, first, second, third = repo
    on_file = cc.post_comment_for_compared_commit(
        repositoryName="app", beforeCommitId=first, afterCommitId=second, content="on the file",
        location={"filePath": "README.md", "relativeFileVersion": "BEFORE"})["comment"]
    general = cc.post_comment_for_compared_commit(repositoryName="app", beforeCommitId=first, afterCommitId=second,
                                                  content="general")["comment"]
    reply = cc.post_comment_reply(inReplyTo=on_file["commentId"], content="agreed")["comment"]
    assert reply["inReplyTo"] == on_file["commentId"]
    cc.post_comment_for_compared_commit(repositoryName="app", beforeCommitId=second, afterCommitId=third,
                                        content="elsewhere")

    data = cc.get_comments_for_compared_commit(repositoryName="app", beforeCommitId=first,
                                               afterCommitId=second)["commentsForComparedCommitData"]
    assert len(data) == 2
    assert data[0]["location"] == {"filePath": "README.md", "relativeFileVersion": "BEFORE"}
    assert [c["commentId"] for c in data[0]["comments"]] == [on_file["commentId"], reply["commentId"]]
    assert "location" not in data[1]
    assert [c["content"] for c in data[1]["comments"]] == ["general"]
    assert general["commentId"] == data[1]["comments"][0]["commentId"]

    page = cc.get_comments_for_compared_commit(repositoryName="app", beforeCommitId=first, afterCommitId=second,
                                               maxResults=2)
    assert sum(len(d["comments"]) for d in page["commentsForComparedCommitData"]) == 2
    rest = cc.get_comments_for_compared_commit(repositoryName="app", beforeCommitId=first, afterCommitId=second,
                                               maxResults=2, nextToken=page["nextToken"])
    assert [c["commentId"] for d in rest["commentsForComparedCommitData"] for c in d["comments"]] == \
        [reply["commentId"]]
    assert "nextToken" not in rest
    assert error_of(cc.get_comments_for_compared_commit, repositoryName="app", afterCommitId=second,
                    maxResults=501) == "InvalidMaxResultsException"
    assert error_of(cc.post_comment_reply, inReplyTo="not-a-comment-id", content="x") == "InvalidCommentIdException"
    assert error_of(cc.post_comment_reply, inReplyTo="00000000-0000-4000-8000-000000000000", content="x") == \
        "CommentDoesNotExistException"


def test_cli_paginates_comments(repo, aws):
    cc, first, second, _ = repo
    for i in range(3):
        cc.post_comment_for_compared_commit(repositoryName="app", beforeCommitId=first, afterCommitId=second,
                                            content=f"c{i}")
    out = aws("codecommit", "get-comments-for-compared-commit", "--repository-name", "app", "--before-commit-id",
              first, "--after-commit-id", second, "--page-size", "1", check=True).json
    assert [c["content"] for d in out["commentsForComparedCommitData"] for c in d["comments"]] == ["c0", "c1", "c2"]


def test_client_request_token_is_idempotent(repo):
    cc, first, second, _ = repo
    args = {"repositoryName": "app", "beforeCommitId": first, "afterCommitId": second, "content": "once",
            "clientRequestToken": "same-token"}
    once = cc.post_comment_for_compared_commit(**args)["comment"]
    again = cc.post_comment_for_compared_commit(**args)["comment"]
    assert again["commentId"] == once["commentId"]
    assert error_of(cc.post_comment_for_compared_commit, **{**args, "content": "twice"}) == \
        "IdempotencyParameterMismatchException"
    # boto3 fills a fresh token when none is given, so identical calls make new comments.
    cc.post_comment_for_compared_commit(repositoryName="app", beforeCommitId=first, afterCommitId=second,
                                        content="once")
    data = cc.get_comments_for_compared_commit(repositoryName="app", beforeCommitId=first, afterCommitId=second)
    assert len(data["commentsForComparedCommitData"][0]["comments"]) == 2


def test_update_by_the_author_and_deleted_content(repo, client):
    cc, first, second, _ = repo
    comment = cc.post_comment_for_compared_commit(repositoryName="app", beforeCommitId=first, afterCommitId=second,
                                                  content="draft")["comment"]
    other = user_client(client, "reviewer")
    assert error_of(other.update_comment, commentId=comment["commentId"], content="mine now") == \
        "CommentNotCreatedByCallerException"
    updated = cc.update_comment(commentId=comment["commentId"], content="final")["comment"]
    assert updated["content"] == "final"
    assert updated["creationDate"] == comment["creationDate"]

    deleted = other.delete_comment_content(commentId=comment["commentId"])["comment"]
    assert deleted["deleted"] is True
    assert "content" not in deleted
    assert deleted["authorArn"] == ROOT
    assert error_of(cc.get_comment, commentId=comment["commentId"]) == "CommentDeletedException"
    assert error_of(cc.update_comment, commentId=comment["commentId"], content="x") == "CommentDeletedException"
    assert error_of(cc.delete_comment_content, commentId=comment["commentId"]) == "CommentDeletedException"
    listed = cc.get_comments_for_compared_commit(repositoryName="app", beforeCommitId=first, afterCommitId=second)
    kept = listed["commentsForComparedCommitData"][0]["comments"][0]
    assert kept["deleted"] is True and "content" not in kept
    assert error_of(cc.get_comment, commentId="00000000-0000-4000-8000-000000000000") == \
        "CommentDoesNotExistException"


def test_reactions(repo, client, aws):
    cc, first, second, _ = repo
    comment_id = cc.post_comment_for_compared_commit(repositoryName="app", beforeCommitId=first,
                                                     afterCommitId=second, content="ship it?")["comment"]["commentId"]
    other = user_client(client, "reviewer")
    aws("codecommit", "put-comment-reaction", "--comment-id", comment_id, "--reaction-value", ":thumbsup:",
        check=True)
    other.put_comment_reaction(commentId=comment_id, reactionValue="\N{THUMBS UP SIGN}")
    got = cc.get_comment(commentId=comment_id)["comment"]
    assert got["reactionCounts"] == {"THUMBSUP": 2}
    assert got["callerReactions"] == ["THUMBSUP"]
    # One reaction per user: a new value replaces the old.
    other.put_comment_reaction(commentId=comment_id, reactionValue="U+1F604")
    reactions = cc.get_comment_reactions(commentId=comment_id)["reactionsForComment"]
    assert [(r["reaction"]["shortCode"], r["reactionUsers"]) for r in reactions] == [
        (":thumbsup:", [ROOT]), (":smile:", [f"arn:aws:iam::{ACCOUNT}:user/reviewer"])]
    assert reactions[0]["reaction"] == {"emoji": "\N{THUMBS UP SIGN}", "shortCode": ":thumbsup:",
                                        "unicode": "U+1F44D"}
    assert reactions[0]["reactionsFromDeletedUsersCount"] == 0
    mine = cc.get_comment_reactions(commentId=comment_id, reactionUserArn=ROOT)["reactionsForComment"]
    assert [r["reaction"]["shortCode"] for r in mine] == [":thumbsup:"]
    assert error_of(cc.get_comment_reactions, commentId=comment_id, reactionUserArn="nobody") == \
        "InvalidReactionUserArnException"
    assert error_of(cc.put_comment_reaction, commentId=comment_id, reactionValue=":party-parrot:") == \
        "InvalidReactionValueException"
    # "To remove a reaction, provide a value of blank or null. You can also provide the value of none."
    cc.put_comment_reaction(commentId=comment_id, reactionValue="none")
    other.put_comment_reaction(commentId=comment_id, reactionValue="")
    assert cc.get_comment_reactions(commentId=comment_id)["reactionsForComment"] == []


def test_iam_follows_the_comments_repository(repo, client):
    cc, first, second, _ = repo
    cc.create_repository(repositoryName="secret")
    base = cc.put_file(repositoryName="secret", branchName="main", fileContent=b"s", filePath="s.txt")["commitId"]
    hidden = cc.post_comment_for_compared_commit(repositoryName="secret", afterCommitId=base,
                                                 content="hidden")["comment"]["commentId"]
    visible = cc.post_comment_for_compared_commit(repositoryName="app", beforeCommitId=first, afterCommitId=second,
                                                  content="visible")["comment"]["commentId"]
    dev = user_client(client, "dev", f"arn:aws:codecommit:us-east-1:{ACCOUNT}:app")
    assert dev.get_comment(commentId=visible)["comment"]["content"] == "visible"
    dev.put_comment_reaction(commentId=visible, reactionValue=":eyes:")
    for call, args in [(dev.get_comment, {"commentId": hidden}),
                       (dev.post_comment_reply, {"inReplyTo": hidden, "content": "x"}),
                       (dev.put_comment_reaction, {"commentId": hidden, "reactionValue": ":eyes:"}),
                       (dev.get_comment_reactions, {"commentId": hidden}),
                       (dev.delete_comment_content, {"commentId": hidden}),
                       (dev.get_comments_for_compared_commit, {"repositoryName": "secret", "afterCommitId": base})]:
        assert error_of(call, **args) == "AccessDeniedException", call
    # A comment that does not exist is checked on "*", which the policy does not grant either.
    assert error_of(dev.get_comment, commentId="00000000-0000-4000-8000-000000000000") == "AccessDeniedException"


def test_comments_publish_events(repo, hakobu):
    cc, first, second, _ = repo
    meta = cc.get_repository(repositoryName="app")["repositoryMetadata"]
    comment_id = cc.post_comment_for_compared_commit(repositoryName="app", beforeCommitId=first,
                                                     afterCommitId=second, content="c")["comment"]["commentId"]
    reply_id = cc.post_comment_reply(inReplyTo=comment_id, content="r")["comment"]["commentId"]
    cc.update_comment(commentId=comment_id, content="c2")
    cc.put_comment_reaction(commentId=comment_id, reactionValue=":heart:")
    events = events_of(hakobu, "CodeCommit Comment on Commit")
    assert [e["detail"]["event"] for e in events] == ["commentOnCommitCreated", "commentOnCommitCreated",
                                                      "commentOnCommitUpdated"]
    detail = events[0]["detail"]
    assert events[0]["resources"] == [meta["Arn"]]
    assert (detail["commentId"], detail["beforeCommitId"], detail["afterCommitId"]) == (comment_id, first, second)
    assert (detail["repositoryName"], detail["repositoryId"]) == ("app", meta["repositoryId"])
    assert detail["callerUserArn"] == ROOT
    assert "notificationBody" in detail
    assert (events[1]["detail"]["commentId"], events[1]["detail"]["inReplyTo"]) == (reply_id, comment_id)
    reactions = events_of(hakobu, "CodeCommit Comment Reaction Change")
    assert [(e["detail"]["event"], e["detail"]["reactionShortcodes"]) for e in reactions] == [
        ("commentReactionCreated", [":heart:"])]


def create_pull_request(aws, source, destination="main"):
    made = aws("codecommit", "create-pull-request", "--title", "review me", "--targets",
               json.dumps([{"repositoryName": "app", "sourceReference": source, "destinationReference": destination}]))
    if made.returncode != 0:
        pytest.fail(f"CreatePullRequest does not work yet: {made.stderr}")
    return made.json["pullRequest"]


def test_pull_request_comments(repo, aws, hakobu):
    cc, first, second, _ = repo
    feature = cc.put_file(repositoryName="app", branchName="feature", fileContent=b"feature\n", filePath="f.txt",
                          parentCommitId=second)["commitId"]
    pr = create_pull_request(aws, "feature")
    pr_id = pr["pullRequestId"]
    target = pr["pullRequestTargets"][0]
    before, after = target["destinationCommit"], target["sourceCommit"]
    assert after == feature

    posted = cc.post_comment_for_pull_request(pullRequestId=pr_id, repositoryName="app", beforeCommitId=before,
                                              afterCommitId=after, content="please add tests",
                                              location={"filePath": "f.txt", "filePosition": 1,
                                                        "relativeFileVersion": "AFTER"})
    assert posted["pullRequestId"] == pr_id
    assert posted["afterBlobId"] == cc.get_file(repositoryName="app", filePath="f.txt",
                                                commitSpecifier=feature)["blobId"]
    assert "beforeBlobId" not in posted
    reply = cc.post_comment_reply(inReplyTo=posted["comment"]["commentId"], content="done")["comment"]
    general = cc.post_comment_for_pull_request(pullRequestId=pr_id, repositoryName="app", beforeCommitId=before,
                                               afterCommitId=after, content="LGTM")["comment"]

    data = cc.get_comments_for_pull_request(pullRequestId=pr_id)["commentsForPullRequestData"]
    assert [d["pullRequestId"] for d in data] == [pr_id, pr_id]
    assert [c["commentId"] for c in data[0]["comments"]] == [posted["comment"]["commentId"], reply["commentId"]]
    assert [c["commentId"] for c in data[1]["comments"]] == [general["commentId"]]
    filtered = cc.get_comments_for_pull_request(pullRequestId=pr_id, repositoryName="app", beforeCommitId=before,
                                                afterCommitId=after)["commentsForPullRequestData"]
    assert sum(len(d["comments"]) for d in filtered) == 3
    # Pull request comments are not comments on the compared commits.
    assert cc.get_comments_for_compared_commit(repositoryName="app", beforeCommitId=before,
                                               afterCommitId=after)["commentsForComparedCommitData"] == []

    cc.create_repository(repositoryName="elsewhere")
    assert error_of(cc.post_comment_for_pull_request, pullRequestId=pr_id, repositoryName="elsewhere",
                    beforeCommitId=before, afterCommitId=after, content="x") == \
        "RepositoryNotAssociatedWithPullRequestException"
    assert error_of(cc.get_comments_for_pull_request, pullRequestId=pr_id, repositoryName="app") == \
        "CommitIdRequiredException"
    assert error_of(cc.get_comments_for_pull_request, pullRequestId="987654") == "PullRequestDoesNotExistException"

    events = events_of(hakobu, "CodeCommit Comment on Pull Request")
    assert [e["detail"]["event"] for e in events] == ["commentOnPullRequestCreated"] * 3
    assert events[0]["detail"]["pullRequestId"] == pr_id

    cli = aws("codecommit", "get-comments-for-pull-request", "--pull-request-id", pr_id, "--page-size", "1",
              check=True).json
    assert sum(len(d["comments"]) for d in cli["commentsForPullRequestData"]) == 3
