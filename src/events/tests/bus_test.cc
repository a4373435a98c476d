#include "events/bus.h"

#include <gtest/gtest.h>

#include <thread>

#include "testing/fake_clock.h"

namespace events {
namespace {

class BusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = store::Db::open(":memory:");
    ASSERT_TRUE(db.ok());
    db_ = std::move(*db);
    bus_ = std::make_unique<Bus>(*db_, clock_);
    ASSERT_TRUE(bus_->migrate().ok());
  }

  // Appends inside a write transaction, as producers do; commits unless `commit` is false.
  Event publish(std::string source, std::string detail_type, bool commit = true) {
    Event e;
    e.source = std::move(source);
    e.detail_type = std::move(detail_type);
    e.account = "000000000000";
    e.region = "us-east-1";
    e.detail = {{"result", "SUCCESS"}};
    store::Transaction txn(*db_, store::Transaction::Mode::Write);
    EXPECT_TRUE(txn.ok());
    EXPECT_TRUE(bus_->append(e).ok());
    if (commit) {
      EXPECT_TRUE(txn.commit().ok());
      bus_->notify();
    }
    return e;
  }

  testing_support::FakeClock clock_;
  std::unique_ptr<store::Db> db_;
  std::unique_ptr<Bus> bus_;
};

TEST_F(BusTest, AppendsInOrderWithEnvelope) {
  Event a = publish("aws.ecr", "ECR Image Action");
  Event b = publish("aws.codecommit", "CodeCommit Repository State Change");
  EXPECT_LT(a.seq, b.seq);
  auto all = bus_->read({});
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  common::Json env = (*all)[0].envelope();
  EXPECT_EQ(env["version"], "0");
  EXPECT_EQ(env["source"], "aws.ecr");
  EXPECT_EQ(env["detail-type"], "ECR Image Action");
  EXPECT_EQ(env["account"], "000000000000");
  EXPECT_EQ(env["time"], "2023-11-14T22:13:20Z");
  EXPECT_EQ(env["detail"]["result"], "SUCCESS");
  EXPECT_EQ(env["id"].get<std::string>().size(), 36u);
  EXPECT_EQ(bus_->last_seq(), b.seq);
}

TEST_F(BusTest, RolledBackEventIsNeverSeen) {
  publish("aws.ecr", "ECR Image Action", false);
  auto all = bus_->read({});
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->empty());
}

TEST_F(BusTest, FiltersAndCursor) {
  Event a = publish("aws.ecr", "ECR Image Action");
  publish("aws.codecommit", "CodeCommit Repository State Change");
  Event c = publish("aws.ecr", "ECR Image Action");
  ReadQuery q;
  q.source = "aws.ecr";
  auto ecr = bus_->read(q);
  ASSERT_TRUE(ecr.ok());
  ASSERT_EQ(ecr->size(), 2u);
  q.after_seq = a.seq;
  auto after = bus_->read(q);
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->size(), 1u);
  EXPECT_EQ((*after)[0].seq, c.seq);
  q = {};
  q.limit = 1;
  auto one = bus_->read(q);
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->size(), 1u);
}

TEST_F(BusTest, SubscribersAreWokenAfterCommit) {
  int woken = 0;
  int id = bus_->subscribe([&] { ++woken; });
  publish("aws.ecr", "ECR Image Action");
  EXPECT_EQ(woken, 1);
  bus_->unsubscribe(id);
  publish("aws.ecr", "ECR Image Action");
  EXPECT_EQ(woken, 1);
}

TEST_F(BusTest, WaitForSeesAnEventFromAnotherThread) {
  int64_t before = bus_->last_seq();
  EXPECT_FALSE(bus_->wait_for(before, std::chrono::milliseconds(10)));
  std::thread producer([&] { publish("aws.ecr", "ECR Image Action"); });
  EXPECT_TRUE(bus_->wait_for(before, std::chrono::seconds(5)));
  producer.join();
}

TEST_F(BusTest, RetentionTrimsOldest) {
  bus_->set_retention(10);
  for (int i = 0; i < 300; ++i) publish("aws.ecr", "ECR Image Action");
  auto all = bus_->read({});
  ASSERT_TRUE(all.ok());
  EXPECT_LT(all->size(), 300u);
  EXPECT_GE(all->size(), 10u);
  EXPECT_EQ(all->back().seq, bus_->last_seq());
}

}  // namespace
}  // namespace events
