// Test reports: after the driver's last phase, each entry of the buildspec's `reports:` becomes
// one report in its report group (a name: `<project>-<name>`, created on first use as a TEST
// group; an ARN: that existing group), with the test cases of the JUnit XML files it selects.
// A report that cannot be made is logged and skipped: reports never fail the build (AWS too).
#include <filesystem>
#include <fstream>
#include <sstream>

#include "services/codebuild/buildspec/artifacts.h"
#include "services/codebuild/model/names.h"
#include "services/codebuild/runner/build_job.h"

namespace codebuild::runner {
namespace {

constexpr std::uintmax_t kMaxReportFileBytes = 64u << 20;

std::optional<std::string> read_file(const std::string& path, std::string& error) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec) {
    error = ec.message();
    return std::nullopt;
  }
  if (size > kMaxReportFileBytes) {
    error = "file is larger than 64 MiB";
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) {
    error = "cannot read it";
    return std::nullopt;
  }
  return text.str();
}

std::string report_status(const std::vector<TestCaseResult>& cases) {
  for (const auto& c : cases) {
    if (c.status == "FAILED" || c.status == "ERROR") return "FAILED";
  }
  return "SUCCEEDED";
}

}  // namespace

std::optional<Failure> BuildRun::publish_reports() {
  ReportsEngine& reports = deps_.engine.reports();
  std::string project = ref_.id.substr(0, ref_.id.find(':'));
  for (const buildspec::ReportSpec& spec : spec_.reports) {
    ReportGroupKey group{ref_.account, ref_.region, project + "-" + spec.group};
    if (spec.group.rfind("arn:", 0) == 0) {
      auto named = parse_report_group_arn(spec.group);
      bool exists = false;
      if (named && named->account == ref_.account && named->region == ref_.region) {
        auto existing = reports.get_report_group(*named);
        exists = existing.ok() && existing->has_value();
      }
      if (!exists) {
        log_.agent("Error: report group " + spec.group + " does not exist; skipping its report");
        continue;
      }
      group = *named;
    }
    log_.agent("Preparing to copy TEST report " + group.name);
    buildspec::ArtifactSpec selection;
    selection.files = spec.files;
    selection.base_directory = spec.base_directory;
    selection.discard_paths = spec.discard_paths;
    std::vector<std::string> lines;
    auto files = buildspec::select_artifacts(host_src_, selection, &lines);
    log_.agent(lines);
    if (!files.ok()) {
      log_.agent("Error: no matching report paths found for report group " + group.name);
      continue;
    }
    NewReport report{group, uuid_, ref_.id, build_arn(ref_.region, ref_.account, ref_.id), "", {}};
    if (spec.file_format != "JUNITXML") {
      log_.agent("Error: report group " + group.name + ": file format " + spec.file_format +
                 " is not supported by hakobu; the report is INCOMPLETE");
      report.status = "INCOMPLETE";
    } else {
      bool broken = false;
      for (const auto& file : *files) {
        std::string why;
        auto text = read_file(file.source_path, why);
        auto cases = text ? parse_junit_xml(*text, file.archive_path)
                          : common::Result<std::vector<TestCaseResult>, std::string>(common::fail(why));
        if (!cases.ok()) {
          log_.agent("Error: report group " + group.name + ": cannot parse " + file.archive_path +
                     " as JUnit XML: " + cases.error());
          broken = true;
          continue;
        }
        for (auto& c : *cases) report.cases.push_back(std::move(c));
      }
      report.status = broken ? "INCOMPLETE" : report_status(report.cases);
    }
    auto made = reports.add_report(report);
    if (!made.ok()) {
      log_.agent("Error: report group " + group.name + ": " + made.error().message);
      continue;
    }
    log_.agent("Report " + group.name + ": " + std::to_string(report.cases.size()) + " test case(s), status " +
               report.status);
  }
  return std::nullopt;
}

}  // namespace codebuild::runner
