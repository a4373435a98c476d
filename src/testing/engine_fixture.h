// A GoogleTest fixture for an engine that publishes on the event bus: a FakeClock, a temporary
// data directory, an in-memory SQLite store, the bus and the engine, all migrated.
// `Engine` is constructed as Engine(db, clock, data_dir, bus) (EcrEngine, CodeCommitEngine).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "common/temp_dir.h"
#include "events/bus.h"
#include "store/db.h"
#include "testing/fake_clock.h"

namespace testing_support {

template <class Engine>
class EngineWithBusTest : public ::testing::Test {
 protected:
  explicit EngineWithBusTest(const char* temp_prefix) : temp_(temp_prefix) {}

  void SetUp() override {
    ASSERT_TRUE(temp_.ok());
    dir_ = temp_.path();
    auto db = store::Db::open(":memory:");
    ASSERT_TRUE(db.ok());
    db_ = std::move(*db);
    bus_ = std::make_unique<events::Bus>(*db_, clock_);
    ASSERT_TRUE(bus_->migrate().ok());
    engine_ = std::make_unique<Engine>(*db_, clock_, dir_, *bus_);
    ASSERT_TRUE(engine_->migrate().ok());
  }

  void TearDown() override {
    engine_.reset();
    bus_.reset();
    db_.reset();
  }

  FakeClock clock_;
  common::TempDir temp_;
  std::string dir_;
  std::unique_ptr<store::Db> db_;
  std::unique_ptr<events::Bus> bus_;
  std::unique_ptr<Engine> engine_;
};

}  // namespace testing_support
