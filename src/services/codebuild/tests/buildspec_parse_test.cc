// The buildspec parser: every key of the buildspec reference, and the YAML_FILE_ERROR for each
// kind of invalid document. Also the location heuristic (§3.2).
#include <gtest/gtest.h>

#include <string>

#include "services/codebuild/buildspec/buildspec.h"
#include "services/codebuild/buildspec/location.h"

namespace buildspec {
namespace {

Buildspec parse_ok(const std::string& yaml) {
  auto spec = parse_buildspec(yaml);
  EXPECT_TRUE(spec.ok()) << (spec.ok() ? "" : spec.error().describe());
  return spec.ok() ? *spec : Buildspec{};
}

// The message of the YAML_FILE_ERROR a document produces ("" when it parses).
std::string error_of(const std::string& yaml) {
  auto spec = parse_buildspec(yaml);
  if (spec.ok()) return "";
  EXPECT_EQ(spec.error().code, "YAML_FILE_ERROR");
  return spec.error().message;
}

constexpr const char* kEveryKey = R"Y(version: 0.2
run-as: builder
env:
  shell: bash
  variables:
    JAVA_HOME: "/usr/lib/jvm/java-8-openjdk-amd64"
    NUMBER: 1.10
    FLAG: yes
    EMPTY:
    QUOTED: 'a: b'
  parameter-store:
    LOGIN_PASSWORD: /CodeBuild/dockerLoginPassword
  exported-variables:
    - IMAGE_TAG
    - CODEBUILD_BUILD_NUMBER
  secrets-manager:
    LOCAL_SECRET_VAR: "TestSecret:MY_SECRET_VAR"
    ARN_SECRET: arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf:password:AWSPREVIOUS
  git-credential-helper: yes
proxy:
  upload-artifacts: yes
  logs: false
batch:
  fast-fail: false
phases:
  install:
    run-as: installer
    on-failure: CONTINUE
    runtime-versions:
      python: 3.12
      nodejs: 18.x
    commands:
      - apt-get update -y
    finally:
      - echo installed
  pre_build:
    on-failure: ABORT
    commands:
      - "echo Logging in: done"
  build:
    on-failure: RETRY-2-Connection reset
    commands:
      - |
        make
        make test
      - echo two
    finally:
      - echo finally
  post_build:
    commands:
      - echo post
reports:
  arn:aws:codebuild:us-east-1:123456789012:report-group/unit:
    files:
      - "**/*"
    base-directory: target/tests/reports
    discard-paths: no
  cucumber:
    files: cucumber/target/cucumber-tests.xml
    discard-paths: yes
    file-format: cucumberjson
artifacts:
  files:
    - target/app.jar
    - '**/*.txt'
  name: myname-$(date +%Y-%m-%d)
  discard-paths: yes
  base-directory: 'out*'
  exclude-paths:
    - '**/*.log'
  enable-symlinks: yes
  s3-prefix: builds
  secondary-artifacts:
    artifact1:
      files:
        - target/artifact-1.0.jar
      name: secondary-1
      discard-paths: yes
    artifact2:
      files: target/artifact-2.0.jar
      base-directory: target
cache:
  key: npm-$(codebuild-hash-files package-lock.json)
  fallback-keys:
    - npm-
  action: restore
  paths:
    - '/root/.m2/**/*'
    - node_modules
)Y";

TEST(BuildspecParse, ReadsEveryKey) {
  const Buildspec spec = parse_ok(kEveryKey);
  EXPECT_EQ(spec.version, Version::V0_2);
  EXPECT_EQ(spec.run_as, std::optional<std::string>("builder"));
  EXPECT_EQ(spec.shell(), Shell::Bash);
  const std::vector<NameValue> variables{{"JAVA_HOME", "/usr/lib/jvm/java-8-openjdk-amd64"},
                                         {"NUMBER", "1.10"},
                                         {"FLAG", "yes"},
                                         {"EMPTY", ""},
                                         {"QUOTED", "a: b"}};
  EXPECT_EQ(spec.env.variables, variables);
  EXPECT_EQ(spec.env.parameter_store, (std::vector<NameValue>{{"LOGIN_PASSWORD", "/CodeBuild/dockerLoginPassword"}}));
  EXPECT_EQ(spec.env.exported_variables, (std::vector<std::string>{"IMAGE_TAG", "CODEBUILD_BUILD_NUMBER"}));
  ASSERT_EQ(spec.env.secrets_manager.size(), 2u);
  EXPECT_EQ(spec.env.secrets_manager[0].first, "LOCAL_SECRET_VAR");
  EXPECT_EQ(spec.env.secrets_manager[0].second.secret_id, "TestSecret");
  EXPECT_EQ(spec.env.secrets_manager[0].second.json_key, "MY_SECRET_VAR");
  EXPECT_EQ(spec.env.secrets_manager[1].second.secret_id,
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf");
  EXPECT_EQ(spec.env.secrets_manager[1].second.json_key, "password");
  EXPECT_EQ(spec.env.secrets_manager[1].second.version_stage, "AWSPREVIOUS");
  EXPECT_TRUE(spec.env.git_credential_helper);
  EXPECT_TRUE(spec.proxy.upload_artifacts);
  EXPECT_FALSE(spec.proxy.logs);
  EXPECT_TRUE(spec.batch);

  const PhaseSpec& install = spec.phase(Phase::Install);
  EXPECT_TRUE(install.present);
  EXPECT_EQ(install.run_as, std::optional<std::string>("installer"));
  EXPECT_EQ(install.on_failure.action, OnFailure::Continue);
  EXPECT_EQ(install.runtime_versions, (std::vector<NameValue>{{"python", "3.12"}, {"nodejs", "18.x"}}));
  EXPECT_EQ(install.commands, (std::vector<std::string>{"apt-get update -y"}));
  EXPECT_EQ(install.finally, (std::vector<std::string>{"echo installed"}));
  EXPECT_EQ(spec.user_for(Phase::Install), std::optional<std::string>("installer"));
  EXPECT_EQ(spec.user_for(Phase::Build), std::optional<std::string>("builder"));
  EXPECT_EQ(spec.phase(Phase::PreBuild).on_failure.action, OnFailure::Abort);
  EXPECT_EQ(spec.phase(Phase::PreBuild).commands, (std::vector<std::string>{"echo Logging in: done"}));
  const PhaseSpec& build = spec.phase(Phase::Build);
  EXPECT_EQ(build.on_failure.action, OnFailure::Retry);
  EXPECT_EQ(build.on_failure.retries, 2);
  EXPECT_EQ(build.on_failure.retry_regex, "Connection reset");
  EXPECT_EQ(build.commands, (std::vector<std::string>{"make\nmake test\n", "echo two"}));
  EXPECT_EQ(spec.phase(Phase::PostBuild).on_failure.action, OnFailure::Default);

  ASSERT_EQ(spec.reports.size(), 2u);
  EXPECT_EQ(spec.reports[0].group, "arn:aws:codebuild:us-east-1:123456789012:report-group/unit");
  EXPECT_EQ(spec.reports[0].base_directory, std::optional<std::string>("target/tests/reports"));
  EXPECT_EQ(spec.reports[0].file_format, "JUNITXML");
  EXPECT_FALSE(spec.reports[0].discard_paths);
  EXPECT_EQ(spec.reports[1].files, (std::vector<std::string>{"cucumber/target/cucumber-tests.xml"}));
  EXPECT_EQ(spec.reports[1].file_format, "CUCUMBERJSON");
  EXPECT_TRUE(spec.reports[1].discard_paths);

  ASSERT_TRUE(spec.artifacts);
  const ArtifactSpec& a = spec.artifacts->primary;
  EXPECT_EQ(a.files, (std::vector<std::string>{"target/app.jar", "**/*.txt"}));
  EXPECT_EQ(a.name, std::optional<std::string>("myname-$(date +%Y-%m-%d)"));
  EXPECT_TRUE(a.discard_paths);
  EXPECT_EQ(a.base_directory, std::optional<std::string>("out*"));
  EXPECT_EQ(a.exclude_paths, (std::vector<std::string>{"**/*.log"}));
  EXPECT_TRUE(a.enable_symlinks);
  EXPECT_EQ(a.s3_prefix, std::optional<std::string>("builds"));
  ASSERT_EQ(spec.artifacts->secondary.size(), 2u);
  EXPECT_EQ(spec.artifacts->secondary[0].first, "artifact1");
  EXPECT_EQ(spec.artifacts->secondary[0].second.name, std::optional<std::string>("secondary-1"));
  EXPECT_TRUE(spec.artifacts->secondary[0].second.discard_paths);
  EXPECT_EQ(spec.artifacts->secondary[1].second.files, (std::vector<std::string>{"target/artifact-2.0.jar"}));
  EXPECT_EQ(spec.artifacts->secondary[1].second.base_directory, std::optional<std::string>("target"));

  ASSERT_TRUE(spec.cache);
  EXPECT_EQ(spec.cache->paths, (std::vector<std::string>{"/root/.m2/**/*", "node_modules"}));
  EXPECT_EQ(spec.cache->key, std::optional<std::string>("npm-$(codebuild-hash-files package-lock.json)"));
  EXPECT_EQ(spec.cache->fallback_keys, (std::vector<std::string>{"npm-"}));
  EXPECT_EQ(spec.cache->action, std::optional<std::string>("restore"));
}

TEST(BuildspecParse, MinimalDocumentsAndDefaults) {
  const Buildspec spec = parse_ok("version: 0.1\nphases:\n  build:\n    commands:\n      - make\n");
  EXPECT_EQ(spec.version, Version::V0_1);
  EXPECT_EQ(spec.shell(), Shell::Sh);
  EXPECT_FALSE(spec.run_as);
  EXPECT_FALSE(spec.phase(Phase::Install).present);
  EXPECT_TRUE(spec.phase(Phase::Build).present);
  EXPECT_FALSE(spec.artifacts);
  EXPECT_FALSE(spec.env.git_credential_helper);
  // A quoted version, an install phase holding only runtime versions, unknown keys ignored.
  const Buildspec other = parse_ok(
      "version: \"0.2\"\nsomething-new: 1\nenv:\n  shell: /bin/sh\nphases:\n  INSTALL:\n    runtime-versions:\n"
      "      java: corretto17\n    unknown: x\n");
  EXPECT_EQ(other.version, Version::V0_2);
  EXPECT_EQ(other.shell(), Shell::Sh);
  EXPECT_TRUE(other.phase(Phase::Install).commands.empty());
  // The seed's buildspec, unchanged.
  const Buildspec seed = parse_ok(R"Y(version: 0.2
phases:
  install:
    commands:
      - nohup /usr/bin/dockerd -H tcp://127.0.0.1:2375 -H unix:///var/run/docker.sock &
      - timeout 15 sh -c "until docker info; do echo .; sleep 1; done"
  pre_build:
    commands:
      - git config --global credential.helper '!aws codecommit credential-helper $@' &&git config --global credential.UseHttpPath true &&git config --global user.email "example@example.com" &&git config --global user.name "UNKO"
  build:
    commands:
      - bash boot-ctrbld.sh
)Y");
  EXPECT_EQ(seed.phase(Phase::Install).commands.size(), 2u);
  EXPECT_EQ(seed.phase(Phase::Build).commands, (std::vector<std::string>{"bash boot-ctrbld.sh"}));
}

TEST(BuildspecParse, BooleansAcceptYesNoTrueFalse) {
  for (const auto& [text, value] : std::vector<std::pair<std::string, bool>>{
           {"yes", true}, {"no", false}, {"true", true}, {"false", false}, {"YES", true}, {"False", false}}) {
    const Buildspec spec =
        parse_ok("version: 0.2\nphases: {}\nartifacts:\n  files: x\n  discard-paths: " + text + "\n");
    EXPECT_EQ(spec.artifacts->primary.discard_paths, value) << text;
  }
  EXPECT_EQ(error_of("version: 0.2\nphases: {}\nartifacts:\n  files: x\n  discard-paths: maybe\n"),
            "Invalid value for artifacts/discard-paths: maybe. Expecting: yes,no at line 5");
}

TEST(BuildspecParse, OnFailureForms) {
  auto policy = [](const std::string& value) {
    const Buildspec spec =
        parse_ok("version: 0.2\nphases:\n  build:\n    on-failure: '" + value + "'\n    commands: [make]\n");
    return spec.phase(Phase::Build).on_failure;
  };
  EXPECT_EQ(policy("RETRY").retries, 3);
  EXPECT_EQ(policy("RETRY").retry_regex, "");
  EXPECT_EQ(policy("RETRY-5").retries, 5);
  EXPECT_EQ(policy("retry-0").retries, 0);
  EXPECT_EQ(policy("RETRY-timeout.*").retries, 3);
  EXPECT_EQ(policy("RETRY-timeout.*").retry_regex, "timeout.*");
  EXPECT_EQ(policy("RETRY-100-exit status [0-9]+").retries, 100);
  EXPECT_EQ(policy("RETRY-100-exit status [0-9]+").retry_regex, "exit status [0-9]+");
  EXPECT_EQ(policy("abort").action, OnFailure::Abort);
  const std::string expecting = ". Expecting: ABORT,CONTINUE,RETRY,RETRY-<count>,RETRY-<regex>,RETRY-<count>-<regex>";
  auto error = [](const std::string& value) {
    return error_of("version: 0.2\nphases:\n  build:\n    on-failure: '" + value + "'\n    commands: [make]\n");
  };
  EXPECT_EQ(error("SOMETIMES"), "Invalid on-failure value: SOMETIMES" + expecting);
  EXPECT_EQ(error("RETRY-"), "Invalid on-failure value: RETRY-" + expecting);
  EXPECT_EQ(error("RETRY-2-"), "Invalid on-failure value: RETRY-2-" + expecting);
  EXPECT_EQ(error("RETRY-101"), "Invalid on-failure value: RETRY-101. The retry count must be 0 to 100");
  EXPECT_EQ(error("RETRY-(unclosed"), "Invalid on-failure value: RETRY-(unclosed. The regular expression is invalid");
}

TEST(BuildspecParse, SecretReferences) {
  SecretReference plain = parse_secret_reference("my-secret");
  EXPECT_EQ(plain.secret_id, "my-secret");
  EXPECT_EQ(plain.json_key, "");
  SecretReference full = parse_secret_reference("db:password:AWSCURRENT:v-1");
  EXPECT_EQ(full.json_key, "password");
  EXPECT_EQ(full.version_stage, "AWSCURRENT");
  EXPECT_EQ(full.version_id, "v-1");
  SecretReference by_id = parse_secret_reference("db:password::v-2");
  EXPECT_EQ(by_id.version_stage, "");
  EXPECT_EQ(by_id.version_id, "v-2");
  SecretReference arn = parse_secret_reference("arn:aws:secretsmanager:eu-west-1:111122223333:secret:app-XyZ");
  EXPECT_EQ(arn.secret_id, "arn:aws:secretsmanager:eu-west-1:111122223333:secret:app-XyZ");
  EXPECT_EQ(arn.json_key, "");
}

TEST(BuildspecParse, DocumentErrors) {
  EXPECT_EQ(error_of(""), "The buildspec is empty");
  EXPECT_EQ(error_of("- a\n- b\n"), "Expected the buildspec to be of map type: found a list instead at line 1");
  EXPECT_EQ(error_of("phases:\n  build:\n    commands: [make]\n"), "Missing buildspec version. Expecting: 0.1,0.2");
  EXPECT_EQ(error_of("version: 0.3\nphases: {}\n"), "Invalid buildspec version: 0.3. Expecting: 0.1,0.2");
  EXPECT_EQ(error_of("version: [0.2]\nphases: {}\n"),
            "Invalid buildspec version: found a list instead at line 1. Expecting: 0.1,0.2");
  EXPECT_EQ(error_of("version: 0.2\n"), "Missing phases: a buildspec needs a phases section");
  // Tabs cannot indent YAML (AWS: "found character that cannot start any token at line 3").
  const std::string tabbed = error_of("version: 0.2\nphases:\n\tbuild:\n");
  EXPECT_NE(tabbed.find("at line 3"), std::string::npos) << tabbed;
  const std::string unclosed = error_of("version: 0.2\nphases: [\n");
  EXPECT_NE(unclosed.find(" at line "), std::string::npos) << unclosed;
}

TEST(BuildspecParse, PhaseErrors) {
  EXPECT_EQ(error_of("version: 0.2\nphases:\n  - build\n"),
            "Expected phases to be of map type: found a list instead at line 3");
  EXPECT_EQ(error_of("version: 0.2\nphases:\n  postbuild:\n    commands: [x]\n"),
            "Invalid buildspec phase name: POSTBUILD. Expecting: BUILD,INSTALL,POST_BUILD,PRE_BUILD");
  EXPECT_EQ(error_of("version: 0.2\nphases:\n  build: make\n"),
            "Expected phase BUILD to be of map type: found a scalar instead at line 3");
  EXPECT_EQ(error_of("version: 0.2\nphases:\n  build:\n    commands: make\n"),
            "Expected Commands to be of array type: found a scalar instead at line 4");
  // The unquoted "colon space" AWS users hit: the item becomes a mapping.
  EXPECT_EQ(error_of("version: 0.2\nphases:\n  build:\n    commands:\n      - echo Hello: world\n"),
            "Expected Commands[0] to be of string type: found subkeys instead at line 5");
  EXPECT_EQ(error_of("version: 0.2\nphases:\n  build:\n    commands: [a]\n    finally:\n      - ok\n      - [x]\n"),
            "Expected Finally[1] to be of string type: found a list instead at line 7");
  EXPECT_EQ(error_of("version: 0.2\nphases:\n  build:\n    finally: [x]\n"),
            "Missing commands in phase BUILD: commands are required when the phase is specified at line 4");
  EXPECT_EQ(error_of("version: 0.2\nphases:\n  build:\n    runtime-versions:\n      python: 3\n    commands: [x]\n"),
            "runtime-versions is only allowed in the install phase, found in phase BUILD at line 5");
  EXPECT_EQ(error_of("version: 0.2\nphases:\n  build:\n    run-as: ''\n    commands: [x]\n"),
            "run-as in phase BUILD must name a user at line 4");
}

TEST(BuildspecParse, EnvErrors) {
  EXPECT_EQ(error_of("version: 0.2\nenv: [x]\nphases: {}\n"),
            "Expected env to be of map type: found a list instead at line 2");
  EXPECT_EQ(error_of("version: 0.2\nenv:\n  variables:\n    CODEBUILD_FOO: x\nphases: {}\n"),
            "Invalid environment variable name in env/variables: CODEBUILD_FOO. Names starting with CODEBUILD_ are "
            "reserved");
  EXPECT_EQ(error_of("version: 0.2\nenv:\n  parameter-store:\n    CODEBUILD_X: /p\nphases: {}\n"),
            "Invalid environment variable name in env/parameter-store: CODEBUILD_X. Names starting with CODEBUILD_ "
            "are reserved");
  EXPECT_EQ(error_of("version: 0.2\nenv:\n  secrets-manager:\n    CODEBUILD_S: s\nphases: {}\n"),
            "Invalid environment variable name in env/secrets-manager: CODEBUILD_S. Names starting with CODEBUILD_ "
            "are reserved");
  EXPECT_EQ(error_of("version: 0.2\nenv:\n  variables:\n    MY-VAR: x\nphases: {}\n"),
            "Invalid environment variable name in env/variables: MY-VAR");
  EXPECT_EQ(error_of("version: 0.2\nenv:\n  variables:\n    LIST: [a]\nphases: {}\n"),
            "Expected env/variables LIST to be of string type: found a list instead at line 4");
  EXPECT_EQ(error_of("version: 0.2\nenv:\n  variables: [a]\nphases: {}\n"),
            "Expected env/variables to be of map type: found a list instead at line 3");
  EXPECT_EQ(error_of("version: 0.2\nenv:\n  exported-variables:\n    - 1BAD\nphases: {}\n"),
            "Invalid variable name in env/exported-variables: 1BAD");
  EXPECT_EQ(error_of("version: 0.2\nenv:\n  exported-variables: ONE\nphases: {}\n"),
            "Expected env/exported-variables to be of array type: found a scalar instead at line 3");
  EXPECT_EQ(error_of("version: 0.2\nenv:\n  secrets-manager:\n    S: ''\nphases: {}\n"),
            "Missing secret id in env/secrets-manager S");
  EXPECT_EQ(error_of("version: 0.2\nenv:\n  shell: zsh\nphases: {}\n"), "Invalid shell: zsh. Expecting: bash,/bin/sh");
  EXPECT_EQ(error_of("version: 0.2\nenv:\n  shell: powershell.exe\nphases: {}\n"),
            "Invalid shell: powershell.exe is only available on Windows images. Expecting: bash,/bin/sh");
  EXPECT_EQ(error_of("version: 0.2\nenv:\n  git-credential-helper: sure\nphases: {}\n"),
            "Invalid value for env/git-credential-helper: sure. Expecting: yes,no at line 3");
  EXPECT_EQ(error_of("version: 0.2\nrun-as: [a]\nphases: {}\n"),
            "Expected run-as to be of string type: found a list instead at line 2");
}

TEST(BuildspecParse, OutputErrors) {
  EXPECT_EQ(error_of("version: 0.2\nphases: {}\nartifacts:\n  name: x\n"),
            "Missing files in artifacts: files are required");
  EXPECT_EQ(error_of("version: 0.2\nphases: {}\nartifacts:\n  files: x\n  secondary-artifacts:\n    two:\n"
                     "      name: y\n"),
            "Missing files in artifacts/secondary-artifacts/two: files are required");
  EXPECT_EQ(error_of("version: 0.2\nphases: {}\nartifacts: [x]\n"),
            "Expected artifacts to be of map type: found a list instead at line 3");
  EXPECT_EQ(error_of("version: 0.2\nphases: {}\nartifacts:\n  files:\n    - a: b\n"),
            "Expected artifacts/files[0] to be of string type: found subkeys instead at line 5");
  EXPECT_EQ(error_of("version: 0.2\nphases: {}\nreports:\n  unit:\n    base-directory: x\n"),
            "Missing files in reports/unit: files are required");
  EXPECT_EQ(error_of("version: 0.2\nphases: {}\nreports:\n  unit:\n    files: x\n    file-format: XML\n"),
            "Invalid report file format: XML. Expecting: CUCUMBERJSON,JUNITXML,NUNITXML,NUNIT3XML,TESTNGXML,"
            "VISUALSTUDIOTRX,CLOVERXML,COBERTURAXML,JACOCOXML,SIMPLECOV");
  EXPECT_EQ(error_of("version: 0.2\nphases: {}\ncache:\n  key: k\n"), "Missing paths in cache: paths are required");
  EXPECT_EQ(error_of("version: 0.2\nphases: {}\ncache:\n  paths: [x]\n  action: both\n"),
            "Invalid cache action: both. Expecting: restore,save");
}

TEST(BuildspecParse, DescribeUsesAwsWording) {
  auto spec = parse_buildspec("version: 9\nphases: {}\n");
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.error().describe(), "YAML_FILE_ERROR Message: Invalid buildspec version: 9. Expecting: 0.1,0.2");
}

TEST(BuildspecLocation, InlineS3OrPath) {
  EXPECT_EQ(locate_buildspec("").kind, LocationKind::SourcePath);
  EXPECT_EQ(locate_buildspec("").path, "buildspec.yml");
  EXPECT_EQ(locate_buildspec("  ").path, "buildspec.yml");
  Location path = locate_buildspec("./config/buildspec-dev.yml");
  EXPECT_EQ(path.kind, LocationKind::SourcePath);
  EXPECT_EQ(path.path, "config/buildspec-dev.yml");
  Location s3 = locate_buildspec("arn:aws:s3:::my-codebuild-sample2/specs/buildspec.yml");
  EXPECT_EQ(s3.kind, LocationKind::S3Object);
  EXPECT_EQ(s3.bucket, "my-codebuild-sample2");
  EXPECT_EQ(s3.key, "specs/buildspec.yml");
  EXPECT_EQ(locate_buildspec("arn:aws-cn:s3:::b/k").bucket, "b");
  const std::string yaml = "version: 0.2\nphases:\n  build:\n    commands:\n      - make\n";
  Location inline_spec = locate_buildspec(yaml);
  EXPECT_EQ(inline_spec.kind, LocationKind::Inline);
  EXPECT_EQ(inline_spec.text, yaml);
  EXPECT_EQ(locate_buildspec("{version: 0.2, phases: {build: {commands: [make]}}}").kind, LocationKind::Inline);
  // Multi-line text is inline even when it is not valid YAML: the build then reports the error.
  EXPECT_EQ(locate_buildspec("version: 0.2\nphases:\n\tbuild:\n").kind, LocationKind::Inline);
}

}  // namespace
}  // namespace buildspec
