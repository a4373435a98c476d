// generate_driver(): the runtime functions (driver_runtime.cc), then the plan for one buildspec
// as small shell functions (_cb_commands_BUILD, _cb_policy_BUILD, ...), then the entry point.
#include "services/codebuild/buildspec/driver.h"

#include <string>

namespace buildspec {

std::string shell_quote(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  out += "'";
  return out;
}

namespace {

std::string action_name(OnFailure action) {
  switch (action) {
    case OnFailure::Default: return "DEFAULT";
    case OnFailure::Abort: return "ABORT";
    case OnFailure::Continue: return "CONTINUE";
    case OnFailure::Retry: return "RETRY";
  }
  return "DEFAULT";
}

// _cb_commands_<PHASE> / _cb_finally_<PHASE>: each item one _cb_run; the first failure stops
// the list (AWS skips the rest of the block).
void append_command_list(std::string& out, const std::string& function, const std::vector<std::string>& commands) {
  out += function + "() {\n";
  if (commands.empty()) out += "  :\n";
  for (const std::string& command : commands) out += "  _cb_run " + shell_quote(command) + " || return 1\n";
  out += "}\n";
}

void append_phase(std::string& out, const Buildspec& spec, Phase phase) {
  const PhaseSpec& p = spec.phase(phase);
  const std::string name(phase_type(phase));
  append_command_list(out, "_cb_commands_" + name, p.commands);
  append_command_list(out, "_cb_finally_" + name, p.finally);
  const std::optional<std::string> user = spec.user_for(phase);
  out += "_cb_policy_" + name + "() {\n";
  out += "  _cb_action=" + action_name(p.on_failure.action) + " _cb_retries=" + std::to_string(p.on_failure.retries);
  out += " _cb_regex=" + shell_quote(p.on_failure.retry_regex) + " _cb_user=" + shell_quote(user.value_or("")) + "\n";
  out += "}\n";
}

void append_setup(std::string& out, const Buildspec& spec, const DriverOptions& options) {
  out += "_cb_environment() {\n  :\n";
  for (const auto& [name, value] : options.environment) {
    if (!is_shell_name(name)) continue;  // cannot be a shell variable; never pasted into the script
    out += "  " + name + "=" + shell_quote(value) + "\n  export " + name + "\n";
  }
  out += "}\n_cb_setup() {\n  :\n";
  if (spec.env.git_credential_helper) {
    const std::string helper = options.git_helper_ignore_host_check
                                   ? "!aws codecommit credential-helper --ignore-host-check $@"
                                   : "!aws codecommit credential-helper $@";
    out += "  if command -v git >/dev/null 2>&1; then\n";
    out += "    git config --global credential.helper " + shell_quote(helper) + "\n";
    out += "    git config --global credential.UseHttpPath true\n  fi\n";
  }
  if (!spec.phase(Phase::Install).runtime_versions.empty()) {
    // AWS's documented warning for images without runtime selection: nothing is installed here.
    out +=
        "  _cb_log 'Skipping install of runtimes. Runtime version selection is not supported by this build image.'\n";
  }
  out += "}\n";
}

void append_outputs(std::string& out, const Buildspec& spec) {
  out += "_cb_exported() {\n  _cb_export_variables";
  for (const std::string& name : spec.env.exported_variables) {
    // AWS: variables starting with AWS_ cannot be exported.
    if (name.rfind("AWS_", 0) != 0) out += " " + name;
  }
  out += "\n}\n_cb_artifact_names() {\n  :\n";
  if (spec.artifacts) {
    if (spec.artifacts->primary.name) {
      out += "  _cb_artifact_name '' " + shell_quote(*spec.artifacts->primary.name) + "\n";
    }
    for (const auto& [id, artifact] : spec.artifacts->secondary) {
      if (artifact.name) out += "  _cb_artifact_name " + shell_quote(id) + " " + shell_quote(*artifact.name) + "\n";
    }
  }
  out += "}\n";
}

}  // namespace

std::string generate_driver(const Buildspec& spec, const DriverOptions& options) {
  std::string out =
      "# hakobu CodeBuild driver, generated from a buildspec (services/codebuild/README.md).\n"
      "# Run with bash or /bin/sh; progress records go to _cb_progress.\n";
  out += kDriverRuntime;
  // A run-as child sources this file for the functions above and stops here.
  out += "\n[ \"${_cb_lib:-}\" = 1 ] && return 0\n\n";
  out += "_cb_progress=" + shell_quote(options.progress_path) + "\n";
  out += "_cb_state=" + shell_quote(options.state_dir) + "\n";
  out += "_cb_workdir=" + shell_quote(options.working_directory) + "\n";
  out += std::string("_cb_shell=") + (spec.shell() == Shell::Bash ? "bash" : "/bin/sh") + "\n";
  out += std::string("_cb_isolated=") + (spec.version == Version::V0_1 ? "1" : "0") + "\n";
  append_setup(out, spec, options);
  for (Phase phase : kPhases) append_phase(out, spec, phase);
  append_outputs(out, spec);
  out += kDriverMain;
  return out;
}

std::vector<std::string> driver_argv(const Buildspec& spec, const std::string& script_path) {
  return {spec.shell() == Shell::Bash ? "bash" : "/bin/sh", script_path};
}

}  // namespace buildspec
