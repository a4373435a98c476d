// Test reports: the JUnit XML reader and ReportsEngine against real SQLite (":memory:").
#include "services/codebuild/engine/reports.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <memory>

#include "events/bus.h"
#include "services/codebuild/engine/codebuild_engine.h"
#include "store/db.h"
#include "testing/fake_clock.h"

namespace codebuild {
namespace {

using Json = common::Json;

// What pytest --junitxml writes (one suite, classname per module), with a failure, an error,
// a skip and a pass.
constexpr const char* kPytest = R"(<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" errors="1" failures="1" skipped="1" tests="4" time="0.050">
<testcase classname="test_app" name="test_ok" time="0.001" />
<testcase classname="test_app" name="test_bad" time="0.002"><failure message="assert 1 == 2">def test_bad():
&gt;       assert 1 == 2</failure></testcase>
<testcase classname="test_app" name="test_broken" time="0.5"><error message="fixture 'db' not found">E  fixture</error></testcase>
<testcase classname="test_app" name="test_later" time="0"><skipped type="pytest.skip" message="not yet">skip</skipped></testcase>
</testsuite></testsuites>)";

TEST(JunitXmlTest, ReadsPytestOutput) {
  auto cases = parse_junit_xml(kPytest, "reports/junit.xml");
  ASSERT_TRUE(cases.ok()) << cases.error();
  ASSERT_EQ(cases->size(), 4u);
  const auto& c = *cases;
  EXPECT_EQ(c[0].name, "test_ok");
  EXPECT_EQ(c[0].prefix, "test_app");
  EXPECT_EQ(c[0].suite_name, "pytest");
  EXPECT_EQ(c[0].status, "SUCCEEDED");
  EXPECT_EQ(c[0].duration_ns, 1000000);
  EXPECT_EQ(c[0].raw_path, "reports/junit.xml");
  EXPECT_EQ(c[1].status, "FAILED");
  EXPECT_EQ(c[1].message, "assert 1 == 2\ndef test_bad():\n>       assert 1 == 2");
  EXPECT_EQ(c[2].status, "ERROR");
  EXPECT_EQ(c[2].duration_ns, 500000000);
  EXPECT_EQ(c[3].status, "SKIPPED");
  EXPECT_EQ(c[3].message, "not yet\nskip");
}

TEST(JunitXmlTest, NestedSuitesAndNoClassname) {
  auto cases = parse_junit_xml(R"(<testsuite name="outer"><testsuite name="inner">
      <testcase name="a" time="1,234.5"/></testsuite><testcase name="b"><failure>boom</failure>
      <error message="worse"/></testcase></testsuite>)",
                               "x.xml");
  ASSERT_TRUE(cases.ok()) << cases.error();
  ASSERT_EQ(cases->size(), 2u);
  EXPECT_EQ((*cases)[0].prefix, "inner");
  EXPECT_EQ((*cases)[0].duration_ns, 1234500000000);
  EXPECT_EQ((*cases)[1].prefix, "outer");
  EXPECT_EQ((*cases)[1].status, "ERROR");  // the worse outcome wins
  EXPECT_EQ((*cases)[1].message, "worse");
}

TEST(JunitXmlTest, RejectsMalformedXml) {
  auto cases = parse_junit_xml("<testsuite><testcase name='a'></testsuite>", "x.xml");
  ASSERT_FALSE(cases.ok());
  EXPECT_NE(cases.error().find("line 1"), std::string::npos) << cases.error();
  EXPECT_FALSE(parse_junit_xml("", "x.xml").ok());
}

TEST(ReportNamesTest, ParsesArns) {
  auto key = parse_report_group_arn("arn:aws:codebuild:us-east-1:123456789012:report-group/p-unit");
  ASSERT_TRUE(key);
  EXPECT_EQ(key->account, "123456789012");
  EXPECT_EQ(key->region, "us-east-1");
  EXPECT_EQ(key->name, "p-unit");
  EXPECT_EQ(report_group_arn(*key), "arn:aws:codebuild:us-east-1:123456789012:report-group/p-unit");
  EXPECT_FALSE(parse_report_group_arn("p-unit"));
  EXPECT_FALSE(parse_report_group_arn("arn:aws:codebuild:us-east-1:123456789012:project/p"));
  auto group = group_of_report_arn("arn:aws:codebuild:us-east-1:123456789012:report/p-unit:0f1e-uuid");
  ASSERT_TRUE(group);
  EXPECT_EQ(group->name, "p-unit");
  EXPECT_FALSE(group_of_report_arn("arn:aws:codebuild:us-east-1:123456789012:report/p-unit"));
}

class ReportsEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = store::Db::open(":memory:");
    ASSERT_TRUE(db.ok());
    db_ = std::move(*db);
    bus_ = std::make_unique<events::Bus>(*db_, clock_);
    ASSERT_TRUE(bus_->migrate().ok());
    engine_ = std::make_unique<CodebuildEngine>(*db_, clock_, *bus_);
    ASSERT_TRUE(engine_->migrate().ok());
    ASSERT_TRUE(engine_->create_project(project_, Json{{"source", {{"type", "NO_SOURCE"}, {"buildspec", "x"}}}}).ok());
  }

  ReportsEngine& reports() { return engine_->reports(); }

  std::string start_build() {
    StartBuildInput input;
    input.project = project_;
    input.build = Json{{"initiator", "alice"}, {"timeoutInMinutes", 60}};
    auto build = engine_->start_build(input);
    EXPECT_TRUE(build.ok());
    return build.ok() ? (*build)["id"].get<std::string>() : "";
  }

  Json add(const std::string& build_id, const std::string& group, const std::vector<TestCaseResult>& cases,
           const std::string& status) {
    NewReport report{ReportGroupKey{"123456789012", "us-east-1", group},
                     build_id.substr(build_id.find(':') + 1),
                     build_id,
                     "arn:aws:codebuild:us-east-1:123456789012:build/" + build_id,
                     status,
                     cases};
    auto made = reports().add_report(report);
    EXPECT_TRUE(made.ok()) << (made.ok() ? "" : made.error().message);
    return made.ok() ? *made : Json();
  }

  static std::vector<TestCaseResult> sample_cases() {
    auto cases = parse_junit_xml(kPytest, "reports/junit.xml");
    return cases.ok() ? *cases : std::vector<TestCaseResult>{};
  }

  testing_support::FakeClock clock_;
  std::unique_ptr<store::Db> db_;
  std::unique_ptr<events::Bus> bus_;
  std::unique_ptr<CodebuildEngine> engine_;
  ProjectKey project_{"123456789012", "us-east-1", "proj"};
  ReportGroupKey group_{"123456789012", "us-east-1", "unit"};
};

TEST_F(ReportsEngineTest, ReportGroupLifecycle) {
  auto made = reports().create_report_group(
      group_, Json{{"type", "TEST"}, {"exportConfig", {{"exportConfigType", "NO_EXPORT"}}}});
  ASSERT_TRUE(made.ok());
  EXPECT_EQ((*made)["arn"], "arn:aws:codebuild:us-east-1:123456789012:report-group/unit");
  EXPECT_EQ((*made)["status"], "ACTIVE");
  EXPECT_EQ((*made)["created"], 1700000000.0);
  auto again = reports().create_report_group(group_, Json{{"type", "TEST"}});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, Errc::ResourceAlreadyExists);

  clock_.advance(std::chrono::seconds(5));
  Json tags = Json::array({Json{{"key", "team"}, {"value", "a"}}});
  auto updated = reports().update_report_group(group_, std::nullopt, tags);
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ((*updated)["tags"], tags);
  EXPECT_EQ((*updated)["lastModified"], 1700000005.0);
  EXPECT_EQ((*updated)["exportConfig"]["exportConfigType"], "NO_EXPORT");

  auto missing = reports().update_report_group(ReportGroupKey{"123456789012", "us-east-1", "nope"}, std::nullopt, tags);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, Errc::ResourceNotFound);

  ASSERT_TRUE(reports().delete_report_group(group_, false).ok());
  auto gone = reports().get_report_group(group_);
  ASSERT_TRUE(gone.ok());
  EXPECT_FALSE(*gone);
}

TEST_F(ReportsEngineTest, ListsGroupsSorted) {
  for (const char* name : {"bb", "aa", "cc"}) {
    ASSERT_TRUE(
        reports().create_report_group(ReportGroupKey{"123456789012", "us-east-1", name}, Json{{"type", "TEST"}}).ok());
    clock_.advance(std::chrono::seconds(1));
  }
  ASSERT_TRUE(
      reports().create_report_group(ReportGroupKey{"999999999999", "us-east-1", "zz"}, Json{{"type", "TEST"}}).ok());
  auto by_name = reports().list_report_groups("123456789012", "us-east-1", "NAME", true);
  ASSERT_TRUE(by_name.ok());
  ASSERT_EQ(by_name->size(), 3u);
  EXPECT_EQ((*by_name)[0], "arn:aws:codebuild:us-east-1:123456789012:report-group/aa");
  auto newest = reports().list_report_groups("123456789012", "us-east-1", "CREATED_TIME", false);
  ASSERT_TRUE(newest.ok());
  EXPECT_EQ((*newest)[0], "arn:aws:codebuild:us-east-1:123456789012:report-group/cc");
}

TEST_F(ReportsEngineTest, AddReportCreatesGroupAndListsOnBuild) {
  std::string build = start_build();
  clock_.set(common::from_epoch_seconds(1700000000) + std::chrono::milliseconds(250));
  Json report = add(build, "proj-unit", sample_cases(), "FAILED");
  std::string uuid = build.substr(build.find(':') + 1);
  EXPECT_EQ(report["arn"], "arn:aws:codebuild:us-east-1:123456789012:report/proj-unit:" + uuid);
  EXPECT_EQ(report["reportGroupArn"], "arn:aws:codebuild:us-east-1:123456789012:report-group/proj-unit");
  EXPECT_EQ(report["status"], "FAILED");
  EXPECT_EQ(report["type"], "TEST");
  EXPECT_NEAR(report["created"].get<double>(), 1700000000.25, 1e-3);
  EXPECT_EQ(report["expired"], 1700000000.0 + 30 * 24 * 3600);  // whole seconds, as AWS shows it
  const Json& summary = report["testSummary"];
  EXPECT_EQ(summary["total"], 4);
  EXPECT_EQ(summary["statusCounts"]["SUCCEEDED"], 1);
  EXPECT_EQ(summary["statusCounts"]["FAILED"], 1);
  EXPECT_EQ(summary["statusCounts"]["ERROR"], 1);
  EXPECT_EQ(summary["statusCounts"]["SKIPPED"], 1);
  EXPECT_EQ(summary["durationInNanoSeconds"], 503000000);

  auto group = reports().get_report_group(ReportGroupKey{"123456789012", "us-east-1", "proj-unit"});
  ASSERT_TRUE(group.ok() && *group);
  EXPECT_EQ((**group)["type"], "TEST");
  EXPECT_EQ((**group)["exportConfig"]["exportConfigType"], "NO_EXPORT");

  auto doc = engine_->get_build(BuildRef{"123456789012", "us-east-1", build});
  ASSERT_TRUE(doc.ok() && *doc);
  EXPECT_EQ((**doc)["reportArns"], Json::array({report["arn"]}));
}

TEST_F(ReportsEngineTest, TestCasesFilterByStatusAndKeyword) {
  std::string build = start_build();
  Json report = add(build, "proj-unit", sample_cases(), "FAILED");
  std::string arn = report["arn"];
  auto all = reports().test_cases(arn, ReportFilter{});
  ASSERT_TRUE(all.ok() && *all);
  ASSERT_EQ((*all)->size(), 4u);
  EXPECT_EQ((**all)[0]["reportArn"], arn);
  EXPECT_EQ((**all)[0]["testRawDataPath"], "reports/junit.xml");
  EXPECT_FALSE((**all)[0].contains("message"));
  auto failed = reports().test_cases(arn, ReportFilter{"FAILED", ""});
  ASSERT_TRUE(failed.ok() && *failed);
  ASSERT_EQ((*failed)->size(), 1u);
  EXPECT_EQ((**failed)[0]["name"], "test_bad");
  EXPECT_EQ((**failed)[0]["prefix"], "test_app");
  auto keyword = reports().test_cases(arn, ReportFilter{"", "later"});
  ASSERT_TRUE(keyword.ok() && *keyword);
  ASSERT_EQ((*keyword)->size(), 1u);
  EXPECT_EQ((**keyword)[0]["status"], "SKIPPED");
  auto missing = reports().test_cases(arn + "x", ReportFilter{});
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(*missing);
}

TEST_F(ReportsEngineTest, ListsReportsAndDeletes) {
  std::string first = start_build();
  clock_.advance(std::chrono::seconds(1));
  std::string second = start_build();
  Json a = add(first, "proj-unit", sample_cases(), "FAILED");
  Json b = add(second, "proj-unit", {}, "SUCCEEDED");
  Json c = add(second, "proj-other", {}, "SUCCEEDED");
  auto in_group = reports().list_reports("123456789012", "us-east-1", std::string("proj-unit"), "", false);
  ASSERT_TRUE(in_group.ok());
  EXPECT_EQ(*in_group, (std::vector<std::string>{b["arn"], a["arn"]}));
  auto failed = reports().list_reports("123456789012", "us-east-1", std::nullopt, "FAILED", false);
  ASSERT_TRUE(failed.ok());
  EXPECT_EQ(*failed, (std::vector<std::string>{a["arn"]}));
  auto all = reports().list_reports("123456789012", "us-east-1", std::nullopt, "", true);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 3u);

  // A group with reports goes only with deleteReports.
  ReportGroupKey unit{"123456789012", "us-east-1", "proj-unit"};
  auto refused = reports().delete_report_group(unit, false);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, Errc::InvalidInput);
  ASSERT_TRUE(reports().delete_report(b["arn"]).ok());
  ASSERT_TRUE(reports().delete_report(b["arn"]).ok());  // absent: no error
  ASSERT_TRUE(reports().delete_report_group(unit, true).ok());
  auto gone = reports().get_report(a["arn"]);
  ASSERT_TRUE(gone.ok());
  EXPECT_FALSE(*gone);
  auto cases = reports().test_cases(a["arn"], ReportFilter{});
  ASSERT_TRUE(cases.ok());
  EXPECT_FALSE(*cases);
  auto other = reports().get_report(c["arn"]);
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(*other);
}

TEST_F(ReportsEngineTest, TrendOfNewestReports) {
  std::vector<TestCaseResult> passing(2, TestCaseResult{"t", "p", "s", "SUCCEEDED", "", 1000, "f"});
  std::string first = start_build();
  add(first, "proj-unit", sample_cases(), "FAILED");  // 1 of 4 passed
  std::string second = start_build();
  add(second, "proj-unit", passing, "SUCCEEDED");
  ReportGroupKey unit{"123456789012", "us-east-1", "proj-unit"};
  auto rate = reports().trend(unit, 100, "PASS_RATE");
  ASSERT_TRUE(rate.ok());
  ASSERT_EQ(rate->size(), 2u);
  EXPECT_EQ((*rate)[0].data, "100");
  EXPECT_EQ((*rate)[1].data, "25");
  auto total = reports().trend(unit, 1, "TOTAL");
  ASSERT_TRUE(total.ok());
  ASSERT_EQ(total->size(), 1u);
  EXPECT_EQ((*total)[0].data, "2");
  auto coverage = reports().trend(unit, 10, "LINE_COVERAGE");
  ASSERT_TRUE(coverage.ok());
  EXPECT_TRUE(coverage->empty());
}

}  // namespace
}  // namespace codebuild
