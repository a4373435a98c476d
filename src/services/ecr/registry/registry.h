// The OCI Distribution (Docker Registry HTTP API v2) front of ECR, served on hakobu's port
// under /v2/. Authenticates as ECR does (HTTP Basic with the user "AWS" and the password from
// GetAuthorizationToken; 401 with a Basic challenge otherwise), authorizes every call with the
// IAM action ECR uses for it (ecr:BatchGetImage for manifest reads, ecr:GetDownloadUrlForLayer
// for blob reads, ecr:BatchCheckLayerAvailability for blob HEADs, ecr:InitiateLayerUpload /
// UploadLayerPart / CompleteLayerUpload for uploads, ecr:PutImage, ecr:BatchDeleteImage,
// ecr:ListImages for tags/list, ecr:DescribeRepositories for the catalog) with the repository
// policy as the resource policy, then calls the engine. Errors use Distribution's JSON
// ({"errors":[{"code","message","detail"}]}) and status codes. See README.md for the routes.
#pragma once

#include <string>

#include "aws/dispatch/authorizer.h"
#include "aws/dispatch/credentials.h"
#include "common/clock.h"
#include "http/request.h"
#include "services/ecr/engine/auth_token.h"
#include "services/ecr/engine/ecr_engine.h"

namespace ecr {

struct RegistryOptions {
  std::string default_region = "us-east-1";
  std::string registry_host;  // --registry-host; "" = the request's Host header
  bool access_log = true;
};

class RegistryFront {
 public:
  RegistryFront(EcrEngine& engine, dispatch::CredentialResolver& credentials, dispatch::Authorizer& authorizer,
                const TokenIssuer& tokens, const common::Clock& clock, RegistryOptions options);

  // Whether the front door should hand this request to the registry: the path is "/v2" or
  // starts with "/v2/", and the request carries no SigV4/SigV2 signature (so an S3 path-style
  // request to a bucket named "v2" still reaches S3).
  static bool matches(const http::Request& request);

  // Thread-safe; streams request and response bodies (never holds a blob in memory).
  void handle(http::Request& request, http::Response& response);

 private:
  EcrEngine& engine_;
  dispatch::CredentialResolver& credentials_;
  dispatch::Authorizer& authorizer_;
  const TokenIssuer& tokens_;
  const common::Clock& clock_;
  RegistryOptions options_;
};

}  // namespace ecr
