// The generated driver, run for real with bash, dash and busybox ash in a temporary directory:
// phase transitions, on-failure, finally, shell state, exported variables and the agent lines.
#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <regex>
#include <string>

#include "services/codebuild/tests/driver_harness.h"

namespace buildspec {
namespace {

using testing::DriverHarness;
using testing::DriverRun;

class DriverTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!testing::shell_available(GetParam())) GTEST_SKIP() << GetParam() << " is not installed";
  }
  DriverRun run(const std::string& yaml, std::vector<NameValue> environment = {}) {
    return harness_.run(yaml, GetParam(), std::move(environment));
  }
  DriverHarness harness_;
};

// Lines of `output` that are agent lines, without their "[Container] <time> " prefix.
std::vector<std::string> agent_messages(const std::string& output) {
  static const std::regex prefix(R"(^\[Container\] \d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}\.\d{6} )");
  std::vector<std::string> out;
  std::istringstream in(output);
  std::string line;
  while (std::getline(in, line)) {
    std::smatch m;
    if (std::regex_search(line, m, prefix)) out.push_back(line.substr(m.length()));
  }
  return out;
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST_P(DriverTest, SuccessfulBuildPrintsAwsAgentLinesAndRecords) {
  DriverRun r = run(R"Y(version: 0.2
phases:
  install:
    commands:
      - echo installing
  build:
    commands:
      - echo "hello world"
      - echo to-stderr >&2
)Y");
  EXPECT_EQ(r.exit_status, 0) << r.output;
  const std::vector<std::string> expected{"Entering phase INSTALL",
                                          "Running command echo installing",
                                          "Phase complete: INSTALL State: SUCCEEDED",
                                          "Phase context status code:  Message: ",
                                          "Entering phase PRE_BUILD",
                                          "Phase complete: PRE_BUILD State: SUCCEEDED",
                                          "Phase context status code:  Message: ",
                                          "Entering phase BUILD",
                                          "Running command echo \"hello world\"",
                                          "Running command echo to-stderr >&2",
                                          "Phase complete: BUILD State: SUCCEEDED",
                                          "Phase context status code:  Message: ",
                                          "Entering phase POST_BUILD",
                                          "Phase complete: POST_BUILD State: SUCCEEDED",
                                          "Phase context status code:  Message: "};
  EXPECT_EQ(agent_messages(r.output), expected) << r.output;
  // Each command's output follows its "Running command" line, then one empty line (as AWS).
  EXPECT_TRUE(contains(r.output, "Running command echo \"hello world\"\nhello world\n\n[Container]")) << r.output;
  EXPECT_TRUE(contains(r.output, "Running command echo to-stderr >&2\nto-stderr\n\n")) << r.output;
  EXPECT_EQ(r.phase_summary(), "INSTALL:SUCCEEDED PRE_BUILD:SUCCEEDED BUILD:SUCCEEDED POST_BUILD:SUCCEEDED");
  ASSERT_TRUE(r.outcome.finished);
  EXPECT_TRUE(r.outcome.started);
  EXPECT_EQ(r.outcome.status, "SUCCEEDED");
  EXPECT_EQ(r.outcome.next, "UPLOAD_ARTIFACTS");
  EXPECT_TRUE(r.protocol_errors.empty());
  ASSERT_EQ(r.of(RecordKind::Command).size(), 3u);
  EXPECT_EQ(r.of(RecordKind::Command)[1].message, "echo \"hello world\"");
  EXPECT_EQ(r.of(RecordKind::Command)[1].phase, "BUILD");
}

TEST_P(DriverTest, AgentTimestampsAreUtcNow) {
  const auto before = std::chrono::system_clock::now();
  DriverRun r = run("version: 0.2\nphases:\n  build:\n    commands:\n      - 'true'\n");
  const auto after = std::chrono::system_clock::now();
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      r.output, m, std::regex(R"(\[Container\] (\d{4})/(\d{2})/(\d{2}) (\d{2}):(\d{2}):(\d{2})\.(\d{6}))")));
  std::tm tm{};
  tm.tm_year = std::stoi(m[1]) - 1900;
  tm.tm_mon = std::stoi(m[2]) - 1;
  tm.tm_mday = std::stoi(m[3]);
  tm.tm_hour = std::stoi(m[4]);
  tm.tm_min = std::stoi(m[5]);
  tm.tm_sec = std::stoi(m[6]);
  const auto logged = std::chrono::system_clock::from_time_t(timegm(&tm));
  EXPECT_GE(logged, std::chrono::time_point_cast<std::chrono::seconds>(before) - std::chrono::seconds(1));
  EXPECT_LE(logged, after);
  const auto phases = r.of(RecordKind::PhaseStart);
  ASSERT_FALSE(phases.empty());
  const int64_t before_ms = std::chrono::duration_cast<std::chrono::milliseconds>(before.time_since_epoch()).count();
  EXPECT_GE(phases[0].time_ms, before_ms - 1000);
}

TEST_P(DriverTest, FailedInstallEndsTheBuildWithoutUploadingArtifacts) {
  DriverRun r = run(R"Y(version: 0.2
phases:
  install:
    commands:
      - echo first
      - "false"
      - echo never
  pre_build:
    commands:
      - echo never-pre-build
)Y");
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_FALSE(contains(r.output, "never")) << r.output;
  EXPECT_EQ(r.phase_summary(), "INSTALL:FAILED");
  const auto messages = agent_messages(r.output);
  EXPECT_EQ(messages.back(),
            "Phase context status code: COMMAND_EXECUTION_ERROR Message: Error while executing command: false. Reason: "
            "exit status 1");
  EXPECT_TRUE(contains(r.output, "Command did not exit successfully false exit status 1\n"));
  EXPECT_TRUE(contains(r.output, "Phase complete: INSTALL State: FAILED\n"));
  EXPECT_FALSE(contains(r.output, "Entering phase PRE_BUILD"));
  const auto end = r.of(RecordKind::PhaseEnd).at(0);
  EXPECT_EQ(end.code, "COMMAND_EXECUTION_ERROR");
  EXPECT_EQ(end.message, "Error while executing command: false. Reason: exit status 1");
  EXPECT_EQ(r.outcome.status, "FAILED");
  EXPECT_EQ(r.outcome.next, "FINALIZING");
}

TEST_P(DriverTest, FailedPreBuildEndsTheBuild) {
  DriverRun r = run(R"Y(version: 0.2
phases:
  pre_build:
    commands:
      - exit 2
  build:
    commands:
      - echo never
)Y");
  EXPECT_EQ(r.phase_summary(), "INSTALL:SUCCEEDED PRE_BUILD:FAILED");
  EXPECT_EQ(r.outcome.next, "FINALIZING");
  EXPECT_EQ(r.of(RecordKind::PhaseEnd).back().message, "Error while executing command: exit 2. Reason: exit status 2");
}

TEST_P(DriverTest, FailedBuildStillRunsPostBuildWithSucceedingZero) {
  DriverRun r = run(R"Y(version: 0.2
phases:
  pre_build:
    commands:
      - echo "pre=$CODEBUILD_BUILD_SUCCEEDING"
  build:
    commands:
      - echo "build=$CODEBUILD_BUILD_SUCCEEDING"
      - "false"
  post_build:
    commands:
      - echo "post=$CODEBUILD_BUILD_SUCCEEDING"
      - '[ "$CODEBUILD_BUILD_SUCCEEDING" = 1 ] || echo skipping push'
)Y");
  EXPECT_EQ(r.phase_summary(), "INSTALL:SUCCEEDED PRE_BUILD:SUCCEEDED BUILD:FAILED POST_BUILD:SUCCEEDED");
  EXPECT_TRUE(contains(r.output, "\npre=1\n"));
  EXPECT_TRUE(contains(r.output, "\nbuild=1\n"));
  EXPECT_TRUE(contains(r.output, "\npost=0\n"));
  EXPECT_TRUE(contains(r.output, "\nskipping push\n"));
  EXPECT_EQ(r.outcome.status, "FAILED");
  EXPECT_EQ(r.outcome.next, "UPLOAD_ARTIFACTS");
}

TEST_P(DriverTest, FailedPostBuildStillUploadsArtifacts) {
  DriverRun r = run("version: 0.2\nphases:\n  post_build:\n    commands:\n      - exit 7\n");
  EXPECT_EQ(r.phase_summary(), "INSTALL:SUCCEEDED PRE_BUILD:SUCCEEDED BUILD:SUCCEEDED POST_BUILD:FAILED");
  EXPECT_EQ(r.outcome.status, "FAILED");
  EXPECT_EQ(r.outcome.next, "UPLOAD_ARTIFACTS");
}

TEST_P(DriverTest, OnFailureContinueGoesToTheNextPhase) {
  DriverRun r = run(R"Y(version: 0.2
phases:
  install:
    on-failure: CONTINUE
    commands:
      - "false"
  pre_build:
    commands:
      - echo "pre=$CODEBUILD_BUILD_SUCCEEDING"
)Y");
  EXPECT_EQ(r.phase_summary(), "INSTALL:FAILED PRE_BUILD:SUCCEEDED BUILD:SUCCEEDED POST_BUILD:SUCCEEDED");
  EXPECT_TRUE(contains(r.output, "\npre=0\n"));
  EXPECT_EQ(r.outcome.status, "FAILED");
  EXPECT_EQ(r.outcome.next, "UPLOAD_ARTIFACTS");
}

TEST_P(DriverTest, OnFailureAbortInBuildSkipsPostBuildAndArtifacts) {
  DriverRun r = run(R"Y(version: 0.2
phases:
  build:
    on-failure: ABORT
    commands:
      - "false"
  post_build:
    commands:
      - echo never
)Y");
  EXPECT_EQ(r.phase_summary(), "INSTALL:SUCCEEDED PRE_BUILD:SUCCEEDED BUILD:FAILED");
  EXPECT_FALSE(contains(r.output, "never"));
  EXPECT_EQ(r.outcome.next, "FINALIZING");
}

TEST_P(DriverTest, FinallyRunsAfterAFailureAndTheRestIsSkipped) {
  DriverRun r = run(R"Y(version: 0.2
phases:
  build:
    commands:
      - echo one
      - "false"
      - echo skipped
    finally:
      - echo cleanup
      - echo cleanup-two
)Y");
  EXPECT_FALSE(contains(r.output, "skipped"));
  EXPECT_TRUE(contains(r.output, "\ncleanup\n"));
  EXPECT_TRUE(contains(r.output, "\ncleanup-two\n"));
  EXPECT_EQ(r.phase_summary(), "INSTALL:SUCCEEDED PRE_BUILD:SUCCEEDED BUILD:FAILED POST_BUILD:SUCCEEDED");
  EXPECT_EQ(r.of(RecordKind::PhaseEnd)[2].message, "Error while executing command: false. Reason: exit status 1");
}

TEST_P(DriverTest, AFailingFinallyFailsThePhase) {
  DriverRun r = run(R"Y(version: 0.2
phases:
  pre_build:
    commands:
      - echo fine
    finally:
      - exit 4
      - echo skipped-finally
)Y");
  EXPECT_EQ(r.phase_summary(), "INSTALL:SUCCEEDED PRE_BUILD:FAILED");
  EXPECT_FALSE(contains(r.output, "skipped-finally"));
  EXPECT_EQ(r.of(RecordKind::PhaseEnd).back().message, "Error while executing command: exit 4. Reason: exit status 4");
}

TEST_P(DriverTest, CdExportAndAssignmentsCarryAcrossCommandsAndPhases) {
  std::filesystem::create_directories(harness_.src() + "/sub/dir");
  DriverRun r = run(R"Y(version: 0.2
phases:
  install:
    commands:
      - cd sub
      - export EXPORTED="x y"
      - PLAIN=plain; cd dir
  pre_build:
    commands:
      - echo "pwd=$(pwd) exported=$EXPORTED plain=$PLAIN"
      - sh -c 'echo "child sees plain=$PLAIN"'
      - unset EXPORTED
  build:
    commands:
      - echo "after unset=${EXPORTED-unset}"
      - cd ..
  post_build:
    commands:
      - echo "post pwd=$(pwd)"
)Y");
  EXPECT_EQ(r.exit_status, 0) << r.output;
  const std::string dir = std::filesystem::canonical(harness_.src() + "/sub/dir").string();
  EXPECT_TRUE(contains(r.output, "\npwd=" + dir + " exported=x y plain=plain\n")) << r.output;
  EXPECT_TRUE(contains(r.output, "\nchild sees plain=plain\n")) << r.output;
  EXPECT_TRUE(contains(r.output, "\nafter unset=unset\n")) << r.output;
  EXPECT_TRUE(contains(r.output, "\npost pwd=" + std::filesystem::canonical(harness_.src() + "/sub").string() + "\n"))
      << r.output;
}

TEST_P(DriverTest, ExitInsideACommandFailsThatCommandNotTheDriver) {
  DriverRun r = run(R"Y(version: 0.2
phases:
  build:
    commands:
      - KEPT=before-exit; exit 3
    finally:
      - echo "kept=$KEPT"
  post_build:
    commands:
      - echo post-build-ran
)Y");
  EXPECT_EQ(r.of(RecordKind::PhaseEnd)[2].message,
            "Error while executing command: KEPT=before-exit; exit 3. Reason: exit status 3");
  EXPECT_TRUE(contains(r.output, "Command did not exit successfully KEPT=before-exit; exit 3 exit status 3\n"));
  EXPECT_TRUE(contains(r.output, "\nkept=before-exit\n")) << r.output;
  EXPECT_TRUE(contains(r.output, "\npost-build-ran\n"));
  EXPECT_TRUE(r.outcome.finished);
}

TEST_P(DriverTest, AMultiLineItemIsOneCommandWithoutImplicitSetE) {
  DriverRun r = run(R"Y(version: 0.2
phases:
  build:
    commands:
      - |
        false
        echo "after false"
        MULTI=set-in-block
      - echo "multi=$MULTI"
      - |
        echo "last line fails"
        exit 5
)Y");
  EXPECT_TRUE(contains(r.output, "\nafter false\n"));
  EXPECT_TRUE(contains(r.output, "\nmulti=set-in-block\n"));
  // The item's status is its last command's; the message names the whole item, trimmed.
  EXPECT_EQ(r.of(RecordKind::PhaseEnd)[2].message,
            "Error while executing command: echo \"last line fails\"\nexit 5. Reason: exit status 5");
  EXPECT_TRUE(contains(r.output, "Running command false\necho \"after false\"\nMULTI=set-in-block\n\nafter false\n"))
      << r.output;
}

TEST_P(DriverTest, UserShellOptionsTrapsAndRedirectionsStayInTheirCommand) {
  DriverRun r = run(R"Y(version: 0.2
phases:
  build:
    commands:
      - set -eu; trap 'echo user-trap' EXIT; exec 3>/dev/null; OPTS=kept
      - 'echo "next ok ${UNDEFINED_VAR-default}"; false; echo "no set -e here"'
      - IFS=,; set -C; NOCLOBBER=kept
      - echo "noclobber=$NOCLOBBER"
      - exec >/dev/null; echo hidden
      - echo visible-again
      - cat
)Y");
  EXPECT_TRUE(contains(r.output, "\nuser-trap\n"));
  EXPECT_TRUE(contains(r.output, "\nnext ok default\nno set -e here\n")) << r.output;
  EXPECT_FALSE(contains(r.output, "\nhidden\n"));
  EXPECT_TRUE(contains(r.output, "\nvisible-again\n"));
  EXPECT_TRUE(contains(r.output, "\nnoclobber=kept\n")) << r.output;
  EXPECT_EQ(r.phase_summary(), "INSTALL:SUCCEEDED PRE_BUILD:SUCCEEDED BUILD:SUCCEEDED POST_BUILD:SUCCEEDED")
      << r.output;
}

TEST_P(DriverTest, ExportedVariablesKeepNewlinesQuotesAndTheirPostBuildValue) {
  DriverRun r = run(R"Y(version: 0.2
env:
  exported-variables:
    - TRICKY
    - LATE
    - NEVER_SET
    - AWS_REGION_COPY
    - CODEBUILD_BUILD_SUCCEEDING
phases:
  install:
    commands:
      - |
        TRICKY="line one
        it's \"quoted\"	tab 100% \$HOME"
      - AWS_REGION_COPY=x
  build:
    commands:
      - LATE=from-build
      - "false"
  post_build:
    commands:
      - LATE="from post_build"
)Y");
  const std::string tricky = "line one\nit's \"quoted\"\ttab 100% $HOME";
  EXPECT_EQ(r.exported("TRICKY"), std::optional<std::string>(tricky));
  EXPECT_EQ(r.exported("LATE"), std::optional<std::string>("from post_build"));
  EXPECT_EQ(r.exported("CODEBUILD_BUILD_SUCCEEDING"), std::optional<std::string>("0"));
  bool never_set_seen = false;
  for (const auto& [name, value] : r.outcome.exported_variables) {
    if (name == "NEVER_SET") never_set_seen = !value.has_value();
    EXPECT_NE(name, "AWS_REGION_COPY");  // AWS: names starting with AWS_ cannot be exported
  }
  EXPECT_TRUE(never_set_seen);
  EXPECT_TRUE(r.protocol_errors.empty());
}

TEST_P(DriverTest, OptionsEnvironmentIsExportedVerbatim) {
  DriverRun r =
      run("version: 0.2\nphases:\n  build:\n    commands:\n      - 'printf \"[%s]\" \"$FROM_RUNNER\"'\n"
          "      - sh -c 'echo \"[$PATH_LIKE]\"'\n",
          {{"FROM_RUNNER", "it's $HOME `x` \"q\"\nline"}, {"PATH_LIKE", "$PATH:/x"}, {"bad name", "ignored"}});
  EXPECT_TRUE(contains(r.output, "[it's $HOME `x` \"q\"\nline]")) << r.output;
  EXPECT_TRUE(contains(r.output, "[$PATH:/x]")) << r.output;
}

TEST_P(DriverTest, RetryRunsAFailedPhaseAgain) {
  DriverRun r = run(R"Y(version: 0.2
phases:
  build:
    on-failure: RETRY-3
    commands:
      - echo x >> attempts
      - '[ "$(wc -l < attempts)" -ge 3 ]'
)Y");
  EXPECT_EQ(r.phase_summary(),
            "INSTALL:SUCCEEDED PRE_BUILD:SUCCEEDED BUILD:FAILED BUILD:FAILED BUILD:SUCCEEDED POST_BUILD:SUCCEEDED");
  EXPECT_EQ(r.of(RecordKind::PhaseRetry).size(), 2u);
  EXPECT_EQ(r.of(RecordKind::PhaseRetry)[1].attempt, 3);
  EXPECT_EQ(r.outcome.status, "SUCCEEDED");
}

TEST_P(DriverTest, RetryStopsWhenAttemptsRunOutOrTheRegexDoesNotMatch) {
  DriverRun exhausted =
      run("version: 0.2\nphases:\n  build:\n    on-failure: RETRY-1\n    commands:\n      - exit 9\n");
  EXPECT_EQ(exhausted.phase_summary(),
            "INSTALL:SUCCEEDED PRE_BUILD:SUCCEEDED BUILD:FAILED BUILD:FAILED POST_BUILD:SUCCEEDED");
  EXPECT_EQ(exhausted.outcome.status, "FAILED");
  DriverRun unmatched =
      run("version: 0.2\nphases:\n  build:\n    on-failure: RETRY-5-exit status 4\n    commands:\n      - exit 9\n");
  EXPECT_EQ(unmatched.of(RecordKind::PhaseRetry).size(), 0u);
  DriverRun matched = run(
      "version: 0.2\nphases:\n  pre_build:\n    on-failure: RETRY-2-status [0-9]$\n    commands:\n      - exit 9\n");
  EXPECT_EQ(matched.phase_summary(), "INSTALL:SUCCEEDED PRE_BUILD:FAILED PRE_BUILD:FAILED PRE_BUILD:FAILED");
  EXPECT_EQ(matched.outcome.next, "FINALIZING");
}

TEST_P(DriverTest, Version01RunsEveryCommandOnItsOwn) {
  std::filesystem::create_directories(harness_.src() + "/sub");
  DriverRun r = run(R"Y(version: 0.1
phases:
  build:
    commands:
      - cd sub; export ONE=1
      - echo "pwd=$(pwd) one=${ONE-unset}"
)Y");
  EXPECT_TRUE(contains(r.output, "\npwd=" + std::filesystem::canonical(harness_.src()).string() + " one=unset\n"))
      << r.output;
}

TEST_P(DriverTest, ArtifactNamesAreShellExpandedAtTheEnd) {
  DriverRun r = run(R"Y(version: 0.2
phases:
  build:
    commands:
      - VERSION=1.2.3
artifacts:
  files: ['**/*']
  name: app-$VERSION-$(echo built)
  secondary-artifacts:
    extra:
      files: [x]
      name: extra/$VERSION
    unnamed:
      files: [y]
)Y");
  ASSERT_EQ(r.outcome.artifact_names.size(), 2u);
  EXPECT_EQ(r.outcome.artifact_names[0], (std::pair<std::string, std::string>{"", "app-1.2.3-built"}));
  EXPECT_EQ(r.outcome.artifact_names[1], (std::pair<std::string, std::string>{"extra", "extra/1.2.3"}));
}

TEST_P(DriverTest, RuntimeVersionsAndGitCredentialHelper) {
  DriverRun r = run(R"Y(version: 0.2
env:
  git-credential-helper: yes
phases:
  install:
    runtime-versions:
      python: 3.12
  build:
    commands:
      - git config --global --get credential.helper || echo no-git
      - git config --global --get credential.usehttppath || true
)Y");
  EXPECT_TRUE(contains(
      r.output, "Skipping install of runtimes. Runtime version selection is not supported by this build image.\n"));
  if (!contains(r.output, "no-git")) {
    EXPECT_TRUE(contains(r.output, "\n!aws codecommit credential-helper --ignore-host-check $@\ntrue\n")) << r.output;
  }
}

INSTANTIATE_TEST_SUITE_P(Shells, DriverTest, ::testing::Values("bash", "dash", "busybox"),
                         [](const auto& info) { return info.param; });

// env.shell picks the interpreter: bash-only syntax works only with shell: bash.
TEST(DriverShell, EnvShellChoosesBashOrSh) {
  auto bash_spec = parse_buildspec(
      "version: 0.2\nenv:\n  shell: bash\nphases:\n  build:\n    commands:\n"
      "      - '[[ 1 == 1 ]] && echo double-brackets'\n");
  ASSERT_TRUE(bash_spec.ok());
  EXPECT_EQ(driver_argv(*bash_spec, "/codebuild/driver.sh"),
            (std::vector<std::string>{"bash", "/codebuild/driver.sh"}));
  DriverHarness harness;
  DriverRun with_bash = harness.run(*bash_spec, "bash");
  EXPECT_TRUE(contains(with_bash.output, "\ndouble-brackets\n")) << with_bash.output;

  auto sh_spec = parse_buildspec(
      "version: 0.2\nphases:\n  build:\n    commands:\n"
      "      - '[[ 1 == 1 ]] && echo double-brackets'\n");
  ASSERT_TRUE(sh_spec.ok());
  EXPECT_EQ(driver_argv(*sh_spec, "/d.sh"), (std::vector<std::string>{"/bin/sh", "/d.sh"}));
  if (testing::shell_available("dash")) {
    DriverRun with_dash = harness.run(*sh_spec, "dash");
    EXPECT_FALSE(contains(with_dash.output, "\ndouble-brackets\n"));
    EXPECT_EQ(with_dash.outcome.status, "FAILED");
  }
}

// run-as: commands run as another user (runuser/su), and their state still carries.
TEST(DriverRunAs, CommandsRunAsTheUserAndStateCarries) {
  if (::geteuid() != 0) GTEST_SKIP() << "run-as needs root";
  if (::system("id -u nobody >/dev/null 2>&1") != 0) GTEST_SKIP() << "no user nobody";
  DriverHarness harness;
  std::filesystem::permissions(harness.root(), std::filesystem::perms::all, std::filesystem::perm_options::add);
  std::filesystem::permissions(harness.src(), std::filesystem::perms::all, std::filesystem::perm_options::add);
  for (const std::string shell : {"bash", "dash"}) {
    DriverRun r = harness.run(R"Y(version: 0.2
phases:
  pre_build:
    run-as: nobody
    commands:
      - echo "user=$(id -un)"
      - export FROM_NOBODY=yes
  build:
    commands:
      - echo "user=$(id -un) from_nobody=$FROM_NOBODY"
  post_build:
    run-as: no-such-user-here
    commands:
      - echo never
)Y",
                              shell);
    EXPECT_TRUE(contains(r.output, "\nuser=nobody\n")) << shell << r.output;
    EXPECT_TRUE(contains(r.output, "\nuser=root from_nobody=yes\n")) << shell << r.output;
    EXPECT_TRUE(contains(r.output, "run-as: user no-such-user-here does not exist")) << r.output;
    EXPECT_EQ(r.phase_summary(), "INSTALL:SUCCEEDED PRE_BUILD:SUCCEEDED BUILD:SUCCEEDED POST_BUILD:FAILED");
  }
}

}  // namespace
}  // namespace buildspec
