// Smart-HTTP route parsing, pkt-line command parsing and the rejected-push status report.
#include "services/codecommit/gitfront/protocol.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/strings.h"

namespace codecommit::gitfront {
namespace {

constexpr std::string_view kReposPrefix = "/v1/repos/";
constexpr size_t kLargePacket = 65520;  // LARGE_PACKET_MAX: side-band-64k payload limit + header

bool is_hex_id(std::string_view s) {
  if (s.size() != 40 && s.size() != 64) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::optional<std::string> query_param(std::string_view query, std::string_view key) {
  for (const auto& [k, v] : common::parse_query(query, true)) {
    if (k == key) return v;
  }
  return std::nullopt;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// "<old> <new> <ref>" -> command; false when the line is not a command.
bool parse_command(std::string_view line, PushCommand& command) {
  size_t first = line.find(' ');
  if (first == std::string_view::npos) return false;
  size_t second = line.find(' ', first + 1);
  if (second == std::string_view::npos) return false;
  std::string_view old_id = line.substr(0, first);
  std::string_view new_id = line.substr(first + 1, second - first - 1);
  std::string_view ref = line.substr(second + 1);
  if (!is_hex_id(old_id) || !is_hex_id(new_id) || ref.empty()) return false;
  command = PushCommand{std::string(old_id), std::string(new_id), std::string(ref)};
  return true;
}

// Wraps a byte stream in side-band packets of `band`.
std::string side_band(char band, std::string_view data) {
  std::string out;
  constexpr size_t kMaxPayload = kLargePacket - 5;
  for (size_t pos = 0; pos < data.size(); pos += kMaxPayload) {
    std::string payload(1, band);
    payload.append(data.substr(pos, kMaxPayload));
    out += pkt_line(payload);
  }
  return out;
}

}  // namespace

bool is_repos_path(std::string_view path) { return path.rfind(kReposPrefix, 0) == 0; }

std::optional<Route> parse_route(std::string_view method, std::string_view path, std::string_view query) {
  if (!is_repos_path(path)) return std::nullopt;
  struct Suffix {
    std::string_view text;
    std::string_view method;
    Endpoint endpoint;
  };
  static constexpr Suffix kSuffixes[] = {{"/info/refs", "GET", Endpoint::InfoRefs},
                                         {"/git-upload-pack", "POST", Endpoint::Rpc},
                                         {"/git-receive-pack", "POST", Endpoint::Rpc}};
  for (const Suffix& suffix : kSuffixes) {
    if (path.size() <= kReposPrefix.size() + suffix.text.size() || !path.ends_with(suffix.text)) continue;
    if (method != suffix.method) return std::nullopt;
    Route route;
    route.remote_path = std::string(path.substr(0, path.size() - suffix.text.size()));
    route.suffix = std::string(suffix.text.substr(1));
    route.endpoint = suffix.endpoint;
    std::string name = common::uri_decode(route.remote_path.substr(kReposPrefix.size()));
    if (name.empty() || name.find('/') != std::string::npos) return std::nullopt;
    route.name = std::move(name);
    if (suffix.endpoint == Endpoint::InfoRefs) {
      std::optional<std::string> service = query_param(query, "service");
      if (service == "git-upload-pack") {
        route.service = Service::UploadPack;
      } else if (service == "git-receive-pack") {
        route.service = Service::ReceivePack;
      } else {
        return std::nullopt;  // dumb HTTP: CodeCommit speaks smart HTTP only
      }
    } else {
      route.service = suffix.text == "/git-upload-pack" ? Service::UploadPack : Service::ReceivePack;
    }
    return route;
  }
  return std::nullopt;
}

bool PushCommands::has(std::string_view capability) const {
  return std::find(capabilities.begin(), capabilities.end(), capability) != capabilities.end();
}

ParseStatus parse_push_commands(std::string_view data, PushCommands& out, size_t& consumed) {
  out = PushCommands{};
  size_t pos = 0;
  bool first = true;
  while (true) {
    if (data.size() - pos < 4) return ParseStatus::NeedMore;
    int length = 0;
    for (size_t i = 0; i < 4; ++i) {
      int v = hex_value(data[pos + i]);
      if (v < 0) return ParseStatus::Malformed;
      length = length * 16 + v;
    }
    if (length == 0) {  // flush-pkt: the end of the command list
      consumed = pos + 4;
      return ParseStatus::Done;
    }
    if (length < 4) return ParseStatus::Malformed;
    if (data.size() - pos < static_cast<size_t>(length)) return ParseStatus::NeedMore;
    std::string_view line = data.substr(pos + 4, static_cast<size_t>(length) - 4);
    pos += static_cast<size_t>(length);
    if (first) {
      first = false;
      size_t nul = line.find('\0');
      if (nul != std::string_view::npos) {
        std::string_view caps = line.substr(nul + 1);
        if (!caps.empty() && caps.back() == '\n') caps.remove_suffix(1);
        for (std::string_view cap : common::split(caps, ' ')) {
          if (!cap.empty()) out.capabilities.emplace_back(cap);
        }
        line = line.substr(0, nul);
      }
    }
    if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
    if (line.rfind("shallow ", 0) == 0) continue;
    PushCommand command;
    if (parse_command(line, command)) out.commands.push_back(std::move(command));
  }
}

std::string pkt_line(std::string_view payload) {
  return fmt::format("{:04x}", payload.size() + 4) + std::string(payload);
}

std::string rejected_push_result(const PushCommands& push, std::string_view reason, std::string_view message) {
  if (!push.has("report-status") && !push.has("report-status-v2")) return "";
  std::string report = pkt_line("unpack ok\n");
  for (const PushCommand& command : push.commands) {
    report += pkt_line("ng " + command.ref + " " + std::string(reason) + "\n");
  }
  report += "0000";
  if (!push.has("side-band-64k") && !push.has("side-band")) return report;
  std::string out;
  if (!message.empty()) out += side_band('\2', std::string(message) + "\n");
  out += side_band('\1', report);
  out += "0000";
  return out;
}

}  // namespace codecommit::gitfront
