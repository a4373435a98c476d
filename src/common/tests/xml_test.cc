#include "common/xml.h"

#include <gtest/gtest.h>

#include <string>

namespace {

using common::xml::Element;

Element parse_ok(std::string_view text) {
  auto parsed = common::xml::parse(text, 1 << 20);
  EXPECT_TRUE(parsed.ok()) << (parsed.ok() ? "" : parsed.error().message);
  return parsed.ok() ? *parsed : Element();
}

std::string parse_error(std::string_view text, size_t max_bytes = 1 << 20) {
  auto parsed = common::xml::parse(text, max_bytes);
  EXPECT_FALSE(parsed.ok());
  return parsed.ok() ? "" : parsed.error().message;
}

TEST(XmlParse, NamesAttributesTextAndChildren) {
  Element root = parse_ok(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<s3:Delete xmlns:s3=\"http://s3.amazonaws.com/doc/2006-03-01/\" a=\"1 &amp; 2\">"
      "<Object><Key>a&lt;b&gt;&#x20AC;</Key></Object><!-- note --><Object><Key><![CDATA[x<y]]></Key></Object>"
      "<Quiet> true </Quiet></s3:Delete>");
  EXPECT_EQ(root.name, "Delete");
  ASSERT_NE(root.attribute("a"), nullptr);
  EXPECT_EQ(*root.attribute("a"), "1 & 2");
  ASSERT_NE(root.attribute("xmlns:s3"), nullptr);
  ASSERT_EQ(root.children.size(), 3u);
  EXPECT_EQ(root.children[0].child("Key")->text, "a<b>\xe2\x82\xac");
  EXPECT_EQ(root.children[1].child("Key")->text, "x<y");
  EXPECT_EQ(root.child("Quiet")->text, " true ");
  EXPECT_EQ(root.child("Missing"), nullptr);
}

TEST(XmlParse, PrefixedAttributesByQualifiedOrLocalName) {
  Element root = parse_ok(
      "<Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"CanonicalUser\"><ID>1</ID>"
      "</Grantee>");
  ASSERT_NE(root.attribute("xsi:type"), nullptr);
  EXPECT_EQ(*root.attribute("xsi:type"), "CanonicalUser");
  ASSERT_NE(root.attribute("type"), nullptr);
  EXPECT_EQ(root.attribute("nope"), nullptr);
}

TEST(XmlParse, TextIsConcatenatedAcrossChildrenAndEntities) {
  Element root = parse_ok("<a>one<b/>two&amp;three</a>");
  EXPECT_EQ(root.text, "onetwo&three");
  EXPECT_EQ(root.children.size(), 1u);
}

TEST(XmlParse, ErrorsSayWhereAndWhy) {
  EXPECT_NE(parse_error("<a><b></a>").find("line 1"), std::string::npos);
  EXPECT_NE(parse_error("<a>").find("no element found"), std::string::npos);
  EXPECT_NE(parse_error("").find("no element found"), std::string::npos);
  EXPECT_NE(parse_error("not xml").find("syntax error"), std::string::npos);
  EXPECT_NE(parse_error("<a/><b/>").find("junk after document element"), std::string::npos);
  EXPECT_NE(parse_error("<a>&undefined;</a>").find("undefined entity"), std::string::npos);
}

TEST(XmlParse, RefusesDoctypeSoNoEntityExpansion) {
  const std::string laughs =
      "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;\">]>"
      "<lolz>&lol2;</lolz>";
  EXPECT_NE(parse_error(laughs).find("DOCTYPE"), std::string::npos);
}

TEST(XmlParse, DepthAndSizeLimits) {
  std::string deep;
  for (size_t i = 0; i < common::xml::kMaxDepth; ++i) {
    deep += "<a>";
  }
  std::string ok = deep;
  for (size_t i = 0; i < common::xml::kMaxDepth; ++i) {
    ok += "</a>";
  }
  parse_ok(ok);
  EXPECT_NE(parse_error("<x>" + ok + "</x>").find("nested deeper than 64"), std::string::npos);
  EXPECT_NE(parse_error("<a>0123456789</a>", 10).find("larger than 10 bytes"), std::string::npos);
}

TEST(XmlWriter, EscapesAndSelfClosesEmptyElements) {
  common::xml::Writer w;
  w.declaration();
  w.start("Root");
  w.attribute("xmlns", "http://s3.amazonaws.com/doc/2006-03-01/");
  w.attribute("note", "a\"b<c>&\n\t");
  w.element("Key", "a&b <c> \"d\" \r");
  w.element("Empty", "");
  w.start("Outer");
  w.start("Inner");
  w.end();
  w.end();
  w.end();
  EXPECT_EQ(w.str(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<Root xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\" note=\"a&quot;b&lt;c&gt;&amp;&#10;&#9;\">"
            "<Key>a&amp;b &lt;c&gt; \"d\" &#13;</Key><Empty/><Outer><Inner/></Outer></Root>");
}

TEST(XmlWriter, RoundTripsThroughTheParser) {
  const std::string tricky = "line1\r\nline2 & <tag> \"q\" 'a' \xe2\x82\xac";
  common::xml::Writer w;
  w.start("R");
  w.attribute("v", tricky);
  w.element("T", tricky);
  w.end();
  Element root = parse_ok(w.str());
  EXPECT_EQ(*root.attribute("v"), tricky);
  EXPECT_EQ(root.child("T")->text, tricky);
}

}  // namespace
