// CreateReportGroup, UpdateReportGroup, DeleteReportGroup, BatchGetReportGroups,
// ListReportGroups, ListReports, ListReportsForReportGroup, BatchGetReports, DeleteReport,
// DescribeTestCases, GetReportGroupTrend. Report groups and reports are named by ARN; an ARN of
// another account or region names nothing here.
#include "services/codebuild/api/reports.h"

#include <algorithm>
#include <cstdio>
#include <functional>

#include "services/codebuild/api/api.h"

namespace codebuild::api {
namespace {

using dispatch::AuthzFn;
using dispatch::AuthzResource;
using dispatch::AuthzTarget;

using Handler = HandlerResult (*)(ReportsEngine&, RequestContext&, const Json&);

bool ours(const RequestContext& context, const ReportGroupKey& key) {
  return key.account == context.account_id() && key.region == context.region;
}

// A report group ARN of the caller's account and region; InvalidInput when it is no such ARN.
common::Result<ReportGroupKey, aws::AwsError> group_key(const RequestContext& context, const std::string& arn) {
  auto key = parse_report_group_arn(arn);
  if (!key) return common::fail(invalid_input("Invalid report group ARN: " + arn));
  if (!ours(context, *key)) return ReportGroupKey{context.account_id(), context.region, "\n"};  // matches nothing
  return *key;
}

aws::AwsError group_not_found(const std::string& arn) {
  return to_aws_error(error(Errc::ResourceNotFound, "Report group with arn " + arn + " does not exist"));
}

// A page of `items`: maxResults (1..100, 100 by default) from the token's offset.
HandlerResult paged(const Json& input, const char* member, const std::vector<std::string>& items) {
  auto offset = page_offset(input);
  if (!offset.ok()) return common::fail(offset.error());
  size_t size = static_cast<size_t>(std::clamp(input.value("maxResults", 100), 1, 100));
  Json out = Json::object();
  Json page = Json::array();
  for (size_t i = *offset; i < items.size() && i < *offset + size; ++i) page.push_back(items[i]);
  out[member] = std::move(page);
  if (*offset + size < items.size()) out["nextToken"] = "hkcb-" + std::to_string(*offset + size);
  return out;
}

// exportConfig S3 needs a bucket (the model leaves s3Destination optional).
std::optional<aws::AwsError> check_export_config(const Json& input) {
  auto it = input.find("exportConfig");
  if (it == input.end() || str(*it, "exportConfigType") != "S3") return std::nullopt;
  const Json& destination = it->value("s3Destination", Json::object());
  if (str(destination, "bucket").empty()) return invalid_input("Export to S3 requires an s3Destination bucket");
  return std::nullopt;
}

HandlerResult create_report_group(ReportsEngine& reports, RequestContext& context, const Json& input) {
  if (auto e = check_export_config(input)) return common::fail(*e);
  Json group{{"type", str(input, "type")}, {"exportConfig", input.value("exportConfig", Json::object())}};
  if (input.contains("tags")) group["tags"] = input["tags"];
  auto made =
      reports.create_report_group(ReportGroupKey{context.account_id(), context.region, str(input, "name")}, group);
  if (!made.ok()) return common::fail(to_aws_error(made.error()));
  return Json{{"reportGroup", *made}};
}

HandlerResult update_report_group(ReportsEngine& reports, RequestContext& context, const Json& input) {
  if (auto e = check_export_config(input)) return common::fail(*e);
  auto key = group_key(context, str(input, "arn"));
  if (!key.ok()) return common::fail(key.error());
  std::optional<Json> export_config, tags;
  if (input.contains("exportConfig")) export_config = input["exportConfig"];
  if (input.contains("tags")) tags = input["tags"];
  auto updated = reports.update_report_group(*key, export_config, tags);
  if (!updated.ok()) {
    if (updated.error().code == Errc::ResourceNotFound) return common::fail(group_not_found(str(input, "arn")));
    return common::fail(to_aws_error(updated.error()));
  }
  return Json{{"reportGroup", *updated}};
}

HandlerResult delete_report_group(ReportsEngine& reports, RequestContext& context, const Json& input) {
  auto key = group_key(context, str(input, "arn"));
  if (!key.ok()) return common::fail(key.error());
  auto done = reports.delete_report_group(*key, input.value("deleteReports", false));
  if (!done.ok()) return common::fail(to_aws_error(done.error()));
  return Json::object();
}

// BatchGet*: each ARN of `list` found (`lookup` gives nullopt for one that names nothing of the
// caller's) or listed as not found, in order.
HandlerResult batch_get(const Json& input, const char* list, const char* found_key, const char* missing_key,
                        const std::function<ReportsEngine::Result<std::optional<Json>>(const std::string&)>& lookup) {
  Json found = Json::array();
  Json missing = Json::array();
  for (const auto& item : input.value(list, Json::array())) {
    std::string arn = item.is_string() ? item.get<std::string>() : std::string();
    auto got = lookup(arn);
    if (!got.ok()) return common::fail(to_aws_error(got.error()));
    if (*got) {
      found.push_back(std::move(**got));
    } else {
      missing.push_back(arn);
    }
  }
  return Json{{found_key, found}, {missing_key, missing}};
}

HandlerResult batch_get_report_groups(ReportsEngine& reports, RequestContext& context, const Json& input) {
  return batch_get(input, "reportGroupArns", "reportGroups", "reportGroupsNotFound",
                   [&](const std::string& arn) -> ReportsEngine::Result<std::optional<Json>> {
                     auto key = parse_report_group_arn(arn);
                     if (!key || !ours(context, *key)) return std::optional<Json>();
                     return reports.get_report_group(*key);
                   });
}

HandlerResult list_report_groups(ReportsEngine& reports, RequestContext& context, const Json& input) {
  std::string sort_by = str(input, "sortBy");
  auto arns =
      reports.list_report_groups(context.account_id(), context.region, sort_by.empty() ? "CREATED_TIME" : sort_by,
                                 str(input, "sortOrder") == "ASCENDING");
  if (!arns.ok()) return common::fail(to_aws_error(arns.error()));
  return paged(input, "reportGroups", *arns);
}

std::string status_filter(const Json& input) { return str(input.value("filter", Json::object()), "status"); }

HandlerResult list_reports(ReportsEngine& reports, RequestContext& context, const Json& input) {
  auto arns = reports.list_reports(context.account_id(), context.region, std::nullopt, status_filter(input),
                                   str(input, "sortOrder") == "ASCENDING");
  if (!arns.ok()) return common::fail(to_aws_error(arns.error()));
  return paged(input, "reports", *arns);
}

HandlerResult list_reports_for_report_group(ReportsEngine& reports, RequestContext& context, const Json& input) {
  std::string arn = str(input, "reportGroupArn");
  auto key = group_key(context, arn);
  if (!key.ok()) return common::fail(key.error());
  auto group = reports.get_report_group(*key);
  if (!group.ok()) return common::fail(to_aws_error(group.error()));
  if (!*group) return common::fail(group_not_found(arn));
  auto arns = reports.list_reports(key->account, key->region, key->name, status_filter(input),
                                   str(input, "sortOrder") == "ASCENDING");
  if (!arns.ok()) return common::fail(to_aws_error(arns.error()));
  return paged(input, "reports", *arns);
}

// A report ARN of the caller's account and region, else "" (names nothing).
std::string own_report_arn(const RequestContext& context, const std::string& arn) {
  auto key = group_of_report_arn(arn);
  return key && ours(context, *key) ? arn : std::string();
}

HandlerResult batch_get_reports(ReportsEngine& reports, RequestContext& context, const Json& input) {
  return batch_get(input, "reportArns", "reports", "reportsNotFound",
                   [&](const std::string& arn) -> ReportsEngine::Result<std::optional<Json>> {
                     std::string own = own_report_arn(context, arn);
                     if (own.empty()) return std::optional<Json>();
                     return reports.get_report(own);
                   });
}

HandlerResult delete_report(ReportsEngine& reports, RequestContext& context, const Json& input) {
  std::string arn = str(input, "arn");
  if (!group_of_report_arn(arn)) return common::fail(invalid_input("Invalid report ARN: " + arn));
  if (std::string own = own_report_arn(context, arn); !own.empty()) {
    if (auto done = reports.delete_report(own); !done.ok()) return common::fail(to_aws_error(done.error()));
  }
  return Json::object();
}

HandlerResult describe_test_cases(ReportsEngine& reports, RequestContext& context, const Json& input) {
  std::string arn = str(input, "reportArn");
  const Json& filter = input.value("filter", Json::object());
  ReportFilter wanted{str(filter, "status"), str(filter, "keyword")};
  static const std::vector<std::string> kStatuses{"SUCCEEDED", "FAILED", "ERROR", "SKIPPED", "UNKNOWN"};
  if (!wanted.status.empty() && std::find(kStatuses.begin(), kStatuses.end(), wanted.status) == kStatuses.end()) {
    return common::fail(invalid_input("Invalid test case status filter: " + wanted.status +
                                      ". Valid values: SUCCEEDED, FAILED, ERROR, SKIPPED, UNKNOWN"));
  }
  std::optional<std::vector<Json>> cases;
  if (std::string own = own_report_arn(context, arn); !own.empty()) {
    auto got = reports.test_cases(own, wanted);
    if (!got.ok()) return common::fail(to_aws_error(got.error()));
    cases = std::move(*got);
  }
  if (!cases) return common::fail(to_aws_error(error(Errc::ResourceNotFound, "Report " + arn + " does not exist")));
  auto offset = page_offset(input);
  if (!offset.ok()) return common::fail(offset.error());
  size_t size = static_cast<size_t>(std::clamp(input.value("maxResults", 100), 1, 100));
  Json out{{"testCases", Json::array()}};
  for (size_t i = *offset; i < cases->size() && i < *offset + size; ++i) out["testCases"].push_back((*cases)[i]);
  if (*offset + size < cases->size()) out["nextToken"] = "hkcb-" + std::to_string(*offset + size);
  return out;
}

std::string decimal(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.2f", value);
  std::string text = buffer;
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text;
}

HandlerResult get_report_group_trend(ReportsEngine& reports, RequestContext& context, const Json& input) {
  std::string arn = str(input, "reportGroupArn");
  auto key = group_key(context, arn);
  if (!key.ok()) return common::fail(key.error());
  auto group = reports.get_report_group(*key);
  if (!group.ok()) return common::fail(to_aws_error(group.error()));
  if (!*group) return common::fail(group_not_found(arn));
  auto points = reports.trend(*key, std::clamp(input.value("numOfReports", 100), 1, 100), str(input, "trendField"));
  if (!points.ok()) return common::fail(to_aws_error(points.error()));
  Json raw = Json::array();
  Json stats = Json::object();
  if (!points->empty()) {
    double sum = 0, low = 0, high = 0;
    for (size_t i = 0; i < points->size(); ++i) {
      double v = std::strtod((*points)[i].data.c_str(), nullptr);
      raw.push_back(Json{{"reportArn", (*points)[i].report_arn}, {"data", (*points)[i].data}});
      sum += v;
      low = i == 0 ? v : std::min(low, v);
      high = i == 0 ? v : std::max(high, v);
    }
    stats = Json{
        {"average", decimal(sum / static_cast<double>(points->size()))}, {"max", decimal(high)}, {"min", decimal(low)}};
  }
  return Json{{"stats", stats}, {"rawData", raw}};
}

// --- IAM targets ---

AuthzTarget on_resource(std::string arn) {
  AuthzTarget target;
  target.resources.push_back(AuthzResource{std::move(arn), "", std::nullopt});
  return target;
}

// A report group named by `member` (its ARN).
AuthzFn on_group(const char* member) {
  return [member](const RequestContext&, const Json& input) { return on_resource(str(input, member)); };
}

AuthzFn on_new_group() {
  return [](const RequestContext& context, const Json& input) {
    return on_resource(report_group_arn(ReportGroupKey{context.account_id(), context.region, str(input, "name")}));
  };
}

std::string group_arn_of_report(const std::string& report_arn) {
  auto key = group_of_report_arn(report_arn);
  return key ? report_group_arn(*key) : report_arn;
}

AuthzFn on_report(const char* member) {
  return [member](const RequestContext&, const Json& input) {
    return on_resource(group_arn_of_report(str(input, member)));
  };
}

AuthzFn on_each(const char* member, bool reports) {
  return [member, reports](const RequestContext&, const Json& input) {
    AuthzTarget target;
    for (const auto& item : input.value(member, Json::array())) {
      std::string arn = item.is_string() ? item.get<std::string>() : std::string();
      target.resources.push_back(AuthzResource{reports ? group_arn_of_report(arn) : arn, "", std::nullopt});
    }
    if (target.resources.empty()) target.resources.push_back(AuthzResource{"*", "", std::nullopt});
    return target;
  };
}

AuthzFn everything() {
  return [](const RequestContext&, const Json&) { return on_resource("*"); };
}

}  // namespace

void register_report_operations(dispatch::Service& service, CodebuildEngine& engine) {
  ReportsEngine& reports = engine.reports();
  auto add = [&](const char* name, AuthzFn authz, Handler handler) {
    service.add(
        {name, std::string("codebuild:") + name, std::move(authz),
         [&reports, handler](RequestContext& context, const Json& input) { return handler(reports, context, input); }});
  };
  add("CreateReportGroup", on_new_group(), create_report_group);
  add("UpdateReportGroup", on_group("arn"), update_report_group);
  add("DeleteReportGroup", on_group("arn"), delete_report_group);
  add("BatchGetReportGroups", on_each("reportGroupArns", false), batch_get_report_groups);
  add("ListReportGroups", everything(), list_report_groups);
  add("ListReports", everything(), list_reports);
  add("ListReportsForReportGroup", on_group("reportGroupArn"), list_reports_for_report_group);
  add("BatchGetReports", on_each("reportArns", true), batch_get_reports);
  add("DeleteReport", on_report("arn"), delete_report);
  add("DescribeTestCases", on_report("reportArn"), describe_test_cases);
  add("GetReportGroupTrend", on_group("reportGroupArn"), get_report_group_trend);
}

}  // namespace codebuild::api
