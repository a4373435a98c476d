// A compiled PCRE2 expression searched anywhere in a message: the "%...%" regular expressions
// of filter patterns. Immutable once built; search() may run on many threads at once.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace logs {

class Regex {
 public:
  // nullopt (and `error` set) when PCRE2 refuses the expression.
  static std::optional<Regex> compile(std::string_view expression, std::string& error);
  // Whether the expression matches somewhere in `text`.
  bool search(std::string_view text) const;

 private:
  struct Code;
  explicit Regex(std::shared_ptr<const Code> code) : code_(std::move(code)) {}
  std::shared_ptr<const Code> code_;
};

}  // namespace logs
