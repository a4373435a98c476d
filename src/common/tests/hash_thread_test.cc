#include "common/hash_thread.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

namespace common {
namespace {

// More buffers than the ring has slots, so acquire() must wait for the thread to free some.
TEST(HashThread, SeesEverySubmittedBufferInOrder) {
  std::string seen;
  HashThread thread(8, [&seen](std::string_view bytes) { seen.append(bytes); });
  ASSERT_TRUE(thread.start());
  std::string expected;
  for (int i = 0; i < 20; ++i) {
    std::string chunk = "chunk" + std::to_string(i % 10);
    char* buffer = thread.acquire();
    std::memcpy(buffer, chunk.data(), chunk.size());
    thread.submit(chunk.size());
    expected += chunk;
  }
  thread.finish();
  EXPECT_FALSE(thread.running());
  EXPECT_EQ(seen, expected);
}

TEST(HashThread, DestroyedUnfinishedStopsWithoutHanging) {
  int calls = 0;
  {
    HashThread thread(4, [&calls](std::string_view) { ++calls; });
    ASSERT_TRUE(thread.start());
    std::memcpy(thread.acquire(), "abcd", 4);
    thread.submit(4);
  }
  EXPECT_LE(calls, 1);
}

}  // namespace
}  // namespace common
