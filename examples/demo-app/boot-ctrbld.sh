#!/bin/bash
# The seed's thin buildspec calls this: test, then build and push the image to ECR.
# IMAGE_REPO (e.g. 000000000000.dkr.ecr.us-east-1.amazonaws.com/demo-app) comes from the project.
set -euo pipefail
echo "== pytest"
python3 -m pytest -q
tag="${CODEBUILD_RESOLVED_SOURCE_VERSION:0:12}"
registry="${IMAGE_REPO%%/*}"
echo "== docker build ${IMAGE_REPO}:${tag}"
aws ecr get-login-password --region "$AWS_DEFAULT_REGION" | docker login --username AWS --password-stdin "$registry"
echo "$tag" > VERSION
docker build -t "${IMAGE_REPO}:${tag}" -t "${IMAGE_REPO}:latest" .
echo "== docker push"
docker push "${IMAGE_REPO}:${tag}"
docker push "${IMAGE_REPO}:latest"
printf '[{"name":"web","imageUri":"%s"}]\n' "${IMAGE_REPO}:${tag}" > imagedefinitions.json
cat imagedefinitions.json
