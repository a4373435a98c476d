// Query protocol request decoding: flat "A.B.member.1.C=v" pairs -> Json per the input shape,
// the inverse of botocore's QuerySerializer; then validation (ValidationError).
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>

#include "aws/protocol/codec.h"
#include "aws/protocol/timestamp.h"
#include "common/strings.h"

namespace aws::protocol {
namespace {

using model::Shape;
using model::ShapeType;

class QueryDecoder {
 public:
  QueryDecoder(const model::ServiceModel& service, const std::vector<std::pair<std::string, std::string>>& params)
      : service_(service) {
    for (const auto& [key, value] : params) {
      params_.emplace(key, value);  // first occurrence wins, as in AWS
    }
  }

  Json decode_structure(const Shape& shape, const std::string& prefix, const std::string& path) {
    Json out = Json::object();
    for (uint16_t i = 0; i < shape.member_count; ++i) {
      const model::Member& member = shape.members[i];
      std::string wire(member.location_name.empty() ? member.name : member.location_name);
      std::string key = prefix.empty() ? wire : prefix + "." + wire;
      std::string member_path = child_path(path, member.name);
      Json value;
      if (decode(member.shape, key, member_path, member.flattened, value)) {
        out[std::string(member.name)] = std::move(value);
      }
    }
    return out;
  }

  std::vector<std::string>& errors() { return errors_; }

 private:
  static std::string child_path(const std::string& parent, std::string_view member) {
    std::string name(member);
    if (!name.empty() && name[0] >= 'A' && name[0] <= 'Z') {
      name[0] = static_cast<char>(name[0] - 'A' + 'a');
    }
    return parent.empty() ? name : parent + "." + name;
  }

  const std::string* exact(const std::string& key) const {
    auto it = params_.find(key);
    return it == params_.end() ? nullptr : &it->second;
  }

  bool has_prefix(const std::string& key) const {
    const std::string prefix = key + ".";
    auto it = params_.lower_bound(prefix);
    return it != params_.end() && it->first.compare(0, prefix.size(), prefix) == 0;
  }

  // Decodes the value at `key`; false when absent.
  bool decode(uint16_t index, const std::string& key, const std::string& path, bool member_flattened, Json& out) {
    const Shape& shape = service_.shape(index);
    switch (shape.type) {
      case ShapeType::Structure:
        if (!has_prefix(key)) {
          const std::string* text = exact(key);
          if (text == nullptr) {
            return false;
          }
          out = Json::object();  // "Name=" : an empty structure
          return true;
        }
        out = decode_structure(shape, key, path);
        return true;
      case ShapeType::List: return decode_list(shape, key, path, member_flattened, out);
      case ShapeType::Map: return decode_map(shape, key, path, out);
      default: {
        const std::string* text = exact(key);
        if (text == nullptr) {
          return false;
        }
        return decode_scalar(shape, *text, path, out);
      }
    }
  }

  bool decode_list(const Shape& shape, const std::string& key, const std::string& path, bool member_flattened,
                   Json& out) {
    std::string base;
    if (shape.flattened || member_flattened) {
      base = key;
      if (shape.list_member_location_name != "member" && !shape.list_member_location_name.empty()) {
        size_t dot = key.rfind('.');
        base = (dot == std::string::npos ? std::string() : key.substr(0, dot + 1)) +
               std::string(shape.list_member_location_name);
      }
    } else {
      base =
          key + "." + std::string(shape.list_member_location_name.empty() ? "member" : shape.list_member_location_name);
    }
    if (!has_prefix(base)) {
      const std::string* text = exact(key);
      if (text == nullptr) {
        return false;
      }
      out = Json::array();  // botocore sends an empty list as "Name="
      return true;
    }
    out = Json::array();
    for (size_t n = 1;; ++n) {
      Json element;
      const std::string element_key = base + "." + std::to_string(n);
      if (!decode(shape.list_member, element_key, path + "." + std::to_string(n) + ".member", false, element)) {
        break;
      }
      out.push_back(std::move(element));
    }
    return true;
  }

  bool decode_map(const Shape& shape, const std::string& key, const std::string& path, Json& out) {
    const std::string base = shape.flattened ? key : key + ".entry";
    if (!has_prefix(base)) {
      const std::string* text = exact(key);
      if (text == nullptr) {
        return false;
      }
      out = Json::object();
      return true;
    }
    const std::string key_name(shape.map_key_location_name.empty() ? "key" : shape.map_key_location_name);
    const std::string value_name(shape.map_value_location_name.empty() ? "value" : shape.map_value_location_name);
    out = Json::object();
    for (size_t n = 1;; ++n) {
      const std::string entry = base + "." + std::to_string(n);
      const std::string* map_key = exact(entry + "." + key_name);
      if (map_key == nullptr) {
        break;
      }
      Json value;
      if (decode(shape.map_value, entry + "." + value_name, path + "." + *map_key, false, value)) {
        out[*map_key] = std::move(value);
      }
    }
    return true;
  }

  bool decode_scalar(const Shape& shape, const std::string& text, const std::string& path, Json& out) {
    switch (shape.type) {
      case ShapeType::Integer:
      case ShapeType::Long: {
        int64_t value = 0;
        auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec != std::errc() || ptr != text.data() + text.size() ||
            (shape.type == ShapeType::Integer && (value > INT32_MAX || value < INT32_MIN))) {
          bad_value(text, path, shape.type == ShapeType::Integer ? "an integer" : "a long");
          return false;
        }
        out = value;
        return true;
      }
      case ShapeType::Float:
      case ShapeType::Double: {
        char* end = nullptr;
        double value = std::strtod(text.c_str(), &end);
        if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(value)) {
          bad_value(text, path, "a number");
          return false;
        }
        out = value;
        return true;
      }
      case ShapeType::Boolean:
        if (common::iequals(text, "true")) {
          out = true;
          return true;
        }
        if (common::iequals(text, "false")) {
          out = false;
          return true;
        }
        bad_value(text, path, "a boolean");
        return false;
      case ShapeType::Timestamp:
        if (auto seconds = parse_timestamp(text)) {
          out = *seconds;
          return true;
        }
        bad_value(text, path, "a timestamp");
        return false;
      default: out = text; return true;
    }
  }

  void bad_value(const std::string& text, const std::string& path, const char* what) {
    errors_.push_back("Value '" + text + "' at '" + path + "' failed to satisfy constraint: Member must be " + what);
  }

  const model::ServiceModel& service_;
  std::map<std::string, std::string> params_;
  std::vector<std::string> errors_;
};

}  // namespace

Result<Json, AwsError> decode_query(const model::ServiceModel& service, const model::Operation& op,
                                    const std::vector<std::pair<std::string, std::string>>& params) {
  if (op.input == model::kNoShape) {
    return Json::object();
  }
  QueryDecoder decoder(service, params);
  Json decoded = decoder.decode_structure(service.shape(op.input), "", "");
  std::vector<std::string>& errors = decoder.errors();
  validate(service, op.input, decoded, "", errors);
  if (!errors.empty()) {
    return common::fail(make_aws_error("ValidationError", 400, validation_message(errors)));
  }
  return decoded;
}

}  // namespace aws::protocol
