// Parameter Store: parameters with versions, labels, tags, tiers and SecureString values,
// stored in SQLite and keyed by (account, region). No HTTP or AWS error strings here:
// failures are ssm::Error (model/errors.h) and the api layer picks the AWS error.
//
// Thread-safe: every method may be called concurrently; each mutating call is one write
// transaction (BEGIN IMMEDIATE), reads are single statements or one read transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "services/ssm/engine/latest_cache.h"
#include "services/ssm/engine/parameter_repo.h"
#include "services/ssm/engine/secure_string.h"
#include "services/ssm/model/errors.h"
#include "services/ssm/model/filter.h"
#include "services/ssm/model/parameter.h"
#include "store/db.h"

namespace ssm {

struct PutParameterInput {
  std::string name{};
  std::string value{};
  std::optional<std::string> type{};
  std::optional<std::string> description{};
  std::optional<std::string> key_id{};
  std::optional<std::string> allowed_pattern{};
  std::optional<std::string> tier{};
  std::optional<std::string> policies{};
  std::optional<std::string> data_type{};
  std::optional<std::vector<Tag>> tags{};
  bool overwrite = false;
  std::string user{};  // caller ARN, recorded as LastModifiedUser
};

struct PutParameterOutput {
  int64_t version = 0;
  std::string tier;
};

struct GetParametersOutput {
  std::vector<ParameterVersion> parameters;  // sorted by name
  std::vector<std::string> invalid;          // as requested
};

template <class T>
struct Page {
  std::vector<T> items;
  std::string next_token;  // empty on the last page
};

struct PathQuery {
  std::string path{};
  bool recursive = false;
  std::vector<ParameterFilter> filters{};
  bool decrypt = false;
  int max_results = 10;
  std::string next_token{};
};

struct DescribeQuery {
  std::vector<ParameterFilter> filters{};         // ParameterFilters
  std::vector<ParameterFilter> legacy_filters{};  // Filters (Name, Type, KeyId)
  int max_results = 10;
  std::string next_token{};
};

struct LabelOutput {
  std::vector<std::string> invalid_labels;
  int64_t version = 0;
};

struct UnlabelOutput {
  std::vector<std::string> removed_labels;
  std::vector<std::string> invalid_labels;
};

struct DeleteParametersOutput {
  std::vector<std::string> deleted;
  std::vector<std::string> invalid;
};

class SsmEngine {
 public:
  SsmEngine(store::Db& db, const common::Clock& clock);

  // Creates or upgrades the ssm_* tables (module "ssm").
  common::Status<> migrate();
  // After the database was wiped (moto-api reset): drops cached keys.
  void on_reset();

  Result<PutParameterOutput> put_parameter(const Scope& scope, PutParameterInput&& input);
  // `reference` is a name, "name:version", "name:label" or an ARN with an optional selector.
  Result<ParameterVersion> get_parameter(const Scope& scope, std::string_view reference, bool decrypt);
  Result<GetParametersOutput> get_parameters(const Scope& scope, const std::vector<std::string>& references,
                                             bool decrypt);
  Result<Page<ParameterVersion>> get_parameters_by_path(const Scope& scope, PathQuery&& query);
  // Oldest first, with each version's labels.
  Result<Page<ParameterVersion>> get_parameter_history(const Scope& scope, std::string_view name, bool decrypt,
                                                       int max_results, std::string_view next_token);
  // Latest versions' metadata (values are left empty).
  Result<Page<ParameterVersion>> describe_parameters(const Scope& scope, DescribeQuery&& query);

  Result<LabelOutput> label_parameter_version(const Scope& scope, std::string_view name, std::optional<int64_t> version,
                                              const std::vector<std::string>& labels);
  Result<UnlabelOutput> unlabel_parameter_version(const Scope& scope, std::string_view name, int64_t version,
                                                  const std::vector<std::string>& labels);

  Status delete_parameter(const Scope& scope, std::string_view name);
  Result<DeleteParametersOutput> delete_parameters(const Scope& scope, const std::vector<std::string>& names);

  // Tagging, for ResourceType "Parameter" (the only type hakobu has); ResourceId is a name.
  Status add_tags(const Scope& scope, std::string_view resource_type, std::string_view resource_id,
                  const std::vector<Tag>& tags);
  Result<std::vector<Tag>> list_tags(const Scope& scope, std::string_view resource_type, std::string_view resource_id);
  Status remove_tags(const Scope& scope, std::string_view resource_type, std::string_view resource_id,
                     const std::vector<std::string>& keys);

 private:
  // Replaces a SecureString's stored ciphertext by its plaintext when `decrypt`.
  Status reveal(const Scope& scope, std::string_view key, ParameterVersion& parameter, bool decrypt);
  // The parameter a reference names, or NotFound / VersionNotFound.
  Result<ParameterVersion> resolve(const Scope& scope, std::string_view reference);
  // The resource key of a tagging call, checking the type and that the parameter exists.
  Result<std::string> tagged_key(const Scope& scope, std::string_view resource_type, std::string_view resource_id);

  store::Db& db_;
  const common::Clock& clock_;
  ParameterRepo repo_;
  SecureStrings secure_;
  LatestCache latest_;  // invalidated after every committed write that changes a latest version
};

}  // namespace ssm
