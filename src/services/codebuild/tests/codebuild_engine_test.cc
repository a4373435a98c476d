// CodebuildEngine against real SQLite (":memory:"): projects, builds and the runner seam
// (build_runner.h) driven by a recording test runner.
#include "services/codebuild/engine/codebuild_engine.h"

#include <gtest/gtest.h>

#include <memory>

#include "events/bus.h"
#include "store/db.h"
#include "testing/fake_clock.h"

namespace codebuild {
namespace {

// Records what the engine tells it; claims nothing by itself (the tests drive the seam).
class RecordingRunner final : public BuildRunner {
 public:
  void build_queued(const BuildRef& build) override { queued.push_back(build.id); }
  void stop_requested(const BuildRef& build) override { stops.push_back(build.id); }
  std::vector<std::string> queued;
  std::vector<std::string> stops;
};

class CodebuildEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = store::Db::open(":memory:");
    ASSERT_TRUE(db.ok());
    db_ = std::move(*db);
    bus_ = std::make_unique<events::Bus>(*db_, clock_);
    ASSERT_TRUE(bus_->migrate().ok());
    engine_ = std::make_unique<CodebuildEngine>(*db_, clock_, *bus_);
    ASSERT_TRUE(engine_->migrate().ok());
    ASSERT_TRUE(engine_->create_project(key_, Json{{"source", {{"type", "NO_SOURCE"}, {"buildspec", "x"}}}}).ok());
  }

  BuildRef start(const std::string& token = "", const std::string& request = "{}") {
    StartBuildInput input;
    input.project = key_;
    input.build = Json{{"initiator", "alice"}, {"timeoutInMinutes", 60}};
    input.idempotency_token = token;
    input.request = request;
    auto build = engine_->start_build(input);
    EXPECT_TRUE(build.ok());
    return BuildRef{key_.account, key_.region, build.ok() ? (*build)["id"].get<std::string>() : ""};
  }

  Json get(const BuildRef& ref) {
    auto build = engine_->get_build(ref);
    EXPECT_TRUE(build.ok() && *build);
    return build.ok() && *build ? **build : Json();
  }

  std::vector<events::Event> events_of(const std::string& detail_type) {
    events::ReadQuery query;
    query.detail_type = detail_type;
    auto read = bus_->read(query);
    EXPECT_TRUE(read.ok());
    return read.ok() ? *read : std::vector<events::Event>{};
  }

  static std::vector<std::string> phase_types(const Json& build) {
    std::vector<std::string> out;
    for (const auto& phase : build["phases"]) out.push_back(phase["phaseType"].get<std::string>());
    return out;
  }

  testing_support::FakeClock clock_;
  std::unique_ptr<store::Db> db_;
  std::unique_ptr<events::Bus> bus_;
  std::unique_ptr<CodebuildEngine> engine_;
  ProjectKey key_{"123456789012", "us-east-1", "proj"};
};

TEST_F(CodebuildEngineTest, StartBuildWithoutRunnerWaitsQueued) {
  BuildRef first = start();
  BuildRef second = start();
  Json build = get(first);
  EXPECT_EQ(build["buildStatus"], "IN_PROGRESS");
  EXPECT_EQ(build["currentPhase"], "QUEUED");
  EXPECT_EQ(phase_types(build), (std::vector<std::string>{"SUBMITTED", "QUEUED"}));
  EXPECT_EQ(build["phases"][0]["phaseStatus"], "SUCCEEDED");
  EXPECT_FALSE(build["phases"][1].contains("phaseStatus"));
  EXPECT_EQ(build["buildNumber"], 1);
  EXPECT_EQ(get(second)["buildNumber"], 2);
  EXPECT_EQ(build["arn"], "arn:aws:codebuild:us-east-1:123456789012:build/" + first.id);
  EXPECT_EQ(build["logs"]["groupName"], "/aws/codebuild/proj");
  EXPECT_EQ(build["logs"]["streamName"], first.id.substr(5));
  EXPECT_EQ(first.id.rfind("proj:", 0), 0u);
  auto states = events_of("CodeBuild Build State Change");
  ASSERT_EQ(states.size(), 2u);
  EXPECT_EQ(states[0].source, "aws.codebuild");
  EXPECT_EQ(states[0].detail["build-status"], "IN_PROGRESS");
  EXPECT_EQ(states[0].detail["project-name"], "proj");
  EXPECT_EQ(states[0].account, "123456789012");
  EXPECT_EQ(states[0].region, "us-east-1");
  auto phases = events_of("CodeBuild Build Phase Change");
  ASSERT_EQ(phases.size(), 2u);
  EXPECT_EQ(phases[0].detail["completed-phase"], "SUBMITTED");
  EXPECT_EQ(phases[0].detail["completed-phase-status"], "SUCCEEDED");
}

TEST_F(CodebuildEngineTest, RunnerClaimsRecordsPhasesAndFinishes) {
  RecordingRunner runner;
  engine_->set_runner(&runner);
  BuildRef ref = start();
  ASSERT_EQ(runner.queued, std::vector<std::string>{ref.id});
  auto claimed = engine_->claim_build(ref);
  ASSERT_TRUE(claimed.ok() && *claimed);
  EXPECT_EQ((**claimed)["currentPhase"], "PROVISIONING");
  auto again = engine_->claim_build(ref);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(*again) << "a build is claimed once";
  auto queued = engine_->queued_builds();
  ASSERT_TRUE(queued.ok());
  EXPECT_TRUE(queued->empty());

  clock_.advance(std::chrono::seconds(3));
  ASSERT_TRUE(engine_->complete_phase(ref, PhaseCompletion{"SUCCEEDED", Json::array(), "BUILD"}).ok());
  BuildFacts facts;
  facts.resolved_source_version = "abc123";
  facts.exported_environment_variables = Json::array({Json{{"name", "V"}, {"value", "1"}}});
  facts.artifacts = Json{{"location", "arn:aws:s3:::b/k"}, {"sha256sum", "s"}, {"md5sum", "m"}};
  ASSERT_TRUE(engine_->update_build(ref, facts).ok());
  Json contexts = Json::array({Json{{"statusCode", "COMMAND_EXECUTION_ERROR"}, {"message", "exit status 1"}}});
  auto done = engine_->finish_build(ref, "FAILED", "FAILED", contexts);
  ASSERT_TRUE(done.ok());
  Json build = get(ref);
  EXPECT_EQ(build["buildStatus"], "FAILED");
  EXPECT_TRUE(build["buildComplete"].get<bool>());
  EXPECT_TRUE(build.contains("endTime"));
  EXPECT_EQ(build["currentPhase"], "COMPLETED");
  EXPECT_EQ(phase_types(build),
            (std::vector<std::string>{"SUBMITTED", "QUEUED", "PROVISIONING", "BUILD", "COMPLETED"}));
  EXPECT_EQ(build["phases"][2]["durationInSeconds"], 3);
  EXPECT_EQ(build["phases"][3]["contexts"], contexts);
  EXPECT_EQ(build["resolvedSourceVersion"], "abc123");
  EXPECT_EQ(build["artifacts"]["md5sum"], "m");
  EXPECT_EQ(build["exportedEnvironmentVariables"][0]["name"], "V");
  auto states = events_of("CodeBuild Build State Change");
  ASSERT_EQ(states.size(), 2u);
  EXPECT_EQ(states[1].detail["build-status"], "FAILED");
  auto phases = events_of("CodeBuild Build Phase Change");
  ASSERT_EQ(phases.size(), 4u);  // SUBMITTED, QUEUED, PROVISIONING, BUILD
  EXPECT_EQ(phases[3].detail["completed-phase"], "BUILD");
  EXPECT_EQ(phases[3].detail["completed-phase-status"], "FAILED");
  EXPECT_FALSE(engine_->finish_build(ref, "SUCCEEDED", "SUCCEEDED", Json::array()).ok())
      << "a finished build stays finished";
}

TEST_F(CodebuildEngineTest, StopUnclaimedStopsAtOnceClaimedSetsFlag) {
  RecordingRunner runner;
  engine_->set_runner(&runner);
  BuildRef waiting = start();
  auto stopped = engine_->stop_build(waiting);
  ASSERT_TRUE(stopped.ok());
  EXPECT_EQ((*stopped)["buildStatus"], "STOPPED");
  EXPECT_TRUE(runner.stops.empty());
  auto late = engine_->claim_build(waiting);
  ASSERT_TRUE(late.ok());
  EXPECT_FALSE(*late);

  BuildRef running = start();
  ASSERT_TRUE(engine_->claim_build(running).ok());
  auto flagged = engine_->stop_build(running);
  ASSERT_TRUE(flagged.ok());
  EXPECT_EQ((*flagged)["buildStatus"], "IN_PROGRESS");
  EXPECT_EQ(runner.stops, std::vector<std::string>{running.id});
  auto requested = engine_->stop_requested(running);
  ASSERT_TRUE(requested.ok());
  EXPECT_TRUE(*requested);
  ASSERT_TRUE(engine_->finish_build(running, "STOPPED", "STOPPED", Json::array()).ok());
  EXPECT_EQ(get(running)["buildStatus"], "STOPPED");
}

TEST_F(CodebuildEngineTest, IdempotencyTokenWithinFiveMinutes) {
  BuildRef a = start("tok", "{\"x\":1}");
  BuildRef b = start("tok", "{\"x\":1}");
  EXPECT_EQ(a.id, b.id);
  StartBuildInput other;
  other.project = key_;
  other.idempotency_token = "tok";
  other.request = "{\"x\":2}";
  auto conflict = engine_->start_build(other);
  ASSERT_FALSE(conflict.ok());
  EXPECT_EQ(conflict.error().code, Errc::InvalidInput);
  clock_.advance(std::chrono::seconds(301));
  BuildRef c = start("tok", "{\"x\":1}");
  EXPECT_NE(a.id, c.id);
}

TEST_F(CodebuildEngineTest, ReconcileWithoutRunnerFailsLeftoverBuilds) {
  BuildRef ref = start();
  auto left = engine_->reconcile_after_restart();
  ASSERT_TRUE(left.ok());
  ASSERT_EQ(left->size(), 1u);
  Json build = get(ref);
  EXPECT_EQ(build["buildStatus"], "FAULT");
  EXPECT_EQ(build["phases"][1]["phaseStatus"], "FAULT");
  EXPECT_EQ(build["phases"][1]["contexts"][0]["statusCode"], "BUILD_INTERRUPTED");
}

TEST_F(CodebuildEngineTest, ReconcileWithRunnerReturnsClaimedBuildsOnly) {
  RecordingRunner runner;
  engine_->set_runner(&runner);
  BuildRef queued = start();
  BuildRef claimed = start();
  ASSERT_TRUE(engine_->claim_build(claimed).ok());
  auto left = engine_->reconcile_after_restart();
  ASSERT_TRUE(left.ok());
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ((*left)[0].id, claimed.id);
  EXPECT_EQ(get(queued)["buildStatus"], "IN_PROGRESS");
  auto waiting = engine_->queued_builds();
  ASSERT_TRUE(waiting.ok());
  ASSERT_EQ(waiting->size(), 1u);
  EXPECT_EQ((*waiting)[0].id, queued.id);
}

TEST_F(CodebuildEngineTest, DeleteBuildRefusesInProgress) {
  BuildRef ref = start();
  auto refused = engine_->delete_build(ref);
  ASSERT_TRUE(refused.ok());
  EXPECT_FALSE(*refused);
  ASSERT_TRUE(engine_->stop_build(ref).ok());
  auto deleted = engine_->delete_build(ref);
  ASSERT_TRUE(deleted.ok());
  EXPECT_TRUE(*deleted);
  auto gone = engine_->get_build(ref);
  ASSERT_TRUE(gone.ok());
  EXPECT_FALSE(*gone);
}

TEST_F(CodebuildEngineTest, QueuedTimeoutExpiresUnclaimedBuildsOnly) {
  RecordingRunner runner;
  engine_->set_runner(&runner);
  BuildRef waiting = start();  // queuedTimeoutInMinutes absent: 480
  BuildRef claimed = start();
  ASSERT_TRUE(engine_->claim_build(claimed).ok());
  clock_.advance(std::chrono::minutes(479));
  auto none = engine_->expire_queued_builds();
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, 0);
  clock_.advance(std::chrono::minutes(2));
  auto one = engine_->expire_queued_builds();
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(*one, 1);
  Json build = get(waiting);
  EXPECT_EQ(build["buildStatus"], "TIMED_OUT");
  EXPECT_EQ(build["phases"][1]["phaseStatus"], "TIMED_OUT");
  EXPECT_EQ(get(claimed)["buildStatus"], "IN_PROGRESS");
}

TEST_F(CodebuildEngineTest, StartBuildOfMissingProjectIsNotFound) {
  StartBuildInput input;
  input.project = ProjectKey{key_.account, key_.region, "nope"};
  auto build = engine_->start_build(input);
  ASSERT_FALSE(build.ok());
  EXPECT_EQ(build.error().code, Errc::ResourceNotFound);
}

}  // namespace
}  // namespace codebuild
