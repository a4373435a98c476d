// Test support: run a generated driver with one of this machine's shells in a temporary
// directory (no container) and collect its stdout, exit status and progress records.
#pragma once

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "common/temp_dir.h"
#include "services/codebuild/buildspec/buildspec.h"
#include "services/codebuild/buildspec/driver.h"
#include "services/codebuild/buildspec/driver_protocol.h"

namespace buildspec::testing {

// The shells the driver must run under: bash, dash (Debian's /bin/sh) and busybox ash.
inline std::vector<std::string> shell_argv(const std::string& shell) {
  if (shell == "busybox") return {"busybox", "sh"};
  return {shell};
}

inline bool shell_available(const std::string& shell) {
  const std::string binary = shell_argv(shell)[0];
  for (const char* dir : {"/bin/", "/usr/bin/", "/usr/local/bin/"}) {
    if (::access((std::string(dir) + binary).c_str(), X_OK) == 0) return true;
  }
  return false;
}

struct DriverRun {
  int exit_status = -1;
  std::string output;  // stdout (stderr is merged into it by the driver)
  std::vector<ProgressRecord> records;
  std::vector<std::string> protocol_errors;
  DriverOutcome outcome;
  std::string src_dir;

  // The records of one kind, in order.
  std::vector<ProgressRecord> of(RecordKind kind) const {
    std::vector<ProgressRecord> out;
    for (const auto& r : records) {
      if (r.kind == kind) out.push_back(r);
    }
    return out;
  }
  // "INSTALL:SUCCEEDED PRE_BUILD:FAILED ..." from the phase-end records.
  std::string phase_summary() const {
    std::string out;
    for (const auto& r : of(RecordKind::PhaseEnd)) out += (out.empty() ? "" : " ") + r.phase + ":" + r.status;
    return out;
  }
  std::optional<std::string> exported(const std::string& name) const {
    for (const auto& [n, v] : outcome.exported_variables) {
      if (n == name) return v;
    }
    return std::nullopt;
  }
};

class DriverHarness {
 public:
  DriverHarness() : dir_("hakobu-driver-test") {
    src_ = dir_.path() + "/src";
    std::filesystem::create_directories(src_);
  }
  const std::string& root() const { return dir_.path(); }
  const std::string& src() const { return src_; }

  // Parses `yaml`, generates the driver and runs it with `shell`; the build's source directory
  // is <tmp>/src (CODEBUILD_SRC_DIR). `environment` goes to DriverOptions::environment.
  DriverRun run(const std::string& yaml, const std::string& shell, std::vector<NameValue> environment = {}) {
    auto spec = parse_buildspec(yaml);
    if (!spec.ok()) {
      DriverRun failed;
      failed.output = "parse error: " + spec.error().describe();
      return failed;
    }
    return run(*spec, shell, std::move(environment));
  }

  DriverRun run(const Buildspec& spec, const std::string& shell, std::vector<NameValue> environment = {}) {
    DriverOptions options;
    options.progress_path = dir_.path() + "/progress";
    options.state_dir = dir_.path() + "/state";
    options.environment = std::move(environment);
    options.environment.emplace_back("CODEBUILD_SRC_DIR", src_);
    const std::string script = dir_.path() + "/driver.sh";
    {
      std::ofstream out(script);
      out << generate_driver(spec, options);
    }
    std::filesystem::remove(options.progress_path);
    DriverRun run;
    run.src_dir = src_;
    std::vector<std::string> argv = shell_argv(shell);
    argv.push_back(script);
    run.exit_status = spawn(argv, &run.output);
    std::ifstream in(options.progress_path);
    std::stringstream bytes;
    bytes << in.rdbuf();
    ProgressParser parser;
    run.records = parser.feed(bytes.str());
    parser.finish();
    run.protocol_errors = parser.errors();
    ProgressTracker tracker;
    tracker.apply(run.records);
    run.outcome = tracker.outcome();
    return run;
  }

 private:
  // Runs argv in the temporary directory with a small, fixed environment; returns the exit
  // status, stdout in *output.
  int spawn(const std::vector<std::string>& argv, std::string* output) {
    int fds[2];
    if (::pipe(fds) != 0) return -1;
    const pid_t pid = ::fork();
    if (pid == 0) {
      ::dup2(fds[1], 1);
      ::dup2(fds[1], 2);
      ::close(fds[0]);
      ::close(fds[1]);
      if (::chdir(dir_.path().c_str()) != 0) ::_exit(126);
      std::vector<char*> args;
      for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      const std::string home = "HOME=" + dir_.path();
      std::vector<char*> env{const_cast<char*>("PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"),
                             const_cast<char*>(home.c_str()), const_cast<char*>("LANG=C.UTF-8"), nullptr};
      ::execvpe(args[0], args.data(), env.data());
      ::_exit(127);
    }
    ::close(fds[1]);
    char buffer[65536];
    ssize_t n;
    while ((n = ::read(fds[0], buffer, sizeof buffer)) > 0) output->append(buffer, static_cast<size_t>(n));
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  common::TempDir dir_;
  std::string src_;
};

}  // namespace buildspec::testing
