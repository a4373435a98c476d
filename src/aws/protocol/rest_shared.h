// Small model lookups shared by the rest-xml router, decoder and encoder (internal to
// aws/protocol).
#pragma once

#include <string_view>

#include "aws/protocol/model.h"

namespace aws::protocol::rest {

// The name a member goes by on the wire (element, header, query key or label).
inline std::string_view wire_name(const model::Member& member) {
  return member.location_name.empty() ? member.name : member.location_name;
}

inline const model::Member* find_member(const model::Shape& shape, std::string_view name) {
  for (uint16_t i = 0; i < shape.member_count; ++i) {
    if (shape.members[i].name == name) {
      return &shape.members[i];
    }
  }
  return nullptr;
}

// The structure's payload member (PutObject's Body, CreateBucket's CreateBucketConfiguration);
// nullptr when its body members make up the body.
inline const model::Member* payload_member(const model::Shape& shape) {
  return shape.payload.empty() ? nullptr : find_member(shape, shape.payload);
}

inline bool is_raw(model::ShapeType type) { return type == model::ShapeType::Blob || type == model::ShapeType::String; }

// A flattened list's elements repeat under the member's name, or under the list member's own
// locationName when it has one (botocore's parser; AnalyticsAndOperator.Tags -> <Tag>).
inline std::string_view flattened_item_name(const model::Shape& list, std::string_view member_wire_name) {
  const std::string_view item = list.list_member_location_name;
  return item.empty() || item == "member" ? member_wire_name : item;
}

// The namespace written on a member's element: the member's (or, for list items, the shape's).
inline const model::XmlNamespace& namespace_of(const model::Member* member, const model::Shape& shape) {
  return member != nullptr && !member->xml_namespace.uri.empty() ? member->xml_namespace : shape.xml_namespace;
}

}  // namespace aws::protocol::rest
