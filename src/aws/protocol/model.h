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

// An XML namespace declaration: xmlns="uri", or xmlns:prefix="uri" when prefix is set.
struct XmlNamespace {
  std::string_view uri;
  std::string_view prefix;
};

// A structure member. Serialization traits are resolved the way botocore resolves them: the
// member's own trait, else the target shape's (locationName, xmlNamespace, streaming,
// timestampFormat, jsonvalue).
struct Member {
  std::string_view name;  // member name as in the model ("WithDecryption")
  uint16_t shape;         // index into ServiceModel::shapes
  bool required;
  Location location;
  std::string_view location_name;  // wire name: element, header, query key, label ("" = name)
  bool xml_attribute;              // rest-xml: an attribute of the enclosing element
  bool flattened;                  // member-level "flattened"
  bool idempotency_token;
  bool streaming = false;                  // rest: the payload is streamed (PutObject's Body)
  bool json_value = false;                 // rest: a header holding base64-encoded JSON
  std::string_view timestamp_format = {};  // "" (protocol default) | "iso8601" | "rfc822" | "unixTimestamp"
  XmlNamespace xml_namespace = {};         // rest-xml: xmlns on this member's element
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
  // rest protocols
  std::string_view payload = {};  // Structure: the member that is the whole HTTP body ("" = body members)
  // rest-xml: root element when this shape is a document: the shape's locationName, or Smithy's
  // xmlName from manifest.json's xml_names (ListObjectsV2Output: ListBucketResult); "" = name.
  std::string_view xml_name = {};
  XmlNamespace xml_namespace = {};  // rest-xml: shape-level xmlNamespace
  bool streaming = false;           // Blob/String: shape-level "streaming"
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
  // rest routing; generated for every operation, implemented or not. Wire names of the input's
  // required querystring members (UploadPart: partNumber, uploadId) and required headers
  // (CopyObject: x-amz-copy-source).
  bool deprecated = false;
  const std::string_view* required_query = nullptr;
  uint16_t required_query_count = 0;
  const std::string_view* required_headers = nullptr;
  uint16_t required_header_count = 0;
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
