// A build's walk through AWS's phases, and how it ends (see container_runner.h).
#include "services/codebuild/runner/build_job.h"

#include <algorithm>
#include <filesystem>
#include <random>
#include <thread>

#include "common/log.h"
#include "runtime/owner.h"
#include "services/codebuild/model/names.h"

namespace codebuild::runner {
namespace {

// The engine wrote where the log goes (build.logs); no group when CloudWatch Logs is disabled.
std::optional<logs::StreamRef> log_stream_of(const BuildRef& ref, const common::Json& build) {
  const common::Json& logs = build.value("logs", common::Json::object());
  std::string group = logs.value("groupName", std::string());
  std::string stream = logs.value("streamName", std::string());
  if (group.empty() || stream.empty()) return std::nullopt;
  return logs::StreamRef{logs::GroupRef{ref.account, ref.region, group}, stream};
}

// AWS's CODEBUILD_SRC_DIR: /codebuild/output/src<9 digits>/src.
std::string container_src_dir() {
  std::random_device rd;
  std::uniform_int_distribution<int> digits(100000000, 999999999);
  return "/codebuild/output/src" + std::to_string(digits(rd)) + "/src";
}

}  // namespace

BuildRun::BuildRun(const RunnerDeps& deps, ContainerRunner::Job& job, common::Json build)
    : deps_(deps),
      job_(job),
      ref_(job.ref),
      build_(std::move(build)),
      uuid_(ref_.id.substr(ref_.id.rfind(':') + 1)),
      log_(deps.logs, log_stream_of(ref_, build_), deps.clock) {
  host_dir_ = (std::filesystem::path(deps_.options.work_dir) / uuid_).string();
  host_src_ = host_dir_ + "/src";
  host_hakobu_ = host_dir_ + "/hakobu";
  container_src_ = container_src_dir();
}

std::string BuildRun::str(const common::Json& doc, const char* key) const {
  auto it = doc.find(key);
  return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string();
}

void BuildRun::run() {
  if (!provision()) return;  // already finished
  auto end = [&](const std::optional<Failure>& failure) {
    cleanup();
    if (!completion_failed_) finish(failure);
  };
  if (auto f = download_source()) return end(f);
  if (!complete("SUCCEEDED", "", "", "INSTALL")) return end(std::nullopt);
  // The driver's phases; afterwards the build is in UPLOAD_ARTIFACTS or FINALIZING.
  if (auto f = run_container()) return end(f);
  if (completion_failed_) return end(std::nullopt);
  (void)publish_reports();  // logs its own failures: a report never fails the build
  if (outcome_.next == "UPLOAD_ARTIFACTS") {
    // A failed BUILD or POST_BUILD still uploads artifacts (the build fails all the same).
    if (auto f = upload_artifacts()) return end(f);
  }
  cleanup();
  log_.flush();
  if (completion_failed_) return;
  std::string status = outcome_.status == "FAILED" ? "FAILED" : "SUCCEEDED";
  (void)deps_.engine.finish_build(ref_, status, "SUCCEEDED", common::Json::array());
}

// PROVISIONING: the service role and the image. False when the build ended here.
bool BuildRun::provision() {
  auto fail = [&](Failure f) {
    cleanup();
    finish(f);
    return false;
  };
  if (auto i = interruption()) return fail(*i);
  std::string role = str(build_, "serviceRole");
  // The session outlives the build (AWS refreshes the role's credentials during a build).
  int seconds = std::max(3600, 60 * build_.value("timeoutInMinutes", 60) + 900);
  auto creds =
      deps_.host.assume_service_role(ref_.account, role, "AWSCodeBuild-" + uuid_,
                                     project_arn(ref_.region, ref_.account, str(build_, "projectName")), seconds);
  if (!creds.ok()) return fail(Failure{"FAILED", "FAILED", creds.error().status_code, creds.error().message});
  credentials_ = *creds;
  // The role's keys are as secret on AWS: its log never shows the access key id.
  log_.set_secrets({credentials_.access_key_id, credentials_.secret_access_key, credentials_.session_token});

  const common::Json& env = build_.value("environment", common::Json::object());
  bool role_pull = env.value("imagePullCredentialsType", std::string("CODEBUILD")) == "SERVICE_ROLE";
  auto image = deps_.host.resolve_image(credentials_, ref_.region, str(env, "image"), role_pull);
  if (!image.ok()) return fail(Failure{"FAILED", "FAILED", image.error().status_code, image.error().message});
  image_ = *image;
  std::error_code ec;
  std::filesystem::create_directories(host_src_, ec);
  if (!ec) std::filesystem::create_directories(host_hakobu_, ec);
  if (ec) return fail(Failure{"FAULT", "FAULT", "CLIENT_ERROR", "cannot create " + host_dir_ + ": " + ec.message()});
  if (auto i = interruption()) return fail(*i);
  if (!complete("SUCCEEDED", "", "", "DOWNLOAD_SOURCE")) {
    cleanup();
    return false;
  }
  return true;
}

bool BuildRun::complete(const std::string& status, const std::string& code, const std::string& message,
                        const std::string& next) {
  PhaseCompletion completion;
  completion.status = status;
  if (!code.empty() || !message.empty()) {
    completion.contexts = common::Json::array({common::Json{{"statusCode", code}, {"message", message}}});
  }
  completion.next_phase = next;
  auto r = deps_.engine.complete_phase(ref_, completion);
  if (!r.ok()) {
    completion_failed_ = true;
    common::log::write(common::log::Level::Warn, "codebuild: " + ref_.id + ": " + r.error().message);
    return false;
  }
  return true;
}

std::optional<Failure> BuildRun::interruption() const {
  if (job_.shutdown.load()) {
    return Failure{"FAULT", "FAULT", "BUILD_INTERRUPTED", "hakobu stopped while the build was in progress"};
  }
  if (job_.stop.load()) return Failure{"STOPPED", "STOPPED", "", ""};
  return std::nullopt;
}

// FINALIZING, then COMPLETED with the build's status. A failure in a phase ends that phase with
// its status and context, then FINALIZING runs (AWS: every build ends through FINALIZING).
void BuildRun::finish(const std::optional<Failure>& failure) {
  log_.flush();
  if (!failure) {
    (void)deps_.engine.finish_build(ref_, "SUCCEEDED", "SUCCEEDED", common::Json::array());
    return;
  }
  if (failure->build_status == "STOPPED" || failure->build_status == "TIMED_OUT") {
    common::Json contexts = common::Json::array();
    if (!failure->code.empty() || !failure->message.empty()) {
      contexts.push_back(common::Json{{"statusCode", failure->code}, {"message", failure->message}});
    }
    (void)deps_.engine.finish_build(ref_, failure->build_status, failure->phase_status, contexts);
    return;
  }
  if (!complete(failure->phase_status, failure->code, failure->message, "FINALIZING")) return;
  (void)deps_.engine.finish_build(ref_, failure->build_status, "SUCCEEDED", common::Json::array());
}

void BuildRun::cleanup() {
  if (!container_id_.empty()) {
    if (auto engine = deps_.host.container_engine(); engine.ok()) {
      // A forced remove racing the container's exit can fail once in podman 4.3: try again.
      for (int attempt = 0; attempt < 5; ++attempt) {
        auto removed = (*engine)->remove_container(container_id_, true, runtime::CallOptions{});
        if (removed.ok() || removed.error().kind == common::ErrorKind::NotFound) break;
        common::log::write(common::log::Level::Warn,
                           "codebuild: " + ref_.id + ": removing its container: " + removed.error().message);
        std::this_thread::sleep_for(std::chrono::milliseconds(100 << attempt));
      }
    }
    container_id_.clear();
  }
  if (!docker_socket_.empty()) {
    deps_.host.close_docker_socket(docker_socket_);
    docker_socket_.clear();
  }
  std::error_code ec;
  std::filesystem::remove_all(host_dir_, ec);
}

}  // namespace codebuild::runner
