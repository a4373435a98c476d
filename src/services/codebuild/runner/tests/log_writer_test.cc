// LogWriter: bytes in any chunking -> masked lines in CloudWatch Logs (real SQLite, fake clock).
#include "services/codebuild/runner/log_writer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "testing/fake_clock.h"

namespace codebuild::runner {
namespace {

class LogWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = store::Db::open(":memory:");
    ASSERT_TRUE(db.ok());
    db_ = std::move(*db);
    logs_ = std::make_unique<logs::LogsEngine>(*db_, clock_);
    ASSERT_TRUE(logs_->migrate().ok());
  }

  logs::StreamRef stream() const { return logs::StreamRef{{"000000000000", "us-east-1", "/aws/codebuild/p"}, "u"}; }

  std::vector<std::string> lines() {
    logs::GetQuery query;
    query.from_head = true;
    auto page = logs_->get_events(stream(), query);
    EXPECT_TRUE(page.ok());
    std::vector<std::string> out;
    if (page.ok()) {
      for (const auto& e : page->events) out.push_back(e.message);
    }
    return out;
  }

  testing_support::FakeClock clock_;
  std::unique_ptr<store::Db> db_;
  std::unique_ptr<logs::LogsEngine> logs_;
};

TEST_F(LogWriterTest, CutsLinesAcrossChunksAndKeepsEmptyLines) {
  LogWriter writer(*logs_, stream(), clock_);
  writer.write("hel");
  writer.write("lo\n\nwor");
  EXPECT_EQ(lines(), (std::vector<std::string>{"hello", ""}));
  writer.write("ld\r\nlast");
  writer.flush();
  EXPECT_EQ(lines(), (std::vector<std::string>{"hello", "", "world", "last"}));
}

TEST_F(LogWriterTest, MasksSecretsSplitAcrossChunks) {
  LogWriter writer(*logs_, stream(), clock_);
  writer.set_secrets({"s3cr3t-value"});
  writer.write("token=s3cr");
  writer.write("3t-value done\n");
  writer.flush();
  EXPECT_EQ(lines(), (std::vector<std::string>{"token=*** done"}));
}

TEST_F(LogWriterTest, AgentLinesCarryTheContainerPrefix) {
  LogWriter writer(*logs_, stream(), clock_);
  writer.agent("Entering phase BUILD");
  auto got = lines();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].rfind("[Container] ", 0), 0u) << got[0];
  EXPECT_NE(got[0].find(" Entering phase BUILD"), std::string::npos) << got[0];
}

TEST_F(LogWriterTest, SplitsLinesOverTheEventLimit) {
  LogWriter writer(*logs_, stream(), clock_);
  std::string big(300 * 1024, 'x');
  writer.write(big + "\n");
  auto got = lines();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].size() + got[1].size(), big.size());
  EXPECT_LE(got[0].size(), 256u * 1024 - 26);
}

TEST_F(LogWriterTest, DisabledLogsDropEverything) {
  LogWriter writer(*logs_, std::nullopt, clock_);
  writer.write("a\nb\n");
  writer.flush();
  EXPECT_TRUE(writer.error().empty());
  logs::GetQuery query;
  EXPECT_FALSE(logs_->get_events(stream(), query).ok());
}

}  // namespace
}  // namespace codebuild::runner
