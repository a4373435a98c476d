// AddTagsToResource, ListTagsForResource, RemoveTagsFromResource for parameters.
#include <fmt/format.h>

#include "services/ssm/engine/ssm_engine.h"
#include "services/ssm/model/name.h"

namespace ssm {

Result<std::string> SsmEngine::tagged_key(const Scope& scope, std::string_view resource_type,
                                          std::string_view resource_id) {
  if (resource_type != "Parameter") {
    return common::fail(
        make_error(Reason::BadResourceType,
                   fmt::format("The resource type {} is not supported by hakobu; only Parameter is.", resource_type)));
  }
  std::string_view trimmed = trim_name(resource_id);
  auto ref = parse_reference(trimmed);
  auto invalid_id = [&] {
    return common::fail(
        make_error(Reason::BadResourceId,
                   fmt::format("The resource ID \"{}\" is not valid. Verify the ID and try again.", resource_id)));
  };
  if (!ref || !ref->selector.empty() || (ref->arn_account && *ref->arn_account != scope.account) ||
      (ref->arn_region && *ref->arn_region != scope.region)) {
    return invalid_id();
  }
  std::string key(name_key(ref->name));
  auto latest = repo_.latest(scope, key);
  if (!latest.ok()) return common::fail(latest.error());
  if (!latest->has_value()) return invalid_id();
  return key;
}

Status SsmEngine::add_tags(const Scope& scope, std::string_view resource_type, std::string_view resource_id,
                           const std::vector<Tag>& tags) {
  store::Transaction tx(db_, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(storage_error(tx.error()));
  auto key = tagged_key(scope, resource_type, resource_id);
  if (!key.ok()) return common::fail(key.error());
  for (const Tag& tag : tags) {
    if (auto r = repo_.put_tag(scope, *key, tag); !r.ok()) return r;
  }
  auto all = repo_.tags(scope, *key);
  if (!all.ok()) return common::fail(all.error());
  if (all->size() > kMaxTagsPerResource) {
    return common::fail(make_error(Reason::TooManyTags, "The Tags parameter cannot exceed 50 tags per resource."));
  }
  if (auto r = tx.commit(); !r.ok()) return common::fail(storage_error(r.error()));
  return common::ok();
}

Result<std::vector<Tag>> SsmEngine::list_tags(const Scope& scope, std::string_view resource_type,
                                              std::string_view resource_id) {
  store::Transaction tx(db_, store::Transaction::Mode::Read);
  if (!tx.ok()) return common::fail(storage_error(tx.error()));
  auto key = tagged_key(scope, resource_type, resource_id);
  if (!key.ok()) return common::fail(key.error());
  return repo_.tags(scope, *key);
}

Status SsmEngine::remove_tags(const Scope& scope, std::string_view resource_type, std::string_view resource_id,
                              const std::vector<std::string>& keys) {
  store::Transaction tx(db_, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(storage_error(tx.error()));
  auto key = tagged_key(scope, resource_type, resource_id);
  if (!key.ok()) return common::fail(key.error());
  for (const std::string& tag_key : keys) {
    if (auto r = repo_.remove_tag(scope, *key, tag_key); !r.ok()) return r;
  }
  if (auto r = tx.commit(); !r.ok()) return common::fail(storage_error(r.error()));
  return common::ok();
}

}  // namespace ssm
