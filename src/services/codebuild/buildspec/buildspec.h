// A parsed buildspec (versions 0.1 and 0.2): every key of AWS's buildspec reference, as plain
// data. parse_buildspec() turns YAML text into it or into the YAML_FILE_ERROR a build reports in
// its DOWNLOAD_SOURCE phase. Nothing here runs anything: driver.h turns it into a shell script,
// artifacts.h selects the files its artifacts block names.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "services/codebuild/buildspec/phase_error.h"

namespace buildspec {

enum class Version { V0_1, V0_2 };

// The command phases, in the order a build runs them.
enum class Phase { Install, PreBuild, Build, PostBuild };
constexpr std::array<Phase, 4> kPhases{Phase::Install, Phase::PreBuild, Phase::Build, Phase::PostBuild};
// "INSTALL", "PRE_BUILD", "BUILD", "POST_BUILD": the phaseType names the API and the log use.
std::string_view phase_type(Phase phase);

// env.shell on Linux. AWS runs commands with /bin/sh unless the buildspec says bash.
enum class Shell { Sh, Bash };

// phases.<phase>.on-failure. Without it a failed phase follows AWS's phase transitions
// (INSTALL/PRE_BUILD failures end the build, BUILD failures still run POST_BUILD).
enum class OnFailure { Default, Abort, Continue, Retry };
struct FailurePolicy {
  OnFailure action = OnFailure::Default;
  // RETRY, RETRY-<count>, RETRY-<regex>, RETRY-<count>-<regex>: the phase runs again at most
  // `retries` more times (RETRY alone: 3), while the failure's message matches `retry_regex`
  // (POSIX extended regular expression; empty matches everything). After the last attempt the
  // failure follows the default transitions.
  int retries = 0;
  std::string retry_regex;
};

using NameValue = std::pair<std::string, std::string>;

struct PhaseSpec {
  bool present = false;  // the phase is in the document (absent phases still run, empty)
  std::optional<std::string> run_as;
  FailurePolicy on_failure;
  std::vector<NameValue> runtime_versions;  // install only, in document order
  std::vector<std::string> commands;
  std::vector<std::string> finally;
};

// env.secrets-manager value: "<secret-id>:<json-key>:<version-stage>:<version-id>", all but
// the id optional; an ARN secret id keeps its own colons.
struct SecretReference {
  std::string secret_id;
  std::string json_key;
  std::string version_stage;
  std::string version_id;
};
SecretReference parse_secret_reference(std::string_view text);

struct EnvSpec {
  std::optional<Shell> shell;              // unset: /bin/sh
  std::vector<NameValue> variables;        // literal values, numbers and booleans as written
  std::vector<NameValue> parameter_store;  // variable name -> SSM parameter name
  std::vector<std::string> exported_variables;
  std::vector<std::pair<std::string, SecretReference>> secrets_manager;
  bool git_credential_helper = false;
};

struct ProxySpec {
  bool upload_artifacts = false;
  bool logs = false;
};

struct ReportSpec {
  std::string group;  // report group name or ARN
  std::vector<std::string> files;
  std::optional<std::string> base_directory;
  bool discard_paths = false;
  std::string file_format = "JUNITXML";  // upper-cased
};

// artifacts (and each secondary artifact): which files go into the output.
struct ArtifactSpec {
  std::vector<std::string> files;   // globs; a single scalar is one pattern
  std::optional<std::string> name;  // shell-expanded by the driver at the end of the build
  bool discard_paths = false;
  std::optional<std::string> base_directory;  // may be a glob over directories ('my-build*')
  std::vector<std::string> exclude_paths;     // globs relative to the base directory
  bool enable_symlinks = false;
  std::optional<std::string> s3_prefix;
};

struct ArtifactsSpec {
  ArtifactSpec primary;
  std::vector<std::pair<std::string, ArtifactSpec>> secondary;  // identifier -> definition
};

struct CacheSpec {
  std::vector<std::string> paths;
  std::optional<std::string> key;
  std::vector<std::string> fallback_keys;
  std::optional<std::string> action;  // "restore" | "save"
};

struct Buildspec {
  Version version = Version::V0_2;
  std::optional<std::string> run_as;
  EnvSpec env;
  ProxySpec proxy;
  bool batch = false;               // a batch block is present (batch builds are not run here)
  std::array<PhaseSpec, 4> phases;  // indexed by Phase
  std::vector<ReportSpec> reports;
  std::optional<ArtifactsSpec> artifacts;
  std::optional<CacheSpec> cache;

  const PhaseSpec& phase(Phase p) const { return phases[static_cast<size_t>(p)]; }
  PhaseSpec& phase(Phase p) { return phases[static_cast<size_t>(p)]; }
  Shell shell() const { return env.shell.value_or(Shell::Sh); }
  // The user a phase's commands run as: the phase's run-as, else the buildspec's, else none (root).
  std::optional<std::string> user_for(Phase p) const { return phase(p).run_as ? phase(p).run_as : run_as; }
};

// [A-Za-z_][A-Za-z0-9_]*: a name the shell can assign (environment variables must be one).
bool is_shell_name(std::string_view name);

// YAML text -> Buildspec, or the YAML_FILE_ERROR AWS reports (phase_error.h).
common::Result<Buildspec, PhaseError> parse_buildspec(std::string_view yaml_text);

}  // namespace buildspec
