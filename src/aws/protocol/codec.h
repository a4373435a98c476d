// Protocol codecs: wire <-> common::Json (keyed by the model's member names), driven by the
// generated model tables. Decoding validates the input against the model (required members,
// types, enums, length and range limits, patterns) the way AWS's front ends do, so handlers
// only see well-formed input.
//
// Conventions for the Json handlers see and produce:
//  - structure members keyed by model member name; absent optional members are absent
//  - timestamps are epoch seconds (number); the encoder formats them per protocol
//  - blobs are base64 strings
//  - integers/longs are integers, booleans are booleans
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aws/protocol/aws_error.h"
#include "aws/protocol/model.h"
#include "common/json.h"
#include "common/result.h"
#include "http/request.h"

namespace aws::protocol {

using common::Json;
using common::Result;

// JSON 1.1 / rest-json body. Malformed JSON or a member of the wrong JSON type gives
// SerializationException; constraint violations give ValidationException with AWS's
// "N validation error(s) detected: Value ... at '...' failed to satisfy constraint: ..." text.
Result<Json, AwsError> decode_json(const model::ServiceModel& service, const model::Operation& op,
                                   std::string_view body);
std::string encode_json(const model::ServiceModel& service, const model::Operation& op, const Json& output);

// Query protocol: `params` are the decoded form/query pairs (Action and Version included,
// they are ignored). Validation errors give ValidationError (the query protocol's code).
Result<Json, AwsError> decode_query(const model::ServiceModel& service, const model::Operation& op,
                                    const std::vector<std::pair<std::string, std::string>>& params);
// <OpResponse xmlns=..><OpResult>..</OpResult><ResponseMetadata><RequestId>..
std::string encode_query(const model::ServiceModel& service, const model::Operation& op, const Json& output,
                         std::string_view request_id);

// rest-xml (S3). A request as the router sees it: URI labels already split off and
// percent-decoded ({"Bucket","b"}, {"Key","a/b c"}), query parameters decoded, headers as sent,
// and the payload when the operation's input payload does not stream (empty otherwise).
struct RestRequest {
  std::string_view method;
  std::vector<std::pair<std::string, std::string>> labels;
  std::vector<std::pair<std::string, std::string>> query;
  const std::vector<http::Header>* headers = nullptr;
  std::string_view body;
};

// Operations whose method and URI form match, whose literal query parts are present
// (requestUri "/{Bucket}?uploads"; "?list-type=2" also needs the value 2) and whose required
// querystring members are present (UploadPart needs partNumber and uploadId). `uri_labels` is
// how many of {Bucket}, {Key+} the path carries (0 for "/", 1 for "/b", 2 for "/b/k").
// A literal "x-id=<Op>" part is optional; a request naming an operation in x-id puts it first.
// Most specific first: most literal query parts plus required query members; then, without
// `headers`, operations needing fewer request headers (PutObject before CopyObject, which needs
// x-amz-copy-source: the caller looks at that header); with `headers`, operations whose
// required headers are missing are dropped and the more demanding ones come first. Deprecated
// operations (GetBucketNotification) come after the ones that replace them; then model order.
std::vector<const model::Operation*> match_rest_operations(
    const model::ServiceModel& service, std::string_view method, int uri_labels,
    const std::vector<std::pair<std::string, std::string>>& query, const std::vector<http::Header>* headers = nullptr);

// True when the operation's input payload member is a streaming blob (PutObject's Body).
bool rest_input_streams(const model::ServiceModel& service, const model::Operation& op);
// True when the output payload member is a streaming blob (GetObject's Body).
bool rest_output_streams(const model::ServiceModel& service, const model::Operation& op);

// Builds the input Json from labels, query string, headers (incl. prefix headers such as
// x-amz-meta-*, keys lower-cased without the prefix) and the XML (or raw string/blob) payload,
// then validates it. Malformed XML, or XML that does not fit the model (a non-numeric <PartNumber>,
// the wrong root element), gives S3's MalformedXML (400); an empty body where a required XML
// payload belongs gives MissingRequestBodyError (400); a header, query or label value of the
// wrong type and constraint failures give InvalidArgument (400; type errors carry ArgumentName
// and ArgumentValue). XML bodies are limited to kMaxRestXmlBodyBytes and 64 levels of nesting.
Result<Json, AwsError> decode_rest_xml(const model::ServiceModel& service, const model::Operation& op,
                                       const RestRequest& request);
constexpr size_t kMaxRestXmlBodyBytes = 16 * 1024 * 1024;

// Writes output members to the response: header members (timestamps as RFC 822 dates unless
// the model says otherwise; Content-Length is left to the HTTP layer, which frames the body
// it is given), prefix-header maps, a statusCode member (the only way this changes
// response.status: the caller sets the success status), and the payload: the payload member
// as an XML document (root named by its locationName, xmlns from the model or the service), a
// raw string/blob payload as is, or (no payload member) the body members under the output's
// root element (Smithy's xmlName, e.g. ListBucketResult; always written when the output has
// body members, so an empty GetBucketVersioning is <VersioningConfiguration .../>). A root
// named like its only scalar member carries that value as its text (GetBucketLocation's
// <LocationConstraint>region</LocationConstraint>). A streaming payload, and an XML payload
// absent from `output`, write no body. Adds Content-Type: application/xml when it writes XML.
void encode_rest_xml(const model::ServiceModel& service, const model::Operation& op, const Json& output,
                     http::Response& response);

// S3's x-amz-id-2 / <HostId> for a request: base64 of the SHA-256 of the request id.
std::string rest_xml_host_id(std::string_view request_id);

// Renders an error in the protocol's shape, with the request-id headers the protocol uses.
// rest-xml: S3's <Error><Code/><Message/>(extra members)<RequestId/><HostId/></Error> with
// x-amz-request-id and x-amz-id-2; no body for 304. AwsError::headers are the caller's to add.
http::Response render_error(model::Protocol protocol, std::string_view xml_namespace, const AwsError& error,
                            std::string_view request_id);

// Validation on an already-built Json value (used by decoders; exposed for tests).
// Appends AWS-style messages ("Value 'x' at 'name' failed to satisfy constraint: ...").
void validate(const model::ServiceModel& service, uint16_t shape, const Json& value, const std::string& path,
              std::vector<std::string>& errors);

// Joins validate()'s messages the way AWS does: "1 validation error detected: <e>" or
// "N validation errors detected: <e1>; <e2>".
std::string validation_message(const std::vector<std::string>& errors);

}  // namespace aws::protocol
