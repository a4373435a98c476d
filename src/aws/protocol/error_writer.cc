// The one place AwsError becomes bytes on the wire, per protocol (see STYLE.md "Error model").
#include <string>

#include "aws/protocol/codec.h"
#include "common/strings.h"
#include "common/xml.h"

namespace aws::protocol {
namespace {

// Extra error members as XML elements; nested values are written as their JSON text.
void append_extra_xml(const Json& extra, std::string& out) {
  if (!extra.is_object()) {
    return;
  }
  for (auto it = extra.begin(); it != extra.end(); ++it) {
    if (it->is_null() || it.key() == "Code" || it.key() == "Message" || it.key() == "RequestId" || it.key() == "Type") {
      continue;
    }
    std::string text =
        it->is_string() ? it->get<std::string>() : it->dump(-1, ' ', false, Json::error_handler_t::replace);
    out += '<' + it.key() + '>' + common::xml_escape(text) + "</" + it.key() + '>';
  }
}

http::Response json_error(const AwsError& error, std::string_view request_id) {
  http::Response response;
  response.status = error.status;
  Json body = Json::object();
  body["__type"] = error.code;
  body["message"] = error.message;
  if (error.extra.is_object()) {
    for (auto it = error.extra.begin(); it != error.extra.end(); ++it) {
      if (it.key() != "__type" && it.key() != "message" && it.key() != "Message" && !it->is_null()) {
        body[it.key()] = it.value();
      }
    }
  }
  response.set_header("Content-Type", "application/x-amz-json-1.1");
  response.set_header("x-amzn-RequestId", std::string(request_id));
  response.set_header("X-Amzn-ErrorType", error.code);
  response.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  return response;
}

http::Response query_error(std::string_view xml_namespace, const AwsError& error, std::string_view request_id) {
  http::Response response;
  response.status = error.status;
  std::string& out = response.body;
  out = "<ErrorResponse xmlns=\"" + common::xml_escape(xml_namespace) + "\"><Error><Type>";
  out += error.sender_fault ? "Sender" : "Receiver";
  out += "</Type><Code>" + common::xml_escape(error.code) + "</Code><Message>" + common::xml_escape(error.message) +
         "</Message>";
  append_extra_xml(error.extra, out);
  out += "</Error><RequestId>" + common::xml_escape(request_id) + "</RequestId></ErrorResponse>";
  response.set_header("Content-Type", "text/xml");
  response.set_header("x-amzn-RequestId", std::string(request_id));
  return response;
}

// S3's error document. HEAD responses drop the body in the HTTP layer; 304 has none at all.
http::Response rest_xml_error(const AwsError& error, std::string_view request_id) {
  http::Response response;
  response.status = error.status;
  const std::string host_id = rest_xml_host_id(request_id);
  response.set_header("x-amz-request-id", std::string(request_id));
  response.set_header("x-amz-id-2", host_id);
  if (error.status == 304) {
    return response;
  }
  common::xml::Writer xml;
  xml.declaration();
  xml.start("Error");
  xml.element("Code", error.code);
  xml.element("Message", error.message);
  if (error.extra.is_object()) {
    for (auto it = error.extra.begin(); it != error.extra.end(); ++it) {
      const std::string& name = it.key();
      if (it->is_null() || name == "Code" || name == "Message" || name == "RequestId" || name == "HostId") {
        continue;
      }
      xml.element(name, it->is_string()    ? it->get<std::string>()
                        : it->is_boolean() ? std::string(it->get<bool>() ? "true" : "false")
                                           : it->dump(-1, ' ', false, Json::error_handler_t::replace));
    }
  }
  xml.element("RequestId", request_id);
  xml.element("HostId", host_id);
  xml.end();
  response.body = xml.take();
  response.set_header("Content-Type", "application/xml");
  return response;
}

}  // namespace

http::Response render_error(model::Protocol protocol, std::string_view xml_namespace, const AwsError& error,
                            std::string_view request_id) {
  switch (protocol) {
    case model::Protocol::Json:
    case model::Protocol::RestJson: return json_error(error, request_id);
    case model::Protocol::Query: return query_error(xml_namespace, error, request_id);
    case model::Protocol::RestXml: return rest_xml_error(error, request_id);
  }
  return json_error(error, request_id);
}

}  // namespace aws::protocol
