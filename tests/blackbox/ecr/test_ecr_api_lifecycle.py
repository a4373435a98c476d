"""ECR lifecycle policies through the API: put/get/delete with AWS's validation, the policy
applied right away (and again when the engines' clock moves), previews."""
import json
import urllib.request

import pytest

from ecr_api_helpers import DEV_ACCOUNT, error_of, push_image

KEEP_TWO = json.dumps({"rules": [{
    "rulePriority": 1, "description": "keep the two newest",
    "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 2},
    "action": {"type": "expire"}}]})

UNTAGGED_AFTER_A_DAY = json.dumps({"rules": [{
    "rulePriority": 1, "description": "untagged images go after a day",
    "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 1},
    "action": {"type": "expire"}}]})


@pytest.fixture
def ecr(client):
    ecr = client("ecr")
    ecr.create_repository(repositoryName="cycle")
    return ecr


def test_put_get_delete_lifecycle_policy(ecr):
    out = ecr.put_lifecycle_policy(repositoryName="cycle", lifecyclePolicyText=UNTAGGED_AFTER_A_DAY)
    assert (out["registryId"], out["repositoryName"], out["lifecyclePolicyText"]) == (
        DEV_ACCOUNT, "cycle", UNTAGGED_AFTER_A_DAY)
    got = ecr.get_lifecycle_policy(repositoryName="cycle")
    assert got["lifecyclePolicyText"] == UNTAGGED_AFTER_A_DAY
    assert got["lastEvaluatedAt"].year >= 2024
    deleted = ecr.delete_lifecycle_policy(repositoryName="cycle")
    assert deleted["lifecyclePolicyText"] == UNTAGGED_AFTER_A_DAY
    assert "lastEvaluatedAt" in deleted
    code, message = error_of(ecr.get_lifecycle_policy, repositoryName="cycle")
    assert code == "LifecyclePolicyNotFoundException"
    assert message == ("Lifecycle policy does not exist for the repository with name 'cycle' in the registry "
                       f"with id '{DEV_ACCOUNT}'")
    assert error_of(ecr.delete_lifecycle_policy, repositoryName="cycle")[0] == "LifecyclePolicyNotFoundException"
    code, _ = error_of(ecr.put_lifecycle_policy, repositoryName="nope", lifecyclePolicyText=KEEP_TWO)
    assert code == "RepositoryNotFoundException"


@pytest.mark.parametrize("rules", [
    [{"rulePriority": 0, "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 1},
      "action": {"type": "expire"}}],
    [{"rulePriority": 1, "selection": {"tagStatus": "tagged", "countType": "imageCountMoreThan", "countNumber": 1},
      "action": {"type": "expire"}}],  # tagged needs tagPrefixList or tagPatternList
    [{"rulePriority": 1, "selection": {"tagStatus": "any", "countType": "sinceImagePushed", "countNumber": 1},
      "action": {"type": "expire"}}],  # sinceImagePushed needs countUnit
    [{"rulePriority": 1, "selection": {"tagStatus": "sometimes", "countType": "imageCountMoreThan",
                                       "countNumber": 1}, "action": {"type": "expire"}}],
])
def test_put_lifecycle_policy_rejects_invalid(ecr, rules):
    text = json.dumps({"rules": rules}).ljust(100)
    code, _ = error_of(ecr.put_lifecycle_policy, repositoryName="cycle", lifecyclePolicyText=text)
    assert code == "InvalidParameterException"
    assert error_of(ecr.get_lifecycle_policy, repositoryName="cycle")[0] == "LifecyclePolicyNotFoundException"


def test_lifecycle_policy_applies_at_once(ecr):
    digests = [push_image(ecr, "cycle", f"v{i}")[0] for i in range(4)]
    ecr.put_lifecycle_policy(repositoryName="cycle", lifecyclePolicyText=KEEP_TWO)
    left = {d["imageDigest"] for d in ecr.describe_images(repositoryName="cycle")["imageDetails"]}
    assert left == set(digests[2:])


def test_lifecycle_preview(ecr):
    digests = [push_image(ecr, "cycle", f"v{i}")[0] for i in range(4)]
    code, _ = error_of(ecr.get_lifecycle_policy_preview, repositoryName="cycle")
    assert code == "LifecyclePolicyPreviewNotFoundException"
    # Without a text and without a policy there is nothing to preview.
    code, _ = error_of(ecr.start_lifecycle_policy_preview, repositoryName="cycle")
    assert code == "LifecyclePolicyNotFoundException"
    started = ecr.start_lifecycle_policy_preview(repositoryName="cycle", lifecyclePolicyText=KEEP_TWO)
    assert started["lifecyclePolicyText"] == KEEP_TWO
    assert started["status"] in ("IN_PROGRESS", "COMPLETE")
    preview = ecr.get_lifecycle_policy_preview(repositoryName="cycle")
    assert preview["status"] == "COMPLETE"
    assert preview["summary"] == {"expiringImageTotalCount": 2}
    results = {r["imageDigest"]: r for r in preview["previewResults"]}
    assert set(results) == set(digests[:2])
    first = results[digests[0]]
    assert first["imageTags"] == ["v0"] and first["action"] == {"type": "EXPIRE"}
    assert first["appliedRulePriority"] == 1
    # A preview deletes nothing.
    assert len(ecr.describe_images(repositoryName="cycle")["imageDetails"]) == 4
    page = ecr.get_lifecycle_policy_preview(repositoryName="cycle", maxResults=1)
    assert len(page["previewResults"]) == 1 and page["nextToken"]
    rest = ecr.get_lifecycle_policy_preview(repositoryName="cycle", maxResults=1, nextToken=page["nextToken"])
    assert len(rest["previewResults"]) == 1 and "nextToken" not in rest
    picked = ecr.get_lifecycle_policy_preview(repositoryName="cycle", imageIds=[{"imageTag": "v1"}])
    assert [r["imageDigest"] for r in picked["previewResults"]] == [digests[1]]


def test_waiter_and_cli_preview(ecr, aws):
    push_image(ecr, "cycle", "a")
    aws("ecr", "start-lifecycle-policy-preview", "--repository-name", "cycle", "--lifecycle-policy-text",
        KEEP_TWO, check=True)
    ecr.get_waiter("lifecycle_policy_preview_complete").wait(repositoryName="cycle",
                                                             WaiterConfig={"Delay": 1, "MaxAttempts": 3})
    for v2 in (False, True):
        out = aws("ecr", "get-lifecycle-policy-preview", "--repository-name", "cycle", v2=v2, check=True).json
        assert out["status"] == "COMPLETE" and out["previewResults"] == []


def test_lifecycle_follows_the_engines_clock(start_hakobu):
    from conftest import TWO_ACCOUNTS
    server = start_hakobu(config_text=TWO_ACCOUNTS, extra_args=["--clock-control"])
    ecr = server.client("ecr")
    ecr.create_repository(repositoryName="aging")
    untagged = push_image(ecr, "aging", None)[0]
    tagged = push_image(ecr, "aging", "keep")[0]
    ecr.put_lifecycle_policy(repositoryName="aging", lifecyclePolicyText=UNTAGGED_AFTER_A_DAY)
    assert len(ecr.describe_images(repositoryName="aging")["imageDetails"]) == 2  # nothing is a day old yet
    req = urllib.request.Request(server.url + "/_hakobu/clock", method="POST",
                                 data=json.dumps({"advance_seconds": 2 * 86400}).encode())
    with urllib.request.urlopen(req, timeout=10) as r:
        assert r.status == 200
    left = [d["imageDigest"] for d in ecr.describe_images(repositoryName="aging")["imageDetails"]]
    assert left == [tagged] and untagged != tagged


def test_recreated_repository_has_no_preview(ecr):
    ecr.start_lifecycle_policy_preview(repositoryName="cycle", lifecyclePolicyText=KEEP_TWO)
    assert ecr.get_lifecycle_policy_preview(repositoryName="cycle")["status"] == "COMPLETE"
    ecr.delete_repository(repositoryName="cycle", force=True)
    ecr.create_repository(repositoryName="cycle")
    code, _ = error_of(ecr.get_lifecycle_policy_preview, repositoryName="cycle")
    assert code == "LifecyclePolicyPreviewNotFoundException"
