// LabelParameterVersion, UnlabelParameterVersion and GetParameterHistory.
#include <fmt/format.h>

#include "services/ssm/engine/ssm_engine.h"
#include "services/ssm/model/name.h"

namespace ssm {
namespace {

Error not_found(std::string_view name) {
  return make_error(Reason::NotFound, fmt::format("Parameter {} not found.", name));
}
Error version_not_found(std::string_view name, int64_t version) {
  return make_error(
      Reason::VersionNotFound,
      fmt::format("Systems Manager could not find version {} of {}. Verify the version and try again.", version, name));
}

}  // namespace

Result<LabelOutput> SsmEngine::label_parameter_version(const Scope& scope, std::string_view name,
                                                       std::optional<int64_t> version,
                                                       const std::vector<std::string>& labels) {
  std::string_view trimmed = trim_name(name);
  std::string_view key = name_key(trimmed);
  store::Transaction tx(db_, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(storage_error(tx.error()));
  auto latest = repo_.latest(scope, key);
  if (!latest.ok()) return common::fail(latest.error());
  if (!latest->has_value()) return common::fail(not_found(trimmed));
  LabelOutput out;
  out.version = version.value_or((*latest)->version);
  if (version) {
    auto target = repo_.version(scope, key, *version);
    if (!target.ok()) return common::fail(target.error());
    if (!target->has_value()) return common::fail(version_not_found(trimmed, *version));
  }
  for (const std::string& label : labels) {
    if (!is_valid_label(label)) {
      out.invalid_labels.push_back(label);
      continue;
    }
    // A label names one version per parameter: attaching it here moves it.
    if (auto r = repo_.set_label(scope, key, label, out.version); !r.ok()) return common::fail(r.error());
  }
  auto attached = repo_.labels_of(scope, key, out.version);
  if (!attached.ok()) return common::fail(attached.error());
  if (attached->size() > kMaxLabelsPerVersion) {
    return common::fail(make_error(Reason::LabelLimit,
                                   "A parameter version can have maximum 10 labels.Move one or "
                                   "more labels to another version and try again."));
  }
  if (auto r = tx.commit(); !r.ok()) return common::fail(storage_error(r.error()));
  return out;
}

Result<UnlabelOutput> SsmEngine::unlabel_parameter_version(const Scope& scope, std::string_view name, int64_t version,
                                                           const std::vector<std::string>& labels) {
  std::string_view trimmed = trim_name(name);
  std::string_view key = name_key(trimmed);
  store::Transaction tx(db_, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(storage_error(tx.error()));
  auto latest = repo_.latest(scope, key);
  if (!latest.ok()) return common::fail(latest.error());
  if (!latest->has_value()) return common::fail(not_found(trimmed));
  auto target = repo_.version(scope, key, version);
  if (!target.ok()) return common::fail(target.error());
  if (!target->has_value()) return common::fail(version_not_found(trimmed, version));
  UnlabelOutput out;
  for (const std::string& label : labels) {
    auto on = repo_.label_version(scope, key, label);
    if (!on.ok()) return common::fail(on.error());
    if (!on->has_value() || **on != version) {
      out.invalid_labels.push_back(label);
      continue;
    }
    if (auto r = repo_.remove_label(scope, key, label); !r.ok()) return common::fail(r.error());
    out.removed_labels.push_back(label);
  }
  if (auto r = tx.commit(); !r.ok()) return common::fail(storage_error(r.error()));
  return out;
}

Result<Page<ParameterVersion>> SsmEngine::get_parameter_history(const Scope& scope, std::string_view name, bool decrypt,
                                                                int max_results, std::string_view next_token) {
  std::string_view trimmed = trim_name(name);
  std::string_view key = name_key(trimmed);
  int64_t after = 0;
  if (!next_token.empty()) {
    std::string last;
    if (!decode_page_token(next_token, last) || last.empty() ||
        last.find_first_not_of("0123456789") != std::string::npos || last.size() > 18) {
      return common::fail(make_error(Reason::BadNextToken, "The specified token is not valid."));
    }
    after = std::stoll(last);
  }
  store::Transaction tx(db_, store::Transaction::Mode::Read);
  if (!tx.ok()) return common::fail(storage_error(tx.error()));
  auto latest = repo_.latest(scope, key);
  if (!latest.ok()) return common::fail(latest.error());
  if (!latest->has_value()) return common::fail(not_found(trimmed));
  auto versions = repo_.versions(scope, key, after, max_results + 1);
  if (!versions.ok()) return common::fail(versions.error());
  auto labels = repo_.all_labels(scope, key);
  if (!labels.ok()) return common::fail(labels.error());
  Page<ParameterVersion> page;
  for (ParameterVersion& v : *versions) {
    if (static_cast<int>(page.items.size()) == max_results) {
      page.next_token = encode_page_token(std::to_string(page.items.back().version));
      break;
    }
    if (auto it = labels->find(v.version); it != labels->end()) v.labels = it->second;
    if (auto r = reveal(scope, key, v, decrypt); !r.ok()) return common::fail(r.error());
    page.items.push_back(std::move(v));
  }
  return page;
}

}  // namespace ssm
