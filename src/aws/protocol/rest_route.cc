// rest routing: method + URI form + query string -> candidate operations, from each
// operation's requestUri ("/{Bucket}/{Key+}?uploads") and its required querystring members
// and headers (generated into model::Operation).
#include <algorithm>
#include <string>

#include "aws/protocol/codec.h"
#include "aws/protocol/rest_shared.h"
#include "common/strings.h"

namespace aws::protocol {
namespace {

using Query = std::vector<std::pair<std::string, std::string>>;

// Literal query parts of a requestUri whose value must match when given ("list-type=2") and
// whose key alone must be present otherwise ("uploads"). The SDKs' "x-id=GetObject" marker is
// optional: older clients do not send it.
constexpr std::string_view kOperationMarker = "x-id";

int count_labels(std::string_view path) { return static_cast<int>(std::count(path.begin(), path.end(), '{')); }

const std::string* find_param(const Query& query, std::string_view key) {
  for (const auto& [k, v] : query) {
    if (k == key) {
      return &v;
    }
  }
  return nullptr;
}

bool has_header(const std::vector<http::Header>& headers, std::string_view name) {
  for (const http::Header& h : headers) {
    if (common::iequals(h.name, name)) {
      return true;
    }
  }
  return false;
}

struct Candidate {
  const model::Operation* op;
  size_t model_order;
  bool named;  // x-id names it
  int specificity;
  int header_rank;
};

// Fills `out` when `op` serves the request; false otherwise.
bool match(const model::Operation& op, std::string_view method, int uri_labels, const Query& query,
           const std::vector<http::Header>* headers, Candidate& out) {
  if (op.http_method != method) {
    return false;
  }
  const std::string_view uri = op.request_uri;
  const size_t question = uri.find('?');
  const std::string_view path = uri.substr(0, question);
  if (count_labels(path) != uri_labels) {
    return false;
  }
  // A path with literal segments besides labels ("/WriteGetObjectResponse") is not a bucket.
  if (uri_labels == 0 && path != "/") {
    return false;
  }
  int specificity = 0;
  if (question != std::string_view::npos) {
    for (std::string_view part : common::split(uri.substr(question + 1), '&')) {
      if (part.empty()) {
        continue;
      }
      const size_t eq = part.find('=');
      const std::string_view key = part.substr(0, eq);
      const std::string* value = find_param(query, key);
      if (key == kOperationMarker) {
        if (value != nullptr && *value != part.substr(eq + 1)) {
          return false;
        }
        continue;
      }
      if (value == nullptr || (eq != std::string_view::npos && *value != part.substr(eq + 1))) {
        return false;
      }
      ++specificity;
    }
  }
  for (uint16_t i = 0; i < op.required_query_count; ++i) {
    if (find_param(query, op.required_query[i]) == nullptr) {
      return false;
    }
    ++specificity;
  }
  int header_rank = -static_cast<int>(op.required_header_count);
  if (headers != nullptr) {
    for (uint16_t i = 0; i < op.required_header_count; ++i) {
      if (!has_header(*headers, op.required_headers[i])) {
        return false;
      }
    }
    header_rank = op.required_header_count;
  }
  const std::string* marker = find_param(query, kOperationMarker);
  out.op = &op;
  out.named = marker != nullptr && *marker == op.name;
  out.specificity = specificity;
  out.header_rank = header_rank;
  return true;
}

const model::Member* input_payload(const model::ServiceModel& service, const model::Operation& op) {
  if (op.input == model::kNoShape) {
    return nullptr;
  }
  return rest::payload_member(service.shape(op.input));
}

const model::Member* output_payload(const model::ServiceModel& service, const model::Operation& op) {
  if (op.output == model::kNoShape) {
    return nullptr;
  }
  return rest::payload_member(service.shape(op.output));
}

bool streams(const model::ServiceModel& service, const model::Member* payload) {
  if (payload == nullptr) {
    return false;
  }
  const model::Shape& shape = service.shape(payload->shape);
  return rest::is_raw(shape.type) && (payload->streaming || shape.streaming);
}

}  // namespace

std::vector<const model::Operation*> match_rest_operations(const model::ServiceModel& service, std::string_view method,
                                                           int uri_labels, const Query& query,
                                                           const std::vector<http::Header>* headers) {
  std::vector<Candidate> candidates;
  for (uint16_t i = 0; i < service.operation_count; ++i) {
    Candidate c{};
    if (match(service.operations[i], method, uri_labels, query, headers, c)) {
      c.model_order = i;
      candidates.push_back(c);
    }
  }
  std::stable_sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    if (a.named != b.named) {
      return a.named;
    }
    if (a.specificity != b.specificity) {
      return a.specificity > b.specificity;
    }
    if (a.header_rank != b.header_rank) {
      return a.header_rank > b.header_rank;
    }
    if (a.op->deprecated != b.op->deprecated) {
      return !a.op->deprecated;
    }
    return a.model_order < b.model_order;
  });
  std::vector<const model::Operation*> out;
  out.reserve(candidates.size());
  for (const Candidate& c : candidates) {
    out.push_back(c.op);
  }
  return out;
}

bool rest_input_streams(const model::ServiceModel& service, const model::Operation& op) {
  return streams(service, input_payload(service, op));
}

bool rest_output_streams(const model::ServiceModel& service, const model::Operation& op) {
  return streams(service, output_payload(service, op));
}

}  // namespace aws::protocol
