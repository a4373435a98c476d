// A small hand-written service model that exercises every codec feature (maps, flattened
// lists, locationName, sensitive members, every constraint kind) independent of botocore.
#pragma once

#include "aws/protocol/model.h"

namespace aws::protocol::testing {

using model::kNoShape;
using model::Location;
using model::Member;
using model::Shape;
using model::ShapeType;

enum : uint16_t {
  kInput,
  kNameString,
  kCountInt,
  kKindEnum,
  kTag,
  kTagKey,
  kTagValue,
  kTagList,
  kAttrMap,
  kAttrKey,
  kNameList,
  kSecretString,
  kFlatList,
  kStamp,
  kFlag,
  kRatio,
  kData,
  kOutput,
  kItemList,
  kIsoStamp,
};

inline constexpr std::string_view kKinds[] = {"String", "StringList", "SecureString"};

inline constexpr Member kInputMembers[] = {
    {"Name", kNameString, true, Location::Body, "", false, false, false},
    {"Count", kCountInt, false, Location::Body, "", false, false, false},
    {"Kind", kKindEnum, false, Location::Body, "", false, false, false},
    {"Tags", kTagList, false, Location::Body, "", false, false, false},
    {"Attributes", kAttrMap, false, Location::Body, "", false, false, false},
    {"Names", kNameList, false, Location::Body, "", false, false, false},
    {"Secret", kSecretString, false, Location::Body, "", false, false, false},
    {"Flat", kFlatList, false, Location::Body, "", false, false, false},
    {"When", kStamp, false, Location::Body, "", false, false, false},
    {"Enabled", kFlag, false, Location::Body, "", false, false, false},
    {"Ratio", kRatio, false, Location::Body, "", false, false, false},
    {"Data", kData, false, Location::Body, "", false, false, false},
    {"Renamed", kTagValue, false, Location::Body, "RenamedWire", false, false, false},
};

inline constexpr Member kTagMembers[] = {
    {"Key", kTagKey, true, Location::Body, "", false, false, false},
    {"Value", kTagValue, false, Location::Body, "", false, false, false},
};

inline constexpr Member kOutputMembers[] = {
    {"Name", kNameString, false, Location::Body, "", false, false, false},
    {"When", kStamp, false, Location::Body, "", false, false, false},
    {"Iso", kIsoStamp, false, Location::Body, "", false, false, false},
    {"Tags", kTagList, false, Location::Body, "", false, false, false},
    {"Attributes", kAttrMap, false, Location::Body, "", false, false, false},
    {"Flat", kFlatList, false, Location::Body, "", false, false, false},
    {"Items", kItemList, false, Location::Body, "", false, false, false},
    {"Flag", kFlag, false, Location::Body, "", false, false, false},
    {"Count", kCountInt, false, Location::Body, "", false, false, false},
    {"Ratio", kRatio, false, Location::Body, "", false, false, false},
    {"Renamed", kTagValue, false, Location::Body, "RenamedWire", false, false, false},
};

// Fields: name, type, members, member_count, list_member, list_member_location_name, map_key,
// map_value, map_key_location_name, map_value_location_name, flattened, has_min, min, has_max,
// max, pattern, enum_values, enum_count, timestamp_format, sensitive, is_error, error_code,
// error_status, error_sender_fault.
inline constexpr Shape kShapes[] = {
    {"TestInput", ShapeType::Structure, kInputMembers, 13, kNoShape, "", kNoShape, kNoShape, "", "", false, false, 0,
     false, 0, "", nullptr, 0, "", false, false, "", 0, false},
    {"NameString", ShapeType::String, nullptr, 0, kNoShape, "", kNoShape, kNoShape, "", "", false, true, 1, true, 8,
     "[a-z/\\u00E9]+", nullptr, 0, "", false, false, "", 0, false},
    {"CountInt", ShapeType::Integer, nullptr, 0, kNoShape, "", kNoShape, kNoShape, "", "", false, true, 1, true, 100,
     "", nullptr, 0, "", false, false, "", 0, false},
    {"KindEnum", ShapeType::String, nullptr, 0, kNoShape, "", kNoShape, kNoShape, "", "", false, false, 0, false, 0,
     "", kKinds, 3, "", false, false, "", 0, false},
    {"Tag", ShapeType::Structure, kTagMembers, 2, kNoShape, "", kNoShape, kNoShape, "", "", false, false, 0, false, 0,
     "", nullptr, 0, "", false, false, "", 0, false},
    {"TagKey", ShapeType::String, nullptr, 0, kNoShape, "", kNoShape, kNoShape, "", "", false, true, 1, true, 4,
     "[\\p{L}\\p{N}]+", nullptr, 0, "", false, false, "", 0, false},
    {"TagValue", ShapeType::String, nullptr, 0, kNoShape, "", kNoShape, kNoShape, "", "", false, false, 0, true, 4,
     "", nullptr, 0, "", false, false, "", 0, false},
    {"TagList", ShapeType::List, nullptr, 0, kTag, "member", kNoShape, kNoShape, "", "", false, false, 0, true, 2, "",
     nullptr, 0, "", false, false, "", 0, false},
    {"AttrMap", ShapeType::Map, nullptr, 0, kNoShape, "", kAttrKey, kTagValue, "key", "value", false, false, 0, true,
     2, "", nullptr, 0, "", false, false, "", 0, false},
    {"AttrKey", ShapeType::String, nullptr, 0, kNoShape, "", kNoShape, kNoShape, "", "", false, true, 1, true, 3, "",
     nullptr, 0, "", false, false, "", 0, false},
    {"NameList", ShapeType::List, nullptr, 0, kNameString, "member", kNoShape, kNoShape, "", "", false, true, 1, true,
     3, "", nullptr, 0, "", false, false, "", 0, false},
    {"SecretString", ShapeType::String, nullptr, 0, kNoShape, "", kNoShape, kNoShape, "", "", false, false, 0, true, 4,
     "", nullptr, 0, "", true, false, "", 0, false},
    {"FlatList", ShapeType::List, nullptr, 0, kTagValue, "member", kNoShape, kNoShape, "", "", true, false, 0, false, 0,
     "", nullptr, 0, "", false, false, "", 0, false},
    {"Stamp", ShapeType::Timestamp, nullptr, 0, kNoShape, "", kNoShape, kNoShape, "", "", false, false, 0, false, 0,
     "", nullptr, 0, "", false, false, "", 0, false},
    {"Flag", ShapeType::Boolean, nullptr, 0, kNoShape, "", kNoShape, kNoShape, "", "", false, false, 0, false, 0, "",
     nullptr, 0, "", false, false, "", 0, false},
    {"Ratio", ShapeType::Double, nullptr, 0, kNoShape, "", kNoShape, kNoShape, "", "", false, false, 0, false, 0, "",
     nullptr, 0, "", false, false, "", 0, false},
    {"Data", ShapeType::Blob, nullptr, 0, kNoShape, "", kNoShape, kNoShape, "", "", false, false, 0, true, 4, "",
     nullptr, 0, "", false, false, "", 0, false},
    {"TestOutput", ShapeType::Structure, kOutputMembers, 11, kNoShape, "", kNoShape, kNoShape, "", "", false, false, 0,
     false, 0, "", nullptr, 0, "", false, false, "", 0, false},
    {"ItemList", ShapeType::List, nullptr, 0, kTagValue, "item", kNoShape, kNoShape, "", "", false, false, 0, false, 0,
     "", nullptr, 0, "", false, false, "", 0, false},
    {"IsoStamp", ShapeType::Timestamp, nullptr, 0, kNoShape, "", kNoShape, kNoShape, "", "", false, false, 0, false, 0,
     "", nullptr, 0, "iso8601", false, false, "", 0, false},
};

inline constexpr model::Operation kOperations[] = {
    {"NoOutputOp", kInput, kNoShape, "", "POST", "/", 200, nullptr, 0},
    {"TestOp", kInput, kOutput, "TestOpResult", "POST", "/", 200, nullptr, 0},
};

inline constexpr model::ServiceModel kJsonModel = {
    "Test", "test", "test", "TestService", "1.1", "2024-01-01", "", model::Protocol::Json,
    kShapes, static_cast<uint16_t>(std::size(kShapes)), kOperations, 2,
};

inline constexpr model::ServiceModel kQueryModel = {
    "Test", "test", "test", "", "", "2024-01-01", "https://test.amazonaws.com/doc/2024-01-01/", model::Protocol::Query,
    kShapes, static_cast<uint16_t>(std::size(kShapes)), kOperations, 2,
};

inline const model::Operation& test_op() { return kOperations[1]; }
inline const model::Operation& no_output_op() { return kOperations[0]; }

}  // namespace aws::protocol::testing
