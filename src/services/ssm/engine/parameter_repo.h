// The SQL of Parameter Store. Tables (see migrations.cc), all keyed by (account, region):
//   ssm_parameters          one row per parameter: key (name without leading '/'), name, latest
//   ssm_parameter_versions  every kept version with its full metadata
//   ssm_labels              label -> version, one per label and parameter
//   ssm_tags                tags of a parameter
// Callers own transactions; every method runs on the calling thread's connection with a
// cached prepared statement.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "services/ssm/model/errors.h"
#include "services/ssm/model/filter.h"
#include "services/ssm/model/parameter.h"
#include "store/db.h"

namespace ssm {

class ParameterRepo {
 public:
  explicit ParameterRepo(store::Db& db) : db_(db) {}

  // Reads: nullopt when absent.
  Result<std::optional<ParameterVersion>> latest(const Scope& scope, std::string_view key);
  Result<std::optional<ParameterVersion>> version(const Scope& scope, std::string_view key, int64_t version);
  Result<std::optional<ParameterVersion>> labelled(const Scope& scope, std::string_view key, std::string_view label);
  // Versions after `after_version`, oldest first, at most `limit`.
  Result<std::vector<ParameterVersion>> versions(const Scope& scope, std::string_view key, int64_t after_version,
                                                 int limit);
  // Latest versions of parameters whose key starts with `prefix` and sorts after `after_key`,
  // in key order; `visit(key, parameter)` returns false to stop.
  Status scan(const Scope& scope, std::string_view prefix, std::string_view after_key,
              const std::function<Result<bool>(const std::string& key, ParameterVersion&& parameter)>& visit);
  Result<int64_t> count(const Scope& scope, std::string_view tier);

  // Writes.
  Status insert_parameter(const Scope& scope, std::string_view key, std::string_view name, int64_t latest);
  Status set_latest(const Scope& scope, std::string_view key, int64_t latest);
  Status insert_version(const Scope& scope, std::string_view key, const ParameterVersion& parameter);
  Result<int64_t> oldest_version(const Scope& scope, std::string_view key);
  Result<int64_t> version_count(const Scope& scope, std::string_view key);
  Status delete_version(const Scope& scope, std::string_view key, int64_t version);
  // Removes the parameter with its versions, labels and tags; false when it did not exist.
  Result<bool> delete_parameter(const Scope& scope, std::string_view key);

  // Labels.
  Result<std::vector<std::string>> labels_of(const Scope& scope, std::string_view key, int64_t version);
  Result<std::map<int64_t, std::vector<std::string>>> all_labels(const Scope& scope, std::string_view key);
  Result<std::optional<int64_t>> label_version(const Scope& scope, std::string_view key, std::string_view label);
  Status set_label(const Scope& scope, std::string_view key, std::string_view label, int64_t version);
  Status remove_label(const Scope& scope, std::string_view key, std::string_view label);

  // Tags, sorted by key.
  Result<std::vector<Tag>> tags(const Scope& scope, std::string_view key);
  Status put_tag(const Scope& scope, std::string_view key, const Tag& tag);
  Status remove_tag(const Scope& scope, std::string_view key, std::string_view tag_key);

 private:
  Result<store::Statement> prepare(std::string_view sql);
  Status run(std::string_view sql, const std::function<void(store::Statement&)>& bind);

  store::Db& db_;
};

}  // namespace ssm
