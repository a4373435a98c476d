// The progress protocol's encoding and parser, the tracker that folds records, the secret
// masker, the environment merge and the agent line format.
#include <gtest/gtest.h>

#include <string>

#include "services/codebuild/buildspec/agent_log.h"
#include "services/codebuild/buildspec/driver_protocol.h"
#include "services/codebuild/buildspec/environment.h"
#include "services/codebuild/buildspec/secret_masker.h"

namespace buildspec {
namespace {

TEST(DriverProtocol, FieldEncodingRoundTrips) {
  const std::string raw = "tab\there\nnew line\r\n100% %0A literal";
  const std::string encoded = encode_field(raw);
  EXPECT_EQ(encoded, "tab%09here%0Anew line%0D%0A100%25 %250A literal");
  EXPECT_EQ(decode_field(encoded), raw);
  EXPECT_EQ(decode_field("%zz%4"), "%zz%4");  // not escapes: kept as they are
}

TEST(DriverProtocol, EveryRecordKindRoundTrips) {
  std::vector<ProgressRecord> records(9);
  records[0].kind = RecordKind::Start;
  records[0].version = 1;
  records[0].time_ms = 1700000000000;
  records[1].kind = RecordKind::PhaseStart;
  records[1].phase = "BUILD";
  records[1].attempt = 2;
  records[1].time_ms = 1700000000001;
  records[2].kind = RecordKind::Command;
  records[2].phase = "BUILD";
  records[2].time_ms = 1700000000002;
  records[2].message = "if true; then\n\techo 'x'\nfi";
  records[3].kind = RecordKind::PhaseEnd;
  records[3].phase = "BUILD";
  records[3].attempt = 2;
  records[3].time_ms = 1700000000003;
  records[3].status = "FAILED";
  records[3].code = "COMMAND_EXECUTION_ERROR";
  records[3].message = "Error while executing command: make. Reason: exit status 2";
  records[4].kind = RecordKind::PhaseRetry;
  records[4].phase = "BUILD";
  records[4].attempt = 3;
  records[4].time_ms = 1700000000004;
  records[5].kind = RecordKind::Variable;
  records[5].name = "IMAGE_TAG";
  records[5].value = "a\tb\nc";
  records[6].kind = RecordKind::Variable;
  records[6].name = "NEVER";
  records[7].kind = RecordKind::ArtifactName;
  records[7].name = "";
  records[7].value = "app-1.0";
  records[8].kind = RecordKind::BuildEnd;
  records[8].status = "FAILED";
  records[8].time_ms = 1700000000009;
  records[8].next = "UPLOAD_ARTIFACTS";
  std::string stream;
  for (const auto& r : records) stream += format_record(r) + "\n";
  EXPECT_EQ(format_record(records[6]), "variable-unset\tNEVER");
  EXPECT_EQ(format_record(records[3]),
            "phase-end\tBUILD\t2\t1700000000003\tFAILED\tCOMMAND_EXECUTION_ERROR\tError while executing command: "
            "make. Reason: exit status 2");
  // Fed one byte at a time: records come out whole, in order.
  ProgressParser parser;
  std::vector<ProgressRecord> parsed;
  for (char c : stream) {
    for (auto& r : parser.feed(std::string_view(&c, 1))) parsed.push_back(std::move(r));
  }
  parser.finish();
  EXPECT_TRUE(parser.errors().empty());
  ASSERT_EQ(parsed.size(), records.size());
  for (size_t i = 0; i < records.size(); ++i) EXPECT_EQ(format_record(parsed[i]), format_record(records[i])) << i;
  EXPECT_EQ(parsed[5].value, std::optional<std::string>("a\tb\nc"));
  EXPECT_FALSE(parsed[6].value.has_value());
}

TEST(DriverProtocol, MalformedAndUnknownLinesAreSkipped) {
  ProgressParser parser;
  auto records = parser.feed(
      "phase-start\tBUILD\tone\t5\n"  // attempt not a number
      "build-end\tSUCCEEDED\n"        // missing fields
      "someday-record\tx\n"           // a type this version does not know
      "\n"
      "phase-start\tBUILD\t1\t5\n"
      "build-end\tSUCCEEDED\t6\tUPLOAD_");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].kind, RecordKind::PhaseStart);
  EXPECT_EQ(parser.errors().size(), 3u);
  parser.finish();  // a driver killed in the middle of a line
  EXPECT_EQ(parser.errors().size(), 4u);
  EXPECT_EQ(parser.errors().back(), "build-end\tSUCCEEDED\t6\tUPLOAD_");
}

TEST(DriverProtocol, TrackerFoldsPhasesRetriesAndTheEnd) {
  ProgressParser parser;
  ProgressTracker tracker;
  tracker.apply(parser.feed("start\t1\t100\nphase-start\tINSTALL\t1\t101\n"));
  EXPECT_TRUE(tracker.outcome().started);
  EXPECT_EQ(tracker.outcome().current_phase, "INSTALL");
  ASSERT_EQ(tracker.outcome().phases.size(), 1u);
  EXPECT_FALSE(tracker.outcome().phases[0].end_ms);
  tracker.apply(
      parser.feed("phase-end\tINSTALL\t1\t102\tSUCCEEDED\t\t\n"
                  "phase-start\tBUILD\t1\t103\nphase-end\tBUILD\t1\t104\tFAILED\tCOMMAND_EXECUTION_ERROR\tboom\n"
                  "phase-retry\tBUILD\t2\t104\nphase-start\tBUILD\t2\t105\nphase-end\tBUILD\t2\t106\tSUCCEEDED\t\t\n"
                  "variable\tTAG\tv1\nvariable-unset\tGONE\nartifact-name\textra\tx-1\n"
                  "build-end\tSUCCEEDED\t107\tUPLOAD_ARTIFACTS\n"));
  const DriverOutcome& o = tracker.outcome();
  ASSERT_EQ(o.phases.size(), 3u);
  EXPECT_EQ(o.phases[1].status, "FAILED");
  EXPECT_EQ(o.phases[1].message, "boom");
  EXPECT_EQ(o.phases[2].attempt, 2);
  EXPECT_EQ(o.phases[2].start_ms, 105);
  EXPECT_EQ(o.phases[2].end_ms, std::optional<int64_t>(106));
  EXPECT_EQ(o.current_phase, "BUILD");
  ASSERT_EQ(o.exported_variables.size(), 2u);
  EXPECT_EQ(o.exported_variables[0].second, std::optional<std::string>("v1"));
  EXPECT_FALSE(o.exported_variables[1].second);
  EXPECT_EQ(o.artifact_names[0], (std::pair<std::string, std::string>{"extra", "x-1"}));
  EXPECT_TRUE(o.finished);
  EXPECT_EQ(o.status, "SUCCEEDED");
  EXPECT_EQ(o.next, "UPLOAD_ARTIFACTS");
  EXPECT_EQ(o.end_ms, 107);
}

TEST(SecretMasker, MasksValuesSplitAcrossChunks) {
  SecretMasker masker({"hunter2", "s3cr3t-value"});
  std::string out;
  for (const std::string chunk : {"password is hun", "ter2 and s3cr", "3t-value", "!\nhunte", "r1 hunter"}) {
    out += masker.feed(chunk);
  }
  out += masker.finish();
  EXPECT_EQ(out, "password is *** and ***!\nhunter1 hunter");
}

TEST(SecretMasker, PrefersTheLongestSecretAndLeavesOtherTextAlone) {
  SecretMasker masker({"abc", "abcdef", ""});
  EXPECT_EQ(masker.feed("xabcdefy abcx ab"), "x***y ***x ");
  EXPECT_EQ(masker.finish(), "ab");
  SecretMasker none({});
  EXPECT_TRUE(none.empty());
  EXPECT_EQ(none.feed("abc"), "abc");
  // Nothing is held back when no secret can start in the tail.
  SecretMasker masker2({"zzz"});
  EXPECT_EQ(masker2.feed("line one\n"), "line one\n");
}

TEST(Environment, LaterLayersWinAndCodebuildVariablesAreReserved) {
  EnvironmentLayers layers;
  layers.service = {{"AWS_REGION", "us-east-1"}, {"HOME", "/root"}};
  layers.buildspec_plain = {{"STAGE", "buildspec"}, {"PATH", "$PATH:/x"}, {"ONLY_BUILDSPEC", "1"}};
  layers.buildspec_secrets = {{"DB_PASSWORD", "from-ssm"}, {"STAGE", "ssm"}};
  layers.project = {{"STAGE", "project"}, {"AWS_REGION", "eu-west-1"}};
  layers.overrides = {{"STAGE", "override"}};
  layers.codebuild = {{"CODEBUILD_BUILD_ID", "p:1"}};
  const std::vector<NameValue> expected{
      {"AWS_REGION", "eu-west-1"}, {"HOME", "/root"},           {"STAGE", "override"},        {"PATH", "$PATH:/x"},
      {"ONLY_BUILDSPEC", "1"},     {"DB_PASSWORD", "from-ssm"}, {"CODEBUILD_BUILD_ID", "p:1"}};
  EXPECT_EQ(merge_environment(layers), expected);
}

TEST(AgentLog, LinesUseAwsFormatInUtc) {
  const auto t = common::TimePoint(std::chrono::microseconds(1704164645123456LL));  // 2024-01-02T03:04:05.123456Z
  EXPECT_EQ(agent_line(t, "Entering phase BUILD"), "[Container] 2024/01/02 03:04:05.123456 Entering phase BUILD\n");
  EXPECT_EQ(phase_end_messages("UPLOAD_ARTIFACTS", nullptr),
            (std::vector<std::string>{"Phase complete: UPLOAD_ARTIFACTS State: SUCCEEDED",
                                      "Phase context status code:  Message: "}));
  const PhaseError error{kClientError, "no matching artifact paths found"};
  EXPECT_EQ(phase_end_messages("UPLOAD_ARTIFACTS", &error)[1],
            "Phase context status code: CLIENT_ERROR Message: no matching artifact paths found");
}

TEST(AgentLog, DownloadSourceMessages) {
  auto spec = parse_buildspec(
      "version: 0.2\nphases:\n  pre_build:\n    commands: [a, b, c]\n  build:\n"
      "    commands: [make]\n");
  ASSERT_TRUE(spec.ok());
  const std::vector<std::string> expected{"Processing environment variables",
                                          "No runtime version selected in buildspec.",
                                          "Moving to directory /codebuild/output/src1/src",
                                          "Cache is not defined in the buildspec",
                                          "Skip cache due to: no paths specified to be cached",
                                          "Registering with agent",
                                          "Phases found in YAML: 2",
                                          " PRE_BUILD: 3 commands",
                                          " BUILD: 1 commands",
                                          "Phase complete: DOWNLOAD_SOURCE State: SUCCEEDED",
                                          "Phase context status code:  Message: "};
  EXPECT_EQ(download_source_end_messages(*spec, "/codebuild/output/src1/src"), expected);
  EXPECT_EQ(download_source_start_messages("/s", "/s/buildspec.yml").back(), "YAML location is /s/buildspec.yml");
}

}  // namespace
}  // namespace buildspec
