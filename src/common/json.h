// The JSON DOM used by codecs and handlers (nlohmann::json).
#pragma once

#include <nlohmann/json.hpp>

namespace common {
using Json = nlohmann::json;
}  // namespace common
