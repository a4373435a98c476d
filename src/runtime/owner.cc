#include "runtime/owner.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/ids.h"
#include "common/strings.h"
#include "runtime/registries_conf.h"

namespace runtime {

std::optional<Owner> Owner::parse(std::string_view label) {
  size_t colon = label.find(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  return Owner{std::string(label.substr(0, colon)), std::string(label.substr(colon + 1))};
}

common::Result<std::string> load_or_create_instance_id(const std::string& data_dir) {
  std::string path = data_dir + "/instance-id";
  std::ifstream in(path);
  if (in) {
    std::stringstream text;
    text << in.rdbuf();
    std::string id(common::trim(text.str()));
    if (!id.empty()) return id;
  }
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  std::string id = common::random_hex(16);
  auto written = write_file_atomically(path, id + "\n");
  if (!written) return common::fail(std::move(written).error());
  return id;
}

ContainerSpec with_owner(ContainerSpec spec, const Owner& owner, std::string_view instance) {
  spec.labels[std::string(kOwnerLabel)] = owner.label();
  spec.labels[std::string(kInstanceLabel)] = std::string(instance);
  return spec;
}

common::Result<std::string> create_owned(ContainerEngine& engine, ContainerSpec spec, const Owner& owner,
                                         std::string_view instance, const CallOptions& call) {
  return engine.create_container(with_owner(std::move(spec), owner, instance), call);
}

common::Result<std::vector<OwnedContainer>> list_owned(ContainerEngine& engine, std::string_view instance,
                                                       std::string_view kind, const CallOptions& call) {
  ContainerFilter filter;
  filter.labels = {std::string(kInstanceLabel) + "=" + std::string(instance)};
  auto listed = engine.list_containers(filter, call);
  if (!listed) return common::fail(std::move(listed).error());
  std::vector<OwnedContainer> out;
  for (auto& container : *listed) {
    // The engine filtered already; checked again so a fake or an engine ignoring filters cannot
    // hand us another instance's container.
    auto instance_label = container.labels.find(std::string(kInstanceLabel));
    if (instance_label == container.labels.end() || instance_label->second != instance) continue;
    auto label = container.labels.find(std::string(kOwnerLabel));
    auto owner = label == container.labels.end() ? std::nullopt : Owner::parse(label->second);
    OwnedContainer owned{owner.value_or(Owner{}), std::move(container)};
    if (!kind.empty() && owned.owner.kind != kind) continue;
    out.push_back(std::move(owned));
  }
  return out;
}

common::Result<ReconcileReport> reconcile(ContainerEngine& engine, std::string_view instance,
                                          const std::function<bool(const OwnedContainer&)>& adopt,
                                          const CallOptions& call) {
  auto owned = list_owned(engine, instance, "", call);
  if (!owned) return common::fail(std::move(owned).error());
  ReconcileReport report;
  for (auto& container : *owned) {
    if (!container.owner.kind.empty() && adopt && adopt(container)) {
      report.adopted.push_back(std::move(container));
      continue;
    }
    auto removed = engine.remove_container(container.container.id, /*force=*/true, call);
    if (removed || removed.error().kind == common::ErrorKind::NotFound) {
      report.removed.push_back(std::move(container));
    } else {
      report.errors.push_back(removed.error().message);
    }
  }
  return report;
}

}  // namespace runtime
