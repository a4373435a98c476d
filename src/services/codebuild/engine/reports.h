// CodeBuild's test reports: report groups, the reports builds publish into them and their test
// cases (durable records in the "codebuild" schema, engine/migrations.cc step 2), plus the JUnit
// XML reader the runner feeds them with. Like the rest of engine/, no HTTP or AWS error strings:
// failures are codebuild::Error.
//
// Report groups are stored as their wire document (ReportGroup); reports as the Report
// document; test cases one row each (TestCase document), so DescribeTestCases filters by status
// in SQL. A report's ARN is arn:aws:codebuild:<region>:<account>:report/<group>:<build uuid>.
//
// Thread-safe: every method may be called concurrently.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/json.h"
#include "common/result.h"
#include "services/codebuild/model/errors.h"
#include "store/db.h"

namespace codebuild {

// --- JUnit XML ---

struct TestCaseResult {
  std::string name;
  std::string prefix;      // the testcase's classname, else its suite's name
  std::string suite_name;  // the enclosing <testsuite name=...>
  std::string status;      // SUCCEEDED | FAILED | ERROR | SKIPPED
  std::string message;     // failure/error/skipped: message attribute, then the element's text
  int64_t duration_ns = 0;
  std::string raw_path;  // the file it came from (testRawDataPath)
};

// The test cases of one JUnit XML document (<testsuites>, <testsuite> nested at any depth, or a
// lone <testcase>), or a message saying why it is not one.
common::Result<std::vector<TestCaseResult>, std::string> parse_junit_xml(std::string_view xml,
                                                                         const std::string& raw_path);

// --- names ---

struct ReportGroupKey {
  std::string account;
  std::string region;
  std::string name;
};

std::string report_group_arn(const ReportGroupKey& key);
// arn:aws:codebuild:<region>:<account>:report-group/<name>; nullopt when it is not one.
std::optional<ReportGroupKey> parse_report_group_arn(std::string_view arn);
// A report ARN (…:report/<group>:<uuid>) -> its group; nullopt when it is not one.
std::optional<ReportGroupKey> group_of_report_arn(std::string_view arn);

// --- the engine ---

struct NewReport {
  ReportGroupKey group;
  std::string build_uuid;
  std::string build_id;      // <project>:<uuid>: the build whose reportArns lists the report
  std::string execution_id;  // the build's ARN
  std::string status;        // SUCCEEDED | FAILED (from the cases) | INCOMPLETE
  std::vector<TestCaseResult> cases;
};

struct ReportFilter {
  std::string status;   // "" = any
  std::string keyword;  // test cases: substring of name or prefix ("" = any)
};

struct TrendPoint {
  std::string report_arn;
  std::string data;
};

class ReportsEngine {
 public:
  template <class T>
  using Result = common::Result<T, Error>;
  using Status = common::Status<Error>;
  using Json = common::Json;

  ReportsEngine(store::Db& db, const common::Clock& clock) : db_(db), clock_(clock) {}

  // --- report groups ---
  // `group`: the ReportGroup members the caller gave (type, exportConfig, tags); the engine adds
  // arn, name, created, lastModified, status ACTIVE. ResourceAlreadyExists when the name is taken.
  Result<Json> create_report_group(const ReportGroupKey& key, Json group);
  // Replaces exportConfig and/or tags when given. ResourceNotFound when absent.
  Result<Json> update_report_group(const ReportGroupKey& key, const std::optional<Json>& export_config,
                                   const std::optional<Json>& tags);
  // InvalidInput when the group has reports and !delete_reports; absent groups are no error.
  Status delete_report_group(const ReportGroupKey& key, bool delete_reports);
  Result<std::optional<Json>> get_report_group(const ReportGroupKey& key);
  // ARNs; sort_by NAME | CREATED_TIME | LAST_MODIFIED_TIME.
  Result<std::vector<std::string>> list_report_groups(const std::string& account, const std::string& region,
                                                      const std::string& sort_by, bool ascending);

  // --- reports ---
  // Stores the report and its cases (creating the group as a TEST group without export when it
  // does not exist: a buildspec's name) and appends its ARN to the build's reportArns.
  Result<Json> add_report(const NewReport& report);
  Result<std::optional<Json>> get_report(const std::string& arn);
  // group nullopt = every report of the account and region; newest first unless ascending.
  Result<std::vector<std::string>> list_reports(const std::string& account, const std::string& region,
                                                const std::optional<std::string>& group_name, const std::string& status,
                                                bool ascending);
  // Absent reports are no error.
  Status delete_report(const std::string& arn);
  // nullopt when the report does not exist.
  Result<std::optional<std::vector<Json>>> test_cases(const std::string& report_arn, const ReportFilter& filter);
  // The newest `count` reports of the group: field PASS_RATE | DURATION | TOTAL (coverage fields
  // have no data in TEST reports).
  Result<std::vector<TrendPoint>> trend(const ReportGroupKey& key, int count, const std::string& field);

 private:
  Status append_report_arn(const std::string& account, const std::string& region, const std::string& build_id,
                           const std::string& arn);
  Result<Json> ensure_group(const ReportGroupKey& key);

  store::Db& db_;
  const common::Clock& clock_;
};

}  // namespace codebuild
