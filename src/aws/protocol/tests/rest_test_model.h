// A small hand-written rest-xml model for the traits S3's implemented operations do not use:
// querystring lists and maps, jsonvalue and unixTimestamp headers, a statusCode member, a raw
// blob payload, xml attributes, flattened maps, wrapped lists with named items, prefixed
// namespaces.
#pragma once

#include <iterator>

#include "aws/protocol/model.h"

namespace aws::protocol::testing::rest {

using model::kNoShape;
using model::Location;
using model::Member;
using model::Shape;
using model::ShapeType;

enum : uint16_t { kInput, kStr, kStrList, kStrMap, kStamp, kThing, kInt, kIntList, kAttrMap, kData, kGrantee, kOutput };

inline constexpr model::XmlNamespace kXsi = {"http://www.w3.org/2001/XMLSchema-instance", "xsi"};

inline constexpr Shape make_shape(std::string_view name, ShapeType type) {
  Shape s{};
  s.name = name;
  s.type = type;
  s.list_member = kNoShape;
  s.map_key = kNoShape;
  s.map_value = kNoShape;
  return s;
}

inline constexpr Shape structure(std::string_view name, const Member* members, uint16_t count,
                                 std::string_view payload = "", std::string_view xml_name = "",
                                 model::XmlNamespace ns = {}) {
  Shape s = make_shape(name, ShapeType::Structure);
  s.members = members;
  s.member_count = count;
  s.payload = payload;
  s.xml_name = xml_name;
  s.xml_namespace = ns;
  return s;
}

inline constexpr Shape list(std::string_view name, uint16_t member, std::string_view item_name) {
  Shape s = make_shape(name, ShapeType::List);
  s.list_member = member;
  s.list_member_location_name = item_name;
  return s;
}

inline constexpr Shape map(std::string_view name, std::string_view key_name, std::string_view value_name) {
  Shape s = make_shape(name, ShapeType::Map);
  s.map_key = kStr;
  s.map_value = kStr;
  s.map_key_location_name = key_name;
  s.map_value_location_name = value_name;
  return s;
}

// name, shape, required, location, location_name, xml_attribute, flattened, idempotency_token,
// streaming, json_value, timestamp_format, xml_namespace
inline constexpr Member kInputMembers[] = {
    {"Id", kStr, true, Location::Uri, "Id", false, false, false},
    {"Tags", kStrList, false, Location::QueryString, "tag", false, false, false},
    {"Extra", kStrMap, false, Location::QueryString, "", false, false, false},
    {"Doc", kStr, false, Location::Header, "x-doc", false, false, false, false, true},
    {"When", kStamp, false, Location::Header, "x-when", false, false, false, false, false, "unixTimestamp"},
    {"Payload", kThing, false, Location::Body, "Thing", false, false, false, false, false, "", {"urn:thing", ""}},
    {"Names", kStrList, false, Location::Header, "x-names", false, false, false},
};

inline constexpr Member kThingMembers[] = {
    {"Kind", kStr, false, Location::Body, "kind", true, false, false},
    {"Attrs", kAttrMap, false, Location::Body, "Attr", false, true, false},
    {"Items", kIntList, false, Location::Body, "", false, false, false},
    {"Data", kData, false, Location::Body, "", false, false, false},
    {"Grantee", kGrantee, false, Location::Body, "", false, false, false, false, false, "", kXsi},
    {"At", kStamp, false, Location::Body, "", false, false, false, false, false, "rfc822"},
};

inline constexpr Member kGranteeMembers[] = {
    {"Type", kStr, true, Location::Body, "xsi:type", true, false, false},
    {"ID", kStr, false, Location::Body, "", false, false, false},
};

inline constexpr Member kOutputMembers[] = {
    {"Status", kInt, false, Location::StatusCode, "", false, false, false},
    {"Doc", kStr, false, Location::Header, "x-doc", false, false, false, false, true},
    {"When", kStamp, false, Location::Header, "x-when", false, false, false, false, false, "unixTimestamp"},
    {"Names", kStrList, false, Location::Header, "x-names", false, false, false},
    {"Data", kData, false, Location::Body, "", false, false, false},
};

inline constexpr Shape kShapes[] = {
    structure("RestInput", kInputMembers, 7, "Payload"),
    make_shape("Str", ShapeType::String),
    list("StrList", kStr, "member"),
    map("StrMap", "key", "value"),
    make_shape("Stamp", ShapeType::Timestamp),
    structure("Thing", kThingMembers, 6, "", "Result"),
    make_shape("Int", ShapeType::Integer),
    list("IntList", kInt, "Item"),
    map("AttrMap", "Name", "Val"),
    make_shape("Data", ShapeType::Blob),
    structure("Grantee", kGranteeMembers, 2, "", "", kXsi),
    structure("RestOutput", kOutputMembers, 5, "Data"),
};

inline constexpr model::Operation kOperations[] = {
    {"RestOp", kInput, kOutput, "", "POST", "/{Id}", 200, nullptr, 0},
    {"XmlOp", kNoShape, kThing, "", "GET", "/{Id}?xml", 200, nullptr, 0},
};

inline constexpr model::ServiceModel kModel = {
    "RestTest",  "resttest",
    "resttest",  "",
    "",          "2024-01-01",
    "urn:svc",   model::Protocol::RestXml,
    kShapes,     static_cast<uint16_t>(std::size(kShapes)),
    kOperations, static_cast<uint16_t>(std::size(kOperations)),
};

}  // namespace aws::protocol::testing::rest
