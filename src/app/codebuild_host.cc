#include "app/codebuild_host.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "common/json.h"
#include "runtime/engine_choice.h"
#include "runtime/owner.h"
#include "services/iam/engine/authorizer.h"
#include "services/ssm/model/name.h"

namespace app {
namespace {

using codebuild::runner::host_error;
using codebuild::runner::HostError;

// Every region an AWS-shaped ECR name may name; each account's names are remapped to hakobu's
// registry in the engine's registries.conf (pulls and build FROM).
constexpr const char* kRegions[] = {
    "us-east-1",      "us-east-2",      "us-west-1",      "us-west-2",      "af-south-1",     "ap-east-1",
    "ap-south-1",     "ap-south-2",     "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1",
    "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ca-central-1",   "ca-west-1",      "eu-central-1",
    "eu-central-2",   "eu-west-1",      "eu-west-2",      "eu-west-3",      "eu-south-1",     "eu-south-2",
    "eu-north-1",     "il-central-1",   "me-south-1",     "me-central-1",   "sa-east-1"};

// "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1" -> {"123456789012", "us-east-1"}.
bool ecr_host(std::string_view image, std::string& account, std::string& region) {
  size_t slash = image.find('/');
  if (slash == std::string_view::npos) return false;
  std::string_view host = image.substr(0, slash);
  size_t dot = host.find(".dkr.ecr.");
  if (dot != 12 || host.size() < 12 + 9) return false;
  std::string_view rest = host.substr(dot + 9);
  size_t end = rest.find(".amazonaws.com");
  if (end == std::string_view::npos) return false;
  account = std::string(host.substr(0, 12));
  region = std::string(rest.substr(0, end));
  return true;
}

}  // namespace

CodebuildHost::CodebuildHost(CodebuildHostOptions options, iam::IamEngine& iam, dispatch::Authorizer& authorizer,
                             ssm::SsmEngine& ssm, s3::S3Engine& s3, codecommit::CodeCommitEngine& codecommit,
                             const ecr::TokenIssuer& tokens, const common::Clock& clock)
    : options_(std::move(options)),
      iam_(iam),
      authorizer_(authorizer),
      ssm_(ssm),
      s3_(s3),
      codecommit_(codecommit),
      tokens_(tokens),
      clock_(clock) {
  auto id = runtime::load_or_create_instance_id(options_.data_dir);
  instance_ = id.ok() ? *id : "unknown";
}

CodebuildHost::~CodebuildHost() {
  if (supervisor_) supervisor_->stop();
}

void CodebuildHost::set_port(int port) { port_ = port; }

std::string CodebuildHost::endpoint_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
std::string CodebuildHost::instance_id() const { return instance_; }
std::string CodebuildHost::registry_host() const { return "127.0.0.1:" + std::to_string(port_); }

runtime::RegistriesConf CodebuildHost::registries_conf() const {
  runtime::RegistriesConf conf;
  conf.insecure = {registry_host(), "localhost:" + std::to_string(port_)};
  for (const auto& account : options_.accounts) {
    for (const char* region : kRegions) {
      conf.remaps.push_back(runtime::RegistryRemap{account + ".dkr.ecr." + region + ".amazonaws.com",
                                                   registry_host() + "/" + account + "/" + region, true});
    }
  }
  return conf;
}

// The engine starts with the first build that needs it: hakobu itself starts in milliseconds.
CodebuildHost::HostResult<runtime::ContainerEngine*> CodebuildHost::container_engine() {
  std::lock_guard lock(engine_mutex_);
  if (client_) return static_cast<runtime::ContainerEngine*>(client_.get());
  const char* docker_host = std::getenv("DOCKER_HOST");
  auto choice =
      runtime::choose_engine(options_.container_socket, docker_host != nullptr ? docker_host : "", options_.data_dir);
  if (!choice.ok()) return common::fail(host_error("CLIENT_ERROR", choice.error().message));
  if (choice->supervised) {
    runtime::SupervisorOptions so;
    so.data_dir = options_.data_dir;
    so.registries = registries_conf();
    auto supervisor = std::make_unique<runtime::EngineSupervisor>(std::move(so));
    if (auto started = supervisor->start(); !started.ok()) {
      return common::fail(host_error("CLIENT_ERROR", "cannot start the container engine: " + started.error().message));
    }
    supervisor_ = std::move(supervisor);
  }
  client_ = std::make_unique<runtime::DockerClient>(choice->socket_path);
  engine_socket_ = choice->socket_path;
  return static_cast<runtime::ContainerEngine*>(client_.get());
}

CodebuildHost::HostResult<std::string> CodebuildHost::resolve_image(const Credentials& as, const std::string& region,
                                                                    const std::string& image, bool) {
  auto engine = container_engine();
  if (!engine.ok()) return common::fail(engine.error());
  auto pull_error = [&](const std::string& why) {
    return host_error("BUILD_CONTAINER_UNABLE_TO_PULL_IMAGE",
                      "Unable to pull customer's container image. CannotPullContainerError: " + why);
  };
  std::string account;
  std::string image_region;
  bool ours = ecr_host(image, account, image_region) || image.rfind(registry_host() + "/", 0) == 0 ||
              image.rfind("localhost:" + std::to_string(port_) + "/", 0) == 0;
  if (ours) {
    // Pulled as the role, with an ECR token; podman sends remapped pulls' credentials to the
    // location's host (runtime/container_engine.h), so both keys carry it.
    ecr::TokenClaims claims{as.access_key_id, as.session_token,
                            static_cast<int64_t>(common::to_epoch_seconds(clock_.now())) + 12 * 3600};
    runtime::PullOptions pull;
    runtime::RegistryAuth auth{"AWS", tokens_.password(claims), ""};
    pull.auths[registry_host()] = auth;
    std::string host = image.substr(0, image.find('/'));
    pull.auths[host] = auth;
    if (auto r = (*engine)->pull_image(image, pull, nullptr); !r.ok())
      return common::fail(pull_error(r.error().message));
    return image;
  }
  if ((*engine)->inspect_image(image, runtime::CallOptions{}).ok()) return image;
  // AWS's curated names (aws/codebuild/standard:7.0) are made locally by `make build-image`.
  std::string local = "localhost/" + image;
  if ((*engine)->inspect_image(local, runtime::CallOptions{}).ok()) return local;
  (void)region;
  return common::fail(pull_error("image " + image + " is not on this machine" +
                                 (image.rfind("aws/codebuild/", 0) == 0 ? " (run `make build-image`)" : "") +
                                 " and hakobu cannot pull from the internet"));
}

CodebuildHost::HostResult<codebuild::runner::Credentials> CodebuildHost::assume_service_role(
    const std::string& account, const std::string& role_arn, const std::string& session, const std::string& project_arn,
    int duration_seconds) {
  auto denied = [&] {
    return host_error("ACCESS_DENIED", "CodeBuild is not authorized to perform: sts:AssumeRole on " + role_arn);
  };
  auto role = iam_.find_role_by_arn(role_arn);
  if (!role.ok() || role->account_id != account ||
      !iam::service_may_assume(*role, "codebuild.amazonaws.com", project_arn, account, iam_.clock())) {
    return common::fail(denied());
  }
  dispatch::Principal principal = iam::role_session_principal(*role, session);
  int64_t now = static_cast<int64_t>(common::to_epoch_seconds(iam_.clock().now()));
  auto created = iam_.create_session(std::move(principal), now + duration_seconds);
  if (!created.ok()) return common::fail(host_error("CLIENT_ERROR", created.error().message));
  return Credentials{created->access_key_id, created->secret_access_key, created->session_token};
}

CodebuildHost::HostResult<dispatch::Principal> CodebuildHost::principal_of(const Credentials& as) {
  int64_t now = static_cast<int64_t>(common::to_epoch_seconds(iam_.clock().now()));
  auto resolved = iam_.resolve(as.access_key_id, as.session_token, now);
  if (!resolved.ok()) return common::fail(host_error("ACCESS_DENIED", "the build's service role session is not valid"));
  return resolved->principal;
}

CodebuildHost::HostResult<> CodebuildHost::authorize(const dispatch::Principal& who, const std::string& action,
                                                     const std::string& resource, const std::string& region) {
  dispatch::AuthzRequest request;
  request.principal = &who;
  request.action = action;
  request.resources = {dispatch::AuthzResource{resource, "", std::nullopt}};
  request.region = region;
  request.source_ip = "127.0.0.1";
  auto r = authorizer_.authorize(request);
  if (!r.ok()) return common::fail(host_error("ACCESS_DENIED", r.error().message));
  return common::ok();
}

CodebuildHost::HostResult<std::string> CodebuildHost::get_parameter(const Credentials& as, const std::string& region,
                                                                    const std::string& name) {
  auto who = principal_of(as);
  if (!who.ok()) return common::fail(who.error());
  std::string bare = name.substr(0, name.find(':'));
  if (auto r = authorize(*who, "ssm:GetParameters", ssm::parameter_arn(region, who->account_id, bare), region);
      !r.ok()) {
    return common::fail(r.error());
  }
  auto value = ssm_.get_parameter(ssm::Scope{who->account_id, region}, name, true);
  if (!value.ok()) {
    if (value.error().kind == common::ErrorKind::NotFound) {
      return common::fail(host_error("Decrypted Variables Error", "parameter does not exist: " + name));
    }
    return common::fail(host_error("Decrypted Variables Error", value.error().message));
  }
  return value->value;
}

CodebuildHost::HostResult<codebuild::runner::ObjectFetched> CodebuildHost::fetch_object(
    const Credentials& as, const std::string& region, const std::string& bucket, const std::string& key,
    const std::string& version_id, const std::string& dest_path) {
  auto who = principal_of(as);
  if (!who.ok()) return common::fail(who.error());
  std::string action = version_id.empty() ? "s3:GetObject" : "s3:GetObjectVersion";
  if (auto r = authorize(*who, action, "arn:aws:s3:::" + bucket + "/" + key, region); !r.ok()) {
    return common::fail(r.error());
  }
  auto object = s3_.get_object(s3::ObjectRef{bucket, key, version_id});
  if (!object.ok()) {
    return common::fail(host_error("CLIENT_ERROR", object.error().message + " for primary source and source version " +
                                                       (version_id.empty() ? std::string("latest") : version_id)));
  }
  std::ofstream out(dest_path, std::ios::binary | std::ios::trunc);
  auto read = s3_.read_data(*object, [&](std::string_view bytes) { out.write(bytes.data(), bytes.size()); });
  if (!read.ok()) return common::fail(host_error("CLIENT_ERROR", "object data is missing: s3://" + bucket + "/" + key));
  out.close();
  if (!out) return common::fail(host_error("CLIENT_ERROR", "cannot write " + dest_path));
  std::string version = object->version_id == "null" ? "" : object->version_id;
  return codebuild::runner::ObjectFetched{version, object->etag};
}

CodebuildHost::HostResult<codebuild::runner::ObjectStored> CodebuildHost::put_object(
    const Credentials& as, const std::string& region, const std::string& bucket, const std::string& key,
    const std::string& source_path, const std::string& content_type) {
  auto who = principal_of(as);
  if (!who.ok()) return common::fail(who.error());
  if (auto r = authorize(*who, "s3:PutObject", "arn:aws:s3:::" + bucket + "/" + key, region); !r.ok()) {
    return common::fail(r.error());
  }
  int fd = ::open(source_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return common::fail(host_error("CLIENT_ERROR", "cannot read " + source_path));
  std::error_code ec;
  auto size = std::filesystem::file_size(source_path, ec);
  auto data = s3_.store_data([fd](char* buf, size_t n) { return static_cast<long>(::read(fd, buf, n)); },
                             ec ? -1 : static_cast<int64_t>(size), {});
  ::close(fd);
  if (!data.ok()) return common::fail(host_error("CLIENT_ERROR", data.error().message));
  s3::PutObjectInput input;
  input.bucket = bucket;
  input.key = key;
  input.headers.content_type = content_type;
  input.owner_account = who->account_id;
  input.data = *data;
  auto put = s3_.put_object(std::move(input));
  if (!put.ok()) {
    s3_.discard(*data);
    return common::fail(host_error("CLIENT_ERROR", put.error().message));
  }
  return codebuild::runner::ObjectStored{put->version_id, put->etag};
}

CodebuildHost::HostResult<std::string> CodebuildHost::codecommit_git_dir(const Credentials& as,
                                                                         const std::string& region,
                                                                         const std::string& repository) {
  auto who = principal_of(as);
  if (!who.ok()) return common::fail(who.error());
  std::string arn = "arn:aws:codecommit:" + region + ":" + who->account_id + ":" + repository;
  if (auto r = authorize(*who, "codecommit:GitPull", arn, region); !r.ok()) return common::fail(r.error());
  auto repo = codecommit_.get_repository(codecommit::RepoRef{who->account_id, region, repository});
  if (!repo.ok()) {
    return common::fail(host_error("CLIENT_ERROR", "repository not found for primary source: " + repository));
  }
  return repo->git_dir;
}

// `docker login` inside a build is checked as hakobu's registry checks it: an ECR token
// (signature, expiry) whose credentials still resolve.
CodebuildHost::HostResult<> CodebuildHost::open_docker_socket(const codebuild::BuildRef& build,
                                                              const std::string& path) {
  auto engine = container_engine();
  if (!engine.ok()) return common::fail(engine.error());
  {
    std::lock_guard lock(engine_mutex_);
    if (!proxy_)
      proxy_ = std::make_unique<runtime::DockerProxy>(runtime::DockerProxyOptions{engine_socket_, registry_host()});
  }
  runtime::DockerProxyClient client;
  client.account = build.account;
  client.region = build.region;
  client.verify_login = [this](const std::string& username, const std::string& password) -> common::Status<> {
    auto claims = tokens_.verify(password);
    int64_t now = static_cast<int64_t>(common::to_epoch_seconds(clock_.now()));
    if (username != "AWS" || !claims || claims->expires_epoch < now ||
        !iam_.resolve(claims->access_key_id, claims->session_token, now).ok()) {
      return common::fail(common::Error{common::ErrorKind::PermissionDenied, "401 Unauthorized"});
    }
    return common::ok();
  };
  if (auto r = proxy_->open(path, std::move(client)); !r.ok()) {
    return common::fail(host_error("CLIENT_ERROR", "cannot open the build's Docker API socket: " + r.error().message));
  }
  return common::ok();
}

void CodebuildHost::close_docker_socket(const std::string& path) {
  std::lock_guard lock(engine_mutex_);
  if (proxy_) proxy_->close(path);
}

}  // namespace app
