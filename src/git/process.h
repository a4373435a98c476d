// Running the stock git binary (hakobu stores repositories as bare git repositories and lets
// real git do the protocol and storage; it never implements git itself).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/result.h"

namespace git {

struct RunResult {
  int exit_code = -1;  // -1 when the process could not start or was killed
  std::string out;
  std::string err;
};

struct RunOptions {
  std::string git_dir;                     // GIT_DIR; "" = none
  std::string input;                       // written to stdin, then closed
  std::map<std::string, std::string> env;  // added to a minimal environment
  std::string work_dir;                    // cwd; "" = inherit
};

// Runs `git <args...>` (posix_spawn, no shell), collecting stdout and stderr. The environment is
// minimal and deterministic (PATH, HOME=/nonexistent, GIT_CONFIG_NOSYSTEM=1,
// GIT_TERMINAL_PROMPT=0, LC_ALL=C) plus options.env. Fails only when git cannot be started.
common::Result<RunResult> run(const std::vector<std::string>& args, const RunOptions& options = {});

// The all-zero object id git uses for "no commit" (ref creation / deletion).
inline constexpr std::string_view kZeroId = "0000000000000000000000000000000000000000";

}  // namespace git
