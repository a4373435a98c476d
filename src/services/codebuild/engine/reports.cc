// Report groups, reports and test cases (see reports.h).
#include "services/codebuild/engine/reports.h"

#include <algorithm>
#include <cmath>

#include "services/codebuild/engine/sql.h"

namespace codebuild {
namespace {

using Json = common::Json;
template <class T>
using Res = common::Result<T, Error>;

// AWS keeps test reports for 30 days.
constexpr double kReportLifetimeSeconds = 30.0 * 24 * 3600;

// arn:aws:codebuild:<region>:<account>:<resource>; the parts, or false.
bool split_arn(std::string_view arn, std::string& region, std::string& account, std::string& resource) {
  constexpr std::string_view kPrefix = "arn:aws:codebuild:";
  if (arn.substr(0, kPrefix.size()) != kPrefix) return false;
  arn.remove_prefix(kPrefix.size());
  size_t a = arn.find(':');
  if (a == std::string_view::npos) return false;
  size_t b = arn.find(':', a + 1);
  if (b == std::string_view::npos) return false;
  region = std::string(arn.substr(0, a));
  account = std::string(arn.substr(a + 1, b - a - 1));
  resource = std::string(arn.substr(b + 1));
  return !region.empty() && !account.empty();
}

Error group_not_found(const ReportGroupKey& key) {
  return error(Errc::ResourceNotFound, "Report group with arn " + report_group_arn(key) + " does not exist");
}

Res<std::optional<Json>> read_doc(store::Db& db, std::string_view sql, const std::vector<std::string>& params) {
  std::optional<Json> out;
  auto r = Sql::query(
      db, sql,
      [&](store::Statement& s) {
        for (size_t i = 0; i < params.size(); ++i) s.bind(static_cast<int>(i + 1), params[i]);
      },
      [&](store::Statement& s) {
        out = Json::parse(s.text(0), nullptr, false);
        return false;
      });
  if (!r.ok()) return common::fail(r.error());
  return out;
}

Res<std::optional<Json>> read_group(store::Db& db, const ReportGroupKey& key) {
  return read_doc(db, "SELECT doc FROM codebuild_report_groups WHERE account = ? AND region = ? AND name = ?",
                  {key.account, key.region, key.name});
}

common::Status<Error> write_group(store::Db& db, const ReportGroupKey& key, const Json& doc, double modified) {
  return Sql::execute(db,
                      "INSERT INTO codebuild_report_groups (account, region, name, created, modified, doc) "
                      "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (account, region, name) DO UPDATE SET "
                      "modified = excluded.modified, doc = excluded.doc",
                      [&](store::Statement& s) {
                        s.bind(1, key.account).bind(2, key.region).bind(3, key.name);
                        s.bind(4, doc.value("created", modified)).bind(5, modified).bind(6, doc.dump());
                      });
}

Json new_group_doc(const ReportGroupKey& key, Json group, double now) {
  group["arn"] = report_group_arn(key);
  group["name"] = key.name;
  if (!group.contains("type")) group["type"] = "TEST";
  if (!group.contains("exportConfig")) group["exportConfig"] = Json{{"exportConfigType", "NO_EXPORT"}};
  if (!group.contains("tags")) group["tags"] = Json::array();
  group["created"] = now;
  group["lastModified"] = now;
  group["status"] = "ACTIVE";
  return group;
}

Json summary_of(const std::vector<TestCaseResult>& cases) {
  Json counts{{"ERROR", 0}, {"FAILED", 0}, {"SKIPPED", 0}, {"SUCCEEDED", 0}, {"UNKNOWN", 0}};
  int64_t duration = 0;
  for (const auto& c : cases) {
    std::string status = counts.contains(c.status) ? c.status : "UNKNOWN";
    counts[status] = counts[status].get<int>() + 1;
    duration += c.duration_ns;
  }
  return Json{{"total", static_cast<int>(cases.size())}, {"statusCounts", counts}, {"durationInNanoSeconds", duration}};
}

Json case_doc(const TestCaseResult& c, const std::string& report_arn, double expired) {
  Json doc{{"reportArn", report_arn}, {"testRawDataPath", c.raw_path},
           {"prefix", c.prefix},      {"name", c.name},
           {"status", c.status},      {"durationInNanoSeconds", c.duration_ns},
           {"expired", expired},      {"testSuiteName", c.suite_name}};
  if (!c.message.empty()) doc["message"] = c.message;
  return doc;
}

}  // namespace

std::string report_group_arn(const ReportGroupKey& key) {
  return "arn:aws:codebuild:" + key.region + ":" + key.account + ":report-group/" + key.name;
}

std::optional<ReportGroupKey> parse_report_group_arn(std::string_view arn) {
  std::string region, account, resource;
  if (!split_arn(arn, region, account, resource)) return std::nullopt;
  constexpr std::string_view kType = "report-group/";
  if (resource.size() <= kType.size() || resource.compare(0, kType.size(), kType) != 0) return std::nullopt;
  return ReportGroupKey{account, region, resource.substr(kType.size())};
}

std::optional<ReportGroupKey> group_of_report_arn(std::string_view arn) {
  std::string region, account, resource;
  if (!split_arn(arn, region, account, resource)) return std::nullopt;
  constexpr std::string_view kType = "report/";
  if (resource.compare(0, kType.size(), kType) != 0) return std::nullopt;
  std::string rest = resource.substr(kType.size());
  size_t colon = rest.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == rest.size()) return std::nullopt;
  return ReportGroupKey{account, region, rest.substr(0, colon)};
}

// --- report groups ---

ReportsEngine::Result<common::Json> ReportsEngine::create_report_group(const ReportGroupKey& key, Json group) {
  double now = common::to_epoch_seconds(clock_.now());
  Json doc = new_group_doc(key, std::move(group), now);
  store::Transaction tx(db_, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(internal_error(tx.error()));
  auto existing = read_group(db_, key);
  if (!existing.ok()) return common::fail(existing.error());
  if (*existing) {
    return common::fail(
        error(Errc::ResourceAlreadyExists, "Report group with name " + key.name + " already exists in this account"));
  }
  if (auto w = write_group(db_, key, doc, now); !w.ok()) return common::fail(w.error());
  if (auto c = Sql::commit(tx); !c.ok()) return common::fail(c.error());
  return doc;
}

ReportsEngine::Result<common::Json> ReportsEngine::update_report_group(const ReportGroupKey& key,
                                                                       const std::optional<Json>& export_config,
                                                                       const std::optional<Json>& tags) {
  store::Transaction tx(db_, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(internal_error(tx.error()));
  auto existing = read_group(db_, key);
  if (!existing.ok()) return common::fail(existing.error());
  if (!*existing) return common::fail(group_not_found(key));
  Json doc = std::move(**existing);
  if (export_config) doc["exportConfig"] = *export_config;
  if (tags) doc["tags"] = *tags;
  double now = common::to_epoch_seconds(clock_.now());
  doc["lastModified"] = now;
  if (auto w = write_group(db_, key, doc, now); !w.ok()) return common::fail(w.error());
  if (auto c = Sql::commit(tx); !c.ok()) return common::fail(c.error());
  return doc;
}

ReportsEngine::Status ReportsEngine::delete_report_group(const ReportGroupKey& key, bool delete_reports) {
  store::Transaction tx(db_, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(internal_error(tx.error()));
  auto bind_key = [&](store::Statement& s) { s.bind(1, key.account).bind(2, key.region).bind(3, key.name); };
  auto has_reports =
      Sql::exists(db_, "SELECT 1 FROM codebuild_reports WHERE account = ? AND region = ? AND group_name = ?", bind_key);
  if (!has_reports.ok()) return common::fail(has_reports.error());
  if (*has_reports && !delete_reports) {
    return common::fail(error(Errc::InvalidInput, "Cannot delete report group " + report_group_arn(key) +
                                                      " because it contains reports. Delete its reports first "
                                                      "or set deleteReports to true"));
  }
  for (const char* sql :
       {"DELETE FROM codebuild_test_cases WHERE report_seq IN (SELECT seq FROM codebuild_reports WHERE account = ? "
        "AND region = ? AND group_name = ?)",
        "DELETE FROM codebuild_reports WHERE account = ? AND region = ? AND group_name = ?",
        "DELETE FROM codebuild_report_groups WHERE account = ? AND region = ? AND name = ?"}) {
    if (auto r = Sql::execute(db_, sql, bind_key); !r.ok()) return r;
  }
  return Sql::commit(tx);
}

ReportsEngine::Result<std::optional<common::Json>> ReportsEngine::get_report_group(const ReportGroupKey& key) {
  return read_group(db_, key);
}

ReportsEngine::Result<std::vector<std::string>> ReportsEngine::list_report_groups(const std::string& account,
                                                                                  const std::string& region,
                                                                                  const std::string& sort_by,
                                                                                  bool ascending) {
  std::string column = sort_by == "NAME" ? "name" : sort_by == "LAST_MODIFIED_TIME" ? "modified" : "created";
  std::string order = ascending ? " ASC" : " DESC";
  std::string sql = "SELECT name FROM codebuild_report_groups WHERE account = ? AND region = ? ORDER BY " + column +
                    order + ", name" + order;
  std::vector<std::string> out;
  auto r = Sql::query(
      db_, sql, [&](store::Statement& s) { s.bind(1, account).bind(2, region); },
      [&](store::Statement& s) {
        out.push_back(report_group_arn(ReportGroupKey{account, region, s.text(0)}));
        return true;
      });
  if (!r.ok()) return common::fail(r.error());
  return out;
}

// --- reports ---

ReportsEngine::Result<common::Json> ReportsEngine::ensure_group(const ReportGroupKey& key) {
  auto existing = read_group(db_, key);
  if (!existing.ok()) return common::fail(existing.error());
  if (*existing) return std::move(**existing);
  double now = common::to_epoch_seconds(clock_.now());
  Json doc = new_group_doc(key, Json::object(), now);
  if (auto w = write_group(db_, key, doc, now); !w.ok()) return common::fail(w.error());
  return doc;
}

ReportsEngine::Status ReportsEngine::append_report_arn(const std::string& account, const std::string& region,
                                                       const std::string& build_id, const std::string& arn) {
  auto bind_build = [&](store::Statement& s) { s.bind(1, account).bind(2, region).bind(3, build_id); };
  std::optional<Json> doc;
  auto r = Sql::query(db_, "SELECT doc FROM codebuild_builds WHERE account = ? AND region = ? AND id = ?", bind_build,
                      [&](store::Statement& s) {
                        doc = Json::parse(s.text(0), nullptr, false);
                        return false;
                      });
  if (!r.ok()) return r;
  if (!doc || !doc->is_object()) return common::ok();  // the build was deleted meanwhile
  Json& arns = (*doc)["reportArns"];
  if (!arns.is_array()) arns = Json::array();
  arns.push_back(arn);
  return Sql::execute(
      db_, "UPDATE codebuild_builds SET doc = ? WHERE account = ? AND region = ? AND id = ?",
      [&](store::Statement& s) { s.bind(1, doc->dump()).bind(2, account).bind(3, region).bind(4, build_id); });
}

ReportsEngine::Result<common::Json> ReportsEngine::add_report(const NewReport& report) {
  const ReportGroupKey& key = report.group;
  double now = common::to_epoch_seconds(clock_.now());
  double expired = std::floor(now) + kReportLifetimeSeconds;  // AWS shows whole seconds
  std::string arn =
      "arn:aws:codebuild:" + key.region + ":" + key.account + ":report/" + key.name + ":" + report.build_uuid;
  store::Transaction tx(db_, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(internal_error(tx.error()));
  auto group = ensure_group(key);
  if (!group.ok()) return common::fail(group.error());
  Json doc{{"arn", arn},
           {"type", group->value("type", std::string("TEST"))},
           {"name", key.name},
           {"reportGroupArn", report_group_arn(key)},
           {"executionId", report.execution_id},
           {"status", report.status},
           {"created", now},
           {"expired", expired},
           {"exportConfig", group->value("exportConfig", Json{{"exportConfigType", "NO_EXPORT"}})},
           {"truncated", false},
           {"testSummary", summary_of(report.cases)}};
  auto inserted = Sql::execute(db_,
                               "INSERT INTO codebuild_reports (account, region, arn, group_name, status, created, doc) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?)",
                               [&](store::Statement& s) {
                                 s.bind(1, key.account).bind(2, key.region).bind(3, arn).bind(4, key.name);
                                 s.bind(5, report.status).bind(6, now).bind(7, doc.dump());
                               });
  if (!inserted.ok()) return common::fail(inserted.error());
  int64_t seq = sqlite3_last_insert_rowid(db_.handle());
  for (size_t i = 0; i < report.cases.size(); ++i) {
    const TestCaseResult& c = report.cases[i];
    auto r = Sql::execute(
        db_, "INSERT INTO codebuild_test_cases (report_seq, n, status, name, prefix, doc) VALUES (?, ?, ?, ?, ?, ?)",
        [&](store::Statement& s) {
          s.bind(1, seq).bind(2, static_cast<int64_t>(i)).bind(3, c.status).bind(4, c.name).bind(5, c.prefix);
          s.bind(6, case_doc(c, arn, expired).dump());
        });
    if (!r.ok()) return common::fail(r.error());
  }
  if (auto a = append_report_arn(key.account, key.region, report.build_id, arn); !a.ok())
    return common::fail(a.error());
  if (auto c = Sql::commit(tx); !c.ok()) return common::fail(c.error());
  return doc;
}

ReportsEngine::Result<std::optional<common::Json>> ReportsEngine::get_report(const std::string& arn) {
  return read_doc(db_, "SELECT doc FROM codebuild_reports WHERE arn = ?", {arn});
}

ReportsEngine::Result<std::vector<std::string>> ReportsEngine::list_reports(
    const std::string& account, const std::string& region, const std::optional<std::string>& group_name,
    const std::string& status, bool ascending) {
  std::string sql = "SELECT arn FROM codebuild_reports WHERE account = ? AND region = ?";
  std::vector<std::string> params{account, region};
  if (group_name) {
    sql += " AND group_name = ?";
    params.push_back(*group_name);
  }
  if (!status.empty()) {
    sql += " AND status = ?";
    params.push_back(status);
  }
  sql += ascending ? " ORDER BY seq ASC" : " ORDER BY seq DESC";
  std::vector<std::string> out;
  auto r = Sql::query(
      db_, sql,
      [&](store::Statement& s) {
        for (size_t i = 0; i < params.size(); ++i) s.bind(static_cast<int>(i + 1), params[i]);
      },
      [&](store::Statement& s) {
        out.push_back(s.text(0));
        return true;
      });
  if (!r.ok()) return common::fail(r.error());
  return out;
}

ReportsEngine::Status ReportsEngine::delete_report(const std::string& arn) {
  store::Transaction tx(db_, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(internal_error(tx.error()));
  auto bind_arn = [&](store::Statement& s) { s.bind(1, arn); };
  if (auto r = Sql::execute(
          db_, "DELETE FROM codebuild_test_cases WHERE report_seq IN (SELECT seq FROM codebuild_reports WHERE arn = ?)",
          bind_arn);
      !r.ok())
    return r;
  if (auto r = Sql::execute(db_, "DELETE FROM codebuild_reports WHERE arn = ?", bind_arn); !r.ok()) return r;
  return Sql::commit(tx);
}

ReportsEngine::Result<std::optional<std::vector<common::Json>>> ReportsEngine::test_cases(const std::string& report_arn,
                                                                                          const ReportFilter& filter) {
  std::optional<int64_t> seq;
  auto found = Sql::query(
      db_, "SELECT seq FROM codebuild_reports WHERE arn = ?", [&](store::Statement& s) { s.bind(1, report_arn); },
      [&](store::Statement& s) {
        seq = s.integer(0);
        return false;
      });
  if (!found.ok()) return common::fail(found.error());
  if (!seq) return std::optional<std::vector<Json>>();
  std::string sql = "SELECT doc FROM codebuild_test_cases WHERE report_seq = ?";
  if (!filter.status.empty()) sql += " AND status = ?";
  if (!filter.keyword.empty()) sql += " AND (instr(name, ?) > 0 OR instr(prefix, ?) > 0)";
  sql += " ORDER BY n";
  std::vector<Json> out;
  auto r = Sql::query(
      db_, sql,
      [&](store::Statement& s) {
        int i = 1;
        s.bind(i++, *seq);
        if (!filter.status.empty()) s.bind(i++, filter.status);
        if (!filter.keyword.empty()) {
          s.bind(i, filter.keyword).bind(i + 1, filter.keyword);
          i += 2;
        }
      },
      [&](store::Statement& s) {
        out.push_back(Json::parse(s.text(0), nullptr, false));
        return true;
      });
  if (!r.ok()) return common::fail(r.error());
  return std::optional<std::vector<Json>>(std::move(out));
}

ReportsEngine::Result<std::vector<TrendPoint>> ReportsEngine::trend(const ReportGroupKey& key, int count,
                                                                    const std::string& field) {
  std::vector<TrendPoint> out;
  auto r = Sql::query(
      db_,
      "SELECT arn, doc FROM codebuild_reports WHERE account = ? AND region = ? AND group_name = ? "
      "ORDER BY seq DESC LIMIT ?",
      [&](store::Statement& s) { s.bind(1, key.account).bind(2, key.region).bind(3, key.name).bind(4, count); },
      [&](store::Statement& s) {
        Json doc = Json::parse(s.text(1), nullptr, false);
        Json summary = doc.is_object() ? doc.value("testSummary", Json::object()) : Json::object();
        if (summary.empty()) return true;
        int total = summary.value("total", 0);
        int passed = summary.value("statusCounts", Json::object()).value("SUCCEEDED", 0);
        std::string data;
        if (field == "PASS_RATE") {
          data = total == 0 ? "0" : std::to_string(passed * 100 / total);
        } else if (field == "DURATION") {
          data = std::to_string(summary.value("durationInNanoSeconds", int64_t{0}));
        } else if (field == "TOTAL") {
          data = std::to_string(total);
        } else {
          return true;  // coverage fields: no data in TEST reports
        }
        out.push_back(TrendPoint{s.text(0), data});
        return true;
      });
  if (!r.ok()) return common::fail(r.error());
  return out;
}

}  // namespace codebuild
