// CodeBuild's BuildHost (services/codebuild/runner/build_host.h) over hakobu's engines: the
// container engine (its own podman service unless given a socket, started at the first build),
// the service role's sessions (IAM/STS), SSM parameters, S3 objects and CodeCommit repositories,
// each authorized as the role's session with the same authorizer requests go through.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "aws/dispatch/authorizer.h"
#include "runtime/docker_client.h"
#include "runtime/docker_proxy.h"
#include "runtime/engine_supervisor.h"
#include "services/codebuild/runner/build_host.h"
#include "services/codecommit/engine/codecommit_engine.h"
#include "services/ecr/engine/auth_token.h"
#include "services/iam/engine/iam_engine.h"
#include "services/s3/engine/s3_engine.h"
#include "services/ssm/engine/ssm_engine.h"

namespace app {

struct CodebuildHostOptions {
  std::string data_dir;
  std::string container_socket;  // --container-socket ("" = DOCKER_HOST, else hakobu's own podman)
  std::vector<std::string> accounts;
  std::string default_region;
};

class CodebuildHost final : public codebuild::runner::BuildHost {
 public:
  CodebuildHost(CodebuildHostOptions options, iam::IamEngine& iam, dispatch::Authorizer& authorizer,
                ssm::SsmEngine& ssm, s3::S3Engine& s3, codecommit::CodeCommitEngine& codecommit,
                const ecr::TokenIssuer& tokens, const common::Clock& clock);
  ~CodebuildHost() override;

  // Once the server listens: where build containers reach hakobu (and its registry).
  void set_port(int port);

  template <class T = common::Ok>
  using HostResult = codebuild::runner::HostResult<T>;
  using Credentials = codebuild::runner::Credentials;

  HostResult<runtime::ContainerEngine*> container_engine() override;
  std::string endpoint_url() const override;
  std::string instance_id() const override;
  HostResult<std::string> resolve_image(const Credentials& as, const std::string& region, const std::string& image,
                                        bool service_role_pull) override;
  HostResult<Credentials> assume_service_role(const std::string& account, const std::string& role_arn,
                                              const std::string& session, const std::string& project_arn,
                                              int duration_seconds) override;
  HostResult<std::string> get_parameter(const Credentials& as, const std::string& region,
                                        const std::string& name) override;
  HostResult<codebuild::runner::ObjectFetched> fetch_object(const Credentials& as, const std::string& region,
                                                            const std::string& bucket, const std::string& key,
                                                            const std::string& version_id,
                                                            const std::string& dest_path) override;
  HostResult<codebuild::runner::ObjectStored> put_object(const Credentials& as, const std::string& region,
                                                         const std::string& bucket, const std::string& key,
                                                         const std::string& source_path,
                                                         const std::string& content_type) override;
  HostResult<std::string> codecommit_git_dir(const Credentials& as, const std::string& region,
                                             const std::string& repository) override;
  HostResult<> open_docker_socket(const codebuild::BuildRef& build, const std::string& path) override;
  void close_docker_socket(const std::string& path) override;

 private:
  // The role session's principal, then the authorizer's answer for `action` on `resource`.
  HostResult<dispatch::Principal> principal_of(const Credentials& as);
  HostResult<> authorize(const dispatch::Principal& who, const std::string& action, const std::string& resource,
                         const std::string& region);
  std::string registry_host() const;
  runtime::RegistriesConf registries_conf() const;

  CodebuildHostOptions options_;
  iam::IamEngine& iam_;
  dispatch::Authorizer& authorizer_;
  ssm::SsmEngine& ssm_;
  s3::S3Engine& s3_;
  codecommit::CodeCommitEngine& codecommit_;
  const ecr::TokenIssuer& tokens_;
  const common::Clock& clock_;
  int port_ = 0;
  std::string instance_;

  std::mutex engine_mutex_;
  std::unique_ptr<runtime::EngineSupervisor> supervisor_;
  std::unique_ptr<runtime::DockerClient> client_;
  std::string engine_socket_;
  // The Docker API socket privileged builds get (made with the first one).
  std::unique_ptr<runtime::DockerProxy> proxy_;
  std::string engine_error_;
};

}  // namespace app
