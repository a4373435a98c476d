// The build driver: one POSIX shell script, generated from a parsed buildspec, that runs the
// buildspec's phases inside the build container with CodeBuild's semantics and prints
// CodeBuild's agent lines ("[Container] 2024/01/02 03:04:05.123456 Running command ...").
//
// How it runs commands (the choice, and why): every command item runs in a subshell of the
// driver's shell (`( eval "$command" )`), which then writes its variables and working directory
// to a state file that the driver sources before the next command. So `cd`, `export` and plain
// assignments carry over to later commands and phases, while `exit 3`, `set -e`, traps,
// redirections of the shell's own descriptors or a syntax error end only that one command, and
// a multi-line item is one unit whose status is its last command's (no implicit set -e). This is
// how CodeBuild itself behaves: its agent runs each command as its own shell script
// (/codebuild/output/tmp/script.sh) and carries the environment across. Consequences, as on AWS:
// carried variables are exported to later commands (child processes see them), while shell
// functions, aliases, arrays and shell options do not carry. Buildspec 0.1 carries nothing.
//
// The runner starts it with driver_argv() (bash when env.shell is bash, else /bin/sh: CodeBuild's
// default shell), reads its stdout (commands' stderr is merged into it) for the build log, and
// reads the progress records (driver_protocol.h) appended to DriverOptions::progress_path.
// Secret values are masked by the runner on the log stream (secret_masker.h), not by the script.
#pragma once

#include <string>
#include <vector>

#include "services/codebuild/buildspec/buildspec.h"

namespace buildspec {

struct DriverOptions {
  // File the progress records are appended to (a directory the runner mounts), e.g.
  // "/codebuild/hakobu/progress". "/dev/fd/3" works when the runner passes a descriptor.
  std::string progress_path = "/codebuild/hakobu/progress";
  // Scratch directory for the per-command state files; created (mode 0711) if missing.
  std::string state_dir = "/codebuild/output/tmp";
  // Directory the first command starts in; empty: $CODEBUILD_SRC_DIR when set, else the
  // driver's own working directory.
  std::string working_directory;
  // Variables exported before INSTALL, in order: the build's final environment after
  // precedence (environment.h's merge_environment), including CODEBUILD_* variables.
  std::vector<NameValue> environment;
  // git-credential-helper: yes configures `aws codecommit credential-helper`; hakobu's host is
  // not *.amazonaws.com, so the helper needs --ignore-host-check.
  bool git_helper_ignore_host_check = true;
};

// The script's text. Deterministic for the same inputs.
std::string generate_driver(const Buildspec& spec, const DriverOptions& options);

// How to start it: {"bash", script_path} when env.shell is bash, else {"/bin/sh", script_path}.
std::vector<std::string> driver_argv(const Buildspec& spec, const std::string& script_path);

// The fixed part of every driver: shell functions (driver_runtime.cc).
extern const char* const kDriverRuntime;
// The entry point appended after the generated plan.
extern const char* const kDriverMain;

// `text` as one single-quoted POSIX shell word.
std::string shell_quote(std::string_view text);

}  // namespace buildspec
