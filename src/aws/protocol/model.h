// Service models as static tables, generated from botocore's service-2.json by
// tools/codegen/gen.py into src/gen/<service>/model.cc. Codecs walk these tables to decode,
// validate and encode; handlers never see wire names.
#pragma once

#include <cstdint>
#include <string_view>

namespace model {

enum class ShapeType : uint8_t {
  Structure,
  List,
  Map,
  String,
  Integer,
  Long,
  Float,
  Double,
  Boolean,
  Timestamp,
  Blob,
};

enum class Location : uint8_t { Body, Header, Headers, QueryString, Uri, StatusCode };

enum class Protocol : uint8_t { Json, Query, RestXml, RestJson };

constexpr uint16_t kNoShape = 0xffff;

struct Member {
  std::string_view name;  // member name as in the model ("WithDecryption")
  uint16_t shape;         // index into ServiceModel::shapes
  bool required;
  Location location;
  std::string_view location_name;  // wire name override ("" = name)
  bool xml_attribute;
  bool flattened;  // member-level "flattened"
  bool idempotency_token;
};

struct Shape {
  std::string_view name;
  ShapeType type;
  // Structure
  const Member* members;
  uint16_t member_count;
  // List: member shape; Map: key and value shapes
  uint16_t list_member;
  std::string_view list_member_location_name;  // "member" unless overridden
  uint16_t map_key;
  uint16_t map_value;
  std::string_view map_key_location_name;    // "key"
  std::string_view map_value_location_name;  // "value"
  bool flattened;
  // Constraints (strings: length in characters; lists/maps: element count; numbers: value)
  bool has_min;
  int64_t min;
  bool has_max;
  int64_t max;
  std::string_view pattern;  // Java-style regex from the model, "" when none
  const std::string_view* enum_values;
  uint16_t enum_count;
  std::string_view timestamp_format;  // "" | "iso8601" | "unixTimestamp" | "rfc822"
  bool sensitive;
  // Errors
  bool is_error;
  std::string_view error_code;  // wire code (error.code or the shape name)
  uint16_t error_status;        // HTTP status
  bool error_sender_fault;      // Sender (client) vs Receiver (server)
};

struct Operation {
  std::string_view name;
  uint16_t input;                   // kNoShape when the operation takes no input
  uint16_t output;                  // kNoShape when it returns nothing
  std::string_view result_wrapper;  // query protocol: "GetUserResult"
  std::string_view http_method;
  std::string_view request_uri;
  uint16_t http_status;  // success status (default 200)
  const uint16_t* errors;
  uint16_t error_count;
};

struct ServiceModel {
  std::string_view service_id;    // "SSM"
  std::string_view signing_name;  // "ssm"
  std::string_view endpoint_prefix;
  std::string_view target_prefix;  // json: "AmazonSSM"
  std::string_view json_version;   // "1.1"
  std::string_view api_version;    // "2014-11-06"
  std::string_view xml_namespace;  // query/rest-xml
  Protocol protocol;
  const Shape* shapes;
  uint16_t shape_count;
  // Every operation of the service, sorted by name, including those hakobu does not
  // implement (their shapes are not generated: input/output are kNoShape).
  const Operation* operations;
  uint16_t operation_count;

  const Operation* find_operation(std::string_view name) const;
  const Shape* find_shape(std::string_view name) const;
  const Shape& shape(uint16_t index) const { return shapes[index]; }
};

}  // namespace model
