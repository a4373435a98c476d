#include "services/ecr/model/uri.h"

#include <regex>
#include <vector>

namespace ecr {
namespace {

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool alnum_lower(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// One path component of a repository name: [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*
bool valid_component(std::string_view c) {
  size_t i = 0;
  auto run = [&] {
    size_t start = i;
    while (i < c.size() && alnum_lower(c[i])) ++i;
    return i > start;
  };
  if (!run()) return false;
  while (i < c.size()) {
    char sep = c[i];
    if (sep == '.') {
      ++i;
    } else if (sep == '_') {
      ++i;
      if (i < c.size() && c[i] == '_') ++i;
    } else if (sep == '-') {
      while (i < c.size() && c[i] == '-') ++i;
    } else {
      return false;
    }
    if (!run()) return false;
  }
  return true;
}

}  // namespace

std::string repository_arn(std::string_view region, std::string_view account, std::string_view name) {
  std::string arn = "arn:aws:ecr:";
  arn.append(region).append(":").append(account).append(":repository/").append(name);
  return arn;
}

std::optional<ArnParts> parse_repository_arn(std::string_view arn) {
  constexpr std::string_view prefix = "arn:aws:ecr:";
  if (arn.substr(0, prefix.size()) != prefix) return std::nullopt;
  std::string_view rest = arn.substr(prefix.size());
  size_t colon = rest.find(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  ArnParts parts;
  parts.region = std::string(rest.substr(0, colon));
  rest = rest.substr(colon + 1);
  colon = rest.find(':');
  if (colon != 12 || !all_digits(rest.substr(0, 12))) return std::nullopt;
  parts.account = std::string(rest.substr(0, 12));
  rest = rest.substr(13);
  constexpr std::string_view kind = "repository/";
  if (rest.substr(0, kind.size()) != kind) return std::nullopt;
  parts.name = std::string(rest.substr(kind.size()));
  if (parts.name.empty()) return std::nullopt;
  return parts;
}

bool valid_repository_name(std::string_view name) {
  if (name.size() < 2 || name.size() > 256) return false;
  size_t start = 0;
  while (true) {
    size_t slash = name.find('/', start);
    std::string_view component = name.substr(start, slash == std::string_view::npos ? name.npos : slash - start);
    if (!valid_component(component)) return false;
    if (slash == std::string_view::npos) return true;
    start = slash + 1;
  }
}

bool looks_like_region(std::string_view text) {
  static const std::regex pattern("^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]{1,2}$");
  return std::regex_match(text.begin(), text.end(), pattern);
}

std::string repository_uri(std::string_view host, std::string_view account, std::string_view region,
                           std::string_view default_region, std::string_view name) {
  std::string uri(host);
  uri.append("/").append(account).append("/");
  if (region != default_region) uri.append(region).append("/");
  uri.append(name);
  return uri;
}

std::optional<RegistryTarget> resolve_registry_target(std::string_view host_header, std::string_view path_name,
                                                      std::string_view default_region) {
  // AWS-shaped host: <account>.dkr.ecr.<region>.<anything>[:port]
  std::string_view host = host_header.substr(0, host_header.find(':'));
  if (host.size() > 21 && all_digits(host.substr(0, 12)) && host.substr(12, 9) == ".dkr.ecr.") {
    std::string_view rest = host.substr(21);
    std::string_view region = rest.substr(0, rest.find('.'));
    if (looks_like_region(region) && !path_name.empty()) {
      return RegistryTarget{std::string(host.substr(0, 12)), std::string(region), std::string(path_name)};
    }
  }
  size_t slash = path_name.find('/');
  if (slash != 12 || !all_digits(path_name.substr(0, 12))) return std::nullopt;
  std::string_view rest = path_name.substr(13);
  RegistryTarget target{std::string(path_name.substr(0, 12)), std::string(default_region), ""};
  size_t next = rest.find('/');
  if (next != std::string_view::npos && looks_like_region(rest.substr(0, next))) {
    target.region = std::string(rest.substr(0, next));
    rest = rest.substr(next + 1);
  }
  if (rest.empty()) return std::nullopt;
  target.name = std::string(rest);
  return target;
}

}  // namespace ecr
