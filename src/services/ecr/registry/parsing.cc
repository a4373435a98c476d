// Pure parsing for the registry: routes, byte ranges, Accept values.

#include "common/strings.h"
#include "http/range.h"
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
  http::RangeRequest request = http::parse_range(header, static_cast<uint64_t>(size));
  switch (request.kind) {
    case http::RangeRequest::Kind::Partial:
      out = ByteRange{static_cast<int64_t>(request.range.first), static_cast<int64_t>(request.range.length)};
      return RangeResult::Partial;
    case http::RangeRequest::Kind::Several: return RangeResult::Whole;
    case http::RangeRequest::Kind::Unsatisfiable:
    case http::RangeRequest::Kind::Malformed: return RangeResult::Unsatisfiable;
  }
  return RangeResult::Unsatisfiable;
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
