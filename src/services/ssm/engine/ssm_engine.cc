#include "services/ssm/engine/ssm_engine.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "services/ssm/engine/migrations.h"
#include "services/ssm/model/name.h"

namespace ssm {

SsmEngine::SsmEngine(store::Db& db, const common::Clock& clock) : db_(db), clock_(clock), repo_(db), secure_(db) {}

common::Status<> SsmEngine::migrate() { return db_.migrate("ssm", migrations()); }

void SsmEngine::on_reset() {
  secure_.forget_keys();
  latest_.invalidate();
}

Status SsmEngine::reveal(const Scope& scope, std::string_view key, ParameterVersion& parameter, bool decrypt) {
  if (!decrypt || parameter.type != "SecureString") return common::ok();
  auto plain = secure_.decrypt(scope, parameter.key_id, key, parameter.value);
  if (!plain.ok()) return common::fail(plain.error());
  parameter.value = std::move(*plain);
  return common::ok();
}

Result<ParameterVersion> SsmEngine::resolve(const Scope& scope, std::string_view reference) {
  std::string_view trimmed = trim_name(reference);
  if (trimmed.find(' ') != std::string_view::npos) {
    return common::fail(make_error(Reason::InvalidInput, "Parameter name: can't contain spaces between characters: \"" +
                                                             std::string(trimmed) + "\""));
  }
  auto ref = parse_reference(trimmed);
  auto not_found = [&] {
    return common::fail(make_error(Reason::NotFound, fmt::format("Parameter {} not found.", trimmed)));
  };
  if (!ref || (ref->arn_account && *ref->arn_account != scope.account) ||
      (ref->arn_region && *ref->arn_region != scope.region)) {
    return not_found();
  }
  std::string_view key = name_key(ref->name);
  if (!ref->version && !ref->label) {
    if (auto cached = latest_.get(scope, key)) {
      cached->selector = std::move(ref->selector);
      return std::move(*cached);
    }
  }
  uint64_t generation = latest_.generation();
  Result<std::optional<ParameterVersion>> found = ref->version ? repo_.version(scope, key, *ref->version)
                                                  : ref->label ? repo_.labelled(scope, key, *ref->label)
                                                               : repo_.latest(scope, key);
  if (found.ok() && found->has_value() && !ref->version && !ref->label) {
    latest_.put(generation, scope, key, **found);
  }
  if (!found.ok()) return common::fail(found.error());
  if (!found->has_value()) {
    if (ref->version) {
      auto exists = repo_.latest(scope, key);
      if (!exists.ok()) return common::fail(exists.error());
      if (exists->has_value()) {
        return common::fail(make_error(Reason::VersionNotFound,
                                       fmt::format("Systems Manager could not find version {} of {}. Verify the "
                                                   "version and try again.",
                                                   *ref->version, ref->name)));
      }
    }
    return not_found();
  }
  ParameterVersion parameter = std::move(**found);
  parameter.selector = std::move(ref->selector);
  return parameter;
}

Result<ParameterVersion> SsmEngine::get_parameter(const Scope& scope, std::string_view reference, bool decrypt) {
  auto parameter = resolve(scope, reference);
  if (!parameter.ok()) return parameter;
  if (auto r = reveal(scope, name_key(parameter->name), *parameter, decrypt); !r.ok()) return common::fail(r.error());
  return parameter;
}

Result<GetParametersOutput> SsmEngine::get_parameters(const Scope& scope, const std::vector<std::string>& references,
                                                      bool decrypt) {
  GetParametersOutput out;
  std::set<std::string_view> seen;
  for (const std::string& reference : references) {
    if (!seen.insert(reference).second) continue;
    auto parameter = get_parameter(scope, reference, decrypt);
    if (parameter.ok()) {
      out.parameters.push_back(std::move(*parameter));
      continue;
    }
    if (parameter.error().reason == Reason::Storage) return common::fail(parameter.error());
    out.invalid.push_back(reference);
  }
  std::stable_sort(out.parameters.begin(), out.parameters.end(),
                   [](const ParameterVersion& a, const ParameterVersion& b) { return a.name < b.name; });
  return out;
}

Status SsmEngine::delete_parameter(const Scope& scope, std::string_view name) {
  std::string_view trimmed = trim_name(name);
  store::Transaction tx(db_, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(storage_error(tx.error()));
  auto deleted = repo_.delete_parameter(scope, name_key(trimmed));
  if (!deleted.ok()) return common::fail(deleted.error());
  if (!*deleted) return common::fail(make_error(Reason::NotFound, fmt::format("Parameter {} not found.", trimmed)));
  if (auto r = tx.commit(); !r.ok()) return common::fail(storage_error(r.error()));
  latest_.invalidate();
  return common::ok();
}

Result<DeleteParametersOutput> SsmEngine::delete_parameters(const Scope& scope, const std::vector<std::string>& names) {
  DeleteParametersOutput out;
  store::Transaction tx(db_, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(storage_error(tx.error()));
  std::set<std::string_view> seen;
  for (const std::string& name : names) {
    if (!seen.insert(name).second) continue;
    auto deleted = repo_.delete_parameter(scope, name_key(trim_name(name)));
    if (!deleted.ok()) return common::fail(deleted.error());
    (*deleted ? out.deleted : out.invalid).push_back(name);
  }
  if (auto r = tx.commit(); !r.ok()) return common::fail(storage_error(r.error()));
  latest_.invalidate();
  return out;
}

}  // namespace ssm
