// Owner labels and reconciliation (containerd's and Nomad's habit): every container hakobu
// creates carries `hakobu.owner=<kind>:<id>` ("build:<build id>", "task:<task arn>") and
// `hakobu.instance=<instance id>` (which data directory's hakobu made it). At start, a hakobu
// lists its instance's containers, adopts those its database still owns and removes the rest,
// so a restart leaves no container behind. Another hakobu's containers (another data directory,
// tests running side by side) are never touched.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "runtime/container_engine.h"

namespace runtime {

inline constexpr std::string_view kOwnerLabel = "hakobu.owner";
inline constexpr std::string_view kInstanceLabel = "hakobu.instance";

struct Owner {
  std::string kind;  // "build", "task"; no ':'
  std::string id;    // may contain ':' (ARNs)

  std::string label() const { return kind + ":" + id; }
  // "build:abc" -> {build, abc}; nullopt without a ':' or with an empty kind.
  static std::optional<Owner> parse(std::string_view label);
  bool operator==(const Owner&) const = default;
};

// This data directory's instance id: <data_dir>/instance-id, created (random, 16 hex) the first
// time.
common::Result<std::string> load_or_create_instance_id(const std::string& data_dir);

// `spec` with the owner and instance labels added.
ContainerSpec with_owner(ContainerSpec spec, const Owner& owner, std::string_view instance);

// Creates a container labelled as `owner`'s; returns its id.
common::Result<std::string> create_owned(ContainerEngine& engine, ContainerSpec spec, const Owner& owner,
                                         std::string_view instance, const CallOptions& call);

struct OwnedContainer {
  Owner owner;
  ContainerSummary container;
};

// The instance's containers (running or not), optionally only those of one owner kind.
common::Result<std::vector<OwnedContainer>> list_owned(ContainerEngine& engine, std::string_view instance,
                                                       std::string_view kind, const CallOptions& call);

struct ReconcileReport {
  std::vector<OwnedContainer> adopted;  // kept: `adopt` said yes
  std::vector<OwnedContainer> removed;  // force-removed
  std::vector<std::string> errors;      // removals that failed (the container stays)
};

// Lists the instance's containers; keeps those `adopt` accepts and force-removes the others
// (including ones whose owner label does not parse). Fails only when the list fails.
common::Result<ReconcileReport> reconcile(ContainerEngine& engine, std::string_view instance,
                                          const std::function<bool(const OwnedContainer&)>& adopt,
                                          const CallOptions& call);

}  // namespace runtime
