// LogsEngine against real SQLite (":memory:") and a FakeClock.
#include "services/logs/engine/logs_engine.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "testing/fake_clock.h"

namespace logs {
namespace {

using namespace std::chrono_literals;

class LogsEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = store::Db::open(":memory:");
    ASSERT_TRUE(db.ok());
    db_ = std::move(*db);
    engine_ = std::make_unique<LogsEngine>(*db_, clock_);
    ASSERT_TRUE(engine_->migrate().ok());
  }
  void TearDown() override {
    engine_.reset();
    db_.reset();
  }

  int64_t now() const { return engine_->now_ms(); }
  GroupRef group(const std::string& name) const { return GroupRef{"000000000000", "us-east-1", name}; }
  StreamRef stream(const std::string& group_name, const std::string& name) const {
    return StreamRef{group(group_name), name};
  }
  void make(const std::string& group_name, const std::vector<std::string>& streams = {}) {
    CreateGroupInput input;
    input.ref = group(group_name);
    ASSERT_TRUE(engine_->create_group(input).ok());
    for (const auto& s : streams) ASSERT_TRUE(engine_->create_stream(stream(group_name, s)).ok());
  }
  void put(const std::string& g, const std::string& s, std::vector<InputEvent> events) {
    auto r = engine_->put_events(stream(g, s), events);
    ASSERT_TRUE(r.ok()) << r.error().message;
  }
  std::vector<std::string> messages(const std::vector<LogEvent>& events) {
    std::vector<std::string> out;
    for (const auto& e : events) out.push_back(e.message);
    return out;
  }

  testing_support::FakeClock clock_;
  std::unique_ptr<store::Db> db_;
  std::unique_ptr<LogsEngine> engine_;
};

TEST_F(LogsEngineTest, GroupsAreUniquePerAccountAndRegion) {
  make("app");
  CreateGroupInput again;
  again.ref = group("app");
  auto dup = engine_->create_group(again);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, Errc::GroupAlreadyExists);
  again.ref.region = "eu-west-1";
  EXPECT_TRUE(engine_->create_group(again).ok());
  auto got = engine_->get_group(group("app"));
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->created_ms, now());
  EXPECT_EQ(got->log_class, "STANDARD");
  EXPECT_EQ(engine_->get_group(group("nope")).error().code, Errc::GroupNotFound);
}

TEST_F(LogsEngineTest, ListGroupsByPrefixPatternAndPages) {
  for (const char* name : {"/aws/codebuild/a", "/aws/codebuild/b", "/aws/lambda/c", "app", "zeta-app"}) make(name);
  GroupQuery query;
  query.prefix = "/aws/codebuild/";
  auto page = engine_->list_groups("000000000000", "us-east-1", query);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->groups.size(), 2u);
  EXPECT_EQ(page->groups[1].name, "/aws/codebuild/b");
  EXPECT_FALSE(page->more);

  GroupQuery pattern;
  pattern.pattern = "app";
  page = engine_->list_groups("000000000000", "us-east-1", pattern);
  ASSERT_EQ(page->groups.size(), 2u);

  GroupQuery paged;
  paged.limit = 2;
  page = engine_->list_groups("000000000000", "us-east-1", paged);
  ASSERT_EQ(page->groups.size(), 2u);
  EXPECT_TRUE(page->more);
  paged.after = page->groups.back().name;
  page = engine_->list_groups("000000000000", "us-east-1", paged);
  ASSERT_EQ(page->groups.size(), 2u);
  EXPECT_EQ(page->groups[0].name, "/aws/lambda/c");
  paged.after = page->groups.back().name;
  page = engine_->list_groups("000000000000", "us-east-1", paged);
  ASSERT_EQ(page->groups.size(), 1u);
  EXPECT_FALSE(page->more);
}

TEST_F(LogsEngineTest, StreamsNeedTheirGroupAndAreUnique) {
  auto missing = engine_->create_stream(stream("nope", "s"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, Errc::GroupNotFound);
  make("g", {"s"});
  EXPECT_EQ(engine_->create_stream(stream("g", "s")).error().code, Errc::StreamAlreadyExists);
  EXPECT_EQ(engine_->delete_stream(stream("g", "other")).error().code, Errc::StreamNotFound);
}

TEST_F(LogsEngineTest, PutUpdatesStreamTimesAndStoredBytes) {
  make("g", {"s"});
  put("g", "s", {{now() - 5000, "hello"}, {now() - 1000, "world!"}});
  auto streams = engine_->list_streams(group("g"), {});
  ASSERT_TRUE(streams.ok());
  ASSERT_EQ(streams->size(), 1u);
  EXPECT_EQ((*streams)[0].first_event_ms, now() - 5000);
  EXPECT_EQ((*streams)[0].last_event_ms, now() - 1000);
  EXPECT_EQ((*streams)[0].last_ingestion_ms, now());
  EXPECT_EQ((*streams)[0].sequence, 1);
  EXPECT_EQ(engine_->get_group(group("g"))->stored_bytes, 11);
}

TEST_F(LogsEngineTest, PutReportsRejectedEventsAndStoresTheRest) {
  make("g", {"s"});
  auto outcome = engine_->put_events(
      stream("g", "s"), {{now() - 15 * kDayMillis, "old"}, {now(), "ok"}, {now() + 3 * 3600 * 1000, "future"}});
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome->verdict.too_old_end, 1);
  EXPECT_EQ(outcome->verdict.too_new_start, 2);
  auto page = engine_->get_events(stream("g", "s"), GetQuery{});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(messages(page->events), std::vector<std::string>{"ok"});
}

TEST_F(LogsEngineTest, PutToMissingStreamFails) {
  make("g");
  auto r = engine_->put_events(stream("g", "s"), {{now(), "x"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::StreamNotFound);
}

TEST_F(LogsEngineTest, GetEventsInTimeOrderAcrossPuts) {
  make("g", {"s"});
  put("g", "s", {{now() - 100, "b"}, {now() - 50, "c"}});
  put("g", "s", {{now() - 200, "a"}});  // an earlier batch may arrive later
  GetQuery head;
  head.from_head = true;
  auto page = engine_->get_events(stream("g", "s"), head);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(messages(page->events), (std::vector<std::string>{"a", "b", "c"}));
}

TEST_F(LogsEngineTest, GetEventsPagesForwardAndTheTokenRepeatsAtTheEnd) {
  make("g", {"s"});
  std::vector<InputEvent> events;
  for (int i = 0; i < 5; ++i) events.push_back({now() - 1000 + i, fmt::format("e{}", i)});
  put("g", "s", events);
  GetQuery query;
  query.from_head = true;
  query.limit = 2;
  auto page = engine_->get_events(stream("g", "s"), query);
  EXPECT_EQ(messages(page->events), (std::vector<std::string>{"e0", "e1"}));
  std::vector<std::string> all = messages(page->events);
  for (int i = 0; i < 5; ++i) {
    query.token = StreamToken{Direction::Forward, page->forward};
    page = engine_->get_events(stream("g", "s"), query);
    for (auto& m : messages(page->events)) all.push_back(m);
  }
  EXPECT_EQ(all, (std::vector<std::string>{"e0", "e1", "e2", "e3", "e4"}));
  Position end = page->forward;
  page = engine_->get_events(stream("g", "s"), query);
  EXPECT_TRUE(page->events.empty());
  EXPECT_EQ(page->forward, end);
  // A follower polling that token sees what comes next.
  put("g", "s", {{now(), "later"}});
  query.token = StreamToken{Direction::Forward, end};
  page = engine_->get_events(stream("g", "s"), query);
  EXPECT_EQ(messages(page->events), std::vector<std::string>{"later"});
}

TEST_F(LogsEngineTest, GetEventsTailFirstThenBackward) {
  make("g", {"s"});
  put("g", "s", {{now() - 3, "a"}, {now() - 2, "b"}, {now() - 1, "c"}});
  GetQuery query;
  query.limit = 2;
  auto page = engine_->get_events(stream("g", "s"), query);
  EXPECT_EQ(messages(page->events), (std::vector<std::string>{"b", "c"}));
  query.token = StreamToken{Direction::Backward, page->backward};
  page = engine_->get_events(stream("g", "s"), query);
  EXPECT_EQ(messages(page->events), std::vector<std::string>{"a"});
  query.token = StreamToken{Direction::Backward, page->backward};
  auto last = engine_->get_events(stream("g", "s"), query);
  EXPECT_TRUE(last->events.empty());
  EXPECT_EQ(last->backward, page->backward);
}

TEST_F(LogsEngineTest, GetEventsTimeRangeEndIsExclusive) {
  make("g", {"s"});
  int64_t t = now() - 1000;
  put("g", "s", {{t, "a"}, {t + 10, "b"}, {t + 20, "c"}});
  GetQuery query;
  query.start_ms = t + 10;
  query.end_ms = t + 20;
  auto page = engine_->get_events(stream("g", "s"), query);
  EXPECT_EQ(messages(page->events), std::vector<std::string>{"b"});
}

TEST_F(LogsEngineTest, FilterInterleavesStreamsAndFiltersByNameAndPattern) {
  make("g", {"web-1", "web-2", "db"});
  int64_t t = now() - 1000;
  put("g", "web-1", {{t, "GET / 200"}, {t + 20, "GET /x 404"}});
  put("g", "web-2", {{t + 10, "GET /y 500"}});
  put("g", "db", {{t + 5, "query ok"}});
  FilterQuery all;
  auto page = engine_->filter_events(group("g"), all);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(messages(page->events), (std::vector<std::string>{"GET / 200", "query ok", "GET /y 500", "GET /x 404"}));
  EXPECT_EQ(page->events[1].stream, "db");
  EXPECT_FALSE(page->next);

  FilterQuery prefix;
  prefix.stream_prefix = "web";
  auto pattern = FilterPattern::parse("GET -200");
  prefix.pattern = &*pattern;
  page = engine_->filter_events(group("g"), prefix);
  EXPECT_EQ(messages(page->events), (std::vector<std::string>{"GET /y 500", "GET /x 404"}));

  FilterQuery named;
  named.stream_names = {"db"};
  named.start_ms = t;
  named.end_ms = t + 5;  // inclusive for FilterLogEvents
  page = engine_->filter_events(group("g"), named);
  EXPECT_EQ(messages(page->events), std::vector<std::string>{"query ok"});
}

TEST_F(LogsEngineTest, FilterPagesWithTokens) {
  make("g", {"s"});
  std::vector<InputEvent> events;
  for (int i = 0; i < 7; ++i) events.push_back({now() - 100 + i, fmt::format("m{}", i)});
  put("g", "s", events);
  FilterQuery query;
  query.limit = 3;
  std::vector<std::string> all;
  for (int pages = 0; pages < 10; ++pages) {
    auto page = engine_->filter_events(group("g"), query);
    ASSERT_TRUE(page.ok());
    for (auto& m : messages(page->events)) all.push_back(m);
    if (!page->next) break;
    query.after = page->next;
  }
  EXPECT_EQ(all.size(), 7u);
  EXPECT_EQ(all.back(), "m6");
}

TEST_F(LogsEngineTest, RetentionDeletesOldEventsWhenTheClockMoves) {
  make("g", {"s"});
  put("g", "s", {{now() - 2 * kDayMillis, "two days old"}});  // one batch may span 24 h at most
  put("g", "s", {{now(), "fresh"}});
  ASSERT_TRUE(engine_->set_retention(group("g"), 3).ok());
  GetQuery head;
  head.from_head = true;
  EXPECT_EQ(engine_->get_events(stream("g", "s"), head)->events.size(), 2u);
  clock_.advance(std::chrono::hours(24 * 2));  // the first event is now four days old
  auto removed = engine_->apply_retention();
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(*removed, 1);
  EXPECT_EQ(messages(engine_->get_events(stream("g", "s"), head)->events), std::vector<std::string>{"fresh"});
  EXPECT_EQ(engine_->get_group(group("g"))->stored_bytes, 5);
  ASSERT_TRUE(engine_->set_retention(group("g"), std::nullopt).ok());
  clock_.advance(std::chrono::hours(24 * 30));
  EXPECT_EQ(*engine_->apply_retention(), 0);
}

TEST_F(LogsEngineTest, ShorterRetentionAppliesAtOnce) {
  make("g", {"s"});
  put("g", "s", {{now() - 2 * kDayMillis, "old"}});
  put("g", "s", {{now(), "new"}});
  ASSERT_TRUE(engine_->set_retention(group("g"), 1).ok());
  GetQuery head;
  head.from_head = true;
  EXPECT_EQ(messages(engine_->get_events(stream("g", "s"), head)->events), std::vector<std::string>{"new"});
}

TEST_F(LogsEngineTest, DeleteGroupRemovesEverything) {
  make("g", {"s"});
  put("g", "s", {{now(), "x"}});
  ASSERT_TRUE(engine_->tag(group("g"), {{"k", "v"}}).ok());
  ASSERT_TRUE(engine_->delete_group(group("g")).ok());
  EXPECT_EQ(engine_->get_group(group("g")).error().code, Errc::GroupNotFound);
  make("g", {"s"});
  EXPECT_TRUE(engine_->get_events(stream("g", "s"), GetQuery{})->events.empty());
  EXPECT_TRUE(engine_->tags(group("g"))->empty());
}

TEST_F(LogsEngineTest, DeletionProtectionBlocksDeletes) {
  CreateGroupInput input;
  input.ref = group("kept");
  input.deletion_protection = true;
  ASSERT_TRUE(engine_->create_group(input).ok());
  ASSERT_TRUE(engine_->create_stream(stream("kept", "s")).ok());
  EXPECT_EQ(engine_->delete_group(group("kept")).error().code, Errc::DeletionProtected);
  EXPECT_EQ(engine_->delete_stream(stream("kept", "s")).error().code, Errc::DeletionProtected);
}

TEST_F(LogsEngineTest, TagsMergeAndAreLimitedToFifty) {
  make("g");
  ASSERT_TRUE(engine_->tag(group("g"), {{"a", "1"}, {"b", "2"}}).ok());
  ASSERT_TRUE(engine_->tag(group("g"), {{"a", "3"}}).ok());
  ASSERT_TRUE(engine_->untag(group("g"), {"b", "absent"}).ok());
  EXPECT_EQ(*engine_->tags(group("g")), (Tags{{"a", "3"}}));
  Tags many;
  for (int i = 0; i < 50; ++i) many.emplace(fmt::format("k{}", i), "v");
  EXPECT_EQ(engine_->tag(group("g"), many).error().code, Errc::TooManyTags);
}

TEST_F(LogsEngineTest, StreamsOrderByNameOrLastEvent) {
  make("g", {"b", "a", "c"});
  put("g", "c", {{now() - 300, "x"}});
  put("g", "a", {{now() - 100, "x"}});
  auto by_name = engine_->list_streams(group("g"), {});
  ASSERT_EQ(by_name->size(), 3u);
  EXPECT_EQ((*by_name)[0].name, "a");
  StreamQuery last;
  last.by_last_event = true;
  last.descending = true;
  auto by_time = engine_->list_streams(group("g"), last);
  EXPECT_EQ((*by_time)[0].name, "a");
  EXPECT_EQ((*by_time)[1].name, "c");
  EXPECT_EQ((*by_time)[2].name, "b");
  StreamQuery prefix;
  prefix.prefix = "b";
  EXPECT_EQ(engine_->list_streams(group("g"), prefix)->size(), 1u);
}

TEST_F(LogsEngineTest, AppendCreatesGroupAndStreamAndWakesWaiters) {
  GroupRef ref = group("/aws/codebuild/demo");
  uint64_t seen = engine_->events_version(ref);
  std::atomic<uint64_t> woke{0};
  std::thread waiter([&] { woke = engine_->wait_for_events(ref, seen, 5s); });
  // Out of order and with an empty line: producers write what the process printed.
  ASSERT_TRUE(engine_->append(StreamRef{ref, "build-1"}, {{now(), "second"}, {now() - 10, "first"}, {now(), ""}}).ok());
  waiter.join();
  EXPECT_GT(woke.load(), seen);
  GetQuery head;
  head.from_head = true;
  auto page = engine_->get_events(StreamRef{ref, "build-1"}, head);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(messages(page->events), (std::vector<std::string>{"first", "second", ""}));
  ASSERT_TRUE(engine_->append(StreamRef{ref, "build-1"}, {{now(), "third"}}).ok());
  EXPECT_EQ(engine_->list_streams(ref, {})->size(), 1u);
}

TEST_F(LogsEngineTest, WaitTimesOutWithoutEvents) {
  GroupRef ref = group("quiet");
  auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(engine_->wait_for_events(ref, 0, 50ms), 0u);
  EXPECT_GE(std::chrono::steady_clock::now() - started, 50ms);
}

TEST_F(LogsEngineTest, ConcurrentAppendsAllLand) {
  GroupRef ref = group("busy");
  std::vector<std::thread> producers;
  for (int p = 0; p < 4; ++p) {
    producers.emplace_back([&, p] {
      for (int i = 0; i < 25; ++i) {
        ASSERT_TRUE(engine_->append(StreamRef{ref, fmt::format("s{}", p)}, {{now(), "line"}}).ok());
      }
    });
  }
  for (auto& t : producers) t.join();
  FilterQuery all;
  EXPECT_EQ(engine_->filter_events(ref, all)->events.size(), 100u);
}

}  // namespace
}  // namespace logs
