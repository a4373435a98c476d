#include "aws/protocol/model.h"

#include <algorithm>

namespace model {

const Operation* ServiceModel::find_operation(std::string_view name) const {
  const Operation* end = operations + operation_count;
  const Operation* it =
      std::lower_bound(operations, end, name, [](const Operation& op, std::string_view n) { return op.name < n; });
  if (it != end && it->name == name) return it;
  return nullptr;
}

const Shape* ServiceModel::find_shape(std::string_view name) const {
  for (uint16_t i = 0; i < shape_count; ++i) {
    if (shapes[i].name == name) return &shapes[i];
  }
  return nullptr;
}

}  // namespace model
