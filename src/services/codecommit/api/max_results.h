// maxResults as the template and comment listings read it (approval_templates.cc, comments.cc).
#pragma once

#include "gen/codecommit/errors.h"
#include "services/codecommit/api/api.h"

namespace codecommit::api {

// The page size `input`'s maxResults asks for: `fallback` when absent; InvalidMaxResults below 1,
// and above `max` unless `clamp` (then `max`).
inline common::Result<size_t, aws::AwsError> max_results(const Json& input, size_t fallback, size_t max, bool clamp) {
  auto it = input.find("maxResults");
  if (it == input.end() || !it->is_number_integer()) return fallback;
  int64_t asked = it->get<int64_t>();
  if (asked < 1 || (!clamp && static_cast<size_t>(asked) > max)) {
    return common::fail(errors::InvalidMaxResultsException("The specified number of maximum results is not valid."));
  }
  return std::min(static_cast<size_t>(asked), max);
}

}  // namespace codecommit::api
