// DockerProxy's pure parts: request heads, which names and servers are hakobu's registry, and
// the credential headers re-addressed to it.
#include <cctype>
#include <regex>

#include "common/crypto.h"
#include "common/json.h"
#include "common/strings.h"
#include "runtime/docker_proxy.h"
#include "runtime/registry_auth.h"

namespace runtime {
namespace {

constexpr size_t kAccountDigits = 12;
constexpr std::string_view kEcrInfix = ".dkr.ecr.";

common::Error bad_request(std::string message) {
  return common::make_error(common::ErrorKind::InvalidArgument, std::move(message));
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool is_token_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool looks_like_region(std::string_view text) {
  static const std::regex pattern("^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]{1,2}$");
  return std::regex_match(text.begin(), text.end(), pattern);
}

// "host:port" -> ("host", "port"); "[::1]:4566" -> ("::1", "4566").
std::pair<std::string, std::string> split_host_port(std::string_view host) {
  if (!host.empty() && host.front() == '[') {
    size_t close = host.find(']');
    if (close == std::string_view::npos) return {std::string(host), ""};
    std::string_view rest = host.substr(close + 1);
    return {std::string(host.substr(1, close - 1)), rest.empty() || rest[0] != ':' ? "" : std::string(rest.substr(1))};
  }
  size_t colon = host.rfind(':');
  if (colon == std::string_view::npos) return {std::string(host), ""};
  return {std::string(host.substr(0, colon)), std::string(host.substr(colon + 1))};
}

bool is_loopback(std::string_view name) { return name == "localhost" || name == "127.0.0.1" || name == "::1"; }

bool same_registry_host(std::string_view a, std::string_view b) {
  if (common::iequals(a, b)) return true;
  auto [host_a, port_a] = split_host_port(common::to_lower(a));
  auto [host_b, port_b] = split_host_port(common::to_lower(b));
  return port_a == port_b && is_loopback(host_a) && is_loopback(host_b);
}

// Docker's rule for the first component of a reference: a registry host when it holds '.' or
// ':' or is "localhost".
bool names_a_host(std::string_view component) {
  return component.find('.') != std::string_view::npos || component.find(':') != std::string_view::npos ||
         component == "localhost";
}

// What `docker login` and X-Registry-* carry: "https://host/v2/", "host", "http://host".
std::string_view server_host(std::string_view server) {
  for (std::string_view scheme : {"https://", "http://"}) {
    if (common::starts_with_icase(server, scheme)) server.remove_prefix(scheme.size());
  }
  return server.substr(0, server.find('/'));
}

// Docker's base64 in any of its spellings (URL-safe or standard, padded or not).
std::optional<nlohmann::json> decode_json_header(std::string_view header) {
  std::string text(common::trim(header));
  if (text.empty()) return std::nullopt;
  for (char& c : text) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  while (text.size() % 4 != 0) text += '=';
  std::string decoded;
  if (!common::base64_decode(text, decoded)) return std::nullopt;
  auto json = nlohmann::json::parse(decoded, nullptr, false);
  if (json.is_discarded() || !json.is_object()) return std::nullopt;
  return json;
}

}  // namespace

const std::string* ProxyRequest::header(std::string_view name) const {
  for (const auto& h : headers) {
    if (common::iequals(h.name, name)) return &h.value;
  }
  return nullptr;
}

namespace {

common::Status<> parse_request_line(std::string_view line, ProxyRequest& out) {
  size_t sp1 = line.find(' ');
  size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos) {
    return common::fail(bad_request("malformed request line"));
  }
  out.method = std::string(line.substr(0, sp1));
  out.target = std::string(line.substr(sp1 + 1, sp2 - sp1 - 1));
  std::string_view version = line.substr(sp2 + 1);
  if (out.method.empty()) return common::fail(bad_request("malformed request line"));
  for (char c : out.method) {
    if (!is_token_char(c)) return common::fail(bad_request("malformed request method"));
  }
  if (out.target.empty() || out.target[0] != '/') return common::fail(bad_request("malformed request target"));
  for (char c : out.target) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
      return common::fail(bad_request("malformed request target"));
  }
  if (version != "HTTP/1.1" && version != "HTTP/1.0") return common::fail(bad_request("unsupported HTTP version"));
  out.http10 = version == "HTTP/1.0";
  return common::ok();
}

// "/v1.41/images/json" -> ("/v1.41", "/images/json").
void split_version_prefix(ProxyRequest& out) {
  std::string_view path = std::string_view(out.target).substr(0, out.target.find('?'));
  if (size_t q = out.target.find('?'); q != std::string::npos) out.query = out.target.substr(q + 1);
  out.route = std::string(path);
  if (path.size() < 3 || path[1] != 'v') return;
  size_t end = path.find('/', 1);
  std::string_view version = path.substr(2, end == std::string_view::npos ? path.npos : end - 2);
  bool numeric = !version.empty() && std::isdigit(static_cast<unsigned char>(version[0]));
  for (char c : version) numeric = numeric && (std::isdigit(static_cast<unsigned char>(c)) || c == '.');
  if (!numeric) return;
  out.version_prefix = std::string(path.substr(0, end));
  out.route = end == std::string_view::npos ? "/" : std::string(path.substr(end));
}

common::Status<> apply_header(const http::Header& h, ProxyRequest& out) {
  std::string value = common::to_lower(h.value);
  if (common::iequals(h.name, "content-length")) {
    if (!all_digits(h.value) || h.value.size() > 18) return common::fail(bad_request("malformed Content-Length"));
    int64_t n = std::stoll(h.value);
    if (out.content_length >= 0 && out.content_length != n)
      return common::fail(bad_request("conflicting Content-Length"));
    out.content_length = n;
  } else if (common::iequals(h.name, "transfer-encoding")) {
    if (value != "chunked") return common::fail(bad_request("unsupported Transfer-Encoding '" + h.value + "'"));
    out.chunked = true;
  } else if (common::iequals(h.name, "connection")) {
    for (auto token : common::split(value, ',')) {
      if (common::trim(token) == "upgrade") out.upgrade = true;
      if (common::trim(token) == "close") out.close_requested = true;
    }
  }
  return common::ok();
}

}  // namespace

common::Result<ProxyRequest> parse_proxy_request(std::string_view head) {
  ProxyRequest out;
  size_t eol = head.find("\r\n");
  if (eol == std::string_view::npos) return common::fail(bad_request("malformed request head"));
  auto line = parse_request_line(head.substr(0, eol), out);
  if (!line) return common::fail(std::move(line).error());
  size_t pos = eol + 2;
  bool has_upgrade_header = false;
  while (pos < head.size()) {
    size_t next = head.find("\r\n", pos);
    if (next == std::string_view::npos) return common::fail(bad_request("malformed header"));
    std::string_view text = head.substr(pos, next - pos);
    pos = next + 2;
    if (text.empty()) break;
    size_t colon = text.find(':');
    if (colon == std::string_view::npos || colon == 0) return common::fail(bad_request("malformed header"));
    for (char c : text.substr(0, colon)) {
      if (!is_token_char(c)) return common::fail(bad_request("malformed header name"));
    }
    http::Header h{std::string(text.substr(0, colon)), std::string(common::trim(text.substr(colon + 1)))};
    auto applied = apply_header(h, out);
    if (!applied) return common::fail(std::move(applied).error());
    has_upgrade_header = has_upgrade_header || common::iequals(h.name, "upgrade");
    out.headers.push_back(std::move(h));
  }
  if (out.chunked && out.content_length >= 0) {
    return common::fail(bad_request("both Content-Length and Transfer-Encoding given"));
  }
  out.upgrade = out.upgrade && has_upgrade_header;
  split_version_prefix(out);
  return out;
}

std::string docker_login_refused_message(std::string_view server_address, bool plain_http) {
  std::string host(server_host(server_address));
  return std::string("login attempt to ") + (plain_http ? "http://" : "https://") + host +
         "/v2/ failed with status: 401 Unauthorized";
}

std::optional<std::string> DockerProxy::map_host(std::string_view host, std::string_view rest) const {
  if (rest.empty() || options_.registry_host.empty()) return std::nullopt;
  if (same_registry_host(host, options_.registry_host)) return options_.registry_host + "/" + std::string(rest);
  // AWS-shaped: <account>.dkr.ecr.<region>.<anything>[:port]
  std::string name = common::to_lower(host.substr(0, host.find(':')));
  if (name.size() <= kAccountDigits + kEcrInfix.size() || !all_digits(name.substr(0, kAccountDigits)) ||
      name.compare(kAccountDigits, kEcrInfix.size(), kEcrInfix) != 0) {
    return std::nullopt;
  }
  std::string_view tail = std::string_view(name).substr(kAccountDigits + kEcrInfix.size());
  std::string_view region = tail.substr(0, tail.find('.'));
  if (!looks_like_region(region) || region.size() == tail.size()) return std::nullopt;
  return options_.registry_host + "/" + name.substr(0, kAccountDigits) + "/" + std::string(region) + "/" +
         std::string(rest);
}

std::optional<std::string> DockerProxy::map_repository(std::string_view repository) const {
  size_t slash = repository.find('/');
  if (slash == std::string_view::npos || !names_a_host(repository.substr(0, slash))) return std::nullopt;
  return map_host(repository.substr(0, slash), repository.substr(slash + 1));
}

bool DockerProxy::is_registry_server(std::string_view server_address) const {
  std::string_view host = server_host(common::trim(server_address));
  return !host.empty() && map_host(host, "x").has_value();
}

std::string DockerProxy::refused_login_message(std::string_view server_address) const {
  std::string_view host = server_host(common::trim(server_address));
  return docker_login_refused_message(host, same_registry_host(host, options_.registry_host));
}

std::string DockerProxy::readdress_registry_auth(std::string_view header) const {
  auto json = decode_json_header(header);
  if (!json) return "";
  (*json)["serveraddress"] = options_.registry_host;
  return base64_url_padded(json->dump());
}

std::string DockerProxy::add_mapped_registry_config(std::string_view header) const {
  auto json = decode_json_header(header);
  if (!json || json->contains(options_.registry_host)) return std::string(header);
  for (const auto& [server, auth] : json->items()) {
    if (!auth.is_object() || !is_registry_server(server)) continue;
    nlohmann::json entry = auth;
    entry["serveraddress"] = options_.registry_host;
    (*json)[options_.registry_host] = std::move(entry);
    return base64_url_padded(json->dump());
  }
  return std::string(header);
}

}  // namespace runtime
