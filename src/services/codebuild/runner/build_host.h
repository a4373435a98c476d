// What a build needs from the rest of hakobu, as one narrow interface: the container engine,
// the service role's credentials, and the other services a build touches on the service
// role's behalf (SSM parameters, S3 objects, CodeCommit repositories, the Docker API socket).
// src/app implements it over the engines (codebuild_host.cc); the runner never includes
// another service's headers, and a test can fake it.
//
// Every call that acts for the build is authorized as the service role's session, the way
// AWS's CodeBuild acts with the project's role; a refusal is a HostError the build reports in
// the phase's context.
#pragma once

#include <string>

#include "common/result.h"
#include "runtime/container_engine.h"
#include "services/codebuild/engine/build_runner.h"

namespace codebuild::runner {

// A phase context: statusCode as AWS words it (ACCESS_DENIED, CLIENT_ERROR, ...) and message.
struct HostError {
  std::string status_code;
  std::string message;
};
template <class T = common::Ok>
using HostResult = common::Result<T, HostError>;

inline HostError host_error(std::string code, std::string message) {
  return HostError{std::move(code), std::move(message)};
}

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;
};

struct ObjectFetched {
  std::string version_id;  // "" when the bucket is not versioned
  std::string etag;
};

struct ObjectStored {
  std::string version_id;
  std::string etag;
};

class BuildHost {
 public:
  virtual ~BuildHost() = default;

  // The container engine builds run on (started on first use). Error: why there is none.
  virtual HostResult<runtime::ContainerEngine*> container_engine() = 0;
  // How a build container (host network) reaches hakobu: "http://127.0.0.1:4566".
  virtual std::string endpoint_url() const = 0;
  // This data directory's instance id (runtime/owner.h labels).
  virtual std::string instance_id() const = 0;

  // The local name of the build's image, pulled first when it lives in hakobu's ECR (AWS-shaped
  // `<account>.dkr.ecr.<region>.amazonaws.com/repo:tag` or hakobu's own registry host, with the
  // role's credentials when `service_role_pull`) or resolved to a local image (a curated name
  // such as aws/codebuild/standard:7.0 finds localhost/aws/codebuild/standard:7.0).
  virtual HostResult<std::string> resolve_image(const Credentials& as, const std::string& region,
                                                const std::string& image, bool service_role_pull) = 0;
  // Temporary credentials of `role_arn` for a session named `session`, when the role exists in
  // `account` and its trust policy lets codebuild.amazonaws.com assume it on behalf of
  // `project_arn` (aws:SourceArn; aws:SourceAccount is `account`).
  virtual HostResult<Credentials> assume_service_role(const std::string& account, const std::string& role_arn,
                                                      const std::string& session, const std::string& project_arn,
                                                      int duration_seconds) = 0;
  // The value of an SSM parameter ("name", "name:3", "name:label"; SecureStrings decrypted).
  virtual HostResult<std::string> get_parameter(const Credentials& as, const std::string& region,
                                                const std::string& name) = 0;
  // Writes the object's bytes to `dest_path`.
  virtual HostResult<ObjectFetched> fetch_object(const Credentials& as, const std::string& region,
                                                 const std::string& bucket, const std::string& key,
                                                 const std::string& version_id, const std::string& dest_path) = 0;
  virtual HostResult<ObjectStored> put_object(const Credentials& as, const std::string& region,
                                              const std::string& bucket, const std::string& key,
                                              const std::string& source_path, const std::string& content_type) = 0;
  // The bare git directory of a CodeCommit repository the role may pull from.
  virtual HostResult<std::string> codecommit_git_dir(const Credentials& as, const std::string& region,
                                                     const std::string& repository) = 0;
  // A Docker API socket for a privileged build, created at `path` (mounted at
  // /var/run/docker.sock); `close_docker_socket` ends it. Error: no engine socket to offer.
  virtual HostResult<> open_docker_socket(const BuildRef& build, const std::string& path) = 0;
  virtual void close_docker_socket(const std::string& path) = 0;
};

}  // namespace codebuild::runner
