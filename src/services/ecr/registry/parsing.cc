// Pure parsing for the registry: routes, byte ranges, Accept values.

#include "common/strings.h"
#include "services/ecr/registry/internal.h"

namespace ecr::registry {
namespace {

std::string join(const std::vector<std::string_view>& parts, size_t count) {
  std::string out;
  for (size_t i = 0; i < count; ++i) {
    if (i > 0) out += '/';
    out += parts[i];
  }
  return out;
}

// Non-negative decimal without sign or spaces, at most 18 digits (no overflow).
bool parse_number(std::string_view s, int64_t& out) {
  if (s.empty() || s.size() > 18) return false;
  out = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

}  // namespace

Route parse_route(std::string_view path) {
  Route route;
  if (path == "/v2" || path == "/v2/") {
    route.kind = RouteKind::Base;
    return route;
  }
  if (path == "/v2/_catalog") {
    route.kind = RouteKind::Catalog;
    return route;
  }
  if (path.rfind("/v2/", 0) != 0) return route;
  std::vector<std::string_view> parts = common::split(path.substr(4), '/');
  size_t n = parts.size();
  // Each form names the count of trailing components it takes; the name is what is left and
  // must have no empty component.
  auto finish = [&](RouteKind kind, size_t tail, std::string_view reference) {
    if (n <= tail) return;
    for (size_t i = 0; i < n - tail; ++i) {
      if (parts[i].empty()) return;
    }
    route.kind = kind;
    route.name = join(parts, n - tail);
    route.reference = std::string(reference);
  };
  if (n >= 3 && parts[n - 2] == "tags" && parts[n - 1] == "list") {
    finish(RouteKind::Tags, 2, "");
  } else if (n >= 4 && parts[n - 3] == "blobs" && parts[n - 2] == "uploads") {
    finish(parts[n - 1].empty() ? RouteKind::UploadStart : RouteKind::Upload, 3, parts[n - 1]);
  } else if (n >= 3 && parts[n - 2] == "blobs" && parts[n - 1] == "uploads") {
    finish(RouteKind::UploadStart, 2, "");
  } else if (n >= 3 && parts[n - 1].empty()) {
    return route;  // a trailing '/' anywhere else names nothing
  } else if (n >= 3 && parts[n - 2] == "blobs") {
    finish(RouteKind::Blob, 2, parts[n - 1]);
  } else if (n >= 3 && parts[n - 2] == "manifests") {
    finish(RouteKind::Manifest, 2, parts[n - 1]);
  } else if (n >= 3 && parts[n - 2] == "referrers") {
    finish(RouteKind::Referrers, 2, parts[n - 1]);
  }
  return route;
}

RangeResult parse_range(std::string_view header, int64_t size, ByteRange& out) {
  std::string_view text = common::trim(header);
  if (text.rfind("bytes=", 0) != 0) return RangeResult::Unsatisfiable;
  text.remove_prefix(6);
  if (text.find(',') != std::string_view::npos) return RangeResult::Whole;
  size_t dash = text.find('-');
  if (dash == std::string_view::npos) return RangeResult::Unsatisfiable;
  std::string_view a = common::trim(text.substr(0, dash));
  std::string_view b = common::trim(text.substr(dash + 1));
  int64_t first = 0;
  int64_t last = 0;
  if (a.empty()) {
    // Suffix: the last n bytes.
    int64_t suffix = 0;
    if (!parse_number(b, suffix) || suffix == 0 || size == 0) return RangeResult::Unsatisfiable;
    if (suffix > size) suffix = size;
    out = ByteRange{size - suffix, suffix};
    return RangeResult::Partial;
  }
  if (!parse_number(a, first) || first >= size) return RangeResult::Unsatisfiable;
  if (b.empty()) {
    last = size - 1;
  } else if (!parse_number(b, last) || last < first) {
    return RangeResult::Unsatisfiable;
  }
  if (last >= size) last = size - 1;
  out = ByteRange{first, last - first + 1};
  return RangeResult::Partial;
}

std::optional<std::pair<int64_t, int64_t>> parse_content_range(std::string_view header) {
  std::string_view text = common::trim(header);
  if (text.rfind("bytes=", 0) == 0) {
    text.remove_prefix(6);
  } else if (text.rfind("bytes ", 0) == 0) {
    text.remove_prefix(6);
  }
  size_t slash = text.find('/');
  if (slash != std::string_view::npos) text = text.substr(0, slash);
  size_t dash = text.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  int64_t start = 0;
  int64_t end = 0;
  if (!parse_number(common::trim(text.substr(0, dash)), start)) return std::nullopt;
  if (!parse_number(common::trim(text.substr(dash + 1)), end)) return std::nullopt;
  if (end < start) return std::nullopt;
  return std::make_pair(start, end);
}

std::vector<std::string> accept_values(const http::Request& request) {
  std::vector<std::string> out;
  for (const auto& h : request.headers) {
    if (!common::iequals(h.name, "accept")) continue;
    for (std::string_view item : common::split(h.value, ',')) {
      size_t semi = item.find(';');
      if (semi != std::string_view::npos) item = item.substr(0, semi);
      item = common::trim(item);
      if (!item.empty()) out.emplace_back(item);
    }
  }
  return out;
}

}  // namespace ecr::registry
