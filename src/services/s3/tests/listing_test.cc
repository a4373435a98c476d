// S3Engine listings: objects (prefix, delimiter, pagination), versions and their markers.
#include <algorithm>
#include <set>

#include "common/crypto.h"
#include "services/s3/model/names.h"
#include "services/s3/tests/engine_fixture.h"

namespace s3 {
namespace {

// What a listing should return, computed the slow way from every live key.
struct Expected {
  std::vector<std::string> entries;  // keys and common prefixes (ending in the delimiter), in order
};

Expected expected_listing(std::set<std::string> keys, const std::string& prefix, const std::string& delimiter) {
  std::vector<std::string> out;
  for (const std::string& key : keys) {
    if (key.rfind(prefix, 0) != 0) continue;
    size_t at = delimiter.empty() ? std::string::npos : key.find(delimiter, prefix.size());
    std::string entry = at == std::string::npos ? key : key.substr(0, at + delimiter.size());
    if (out.empty() || out.back() != entry) out.push_back(entry);
  }
  return Expected{out};
}

class ListingTest : public S3EngineTest {
 protected:
  // Every page of a listing, joined: keys and common prefixes in the order returned.
  std::vector<std::string> list_all(const std::string& prefix, const std::string& delimiter, int page_size,
                                    int* pages = nullptr) {
    std::vector<std::string> all;
    ListQuery query{prefix, delimiter, "", page_size};
    for (int page = 0; page < 10000; ++page) {
      auto result = engine_->list_objects("bucket", query);
      EXPECT_TRUE(result.ok());
      if (!result.ok()) break;
      // Merge objects and prefixes back into key order.
      std::vector<std::string> entries;
      for (const auto& o : result->objects) entries.push_back(o.key);
      for (const auto& p : result->common_prefixes) entries.push_back(p);
      std::sort(entries.begin(), entries.end());
      EXPECT_LE(static_cast<int>(entries.size()), page_size);
      if (!entries.empty()) {
        EXPECT_EQ(result->last, entries.back());
      }
      all.insert(all.end(), entries.begin(), entries.end());
      if (pages != nullptr) *pages = page + 1;
      if (!result->truncated) break;
      query.after = result->last;
    }
    return all;
  }
};

TEST_F(ListingTest, PrefixDelimiterAndPaginationOverManyKeys) {
  std::set<std::string> keys;
  for (int i = 0; i < 40; ++i) keys.insert("logs/2024/" + std::to_string(1000 + i) + ".txt");
  for (int i = 0; i < 30; ++i) keys.insert("logs/2025/day" + std::to_string(i) + "/x");
  for (int i = 0; i < 25; ++i) keys.insert("img/" + std::to_string(i) + ".png");
  for (int i = 0; i < 15; ++i) keys.insert("top" + std::to_string(i));
  keys.insert("logs/readme");
  keys.insert("logs/");
  keys.insert("a//double");
  for (const std::string& key : keys) ASSERT_TRUE(put(key, "v").ok());

  struct Case {
    std::string prefix, delimiter;
  };
  for (const Case& c : std::vector<Case>{{"", ""},
                                         {"", "/"},
                                         {"logs/", "/"},
                                         {"logs/2025/", "/"},
                                         {"logs", "/"},
                                         {"img/", ""},
                                         {"", "20"},
                                         {"logs/", "day"},
                                         {"nothing/", "/"},
                                         {"a/", "/"}}) {
    std::vector<std::string> expected = expected_listing(keys, c.prefix, c.delimiter).entries;
    for (int page_size : {1, 3, 7, 1000}) {
      int pages = 0;
      EXPECT_EQ(list_all(c.prefix, c.delimiter, page_size, &pages), expected)
          << "prefix=" << c.prefix << " delimiter=" << c.delimiter << " page=" << page_size;
      if (page_size == 1000) {
        EXPECT_EQ(pages, 1);
      }
    }
  }
  auto top = engine_->list_objects("bucket", ListQuery{"", "/", "", 1000});
  ASSERT_TRUE(top.ok());
  EXPECT_EQ(top->common_prefixes, (std::vector<std::string>{"a/", "img/", "logs/"}));
  EXPECT_EQ(top->objects.size(), 15u);
  EXPECT_FALSE(top->truncated);
  EXPECT_TRUE(top->objects[0].is_latest);
  EXPECT_EQ(top->objects[0].bucket, "bucket");
  EXPECT_EQ(top->objects[0].etag, "\"" + common::md5_hex("v") + "\"");
  EXPECT_TRUE(top->objects[0].inline_data.empty());  // listings never carry bytes
}

TEST_F(ListingTest, MaxKeysBoundsAndStartAfter) {
  for (const char* key : {"a", "b", "c", "d/1", "d/2", "e"}) ASSERT_TRUE(put(key, "v").ok());
  auto none = engine_->list_objects("bucket", ListQuery{"", "", "", 0});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->objects.empty());
  EXPECT_FALSE(none->truncated);
  EXPECT_EQ(engine_->list_objects("bucket", ListQuery{"", "", "", -1}).error().reason, Reason::InvalidArgument);
  auto clamped = engine_->list_objects("bucket", ListQuery{"", "", "", 5000});
  EXPECT_EQ(clamped->objects.size(), 6u);

  auto two = engine_->list_objects("bucket", ListQuery{"", "/", "", 2});
  EXPECT_TRUE(two->truncated);
  EXPECT_EQ(two->last, "b");
  // Exactly max entries left: not truncated.
  auto rest = engine_->list_objects("bucket", ListQuery{"", "/", "b", 3});
  ASSERT_EQ(rest->objects.size(), 2u);
  EXPECT_EQ(rest->common_prefixes, std::vector<std::string>{"d/"});
  EXPECT_FALSE(rest->truncated);
  EXPECT_EQ(rest->last, "e");
  // A page that ended on a common prefix resumes after everything under it.
  auto after_prefix = engine_->list_objects("bucket", ListQuery{"", "/", "d/", 10});
  ASSERT_EQ(after_prefix->objects.size(), 1u);
  EXPECT_EQ(after_prefix->objects[0].key, "e");
  EXPECT_TRUE(after_prefix->common_prefixes.empty());
  // start-after inside a prefix does not report that prefix again.
  auto inside = engine_->list_objects("bucket", ListQuery{"", "/", "d/1", 10});
  EXPECT_TRUE(inside->common_prefixes.empty());
  // start-after before the prefix starts at the prefix.
  auto before = engine_->list_objects("bucket", ListQuery{"d/", "", "a", 10});
  EXPECT_EQ(before->objects.size(), 2u);
  EXPECT_EQ(engine_->list_objects("nope", ListQuery{}).error().reason, Reason::NoSuchBucket);
}

TEST_F(ListingTest, KeysSortAsBytesWithUnicodeAndSpaces) {
  std::vector<std::string> keys = {
      "z",     "a b",    "a+b",      "\xc3\xa4pfel", "\xc3\x89t\xc3\xa9", "A", "\xe6\x97\xa5\xe6\x9c\xac/x",
      "a%20b", "~tilde", " leading", "a/b c/d"};
  for (const std::string& key : keys) ASSERT_TRUE(put(key, key).ok());
  std::sort(keys.begin(), keys.end());  // std::string compares bytes as unsigned char
  auto all = engine_->list_objects("bucket", ListQuery{});
  ASSERT_TRUE(all.ok());
  std::vector<std::string> listed;
  for (const auto& o : all->objects) listed.push_back(o.key);
  EXPECT_EQ(listed, keys);
  for (const std::string& key : keys) EXPECT_EQ(get(key), key);
  auto japanese = engine_->list_objects("bucket", ListQuery{"", "/", "", 100});
  EXPECT_EQ(japanese->common_prefixes, (std::vector<std::string>{"a/", "\xe6\x97\xa5\xe6\x9c\xac/"}));
}

TEST_F(ListingTest, DeleteMarkersHideKeysAndEmptyPrefixes) {
  ASSERT_TRUE(engine_->set_versioning("bucket", "Enabled").ok());
  for (const char* key : {"dead/1", "dead/2", "live/1", "mixed/1", "mixed/2", "x"}) ASSERT_TRUE(put(key, "v").ok());
  for (const char* key : {"dead/1", "dead/2", "mixed/1", "x"}) {
    ASSERT_TRUE(engine_->delete_object(ObjectRef{"bucket", key, ""}).ok());
  }
  auto listing = engine_->list_objects("bucket", ListQuery{"", "/", "", 1000});
  ASSERT_TRUE(listing.ok());
  EXPECT_TRUE(listing->objects.empty());
  EXPECT_EQ(listing->common_prefixes, (std::vector<std::string>{"live/", "mixed/"}));
  auto flat = engine_->list_objects("bucket", ListQuery{});
  ASSERT_EQ(flat->objects.size(), 2u);
  EXPECT_EQ(flat->objects[0].key, "live/1");
  EXPECT_EQ(flat->objects[1].key, "mixed/2");
}

TEST_F(ListingTest, ManyVersionsOfOneKeyListOnce) {
  ASSERT_TRUE(engine_->set_versioning("bucket", "Enabled").ok());
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(put("hot", std::to_string(i)).ok());
  ASSERT_TRUE(put("cold", "c").ok());
  auto listing = engine_->list_objects("bucket", ListQuery{"", "", "", 1});
  ASSERT_EQ(listing->objects.size(), 1u);
  EXPECT_EQ(listing->objects[0].key, "cold");
  EXPECT_TRUE(listing->truncated);
  auto next = engine_->list_objects("bucket", ListQuery{"", "", "cold", 1});
  ASSERT_EQ(next->objects.size(), 1u);
  EXPECT_EQ(next->objects[0].key, "hot");
  EXPECT_EQ(next->objects[0].size, 2u);  // "49"
  EXPECT_FALSE(next->truncated);
}

TEST_F(ListingTest, VersionsByKeyNewestFirstWithMarkers) {
  ASSERT_TRUE(engine_->set_versioning("bucket", "Enabled").ok());
  std::vector<std::pair<std::string, std::string>> expected;  // key, version id, in listing order
  std::vector<std::string> a;
  for (int i = 0; i < 3; ++i) a.push_back(put("a", std::to_string(i))->version_id);
  auto b1 = put("b", "b");
  auto b_marker = engine_->delete_object(ObjectRef{"bucket", "b", ""});
  auto c1 = put("c", "c");
  for (int i = 2; i >= 0; --i) expected.emplace_back("a", a[i]);
  expected.emplace_back("b", b_marker->version_id);
  expected.emplace_back("b", b1->version_id);
  expected.emplace_back("c", c1->version_id);

  auto all = engine_->list_versions("bucket", VersionQuery{});
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->versions.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(all->versions[i].key, expected[i].first);
    EXPECT_EQ(all->versions[i].version_id, expected[i].second);
  }
  EXPECT_TRUE(all->versions[0].is_latest);
  EXPECT_FALSE(all->versions[1].is_latest);
  EXPECT_TRUE(all->versions[3].is_latest);
  EXPECT_TRUE(all->versions[3].delete_marker);
  EXPECT_FALSE(all->versions[4].is_latest);
  EXPECT_FALSE(all->truncated);
  EXPECT_TRUE(all->next_key_marker.empty());

  for (int page_size : {1, 2, 4}) {
    std::vector<std::pair<std::string, std::string>> seen;
    VersionQuery query;
    query.max_keys = page_size;
    while (true) {
      auto page = engine_->list_versions("bucket", query);
      ASSERT_TRUE(page.ok()) << page.error().message;
      for (const auto& v : page->versions) seen.emplace_back(v.key, v.version_id);
      if (!page->truncated) break;
      EXPECT_EQ(page->next_key_marker, seen.back().first);
      EXPECT_EQ(page->next_version_id_marker, seen.back().second);
      query.key_marker = page->next_key_marker;
      query.version_id_marker = page->next_version_id_marker;
    }
    EXPECT_EQ(seen, expected) << page_size;
  }
  // A key marker alone starts after every version of that key.
  auto after_a = engine_->list_versions("bucket", VersionQuery{"", "", "a", "", 1000});
  ASSERT_EQ(after_a->versions.size(), 3u);
  EXPECT_EQ(after_a->versions[0].key, "b");

  EXPECT_EQ(engine_->list_versions("bucket", VersionQuery{"", "", "", a[0], 10}).error().reason,
            Reason::InvalidArgument);
  EXPECT_EQ(engine_->list_versions("bucket", VersionQuery{"", "", "a", "bad!", 10}).error().reason,
            Reason::InvalidArgument);
  EXPECT_EQ(engine_->list_versions("bucket", VersionQuery{"", "", "a", std::string(32, 'Q'), 10}).error().reason,
            Reason::InvalidArgument);
}

TEST_F(ListingTest, VersionsWithPrefixAndDelimiter) {
  ASSERT_TRUE(engine_->set_versioning("bucket", "Enabled").ok());
  for (const char* key : {"dir/a", "dir/b", "dir/sub/c", "file"}) {
    ASSERT_TRUE(put(key, "1").ok());
    ASSERT_TRUE(put(key, "2").ok());
  }
  auto top = engine_->list_versions("bucket", VersionQuery{"", "/", "", "", 1000});
  ASSERT_TRUE(top.ok());
  EXPECT_EQ(top->common_prefixes, std::vector<std::string>{"dir/"});
  ASSERT_EQ(top->versions.size(), 2u);
  EXPECT_EQ(top->versions[0].key, "file");

  auto dir = engine_->list_versions("bucket", VersionQuery{"dir/", "/", "", "", 3});
  ASSERT_TRUE(dir.ok());
  ASSERT_EQ(dir->versions.size(), 3u);
  EXPECT_TRUE(dir->truncated);
  EXPECT_EQ(dir->next_key_marker, "dir/b");
  auto rest =
      engine_->list_versions("bucket", VersionQuery{"dir/", "/", dir->next_key_marker, dir->next_version_id_marker, 3});
  ASSERT_TRUE(rest.ok());
  ASSERT_EQ(rest->versions.size(), 1u);
  EXPECT_EQ(rest->common_prefixes, std::vector<std::string>{"dir/sub/"});
  EXPECT_FALSE(rest->truncated);
}

TEST(Names, PrefixSuccessorSortsAfterEveryKeyUnderThePrefix) {
  EXPECT_EQ(prefix_successor("a/"), "a0");
  EXPECT_EQ(prefix_successor("a\xff"), "b");
  EXPECT_EQ(prefix_successor("\xff\xff"), "");
  EXPECT_EQ(prefix_successor(""), "");
  std::string s = prefix_successor("\xe6\x97\xa5/");
  EXPECT_GT(s, std::string("\xe6\x97\xa5/\xff\xff"));
  EXPECT_LT(s, std::string("\xe6\x97\xa6"));
}

}  // namespace
}  // namespace s3
