// GetParametersByPath and DescribeParameters: key-ordered scans with filters and opaque
// continuation tokens (the last key returned).
#include <fmt/format.h>

#include "services/ssm/engine/ssm_engine.h"
#include "services/ssm/model/name.h"

namespace ssm {
namespace {

constexpr const char* kInvalidPathMessage =
    "The parameter doesn't meet the parameter name requirements. The parameter name must begin with a forward slash "
    "\"/\". It can't be prefixed with \"aws\" or \"ssm\" (case-insensitive). It must use only letters, numbers, or "
    "the following symbols: . (period), - (hyphen), _ (underscore). Special characters are not allowed. All "
    "sub-paths, if specified, must use the forward slash symbol \"/\". Valid example: /get/parameters2-/by1./path0_.";

Result<std::string> after_key(std::string_view token) {
  std::string last;
  if (!token.empty() && !decode_page_token(token, last)) {
    return common::fail(make_error(Reason::BadNextToken, "The specified token is not valid."));
  }
  return last;
}

bool needs_tags(const std::vector<ParameterFilter>& filters) {
  for (const auto& f : filters) {
    if (is_tag_filter(f)) return true;
  }
  return false;
}

}  // namespace

Result<Page<ParameterVersion>> SsmEngine::get_parameters_by_path(const Scope& scope, PathQuery&& query) {
  if (!is_valid_path(query.path)) return common::fail(make_error(Reason::InvalidInput, kInvalidPathMessage));
  if (auto r = check_filters(query.filters, FilterUse::GetParametersByPath); !r.ok()) return common::fail(r.error());
  auto after = after_key(query.next_token);
  if (!after.ok()) return common::fail(after.error());
  const ParameterFilter* label_filter = nullptr;
  for (const auto& f : query.filters) {
    if (f.key == "Label") label_filter = &f;
  }
  bool tags_needed = needs_tags(query.filters);

  store::Transaction tx(db_, store::Transaction::Mode::Read);
  if (!tx.ok()) return common::fail(storage_error(tx.error()));
  Page<ParameterVersion> page;
  std::string last_key;
  std::vector<Tag> tags;
  auto visit = [&](const std::string& key, ParameterVersion&& parameter) -> Result<bool> {
    if (!under_path(key, query.path, query.recursive)) return true;
    if (tags_needed) {
      auto loaded = repo_.tags(scope, key);
      if (!loaded.ok()) return common::fail(loaded.error());
      tags = std::move(*loaded);
    }
    FilterSubject subject{parameter.name, parameter.type, parameter.key_id, parameter.tier, parameter.data_type};
    for (const auto& f : query.filters) {
      if (f.key != "Label" && !matches(f, subject, tags)) return true;
    }
    if (label_filter != nullptr) {
      // The labelled version is the one returned, not the latest.
      std::optional<ParameterVersion> labelled;
      for (const std::string& label : label_filter->values) {
        auto found = repo_.labelled(scope, key, label);
        if (!found.ok()) return common::fail(found.error());
        if (found->has_value()) {
          labelled = std::move(**found);
          break;
        }
      }
      if (!labelled) return true;
      parameter = std::move(*labelled);
    }
    if (static_cast<int>(page.items.size()) == query.max_results) {
      page.next_token = encode_page_token(last_key);
      return false;
    }
    if (auto r = reveal(scope, key, parameter, query.decrypt); !r.ok()) return common::fail(r.error());
    page.items.push_back(std::move(parameter));
    last_key = key;
    return true;
  };
  if (auto r = repo_.scan(scope, path_prefix(query.path), *after, visit); !r.ok()) return common::fail(r.error());
  return page;
}

Result<Page<ParameterVersion>> SsmEngine::describe_parameters(const Scope& scope, DescribeQuery&& query) {
  if (!query.filters.empty() && !query.legacy_filters.empty()) {
    return common::fail(
        make_error(Reason::InvalidInput, "You can use either Filters or ParameterFilters in a single request."));
  }
  if (auto r = check_filters(query.filters, FilterUse::DescribeParameters); !r.ok()) return common::fail(r.error());
  // Legacy Filters: Name matches as a prefix, Type and KeyId exactly.
  for (ParameterFilter& f : query.legacy_filters) {
    f.option = f.key == "Name" ? "BeginsWith" : "Equals";
    query.filters.push_back(std::move(f));
  }
  auto after = after_key(query.next_token);
  if (!after.ok()) return common::fail(after.error());
  bool tags_needed = needs_tags(query.filters);

  store::Transaction tx(db_, store::Transaction::Mode::Read);
  if (!tx.ok()) return common::fail(storage_error(tx.error()));
  Page<ParameterVersion> page;
  std::string last_key;
  std::vector<Tag> tags;
  auto visit = [&](const std::string& key, ParameterVersion&& parameter) -> Result<bool> {
    if (tags_needed) {
      auto loaded = repo_.tags(scope, key);
      if (!loaded.ok()) return common::fail(loaded.error());
      tags = std::move(*loaded);
    }
    FilterSubject subject{parameter.name, parameter.type, parameter.key_id, parameter.tier, parameter.data_type};
    for (const auto& f : query.filters) {
      if (!matches(f, subject, tags)) return true;
    }
    if (static_cast<int>(page.items.size()) == query.max_results) {
      page.next_token = encode_page_token(last_key);
      return false;
    }
    parameter.value.clear();
    page.items.push_back(std::move(parameter));
    last_key = key;
    return true;
  };
  if (auto r = repo_.scan(scope, "", *after, visit); !r.ok()) return common::fail(r.error());
  return page;
}

}  // namespace ssm
