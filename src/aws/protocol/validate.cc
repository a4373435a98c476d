// Model constraint checks with AWS's (Coral's) messages:
//   Value 'x' at 'tags.1.member.key' failed to satisfy constraint: Member must ...
// Paths use member names with the first letter lower-cased; list elements are
// '<list>.<N>.member' (1-based), map values '<map>.<key>'. Constraints on list elements and map
// keys/values that are scalars are reported once, at the collection, as
// "Member must satisfy constraint: [...]" / "Map keys|value must satisfy constraint: [...]",
// listing the element type's constraints.
#include <cstdint>
#include <string>
#include <vector>

#include "aws/protocol/codec.h"
#include "aws/protocol/patterns.h"

namespace aws::protocol {
namespace {

using model::Shape;
using model::ShapeType;

std::string child_path(const std::string& parent, std::string_view member) {
  std::string name(member);
  if (!name.empty() && name[0] >= 'A' && name[0] <= 'Z') {
    name[0] = static_cast<char>(name[0] - 'A' + 'a');
  }
  return parent.empty() ? name : parent + "." + name;
}

// Unicode code points in UTF-8 text (Java counts UTF-16 units; the models' limits are in
// characters, and code points are what AWS's newer front ends count).
int64_t code_points(std::string_view s) {
  int64_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) {
      ++n;
    }
  }
  return n;
}

int64_t base64_decoded_size(std::string_view s) {
  int64_t size = static_cast<int64_t>(s.size());
  int64_t padding = 0;
  while (padding < 2 && size - padding > 0 && s[static_cast<size_t>(size - padding - 1)] == '=') {
    ++padding;
  }
  return size / 4 * 3 + (size % 4 == 0 ? 0 : (size % 4) - 1) - padding;
}

// Java's toString() of the value, roughly: strings bare, lists "[a, b]", maps "{k=v}".
std::string render(const Json& value) {
  switch (value.type()) {
    case Json::value_t::string: return value.get<std::string>();
    case Json::value_t::array: {
      std::string out = "[";
      bool first = true;
      for (const Json& element : value) {
        if (!first) {
          out += ", ";
        }
        first = false;
        out += render(element);
      }
      return out + "]";
    }
    case Json::value_t::object: {
      std::string out = "{";
      bool first = true;
      for (auto it = value.begin(); it != value.end(); ++it) {
        if (!first) {
          out += ", ";
        }
        first = false;
        out += it.key() + "=" + render(it.value());
      }
      return out + "}";
    }
    case Json::value_t::null: return "null";
    default: return value.dump();
  }
}

bool is_scalar(ShapeType type) {
  return type != ShapeType::Structure && type != ShapeType::List && type != ShapeType::Map;
}

bool is_number(ShapeType type) {
  return type == ShapeType::Integer || type == ShapeType::Long || type == ShapeType::Float || type == ShapeType::Double;
}

std::string length_at_least(int64_t n) {
  return "Member must have length greater than or equal to " + std::to_string(n);
}
std::string length_at_most(int64_t n) { return "Member must have length less than or equal to " + std::to_string(n); }
std::string value_at_least(int64_t n) { return "Member must have value greater than or equal to " + std::to_string(n); }
std::string value_at_most(int64_t n) { return "Member must have value less than or equal to " + std::to_string(n); }
std::string pattern_text(const Shape& shape) {
  return "Member must satisfy regular expression pattern: " + std::string(shape.pattern);
}
std::string enum_text(const Shape& shape) {
  std::string out = "Member must satisfy enum value set: [";
  for (uint16_t i = 0; i < shape.enum_count; ++i) {
    if (i > 0) {
      out += ", ";
    }
    out += shape.enum_values[i];
  }
  return out + "]";
}

// The failed constraints of one scalar value, in Coral's order (length, pattern, enum).
// S3's front end checks no enums (an unknown LocationConstraint is InvalidLocationConstraint,
// a versioning Status "On" MalformedXML): its handlers decide.
void scalar_failures(const Shape& shape, const Json& value, std::vector<std::string>& out, bool check_enums = true) {
  if (shape.type == ShapeType::String && value.is_string()) {
    const std::string& s = value.get_ref<const std::string&>();
    const int64_t length = code_points(s);
    if (shape.has_max && length > shape.max) {
      out.push_back(length_at_most(shape.max));
    }
    if (shape.has_min && length < shape.min) {
      out.push_back(length_at_least(shape.min));
    }
    if (!shape.pattern.empty() && pattern_matches(shape.pattern, s) == false) {
      out.push_back(pattern_text(shape));
    }
    if (check_enums && shape.enum_count > 0) {
      bool found = false;
      for (uint16_t i = 0; i < shape.enum_count && !found; ++i) {
        found = shape.enum_values[i] == s;
      }
      if (!found) {
        out.push_back(enum_text(shape));
      }
    }
  } else if (is_number(shape.type) && value.is_number()) {
    const double v = value.get<double>();
    if (shape.has_max && v > static_cast<double>(shape.max)) {
      out.push_back(value_at_most(shape.max));
    }
    if (shape.has_min && v < static_cast<double>(shape.min)) {
      out.push_back(value_at_least(shape.min));
    }
  } else if (shape.type == ShapeType::Blob && value.is_string()) {
    const int64_t size = base64_decoded_size(value.get_ref<const std::string&>());
    if (shape.has_max && size > shape.max) {
      out.push_back(length_at_most(shape.max));
    }
    if (shape.has_min && size < shape.min) {
      out.push_back(length_at_least(shape.min));
    }
  }
}

// Every constraint of a scalar element type, for the "[...]" summaries.
std::string constraint_summary(const Shape& shape) {
  std::vector<std::string> parts;
  if (shape.type == ShapeType::String || shape.type == ShapeType::Blob) {
    if (shape.has_max) {
      parts.push_back(length_at_most(shape.max));
    }
    if (shape.has_min) {
      parts.push_back(length_at_least(shape.min));
    }
    if (!shape.pattern.empty()) {
      parts.push_back(pattern_text(shape));
    }
    if (shape.enum_count > 0) {
      parts.push_back(enum_text(shape));
    }
  } else if (is_number(shape.type)) {
    if (shape.has_max) {
      parts.push_back(value_at_most(shape.max));
    }
    if (shape.has_min) {
      parts.push_back(value_at_least(shape.min));
    }
  }
  std::string out = "[";
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) {
      out += ", ";
    }
    out += parts[i];
  }
  return out + "]";
}

std::string failure(const Shape& shape, const Json& value, const std::string& path, const std::string& constraint) {
  if (shape.sensitive) {
    return "Value at '" + path + "' failed to satisfy constraint: " + constraint;
  }
  return "Value '" + render(value) + "' at '" + path + "' failed to satisfy constraint: " + constraint;
}

}  // namespace

// A list's or map's element count against the shape's min/max.
static void check_size(const Shape& shape, const Json& value, const std::string& path,
                       std::vector<std::string>& errors) {
  const int64_t size = static_cast<int64_t>(value.size());
  if (shape.has_max && size > shape.max) {
    errors.push_back(failure(shape, value, path, length_at_most(shape.max)));
  }
  if (shape.has_min && size < shape.min) {
    errors.push_back(failure(shape, value, path, length_at_least(shape.min)));
  }
}

void validate(const model::ServiceModel& service, uint16_t shape_index, const Json& value, const std::string& path,
              std::vector<std::string>& errors) {
  if (shape_index == model::kNoShape || value.is_null()) {
    return;
  }
  const Shape& shape = service.shape(shape_index);
  const bool enums = service.protocol != model::Protocol::RestXml;
  switch (shape.type) {
    case ShapeType::Structure: {
      if (!value.is_object()) {
        return;
      }
      for (uint16_t i = 0; i < shape.member_count; ++i) {
        const model::Member& member = shape.members[i];
        const std::string member_path = child_path(path, member.name);
        auto it = value.find(std::string(member.name));
        if (it == value.end() || it->is_null()) {
          if (member.required) {
            errors.push_back("Value null at '" + member_path +
                             "' failed to satisfy constraint: Member must not be null");
          }
          continue;
        }
        validate(service, member.shape, *it, member_path, errors);
      }
      return;
    }
    case ShapeType::List: {
      if (!value.is_array()) {
        return;
      }
      check_size(shape, value, path, errors);
      const Shape& element = service.shape(shape.list_member);
      if (is_scalar(element.type)) {
        std::vector<std::string> failed;
        for (const Json& item : value) {
          scalar_failures(element, item, failed, enums);
        }
        if (!failed.empty()) {
          errors.push_back(
              failure(element, value, path, "Member must satisfy constraint: " + constraint_summary(element)));
        }
        return;
      }
      for (size_t i = 0; i < value.size(); ++i) {
        validate(service, shape.list_member, value[i], path + "." + std::to_string(i + 1) + ".member", errors);
      }
      return;
    }
    case ShapeType::Map: {
      if (!value.is_object()) {
        return;
      }
      check_size(shape, value, path, errors);
      const Shape& key_shape = service.shape(shape.map_key);
      const Shape& value_shape = service.shape(shape.map_value);
      std::vector<std::string> key_failed;
      std::vector<std::string> value_failed;
      for (auto it = value.begin(); it != value.end(); ++it) {
        scalar_failures(key_shape, Json(it.key()), key_failed, enums);
        if (is_scalar(value_shape.type)) {
          scalar_failures(value_shape, it.value(), value_failed, enums);
        } else {
          validate(service, shape.map_value, it.value(), path + "." + it.key(), errors);
        }
      }
      if (!key_failed.empty()) {
        errors.push_back(
            failure(shape, value, path, "Map keys must satisfy constraint: " + constraint_summary(key_shape)));
      }
      if (!value_failed.empty()) {
        errors.push_back(
            failure(shape, value, path, "Map value must satisfy constraint: " + constraint_summary(value_shape)));
      }
      return;
    }
    default: {
      std::vector<std::string> failed;
      scalar_failures(shape, value, failed, enums);
      for (const std::string& constraint : failed) {
        errors.push_back(failure(shape, value, path, constraint));
      }
      return;
    }
  }
}

std::string validation_message(const std::vector<std::string>& errors) {
  std::string out = std::to_string(errors.size()) +
                    (errors.size() == 1 ? " validation error detected: " : " validation errors detected: ");
  for (size_t i = 0; i < errors.size(); ++i) {
    if (i > 0) {
      out += "; ";
    }
    out += errors[i];
  }
  return out;
}

}  // namespace aws::protocol
