// CloudWatch Logs' filter pattern syntax (FilterLogEvents' filterPattern), parsed once and
// matched against each message. Three forms, chosen by the first character:
//
//  - terms: `ERROR Exception` (all), `"Failed to"` (exact phrase), `?ERROR ?WARN` (any),
//    `-DEBUG` (none), `%regex%`; terms are case-sensitive substrings of the message.
//  - JSON, `{ ... }`: `$.a.b`, `$.list[0]`, `$.list[*]` selectors compared with = != < > <= >=
//    to strings (with `*` wildcards), numbers or `%regex%`; `IS TRUE|FALSE|NULL`,
//    `NOT EXISTS`; && and || with parentheses. Messages that are not JSON never match.
//  - space-delimited, `[ip, user, ..., status = 4*, bytes > 1000]`: fields split on spaces,
//    with "..." and [...] as one field; `...` stands for any number of fields; conditions as
//    in JSON patterns, naming fields of the pattern.
// An empty (or all-blank) pattern matches everything. See src/services/logs/README.md for
// what AWS's syntax has that this does not.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"

namespace logs {

class FilterPattern {
 public:
  // The pattern, or why it is malformed (the text of an InvalidParameterException).
  static common::Result<FilterPattern, std::string> parse(std::string_view text);

  bool matches(std::string_view message) const;
  bool matches_everything() const;

  struct Impl;  // filter_pattern.cc

 private:
  explicit FilterPattern(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;  // immutable: copies and threads share it
};

}  // namespace logs
