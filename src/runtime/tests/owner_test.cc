#include "runtime/owner.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>

#include "common/temp_dir.h"

namespace runtime {
namespace {

common::Error not_faked() { return common::make_error(common::ErrorKind::Unavailable, "not faked"); }

// Containers in a map; what reconciliation uses (create, list, remove) behaves, the rest fails.
class FakeEngine : public ContainerEngine {
 public:
  std::map<std::string, ContainerSummary> containers;
  std::set<std::string> undeletable;
  int next_id = 1;

  common::Status<> ping(const CallOptions&) override { return common::ok(); }
  common::Result<EngineVersion> version(const CallOptions&) override { return common::fail(not_faked()); }
  common::Result<ImageInfo> inspect_image(const std::string&, const CallOptions&) override {
    return common::fail(not_faked());
  }
  common::Result<std::vector<ImageSummary>> list_images(const CallOptions&) override {
    return common::fail(not_faked());
  }
  common::Status<> tag_image(const std::string&, const std::string&, const std::string&, const CallOptions&) override {
    return common::fail(not_faked());
  }
  common::Status<> remove_image(const std::string&, bool, const CallOptions&) override {
    return common::fail(not_faked());
  }
  common::Result<PushResult> push_image(const std::string&, const std::string&, const PushOptions&,
                                        const ProgressFn&) override {
    return common::fail(not_faked());
  }
  common::Status<> pull_image(const std::string&, const PullOptions&, const ProgressFn&) override {
    return common::fail(not_faked());
  }
  common::Result<std::string> build_image(const RequestBody&, const BuildOptions&, const ProgressFn&) override {
    return common::fail(not_faked());
  }
  common::Result<std::string> import_image(const RequestBody&, const ImportOptions&, const ProgressFn&) override {
    return common::fail(not_faked());
  }
  common::Result<std::string> create_container(const ContainerSpec& spec, const CallOptions&) override {
    std::string id = "c" + std::to_string(next_id++);
    ContainerSummary summary;
    summary.id = id;
    summary.image = spec.image;
    summary.labels = spec.labels;
    summary.state = "created";
    containers[id] = summary;
    return id;
  }
  common::Status<> start_container(const std::string&, const CallOptions&) override {
    return common::fail(not_faked());
  }
  common::Result<WaitResult> wait_container(const std::string&, const CallOptions&) override {
    return common::fail(not_faked());
  }
  common::Status<> container_logs(const std::string&, const LogsOptions&, const OutputFn&) override {
    return common::fail(not_faked());
  }
  common::Status<> stop_container(const std::string&, int, const CallOptions&) override {
    return common::fail(not_faked());
  }
  common::Status<> kill_container(const std::string&, const std::string&, const CallOptions&) override {
    return common::fail(not_faked());
  }
  common::Status<> remove_container(const std::string& id, bool, const CallOptions&) override {
    if (undeletable.count(id)) return common::fail(common::make_error(common::ErrorKind::Internal, "busy " + id));
    if (containers.erase(id) == 0) return common::fail(common::make_error(common::ErrorKind::NotFound, id));
    return common::ok();
  }
  common::Result<ContainerInfo> inspect_container(const std::string&, const CallOptions&) override {
    return common::fail(not_faked());
  }
  // Ignores the filter on purpose: list_owned must not trust the engine to apply it.
  common::Result<std::vector<ContainerSummary>> list_containers(const ContainerFilter&, const CallOptions&) override {
    std::vector<ContainerSummary> out;
    for (const auto& [id, c] : containers) out.push_back(c);
    return out;
  }
};

TEST(Owner, LabelRoundTrip) {
  Owner owner{"task", "arn:aws:ecs:us-east-1:000000000000:task/c/abc"};
  EXPECT_EQ(owner.label(), "task:arn:aws:ecs:us-east-1:000000000000:task/c/abc");
  EXPECT_EQ(Owner::parse(owner.label()), owner);
  EXPECT_FALSE(Owner::parse("no-colon"));
  EXPECT_FALSE(Owner::parse(":id"));
}

TEST(Owner, InstanceIdIsCreatedOnceAndKept) {
  common::TempDir dir("hakobu-owner");
  auto first = load_or_create_instance_id(dir.path() + "/data");
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->size(), 16u);
  auto second = load_or_create_instance_id(dir.path() + "/data");
  ASSERT_TRUE(second);
  EXPECT_EQ(*first, *second);
  common::TempDir other("hakobu-owner");
  EXPECT_NE(*load_or_create_instance_id(other.path()), *first);
}

TEST(Owner, CreateOwnedLabelsTheContainer) {
  FakeEngine engine;
  ContainerSpec spec;
  spec.image = "img";
  spec.labels = {{"user", "label"}};
  auto id = create_owned(engine, spec, Owner{"build", "b1"}, "inst1", {});
  ASSERT_TRUE(id);
  const auto& labels = engine.containers.at(*id).labels;
  EXPECT_EQ(labels.at("hakobu.owner"), "build:b1");
  EXPECT_EQ(labels.at("hakobu.instance"), "inst1");
  EXPECT_EQ(labels.at("user"), "label");
}

TEST(Owner, ListOwnedSeesOnlyItsInstanceAndKind) {
  FakeEngine engine;
  ASSERT_TRUE(create_owned(engine, {}, Owner{"build", "b1"}, "mine", {}));
  ASSERT_TRUE(create_owned(engine, {}, Owner{"task", "t1"}, "mine", {}));
  ASSERT_TRUE(create_owned(engine, {}, Owner{"build", "b2"}, "another hakobu", {}));
  ASSERT_TRUE(engine.create_container({}, {}));  // not ours at all
  auto all = list_owned(engine, "mine", "", {});
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 2u);
  auto builds = list_owned(engine, "mine", "build", {});
  ASSERT_TRUE(builds);
  ASSERT_EQ(builds->size(), 1u);
  EXPECT_EQ((*builds)[0].owner, (Owner{"build", "b1"}));
}

TEST(Owner, ReconcileAdoptsKnownOwnersAndRemovesTheRest) {
  FakeEngine engine;
  std::string known = *create_owned(engine, {}, Owner{"build", "running-build"}, "mine", {});
  std::string stale = *create_owned(engine, {}, Owner{"build", "forgotten-build"}, "mine", {});
  std::string stuck = *create_owned(engine, {}, Owner{"task", "stuck"}, "mine", {});
  std::string foreign = *create_owned(engine, {}, Owner{"build", "x"}, "other", {});
  ContainerSpec garbled;
  garbled.labels = {{"hakobu.instance", "mine"}, {"hakobu.owner", "garbled"}};
  std::string unparsable = *engine.create_container(garbled, {});
  engine.undeletable.insert(stuck);

  auto report = reconcile(engine, "mine", [](const OwnedContainer& c) { return c.owner.id == "running-build"; }, {});
  ASSERT_TRUE(report);
  ASSERT_EQ(report->adopted.size(), 1u);
  EXPECT_EQ(report->adopted[0].container.id, known);
  EXPECT_EQ(report->removed.size(), 2u);  // stale and unparsable
  ASSERT_EQ(report->errors.size(), 1u);
  EXPECT_NE(report->errors[0].find(stuck), std::string::npos);
  EXPECT_TRUE(engine.containers.count(known));
  EXPECT_FALSE(engine.containers.count(stale));
  EXPECT_FALSE(engine.containers.count(unparsable));
  EXPECT_TRUE(engine.containers.count(foreign));  // another instance's: untouched
}

}  // namespace
}  // namespace runtime
