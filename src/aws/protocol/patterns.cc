#include "aws/protocol/patterns.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <cstdio>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>

namespace aws::protocol {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

// Reads "\uXXXX" at `pos`; -1 when there is none.
long read_unicode_escape(std::string_view p, size_t pos) {
  if (pos + 6 > p.size() || p[pos] != '\\' || p[pos + 1] != 'u') {
    return -1;
  }
  long value = 0;
  for (size_t i = pos + 2; i < pos + 6; ++i) {
    int h = hex_value(p[i]);
    if (h < 0) {
      return -1;
    }
    value = value * 16 + h;
  }
  return value;
}

struct PosixClass {
  std::string_view java;
  std::string_view posix;  // inside a bracket expression
};

constexpr PosixClass kPosixClasses[] = {
    {"Lower", "[:lower:]"}, {"Upper", "[:upper:]"},       {"ASCII", "\\x00-\\x7F"},     {"Alpha", "[:alpha:]"},
    {"Digit", "[:digit:]"}, {"Alnum", "[:alnum:]"},       {"Punct", "[:punct:]"},       {"Graph", "[:graph:]"},
    {"Print", "[:print:]"}, {"Blank", "[:blank:]"},       {"Cntrl", "[:cntrl:]"},       {"XDigit", "[:xdigit:]"},
    {"Space", "[:space:]"}, {"javaLowerCase", "\\p{Ll}"}, {"javaUpperCase", "\\p{Lu}"}, {"javaWhitespace", "\\s"},
};

// Java's \p{Alpha}-style classes, which PCRE2 spells differently. On success appends the
// PCRE2 form, moves `i` to the closing '}' and returns true.
bool translate_posix_class(std::string_view p, size_t& i, bool in_class, std::string& out) {
  if (i + 2 >= p.size() || p[i + 2] != '{') {
    return false;
  }
  size_t close = p.find('}', i + 3);
  if (close == std::string_view::npos) {
    return false;
  }
  std::string_view name = p.substr(i + 3, close - i - 3);
  if (name.size() > 2 && name.substr(0, 2) == "Is") {
    name.remove_prefix(2);  // \p{IsAlpha}
  }
  const bool negate = p[i + 1] == 'P';
  for (const PosixClass& pc : kPosixClasses) {
    if (pc.java != name) {
      continue;
    }
    const bool bracket_form = pc.posix.front() == '[' || pc.posix.find('-') != std::string_view::npos;
    if (!bracket_form) {
      out += negate ? "[^" + std::string(pc.posix) + "]" : std::string(pc.posix);
    } else if (in_class && !negate) {
      out += pc.posix;
    } else {
      out += negate ? "[^" : "[";
      out += pc.posix;
      out += "]";
    }
    i = close;
    return true;
  }
  return false;
}

struct Compiled {
  pcre2_code* code = nullptr;
  ~Compiled() {
    if (code != nullptr) {
      pcre2_code_free(code);
    }
  }
};

class PatternCache {
 public:
  // The compiled pattern, or nullptr when PCRE2 rejected it.
  const pcre2_code* get(std::string_view java_pattern) {
    std::string key(java_pattern);
    {
      std::shared_lock lock(mutex_);
      auto it = cache_.find(key);
      if (it != cache_.end()) {
        return it->second->code;
      }
    }
    auto compiled = std::make_unique<Compiled>();
    std::string translated = translate_java_pattern(java_pattern);
    int error_code = 0;
    PCRE2_SIZE error_offset = 0;
    compiled->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(translated.data()), translated.size(),
                                   PCRE2_UTF | PCRE2_ANCHORED | PCRE2_ENDANCHORED, &error_code, &error_offset, nullptr);
    std::unique_lock lock(mutex_);
    auto [it, inserted] = cache_.emplace(std::move(key), std::move(compiled));
    if (inserted) {
      if (it->second->code == nullptr) {
        PCRE2_UCHAR message[256];
        pcre2_get_error_message(error_code, message, sizeof message);
        std::fprintf(stderr, "warning: model pattern skipped, PCRE2 rejected %s at offset %zu: %s\n",
                     translated.c_str(), static_cast<size_t>(error_offset), reinterpret_cast<char*>(message));
      } else {
        pcre2_jit_compile(it->second->code, PCRE2_JIT_COMPLETE);  // optional speed-up
      }
    }
    return it->second->code;
  }

 private:
  std::shared_mutex mutex_;
  std::unordered_map<std::string, std::unique_ptr<Compiled>> cache_;
};

PatternCache& cache() {
  static PatternCache* instance = new PatternCache();  // never destroyed: used until exit
  return *instance;
}

}  // namespace

std::string translate_java_pattern(std::string_view p) {
  std::string out;
  out.reserve(p.size() + 8);
  int class_depth = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    char c = p[i];
    if (c == '\\' && i + 1 < p.size()) {
      char next = p[i + 1];
      long cp = read_unicode_escape(p, i);
      if (cp >= 0) {
        size_t consumed = 6;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          long low = read_unicode_escape(p, i + 6);
          if (low >= 0xDC00 && low <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            consumed = 12;
          }
        }
        char buffer[32];
        std::snprintf(buffer, sizeof buffer, "\\x{%lX}", cp);
        out += buffer;
        i += consumed - 1;
        continue;
      }
      if ((next == 'p' || next == 'P') && translate_posix_class(p, i, class_depth > 0, out)) {
        continue;
      }
      out += c;
      out += next;
      ++i;
      continue;
    }
    if (c == '[') {
      ++class_depth;
    } else if (c == ']' && class_depth > 0) {
      --class_depth;
    }
    out += c;
  }
  return out;
}

std::optional<bool> pattern_matches(std::string_view java_pattern, std::string_view value) {
  const pcre2_code* code = cache().get(java_pattern);
  if (code == nullptr) {
    return std::nullopt;
  }
  pcre2_match_data* match = pcre2_match_data_create_from_pattern(code, nullptr);
  if (match == nullptr) {
    return std::nullopt;
  }
  int rc = pcre2_match(code, reinterpret_cast<PCRE2_SPTR>(value.data()), value.size(), 0, 0, match, nullptr);
  pcre2_match_data_free(match);
  return rc >= 0;
}

}  // namespace aws::protocol
