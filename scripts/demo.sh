#!/usr/bin/env bash
# `make demo`: start hakobu on 127.0.0.1:4566 and walk through what works so far with the
# aws CLI, then leave it running. `make stop` (scripts/demo.sh --stop) stops it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
data_dir="${HAKOBU_DATA_DIR:-$root/hakobu-data}"
port="${HAKOBU_PORT:-4566}"
pid_file="$data_dir/hakobu.pid"
log_file="$data_dir/hakobu.log"
endpoint="http://127.0.0.1:$port"

stop() {
  if [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
    kill "$(cat "$pid_file")"
    for _ in $(seq 50); do kill -0 "$(cat "$pid_file")" 2>/dev/null || break; sleep 0.1; done
    echo "stopped hakobu (pid $(cat "$pid_file"))"
  fi
  rm -f "$pid_file"
}
if [ "${1:-}" = "--stop" ]; then stop; exit 0; fi

bold() { printf '\n\033[1m%s\033[0m\n' "$*"; }
run() { printf '\033[36m$ %s\033[0m\n' "$*"; "$@"; }

stop
if curl -fsS "$endpoint/_hakobu/health" >/dev/null 2>&1; then
  echo "something else already answers on $endpoint; stop it or set HAKOBU_PORT" >&2
  exit 1
fi
mkdir -p "$data_dir"
rm -f "$data_dir/hakobu.db" "$data_dir/hakobu.db-wal" "$data_dir/hakobu.db-shm"
rm -rf "$data_dir/s3" "$data_dir/blobs" "$data_dir/ecr" "$data_dir/codecommit"
nohup "${HAKOBU_BINARY:-$root/build/hakobu}" server --port "$port" --data-dir "$data_dir" --config "$root/examples/accounts.yaml" \
  >"$log_file" 2>&1 &
echo $! >"$pid_file"
for _ in $(seq 100); do
  curl -fsS "$endpoint/_hakobu/health" >/dev/null 2>&1 && break
  sleep 0.05
done
grep -m1 "hakobu ready" "$log_file"

# The aws CLI talks to hakobu exactly as to AWS; only the endpoint differs.
export AWS_ENDPOINT_URL="$endpoint" AWS_DEFAULT_REGION=us-east-1 AWS_PAGER="" AWS_MAX_ATTEMPTS=1
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
dev() { AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test "$@"; }
prod() { AWS_ACCESS_KEY_ID=prodkey AWS_SECRET_ACCESS_KEY=prodsecret "$@"; }

bold "1. Two accounts, as in the seed: dev (000000000000) and prod (111111111111)"
run dev aws sts get-caller-identity
run prod aws sts get-caller-identity

bold "2. Parameter Store holds each environment's settings as a JSON dictionary"
run dev aws ssm put-parameter --name /app/dev/config --type String \
  --value '{"db_host": "db.dev.internal", "db_port": 5432, "log_level": "debug"}'
run dev aws ssm put-parameter --name /app/stg/config --type String \
  --value '{"db_host": "db.stg.internal", "db_port": 5432, "log_level": "info"}'
run dev aws ssm put-parameter --name /app/dev/db-password --type SecureString --value 's3cr3t'
run prod aws ssm put-parameter --name /app/prod/config --type String \
  --value '{"db_host": "db.prod.internal", "db_port": 5432, "log_level": "warn"}'
run dev aws ssm get-parameters-by-path --path /app --recursive --with-decryption \
  --query 'Parameters[].[Name,Type,Value]' --output table
bold "   Accounts are isolated: dev cannot see prod's parameters"
run dev aws ssm get-parameter --name /app/prod/config || true

bold "3. A role that may read only its own environment's parameters"
cat >"$data_dir/trust.json" <<'JSON'
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
  "Principal": {"AWS": "arn:aws:iam::000000000000:root"}, "Action": "sts:AssumeRole"}]}
JSON
cat >"$data_dir/dev-reader.json" <<'JSON'
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
  "Action": ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"],
  "Resource": "arn:aws:ssm:*:*:parameter/app/dev/*"}]}
JSON
run dev aws iam create-role --role-name app-dev --assume-role-policy-document "file://$data_dir/trust.json" \
  --query Role.Arn
run dev aws iam put-role-policy --role-name app-dev --policy-name read-dev-parameters \
  --policy-document "file://$data_dir/dev-reader.json"
creds=$(dev aws sts assume-role --role-arn arn:aws:iam::000000000000:role/app-dev --role-session-name web \
  --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text)
read -r key secret token <<<"$creds"
as_role() { AWS_ACCESS_KEY_ID=$key AWS_SECRET_ACCESS_KEY=$secret AWS_SESSION_TOKEN=$token "$@"; }
run as_role aws sts get-caller-identity --query Arn
run as_role aws ssm get-parameter --name /app/dev/config --query Parameter.Value
bold "   ...and is refused another environment's settings:"
run as_role aws ssm get-parameter --name /app/stg/config || true

bold "4. Production trusts the dev account to read its settings through a role"
cat >"$data_dir/prod-trust.json" <<'JSON'
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
  "Principal": {"AWS": "000000000000"}, "Action": "sts:AssumeRole"}]}
JSON
cat >"$data_dir/prod-reader.json" <<'JSON'
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ssm:GetParameter",
  "Resource": "arn:aws:ssm:*:111111111111:parameter/app/prod/*"}]}
JSON
run prod aws iam create-role --role-name deployer --assume-role-policy-document "file://$data_dir/prod-trust.json" \
  --query Role.Arn
run prod aws iam put-role-policy --role-name deployer --policy-name read-prod \
  --policy-document "file://$data_dir/prod-reader.json"
creds=$(dev aws sts assume-role --role-arn arn:aws:iam::111111111111:role/deployer --role-session-name ci \
  --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text)
read -r key secret token <<<"$creds"
run as_role aws sts get-caller-identity --query Arn
run as_role aws ssm get-parameter --name /app/prod/config --query Parameter.Value

bold "5. S3: a versioned artifact bucket in dev, as CodePipeline's S3 source needs"
run dev aws s3api create-bucket --bucket dev-artifacts --query Location
run dev aws s3api put-bucket-versioning --bucket dev-artifacts --versioning-configuration Status=Enabled
mkdir -p "$data_dir/app"
cat >"$data_dir/app/app.py" <<'PY'
def handler():
    return "hello from the tested source"
PY
echo '[{"name": "web", "imageUri": "000000000000.dkr.ecr.us-east-1.localhost/web:latest"}]' \
  >"$data_dir/app/imagedefinitions.json"
(cd "$data_dir/app" && python3 -c 'import zipfile,sys; z=zipfile.ZipFile("../source.zip","w"); [z.write(f) for f in sys.argv[1:]]' \
  app.py imagedefinitions.json)
run dev aws s3 cp "$data_dir/source.zip" s3://dev-artifacts/app/source.zip
run dev aws s3 cp "$data_dir/source.zip" s3://dev-artifacts/app/source.zip
run dev aws s3api list-object-versions --bucket dev-artifacts --prefix app/ \
  --query 'Versions[].[Key,VersionId,IsLatest,Size]' --output table
bold "   The prod account cannot read dev's artifact..."
run prod aws s3 cp s3://dev-artifacts/app/source.zip "$data_dir/prod-copy.zip" || true
cat >"$data_dir/bucket-policy.json" <<'JSON'
{"Version": "2012-10-17", "Statement": [{"Sid": "ProdReadsArtifacts", "Effect": "Allow",
  "Principal": {"AWS": "arn:aws:iam::111111111111:root"},
  "Action": ["s3:GetObject", "s3:GetObjectVersion"], "Resource": "arn:aws:s3:::dev-artifacts/app/*"}]}
JSON
bold "   ...until dev's bucket policy lets it:"
run dev aws s3api put-bucket-policy --bucket dev-artifacts --policy "file://$data_dir/bucket-policy.json"
run prod aws s3 cp s3://dev-artifacts/app/source.zip "$data_dir/prod-copy.zip"
run prod aws s3api create-bucket --bucket prod-artifacts
run prod aws s3 cp "$data_dir/prod-copy.zip" s3://prod-artifacts/app/source.zip
run prod aws s3 ls s3://prod-artifacts/app/
bold "   A presigned URL works with plain curl (valid for 5 minutes):"
url=$(dev aws s3 presign s3://dev-artifacts/app/source.zip --expires-in 300)
run curl -sS -o /dev/null -w 'HTTP %{http_code}, %{size_download} bytes\n' "$url"

bold "6. ECR: a real registry. Build an image with podman, push it to dev's ECR, pull it back"
# No image can be pulled from the internet here: the base image is made from this machine's busybox.
if ! podman image exists localhost/hakobu-demo/busybox:latest; then
  bb="$data_dir/busybox-root"
  rm -rf "$bb" && mkdir -p "$bb/bin" "$bb/etc" "$bb/tmp"
  cp /bin/busybox "$bb/bin/"
  for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -sf busybox "$bb/bin/$a"; done
  echo 'root:x:0:0:root:/root:/bin/sh' >"$bb/etc/passwd"; echo 'root:x:0:' >"$bb/etc/group"; chmod 1777 "$bb/tmp"
  tar -C "$bb" -c . | podman import --change 'CMD ["/bin/sh"]' --change 'ENV PATH=/bin' - \
    localhost/hakobu-demo/busybox:latest >/dev/null 2>&1
  rm -rf "$bb"
fi
uri=$(dev aws ecr create-repository --repository-name web --image-tag-mutability IMMUTABLE \
  --query repository.repositoryUri --output text)
registry=${uri%%/*}
echo "repository URI: $uri   (AWS: <account>.dkr.ecr.<region>.amazonaws.com/web; here <host>/<account>/web)"
printf '$ %s\n' "aws ecr get-login-password | podman login --username AWS --password-stdin $registry"
dev aws ecr get-login-password | podman login --username AWS --password-stdin "$registry"
mkdir -p "$data_dir/image"
cp "$data_dir/app/app.py" "$data_dir/image/"
cat >"$data_dir/image/Containerfile" <<'DOCKERFILE'
FROM localhost/hakobu-demo/busybox:latest
COPY app.py /app/app.py
RUN echo "built $(date -u +%FT%TZ)" > /app/BUILD
CMD ["sh", "-c", "cat /app/BUILD; grep return /app/app.py"]
DOCKERFILE
run podman build -q -t "$uri:v1" "$data_dir/image"
run podman push -q "$uri:v1"
run dev aws ecr describe-images --repository-name web \
  --query 'imageDetails[].[imageTags[0],imageDigest,imageSizeInBytes,imageManifestMediaType]' --output table
bold "   The repository is IMMUTABLE: pushing v1 again is refused"
printf '\033[36m$ %s\033[0m\n' "podman push -q $uri:v1"
podman push -q "$uri:v1" 2>&1 | grep -o "tag invalid: [^)]*" | head -1 || true
bold "   Pull it back into an empty image store and run it"
run podman rmi -f "$uri:v1"
run podman pull -q "$uri:v1"
run podman run --rm "$uri:v1"
bold "   Every push is an 'ECR Image Action' event on hakobu's event bus (for pipelines, later)"
printf '\033[36m$ %s\033[0m\n' "curl -sS '$endpoint/_hakobu/events?source=aws.ecr&limit=1' | python3 -m json.tool"
curl -sS "$endpoint/_hakobu/events?source=aws.ecr&limit=1" | python3 -m json.tool
bold "   prod cannot pull dev's image (skopeo, with prod's own ECR token)..."
prod_pull() {
  printf '\033[36m$ %s\033[0m\n' "skopeo inspect --tls-verify=false --creds AWS:\$(prod aws ecr get-login-password) docker://$uri:v1"
  skopeo inspect --tls-verify=false --creds "AWS:$(prod aws ecr get-login-password)" "docker://$uri:v1" \
    --format '{{.Name}} {{.Digest}} created {{.Created}}' 2>&1 | tail -1
}
prod_pull || true
cat >"$data_dir/repo-policy.json" <<'JSON'
{"Version": "2012-10-17", "Statement": [{"Sid": "ProdPull", "Effect": "Allow",
  "Principal": {"AWS": "arn:aws:iam::111111111111:root"},
  "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"]}]}
JSON
bold "   ...until dev's repository policy lets it:"
run dev aws ecr set-repository-policy --repository-name web --policy-text "file://$data_dir/repo-policy.json" \
  --query repositoryName
prod_pull

bold "7. CodeCommit: git over HTTP with 'aws codecommit credential-helper', branches protected by IAM"
clone_url=$(dev aws codecommit create-repository --repository-name demo-app \
  --repository-description "the seed's web app" --query repositoryMetadata.cloneUrlHttp --output text)
echo "clone URL: $clone_url"
# AWS's documented helper lines, with --ignore-host-check because the host is not
# *.amazonaws.com (only the helper's `get` takes that flag, hence the small wrapper).
export GIT_CONFIG_GLOBAL="$data_dir/gitconfig" GIT_CONFIG_NOSYSTEM=1
git config --global credential.helper \
  '!f() { [ "$1" = get ] && aws codecommit credential-helper --ignore-host-check get; }; f'
git config --global credential.UseHttpPath true
git config --global user.name "Demo Dev"; git config --global user.email dev@example.com
git config --global init.defaultBranch main; git config --global advice.detachedHead false
rm -rf "$data_dir/work" && mkdir -p "$data_dir/work"
run dev git clone -q "$clone_url" "$data_dir/work/demo-app" 2>/dev/null
cp "$data_dir/app/app.py" "$data_dir/image/Containerfile" "$data_dir/work/demo-app/"
git -C "$data_dir/work/demo-app" add -A && git -C "$data_dir/work/demo-app" commit -qm "first version"
run dev git -C "$data_dir/work/demo-app" push -q origin main
run dev aws codecommit get-branch --repository-name demo-app --branch-name main --query branch
bold "   A developer may push feature branches but not main (AWS's deny with the Null guard):"
cat >"$data_dir/protect-main.json" <<'JSON'
{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": "codecommit:*", "Resource": "*"},
  {"Effect": "Deny", "Action": ["codecommit:GitPush", "codecommit:DeleteBranch", "codecommit:PutFile", "codecommit:Merge*"],
   "Resource": "arn:aws:codecommit:us-east-1:000000000000:demo-app",
   "Condition": {"StringEqualsIfExists": {"codecommit:References": ["refs/heads/main"]},
                 "Null": {"codecommit:References": "false"}}}]}
JSON
dev aws iam create-user --user-name developer >/dev/null
run dev aws iam put-user-policy --user-name developer --policy-name protect-main \
  --policy-document "file://$data_dir/protect-main.json"
read -r dkey dsecret <<<"$(dev aws iam create-access-key --user-name developer \
  --query 'AccessKey.[AccessKeyId,SecretAccessKey]' --output text)"
developer() { AWS_ACCESS_KEY_ID=$dkey AWS_SECRET_ACCESS_KEY=$dsecret "$@"; }
cd "$data_dir/work/demo-app"
git checkout -qb feature/greeting && echo "# greeting" >>app.py && git commit -qam "feature work"
run developer git push -q origin feature/greeting
git checkout -q main && echo "# hotfix" >>app.py && git commit -qam "straight to main"
printf '\033[36m$ %s\033[0m\n' "developer git push origin main"
developer git push origin main 2>&1 | grep -E "remote: User|rejected" || true
printf '\033[36m$ %s\033[0m\n' "developer aws codecommit delete-branch --repository-name demo-app --branch-name main"
developer aws codecommit delete-branch --repository-name demo-app --branch-name main 2>&1 | tail -1 || true
cd "$root"
bold "   So main changes through a pull request: a lead must approve, and the lead merges (never deleting the branch):"
dev aws iam create-user --user-name lead >/dev/null
dev aws iam put-user-policy --user-name lead --policy-name codecommit --policy-document \
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"codecommit:*","Resource":"*"}]}'
read -r lkey lsecret <<<"$(dev aws iam create-access-key --user-name lead \
  --query 'AccessKey.[AccessKeyId,SecretAccessKey]' --output text)"
lead() { AWS_ACCESS_KEY_ID=$lkey AWS_SECRET_ACCESS_KEY=$lsecret "$@"; }
pr_id=$(developer aws codecommit create-pull-request --title "Greeting" \
  --targets repositoryName=demo-app,sourceReference=feature/greeting,destinationReference=main \
  --query pullRequest.pullRequestId --output text)
echo "pull request $pr_id: feature/greeting -> main"
run developer aws codecommit create-pull-request-approval-rule --pull-request-id "$pr_id" \
  --approval-rule-name "a lead approves" --approval-rule-content \
  '{"Version":"2018-11-08","Statements":[{"Type":"Approvers","NumberOfApprovalsNeeded":1,"ApprovalPoolMembers":["CodeCommitApprovers:000000000000:lead"]}]}' \
  --query approvalRule.approvalRuleName
printf '\033[36m$ %s\033[0m\n' "lead aws codecommit merge-pull-request-by-three-way --pull-request-id $pr_id ...   (not approved yet)"
lead aws codecommit merge-pull-request-by-three-way --pull-request-id "$pr_id" --repository-name demo-app 2>&1 | tail -1 || true
revision=$(dev aws codecommit get-pull-request --pull-request-id "$pr_id" --query pullRequest.revisionId --output text)
run lead aws codecommit update-pull-request-approval-state --pull-request-id "$pr_id" \
  --revision-id "$revision" --approval-state APPROVE
run lead aws codecommit evaluate-pull-request-approval-rules --pull-request-id "$pr_id" \
  --revision-id "$revision" --query evaluation.approvalRulesSatisfied
printf '\033[36m$ %s\033[0m\n' "developer aws codecommit merge-pull-request-by-three-way --pull-request-id $pr_id ...   (Merge* on main is denied to developers)"
developer aws codecommit merge-pull-request-by-three-way --pull-request-id "$pr_id" --repository-name demo-app 2>&1 | tail -1 || true
run lead aws codecommit merge-pull-request-by-three-way --pull-request-id "$pr_id" --repository-name demo-app \
  --query 'pullRequest.[pullRequestStatus,pullRequestTargets[0].mergeMetadata.isMerged]' --output text
run dev aws codecommit list-branches --repository-name demo-app --query branches
bold "   Every reference change and pull request step is an event on hakobu's bus:"
curl -sS "$endpoint/_hakobu/events?source=aws.codecommit" | python3 -c '
import json, sys
for e in json.load(sys.stdin)["events"]:
    d = e["detail"]
    if "referenceFullName" in d:
        commit = d.get("commitId") or d.get("oldCommitId")
        print("  %-32s %-27s %s  by %s" % (d["event"], d["referenceFullName"], commit[:12], d["callerUserArn"]))
    else:
        print("  %-32s pull request %-14s by %s" % (d.get("event"), d.get("pullRequestId", ""), d.get("callerUserArn", "")))'

bold "8. CloudWatch Logs: groups, streams, events, filter patterns (what builds will write to)"
run dev aws logs create-log-group --log-group-name /demo/app
run dev aws logs create-log-stream --log-group-name /demo/app --log-stream-name web-1
now_ms=$(($(date +%s) * 1000))
cat >"$data_dir/log-events.json" <<JSON
[{"timestamp": $now_ms, "message": "GET / 200"},
 {"timestamp": $((now_ms + 1)), "message": "GET /missing 404"},
 {"timestamp": $((now_ms + 2)), "message": "{\\"level\\": \\"error\\", \\"msg\\": \\"db down\\"}"}]
JSON
run dev aws logs put-log-events --log-group-name /demo/app --log-stream-name web-1 \
  --log-events "file://$data_dir/log-events.json" --query rejectedLogEventsInfo
run dev aws logs filter-log-events --log-group-name /demo/app --filter-pattern '{ $.level = "error" }' \
  --query 'events[].message'
run dev /usr/bin/aws --endpoint-url "$endpoint" logs tail /demo/app --since 1h

bold "9. CodeBuild: the seed's buildspec, unchanged, builds the app from CodeCommit and pushes its image to ECR"
# The app (examples/demo-app): a Python web app with pytest tests, a Dockerfile, the seed's
# buildspec.yml (dockerd, docker info, the credential helper, bash boot-ctrbld.sh) and boot-ctrbld.sh.
if ! scripts/build-image.sh --check >/dev/null 2>&1; then
  echo "making the local aws/codebuild/standard:7.0 image (once, about a minute)..."
  scripts/build-image.sh | tail -1
fi
dev git clone -q "$clone_url" "$data_dir/work/build-src" 2>/dev/null
cp examples/demo-app/* "$data_dir/work/build-src/"
git -C "$data_dir/work/build-src" add -A && git -C "$data_dir/work/build-src" commit -qm "app, tests, Dockerfile, buildspec" >/dev/null
run dev git -C "$data_dir/work/build-src" push -q origin main
run dev aws ecr create-repository --repository-name demo-app --query repository.repositoryName
cat >"$data_dir/codebuild-trust.json" <<'JSON'
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
  "Principal": {"Service": "codebuild.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
JSON
cat >"$data_dir/codebuild-policy.json" <<'JSON'
{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": ["codecommit:GitPull", "logs:*", "ecr:*", "s3:*", "ssm:GetParameters"], "Resource": "*"}]}
JSON
run dev aws iam create-role --role-name codebuild-demo-app --assume-role-policy-document "file://$data_dir/codebuild-trust.json" \
  --query Role.Arn
dev aws iam put-role-policy --role-name codebuild-demo-app --policy-name build \
  --policy-document "file://$data_dir/codebuild-policy.json"
run dev aws codebuild create-project --name demo-app \
  --source type=CODECOMMIT,location="$clone_url" \
  --artifacts type=NO_ARTIFACTS \
  --environment "type=LINUX_CONTAINER,image=aws/codebuild/standard:7.0,computeType=BUILD_GENERAL1_SMALL,privilegedMode=true,environmentVariables=[{name=IMAGE_REPO,value=000000000000.dkr.ecr.us-east-1.amazonaws.com/demo-app}]" \
  --service-role arn:aws:iam::000000000000:role/codebuild-demo-app --query project.arn
build_id=$(dev aws codebuild start-build --project-name demo-app --source-version main --query build.id --output text)
echo "build $build_id: following its log in CloudWatch Logs as it runs"
printf '\033[36m$ %s\033[0m\n' "aws logs tail /aws/codebuild/demo-app --follow --format short"
# exec: $! is the aws process itself, so the kill below ends it (it polls every few seconds).
(export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test PYTHONUNBUFFERED=1
 exec /usr/bin/aws --endpoint-url "$endpoint" logs tail /aws/codebuild/demo-app --follow --format short) &
tail_pid=$!
for _ in $(seq 600); do
  status=$(dev aws codebuild batch-get-builds --ids "$build_id" --query 'builds[0].buildStatus' --output text)
  [ "$status" != IN_PROGRESS ] && break
  sleep 0.2
done
sleep 6; kill "$tail_pid" 2>/dev/null || true; wait "$tail_pid" 2>/dev/null || true
run dev aws codebuild batch-get-builds --ids "$build_id" \
  --query 'builds[0].[buildStatus,resolvedSourceVersion,phases[].[phaseType,phaseStatus,durationInSeconds]]' --output json
run dev aws ecr describe-images --repository-name demo-app \
  --query 'imageDetails[].[imageTags[0],imageDigest,imageSizeInBytes]' --output table
bold "   The image the build pushed runs (pulled back from ECR):"
app_uri="$registry/000000000000/demo-app:latest"
dev aws ecr get-login-password | podman login --username AWS --password-stdin "$registry" >/dev/null
run podman pull -q "$app_uri"
cid=$(podman run -d --rm --network host -e PORT=18080 -e APP_CONFIG='{"greeting": "hello", "env": "dev"}' "$app_uri")
for _ in $(seq 50); do curl -fsS http://127.0.0.1:18080/health >/dev/null 2>&1 && break; sleep 0.1; done
run curl -sS http://127.0.0.1:18080/
podman rm -f -t 0 "$cid" >/dev/null

bold "hakobu is still running on $endpoint (pid $(cat "$pid_file"), log $log_file)."
echo "Point any AWS tool at it:  export AWS_ENDPOINT_URL=$endpoint AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test"
echo "Stop it with:              make stop"
