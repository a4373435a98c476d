#include "services/ssm/engine/parameter_repo.h"

namespace ssm {
namespace {

// The version columns every read selects, in read_version()'s order.
#define SSM_VERSION_COLUMNS                                                                                       \
  "p.name, v.version, v.type, v.value, v.modified, v.modified_user, v.description, v.allowed_pattern, v.key_id, " \
  "v.tier, v.data_type, v.policies"

constexpr std::string_view kLatestSql =
    "SELECT " SSM_VERSION_COLUMNS
    " FROM ssm_parameters p JOIN ssm_parameter_versions v ON v.account = p.account AND v.region = p.region AND "
    "v.key = p.key AND v.version = p.latest WHERE p.account = ?1 AND p.region = ?2 AND p.key = ?3";
constexpr std::string_view kVersionSql =
    "SELECT " SSM_VERSION_COLUMNS
    " FROM ssm_parameters p JOIN ssm_parameter_versions v ON v.account = p.account AND v.region = p.region AND "
    "v.key = p.key WHERE p.account = ?1 AND p.region = ?2 AND p.key = ?3 AND v.version = ?4";
constexpr std::string_view kLabelledSql =
    "SELECT " SSM_VERSION_COLUMNS
    " FROM ssm_labels l JOIN ssm_parameters p ON p.account = l.account AND p.region = l.region AND p.key = l.key "
    "JOIN ssm_parameter_versions v ON v.account = l.account AND v.region = l.region AND v.key = l.key AND "
    "v.version = l.version WHERE l.account = ?1 AND l.region = ?2 AND l.key = ?3 AND l.label = ?4";
constexpr std::string_view kVersionsSql =
    "SELECT " SSM_VERSION_COLUMNS
    " FROM ssm_parameters p JOIN ssm_parameter_versions v ON v.account = p.account AND v.region = p.region AND "
    "v.key = p.key WHERE p.account = ?1 AND p.region = ?2 AND p.key = ?3 AND v.version > ?4 ORDER BY v.version "
    "LIMIT ?5";
constexpr std::string_view kScanSql =
    "SELECT " SSM_VERSION_COLUMNS
    ", p.key FROM ssm_parameters p JOIN ssm_parameter_versions v ON v.account = p.account AND v.region = p.region "
    "AND v.key = p.key AND v.version = p.latest WHERE p.account = ?1 AND p.region = ?2 AND p.key >= ?3 AND "
    "p.key > ?4 ORDER BY p.key";
#undef SSM_VERSION_COLUMNS

ParameterVersion read_version(const store::Statement& s) {
  ParameterVersion p;
  p.name = s.text(0);
  p.version = s.integer(1);
  p.type = s.text(2);
  p.value = s.text(3);
  p.last_modified = s.real(4);
  p.last_modified_user = s.text(5);
  p.description = s.text(6);
  p.allowed_pattern = s.text(7);
  p.key_id = s.text(8);
  p.tier = s.text(9);
  p.data_type = s.text(10);
  p.policies = s.text(11);
  return p;
}

}  // namespace

Result<store::Statement> ParameterRepo::prepare(std::string_view sql) {
  auto statement = db_.prepare(sql);
  if (!statement.ok()) return common::fail(storage_error(statement.error()));
  return std::move(*statement);
}

Status ParameterRepo::run(std::string_view sql, const std::function<void(store::Statement&)>& bind) {
  auto s = prepare(sql);
  if (!s.ok()) return common::fail(s.error());
  bind(*s);
  if (auto r = s->exec(); !r.ok()) return common::fail(storage_error(r.error()));
  return common::ok();
}

namespace {
Result<std::optional<ParameterVersion>> read_one(store::Statement& s) {
  auto row = s.step();
  if (!row.ok()) return common::fail(storage_error(row.error()));
  if (!*row) return std::optional<ParameterVersion>();
  return std::optional<ParameterVersion>(read_version(s));
}
}  // namespace

Result<std::optional<ParameterVersion>> ParameterRepo::latest(const Scope& scope, std::string_view key) {
  auto s = prepare(kLatestSql);
  if (!s.ok()) return common::fail(s.error());
  s->bind(1, scope.account).bind(2, scope.region).bind(3, key);
  return read_one(*s);
}

Result<std::optional<ParameterVersion>> ParameterRepo::version(const Scope& scope, std::string_view key,
                                                               int64_t version) {
  auto s = prepare(kVersionSql);
  if (!s.ok()) return common::fail(s.error());
  s->bind(1, scope.account).bind(2, scope.region).bind(3, key).bind(4, version);
  return read_one(*s);
}

Result<std::optional<ParameterVersion>> ParameterRepo::labelled(const Scope& scope, std::string_view key,
                                                                std::string_view label) {
  auto s = prepare(kLabelledSql);
  if (!s.ok()) return common::fail(s.error());
  s->bind(1, scope.account).bind(2, scope.region).bind(3, key).bind(4, label);
  return read_one(*s);
}

Result<std::vector<ParameterVersion>> ParameterRepo::versions(const Scope& scope, std::string_view key,
                                                              int64_t after_version, int limit) {
  auto s = prepare(kVersionsSql);
  if (!s.ok()) return common::fail(s.error());
  s->bind(1, scope.account).bind(2, scope.region).bind(3, key).bind(4, after_version).bind(5, limit);
  std::vector<ParameterVersion> out;
  while (true) {
    auto row = s->step();
    if (!row.ok()) return common::fail(storage_error(row.error()));
    if (!*row) return out;
    out.push_back(read_version(*s));
  }
}

Status ParameterRepo::scan(
    const Scope& scope, std::string_view prefix, std::string_view after_key,
    const std::function<Result<bool>(const std::string& key, ParameterVersion&& parameter)>& visit) {
  auto s = prepare(kScanSql);
  if (!s.ok()) return common::fail(s.error());
  s->bind(1, scope.account).bind(2, scope.region).bind(3, prefix).bind(4, after_key);
  while (true) {
    auto row = s->step();
    if (!row.ok()) return common::fail(storage_error(row.error()));
    if (!*row) return common::ok();
    std::string key = s->text(12);
    if (!std::string_view(key).starts_with(prefix)) return common::ok();
    auto more = visit(key, read_version(*s));
    if (!more.ok()) return common::fail(more.error());
    if (!*more) return common::ok();
  }
}

Result<int64_t> ParameterRepo::count(const Scope& scope, std::string_view tier) {
  auto s = prepare(
      "SELECT COUNT(*) FROM ssm_parameters p JOIN ssm_parameter_versions v ON v.account = p.account AND "
      "v.region = p.region AND v.key = p.key AND v.version = p.latest WHERE p.account = ? AND p.region = ? AND "
      "v.tier = ?");
  if (!s.ok()) return common::fail(s.error());
  s->bind(1, scope.account).bind(2, scope.region).bind(3, tier);
  auto row = s->step();
  if (!row.ok()) return common::fail(storage_error(row.error()));
  return *row ? s->integer(0) : int64_t{0};
}

Status ParameterRepo::insert_parameter(const Scope& scope, std::string_view key, std::string_view name,
                                       int64_t latest) {
  return run("INSERT INTO ssm_parameters (account, region, key, name, latest) VALUES (?, ?, ?, ?, ?)",
             [&](store::Statement& s) {
               s.bind(1, scope.account).bind(2, scope.region).bind(3, key).bind(4, name).bind(5, latest);
             });
}

Status ParameterRepo::set_latest(const Scope& scope, std::string_view key, int64_t latest) {
  return run("UPDATE ssm_parameters SET latest = ? WHERE account = ? AND region = ? AND key = ?",
             [&](store::Statement& s) { s.bind(1, latest).bind(2, scope.account).bind(3, scope.region).bind(4, key); });
}

Status ParameterRepo::insert_version(const Scope& scope, std::string_view key, const ParameterVersion& p) {
  return run(
      "INSERT INTO ssm_parameter_versions (account, region, key, version, type, value, modified, modified_user, "
      "description, allowed_pattern, key_id, tier, data_type, policies) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
      "?, ?)",
      [&](store::Statement& s) {
        s.bind(1, scope.account).bind(2, scope.region).bind(3, key).bind(4, p.version).bind(5, p.type);
        s.bind(6, p.value).bind(7, p.last_modified).bind(8, p.last_modified_user).bind(9, p.description);
        s.bind(10, p.allowed_pattern).bind(11, p.key_id).bind(12, p.tier).bind(13, p.data_type).bind(14, p.policies);
      });
}

Result<int64_t> ParameterRepo::oldest_version(const Scope& scope, std::string_view key) {
  auto s = prepare("SELECT MIN(version) FROM ssm_parameter_versions WHERE account = ? AND region = ? AND key = ?");
  if (!s.ok()) return common::fail(s.error());
  s->bind(1, scope.account).bind(2, scope.region).bind(3, key);
  auto row = s->step();
  if (!row.ok()) return common::fail(storage_error(row.error()));
  return *row ? s->integer(0) : int64_t{0};
}

Result<int64_t> ParameterRepo::version_count(const Scope& scope, std::string_view key) {
  auto s = prepare("SELECT COUNT(*) FROM ssm_parameter_versions WHERE account = ? AND region = ? AND key = ?");
  if (!s.ok()) return common::fail(s.error());
  s->bind(1, scope.account).bind(2, scope.region).bind(3, key);
  auto row = s->step();
  if (!row.ok()) return common::fail(storage_error(row.error()));
  return *row ? s->integer(0) : int64_t{0};
}

Status ParameterRepo::delete_version(const Scope& scope, std::string_view key, int64_t version) {
  return run(
      "DELETE FROM ssm_parameter_versions WHERE account = ? AND region = ? AND key = ? AND version = ?",
      [&](store::Statement& s) { s.bind(1, scope.account).bind(2, scope.region).bind(3, key).bind(4, version); });
}

Result<bool> ParameterRepo::delete_parameter(const Scope& scope, std::string_view key) {
  auto bind = [&](store::Statement& s) { s.bind(1, scope.account).bind(2, scope.region).bind(3, key); };
  for (std::string_view sql : {"DELETE FROM ssm_parameter_versions WHERE account = ? AND region = ? AND key = ?",
                               "DELETE FROM ssm_labels WHERE account = ? AND region = ? AND key = ?",
                               "DELETE FROM ssm_tags WHERE account = ? AND region = ? AND key = ?"}) {
    if (auto r = run(sql, bind); !r.ok()) return common::fail(r.error());
  }
  if (auto r = run("DELETE FROM ssm_parameters WHERE account = ? AND region = ? AND key = ?", bind); !r.ok()) {
    return common::fail(r.error());
  }
  return sqlite3_changes(db_.handle()) > 0;
}

Result<std::vector<std::string>> ParameterRepo::labels_of(const Scope& scope, std::string_view key, int64_t version) {
  auto s = prepare(
      "SELECT label FROM ssm_labels WHERE account = ? AND region = ? AND key = ? AND version = ? ORDER BY label");
  if (!s.ok()) return common::fail(s.error());
  s->bind(1, scope.account).bind(2, scope.region).bind(3, key).bind(4, version);
  std::vector<std::string> out;
  while (true) {
    auto row = s->step();
    if (!row.ok()) return common::fail(storage_error(row.error()));
    if (!*row) return out;
    out.push_back(s->text(0));
  }
}

Result<std::map<int64_t, std::vector<std::string>>> ParameterRepo::all_labels(const Scope& scope,
                                                                              std::string_view key) {
  auto s = prepare("SELECT version, label FROM ssm_labels WHERE account = ? AND region = ? AND key = ? ORDER BY label");
  if (!s.ok()) return common::fail(s.error());
  s->bind(1, scope.account).bind(2, scope.region).bind(3, key);
  std::map<int64_t, std::vector<std::string>> out;
  while (true) {
    auto row = s->step();
    if (!row.ok()) return common::fail(storage_error(row.error()));
    if (!*row) return out;
    out[s->integer(0)].push_back(s->text(1));
  }
}

Result<std::optional<int64_t>> ParameterRepo::label_version(const Scope& scope, std::string_view key,
                                                            std::string_view label) {
  auto s = prepare("SELECT version FROM ssm_labels WHERE account = ? AND region = ? AND key = ? AND label = ?");
  if (!s.ok()) return common::fail(s.error());
  s->bind(1, scope.account).bind(2, scope.region).bind(3, key).bind(4, label);
  auto row = s->step();
  if (!row.ok()) return common::fail(storage_error(row.error()));
  if (!*row) return std::optional<int64_t>();
  return std::optional<int64_t>(s->integer(0));
}

Status ParameterRepo::set_label(const Scope& scope, std::string_view key, std::string_view label, int64_t version) {
  return run("INSERT OR REPLACE INTO ssm_labels (account, region, key, label, version) VALUES (?, ?, ?, ?, ?)",
             [&](store::Statement& s) {
               s.bind(1, scope.account).bind(2, scope.region).bind(3, key).bind(4, label).bind(5, version);
             });
}

Status ParameterRepo::remove_label(const Scope& scope, std::string_view key, std::string_view label) {
  return run("DELETE FROM ssm_labels WHERE account = ? AND region = ? AND key = ? AND label = ?",
             [&](store::Statement& s) { s.bind(1, scope.account).bind(2, scope.region).bind(3, key).bind(4, label); });
}

Result<std::vector<Tag>> ParameterRepo::tags(const Scope& scope, std::string_view key) {
  auto s =
      prepare("SELECT tag_key, tag_value FROM ssm_tags WHERE account = ? AND region = ? AND key = ? ORDER BY tag_key");
  if (!s.ok()) return common::fail(s.error());
  s->bind(1, scope.account).bind(2, scope.region).bind(3, key);
  std::vector<Tag> out;
  while (true) {
    auto row = s->step();
    if (!row.ok()) return common::fail(storage_error(row.error()));
    if (!*row) return out;
    out.push_back(Tag{s->text(0), s->text(1)});
  }
}

Status ParameterRepo::put_tag(const Scope& scope, std::string_view key, const Tag& tag) {
  return run("INSERT OR REPLACE INTO ssm_tags (account, region, key, tag_key, tag_value) VALUES (?, ?, ?, ?, ?)",
             [&](store::Statement& s) {
               s.bind(1, scope.account).bind(2, scope.region).bind(3, key).bind(4, tag.key).bind(5, tag.value);
             });
}

Status ParameterRepo::remove_tag(const Scope& scope, std::string_view key, std::string_view tag_key) {
  return run(
      "DELETE FROM ssm_tags WHERE account = ? AND region = ? AND key = ? AND tag_key = ?",
      [&](store::Statement& s) { s.bind(1, scope.account).bind(2, scope.region).bind(3, key).bind(4, tag_key); });
}

}  // namespace ssm
