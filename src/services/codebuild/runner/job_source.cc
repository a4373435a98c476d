// DOWNLOAD_SOURCE: the source on the host, the buildspec, the environment.
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/clock.h"
#include "git/process.h"
#include "services/codebuild/buildspec/agent_log.h"
#include "services/codebuild/buildspec/environment.h"
#include "services/codebuild/buildspec/location.h"
#include "services/codebuild/buildspec/zip_reader.h"
#include "services/codebuild/runner/build_job.h"

namespace codebuild::runner {
namespace {

constexpr const char* kDownloadSource = "DOWNLOAD_SOURCE";

Failure client_error(std::string message) { return Failure{"FAILED", "FAILED", "CLIENT_ERROR", std::move(message)}; }
Failure from_host(const HostError& e) { return Failure{"FAILED", "FAILED", e.status_code, e.message}; }

// "https://git-codecommit.us-east-1.amazonaws.com/v1/repos/app" (or hakobu's own clone URL) -> "app".
std::string repository_name(const std::string& location) {
  size_t at = location.find("/v1/repos/");
  if (at == std::string::npos) return "";
  std::string name = location.substr(at + 10);
  while (!name.empty() && name.back() == '/') name.pop_back();
  return name;
}

common::Result<std::string> git_ok(const std::vector<std::string>& args, const git::RunOptions& options) {
  auto r = git::run(args, options);
  if (!r.ok()) return common::fail(r.error());
  if (r->exit_code != 0) {
    std::string err = r->err.empty() ? r->out : r->err;
    while (!err.empty() && err.back() == '\n') err.pop_back();
    return common::fail(common::Error{common::ErrorKind::InvalidArgument, err});
  }
  std::string out = r->out;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

}  // namespace

std::optional<Failure> BuildRun::download_source() {
  if (auto i = interruption()) return i;
  auto location = buildspec::locate_buildspec(str(build_.value("source", common::Json::object()), "buildspec"));
  std::string yaml_location =
      location.kind == buildspec::LocationKind::SourcePath ? container_src_ + "/" + location.path
      : location.kind == buildspec::LocationKind::S3Object ? "arn:aws:s3:::" + location.bucket + "/" + location.key
                                                           : container_src_ + "/buildspec.yml";
  log_.agent(buildspec::download_source_start_messages(container_src_, yaml_location));
  auto fail = [&](Failure f) -> std::optional<Failure> {
    buildspec::PhaseError e{f.code, f.message};
    log_.agent(buildspec::phase_end_messages(kDownloadSource, &e));
    return f;
  };
  if (auto f = fetch_primary_source()) return fail(*f);
  if (auto f = fetch_secondary_sources()) return fail(*f);
  if (!resolved_source_version_.empty()) {
    BuildFacts facts;
    facts.resolved_source_version = resolved_source_version_;
    (void)deps_.engine.update_build(ref_, facts);
  }
  std::string text;
  if (auto f = read_buildspec(text)) return fail(*f);
  auto parsed = buildspec::parse_buildspec(text);
  if (!parsed.ok()) return fail(Failure{"FAILED", "FAILED", parsed.error().code, parsed.error().message});
  spec_ = std::move(*parsed);
  if (auto f = resolve_environment()) return fail(*f);
  log_.set_secrets(secrets_);
  log_.agent(buildspec::download_source_end_messages(spec_, container_src_));
  return interruption();
}

std::optional<Failure> BuildRun::fetch_primary_source() {
  FetchedSource out;
  auto f = fetch_source(build_.value("source", common::Json::object()), str(build_, "sourceVersion"), host_src_, out);
  resolved_source_version_ = out.resolved_version;
  source_repo_url_ = out.repo_url;
  return f;
}

// Secondary sources sit beside the primary one, each in its own directory named by its
// identifier (CODEBUILD_SRC_DIR_<id>), at the version secondarySourceVersions names.
std::optional<Failure> BuildRun::fetch_secondary_sources() {
  std::string container_root = container_src_.substr(0, container_src_.rfind('/'));
  for (const auto& source : build_.value("secondarySources", common::Json::array())) {
    std::string id = str(source, "sourceIdentifier");
    if (id.empty() || !buildspec::is_shell_name(id)) return client_error("invalid secondary source identifier: " + id);
    std::string version;
    for (const auto& v : build_.value("secondarySourceVersions", common::Json::array())) {
      if (str(v, "sourceIdentifier") == id) version = str(v, "sourceVersion");
    }
    SecondarySource secondary;
    secondary.identifier = id;
    secondary.host_dir = host_dir_ + "/sources/" + id;
    secondary.container_dir = container_root + "/" + id;
    secondary.version = version;
    std::error_code ec;
    std::filesystem::create_directories(secondary.host_dir, ec);
    ::chmod(secondary.host_dir.c_str(), 0777);
    FetchedSource out;
    if (auto f = fetch_source(source, version, secondary.host_dir, out)) return f;
    secondary.resolved_version = out.resolved_version;
    secondaries_.push_back(std::move(secondary));
  }
  return std::nullopt;
}

std::optional<Failure> BuildRun::fetch_source(const common::Json& source, const std::string& version,
                                              const std::string& dest, FetchedSource& out) {
  std::string type = str(source, "type");
  std::string location = str(source, "location");
  if (type == "NO_SOURCE") return std::nullopt;
  if (type == "CODECOMMIT") return fetch_codecommit(location, version, source.value("gitCloneDepth", 0), dest, out);
  if (type == "S3") return fetch_s3_source(location, version, dest, out);
  if (type == "CODEPIPELINE") {
    return client_error(
        "CODEPIPELINE source: this build was not started by CodePipeline, which supplies the "
        "source artifact");
  }
  return client_error("hakobu cannot fetch " + type +
                      " sources (it serves CODECOMMIT, S3 and NO_SOURCE; CODEPIPELINE from pipelines)");
}

std::optional<Failure> BuildRun::fetch_codecommit(const std::string& location, const std::string& version, int depth,
                                                  const std::string& dest, FetchedSource& out) {
  std::string name = repository_name(location);
  if (name.empty()) return client_error("invalid CodeCommit source location: " + location);
  auto git_dir = deps_.host.codecommit_git_dir(credentials_, ref_.region, name);
  if (!git_dir.ok()) return from_host(git_dir.error());
  out.repo_url = location;
  // A branch, a tag or a commit, as AWS takes them; empty: the default branch.
  std::vector<std::string> candidates;
  std::string branch;
  if (version.empty()) {
    candidates = {"HEAD"};
  } else {
    candidates = {"refs/heads/" + version, "refs/tags/" + version, version};
  }
  git::RunOptions bare;
  bare.git_dir = *git_dir;
  std::string commit;
  for (const auto& c : candidates) {
    auto r = git_ok({"rev-parse", "--verify", "--quiet", c + "^{commit}"}, bare);
    if (r.ok() && !r->empty()) {
      commit = *r;
      if (c == "HEAD") {
        auto head = git_ok({"symbolic-ref", "--short", "HEAD"}, bare);
        if (head.ok()) branch = *head;
      } else if (c.rfind("refs/heads/", 0) == 0) {
        branch = version;
      }
      break;
    }
  }
  if (commit.empty()) {
    return client_error(version.empty() ? "repository " + name + " is empty: it has no commits to build"
                                        : "reference not found for primary source and source version " + version);
  }
  git::RunOptions work;
  work.work_dir = dest;
  std::vector<std::string> fetch = {"-c", "protocol.file.allow=always", "fetch", "--quiet",
                                    "--upload-pack=git -c uploadpack.allowAnySHA1InWant=true upload-pack"};
  if (depth > 0) fetch.push_back("--depth=" + std::to_string(depth));
  fetch.push_back("file://" + *git_dir);
  fetch.push_back(commit);
  std::vector<std::vector<std::string>> steps = {
      {"init", "--quiet"},
      fetch,
      branch.empty() ? std::vector<std::string>{"checkout", "--quiet", "--detach", "FETCH_HEAD"}
                     : std::vector<std::string>{"checkout", "--quiet", "-B", branch, "FETCH_HEAD"},
      {"remote", "add", "origin", location}};
  for (const auto& step : steps) {
    if (auto r = git_ok(step, work); !r.ok()) {
      return client_error("git " + step.front() + " failed for primary source: " + r.error().message);
    }
  }
  out.resolved_version = commit;
  return std::nullopt;
}

std::optional<Failure> BuildRun::fetch_s3_source(const std::string& location, const std::string& version,
                                                 const std::string& dest, FetchedSource& out) {
  size_t slash = location.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == location.size()) {
    return client_error("invalid S3 source location: " + location + " (expected bucket/key of a zip)");
  }
  std::string bucket = location.substr(0, slash);
  std::string key = location.substr(slash + 1);
  std::string zip = host_hakobu_ + "/source.zip";
  auto fetched = deps_.host.fetch_object(credentials_, ref_.region, bucket, key, version, zip);
  if (!fetched.ok()) return from_host(fetched.error());
  out.repo_url = "s3://" + location;
  out.resolved_version = fetched->version_id;
  auto reader = buildspec::ZipReader::open(zip);
  if (!reader.ok()) return client_error("source " + out.repo_url + " is not a zip archive: " + reader.error().message);
  if (auto r = reader->extract_all(dest); !r.ok()) {
    return client_error("cannot unpack source " + out.repo_url + ": " + r.error().message);
  }
  std::error_code ec;
  std::filesystem::remove(zip, ec);
  return std::nullopt;
}

std::optional<Failure> BuildRun::read_buildspec(std::string& text) {
  auto location = buildspec::locate_buildspec(str(build_.value("source", common::Json::object()), "buildspec"));
  switch (location.kind) {
    case buildspec::LocationKind::Inline: text = location.text; return std::nullopt;
    case buildspec::LocationKind::S3Object: {
      std::string path = host_hakobu_ + "/buildspec.yml";
      auto fetched = deps_.host.fetch_object(credentials_, ref_.region, location.bucket, location.key, "", path);
      if (!fetched.ok()) return from_host(fetched.error());
      break;
    }
    case buildspec::LocationKind::SourcePath: break;
  }
  std::string host_path = location.kind == buildspec::LocationKind::S3Object ? host_hakobu_ + "/buildspec.yml"
                                                                             : host_src_ + "/" + location.path;
  std::string shown =
      location.kind == buildspec::LocationKind::S3Object ? host_path : container_src_ + "/" + location.path;
  // The path is the project's; it must stay inside the source.
  std::error_code ec;
  auto canonical = std::filesystem::weakly_canonical(host_path, ec);
  auto root = std::filesystem::weakly_canonical(host_src_, ec);
  if (location.kind == buildspec::LocationKind::SourcePath && canonical.string().rfind(root.string() + "/", 0) != 0) {
    return Failure{"FAILED", "FAILED", "YAML_FILE_ERROR", "stat " + shown + ": no such file or directory"};
  }
  std::ifstream in(host_path, std::ios::binary);
  if (!in || std::filesystem::is_directory(host_path, ec)) {
    return Failure{"FAILED", "FAILED", "YAML_FILE_ERROR", "stat " + shown + ": no such file or directory"};
  }
  std::ostringstream all;
  all << in.rdbuf();
  text = all.str();
  return std::nullopt;
}

std::optional<Failure> BuildRun::resolve_environment() {
  buildspec::EnvironmentLayers layers;
  std::string endpoint = deps_.host.endpoint_url();
  layers.service = {{"AWS_REGION", ref_.region},
                    {"AWS_DEFAULT_REGION", ref_.region},
                    {"AWS_ENDPOINT_URL", endpoint},
                    {"AWS_ACCESS_KEY_ID", credentials_.access_key_id},
                    {"AWS_SECRET_ACCESS_KEY", credentials_.secret_access_key},
                    {"AWS_SESSION_TOKEN", credentials_.session_token},
                    {"HOME", "/root"}};
  layers.buildspec_plain = spec_.env.variables;
  auto parameter = [&](const std::string& variable, const std::string& name) -> std::optional<Failure> {
    auto value = deps_.host.get_parameter(credentials_, ref_.region, name);
    if (!value.ok()) {
      return Failure{"FAILED", "FAILED", "Decrypted Variables Error", value.error().message};
    }
    secrets_.push_back(*value);
    layers.buildspec_secrets.emplace_back(variable, *value);
    return std::nullopt;
  };
  for (const auto& [variable, name] : spec_.env.parameter_store) {
    if (auto f = parameter(variable, name)) return f;
  }
  if (!spec_.env.secrets_manager.empty()) {
    return Failure{"FAILED", "FAILED", "Secrets Manager Error",
                   "hakobu has no Secrets Manager: secret " + spec_.env.secrets_manager.front().second.secret_id +
                       " cannot be read"};
  }
  const common::Json& env = build_.value("environment", common::Json::object());
  for (const auto& v : env.value("environmentVariables", common::Json::array())) {
    std::string name = v.value("name", std::string());
    std::string value = v.value("value", std::string());
    std::string type = v.value("type", std::string("PLAINTEXT"));
    if (type == "PARAMETER_STORE") {
      auto resolved = deps_.host.get_parameter(credentials_, ref_.region, value);
      if (!resolved.ok()) return Failure{"FAILED", "FAILED", "Decrypted Variables Error", resolved.error().message};
      secrets_.push_back(*resolved);
      layers.project.emplace_back(name, *resolved);
    } else if (type == "SECRETS_MANAGER") {
      return Failure{"FAILED", "FAILED", "Secrets Manager Error",
                     "hakobu has no Secrets Manager: secret " + value + " cannot be read"};
    } else {
      layers.project.emplace_back(name, value);
    }
  }
  layers.codebuild = codebuild_variables();
  environment_ = buildspec::merge_environment(layers);
  secrets_.push_back(credentials_.access_key_id);
  secrets_.push_back(credentials_.secret_access_key);
  secrets_.push_back(credentials_.session_token);
  return std::nullopt;
}

std::vector<buildspec::NameValue> BuildRun::codebuild_variables() const {
  const common::Json& logs = build_.value("logs", common::Json::object());
  double start = build_.value("startTime", 0.0);
  std::vector<buildspec::NameValue> vars = {
      {"CODEBUILD_BUILD_ARN", str(build_, "arn")},
      {"CODEBUILD_BUILD_ID", ref_.id},
      {"CODEBUILD_BUILD_IMAGE", str(build_.value("environment", common::Json::object()), "image")},
      {"CODEBUILD_BUILD_NUMBER", std::to_string(build_.value("buildNumber", 0))},
      {"CODEBUILD_INITIATOR", str(build_, "initiator")},
      {"CODEBUILD_KMS_KEY_ID", str(build_, "encryptionKey")},
      {"CODEBUILD_LOG_PATH", str(logs, "streamName")},
      {"CODEBUILD_SOURCE_REPO_URL", source_repo_url_},
      {"CODEBUILD_SOURCE_VERSION", str(build_, "sourceVersion")},
      {"CODEBUILD_SRC_DIR", container_src_},
      {"CODEBUILD_START_TIME", std::to_string(static_cast<int64_t>(start * 1000))},
  };
  if (!resolved_source_version_.empty())
    vars.emplace_back("CODEBUILD_RESOLVED_SOURCE_VERSION", resolved_source_version_);
  for (const auto& s : secondaries_) {
    vars.emplace_back("CODEBUILD_SRC_DIR_" + s.identifier, s.container_dir);
    vars.emplace_back("CODEBUILD_SOURCE_VERSION_" + s.identifier, s.version);
  }
  return vars;
}

}  // namespace codebuild::runner
