#include "app/front_door.h"

#include <charconv>

#include "common/json.h"
#include "common/log.h"
#include "common/strings.h"

namespace app {
namespace {

void json_answer(http::Response& response, int status, const common::Json& body) {
  response.status = status;
  response.set_header("Content-Type", "application/json");
  response.body = body.dump() + "\n";
}

std::optional<int64_t> to_int(std::string_view s) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

FrontDoor::FrontDoor(dispatch::Dispatcher& dispatcher, FrontDoorOptions options)
    : dispatcher_(dispatcher), options_(std::move(options)) {
  common::Json health = {{"status", "running"}, {"services", common::Json::object()}};
  for (const auto& s : options_.services) health["services"][s] = "running";
  health_body_ = health.dump() + "\n";
}

void FrontDoor::handle(http::Request& request, http::Response& response) {
  const std::string& path = request.path;
  if (path == "/_hakobu/health" || path == "/_localstack/health" || path == "/health") {
    if (request.method == "GET" || request.method == "HEAD") {
      response.status = 200;
      response.set_header("Content-Type", "application/json");
      response.body = health_body_;
      return;
    }
  }
  if ((path == "/_hakobu/reset" || path == "/moto-api/reset") && request.method == "POST") {
    std::string error;
    if (options_.reset(error)) {
      common::log::info("state reset by {} {}", request.method, path);
      json_answer(response, 200, {{"status", "ok"}});
    } else {
      json_answer(response, 500, {{"status", "error"}, {"message", error}});
    }
    return;
  }
  if (path == "/_hakobu/events" && request.method == "GET" && options_.bus) return events(request, response);
  if (path == "/_hakobu/clock" && options_.clock) return clock(request, response);
  for (const auto& route : options_.routes) {
    if (route.matches(request)) return route.handle(request, response);
  }
  dispatcher_.handle(request, response);
}

// GET /_hakobu/events?after=SEQ&source=aws.ecr&detail-type=...&account=...&limit=N&wait=SECONDS
// -> {"events":[<AWS envelope + "seq">...], "last": SEQ}. `wait` long-polls for a first event.
void FrontDoor::events(const http::Request& request, http::Response& response) {
  events::ReadQuery query;
  int64_t wait_seconds = 0;
  for (const auto& [name, value] : common::parse_query(request.query)) {
    std::optional<int64_t> number = to_int(value);
    if (name == "source") {
      query.source = value;
    } else if (name == "detail-type") {
      query.detail_type = value;
    } else if (name == "account") {
      query.account = value;
    } else if ((name == "after" || name == "limit" || name == "wait") && !number) {
      json_answer(response, 400, {{"message", "'" + name + "' must be an integer"}});
      return;
    } else if (name == "after") {
      query.after_seq = *number;
    } else if (name == "limit") {
      query.limit = static_cast<size_t>(std::clamp<int64_t>(*number, 1, 10000));
    } else if (name == "wait") {
      wait_seconds = std::clamp<int64_t>(*number, 0, 20);
    }
  }
  auto read = options_.bus->read(query);
  if (read.ok() && read->empty() && wait_seconds > 0) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(wait_seconds);
    int64_t seen = options_.bus->last_seq();
    while (read.ok() && read->empty() && std::chrono::steady_clock::now() < deadline) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (!options_.bus->wait_for(seen, left)) break;
      seen = options_.bus->last_seq();
      read = options_.bus->read(query);
    }
  }
  if (!read.ok()) {
    json_answer(response, 500, {{"message", read.error().message}});
    return;
  }
  common::Json list = common::Json::array();
  int64_t last = query.after_seq;
  for (const auto& event : *read) {
    common::Json e = event.envelope();
    e["seq"] = event.seq;
    list.push_back(std::move(e));
    last = event.seq;
  }
  json_answer(response, 200, {{"events", std::move(list)}, {"last", last}});
}

// GET /_hakobu/clock -> {"offset_seconds": N, "now": ISO}; POST {"advance_seconds": N} moves the
// engines' clock forward (never back: image ages and expiries only grow).
void FrontDoor::clock(http::Request& request, http::Response& response) {
  if (request.method == "POST") {
    std::string body;
    if (!request.read_body(body, 64 * 1024)) {
      json_answer(response, 400, {{"message", "body too large"}});
      return;
    }
    auto input = common::Json::parse(body, nullptr, false);
    auto advance = input.is_object() ? input.find("advance_seconds") : input.end();
    if (!input.is_object() || advance == input.end() || !advance->is_number() || advance->get<double>() < 0) {
      json_answer(response, 400, {{"message", "expected {\"advance_seconds\": <non-negative number>}"}});
      return;
    }
    options_.clock->advance(std::chrono::milliseconds(static_cast<int64_t>(advance->get<double>() * 1000)));
    common::log::info("clock advanced by {} s", advance->get<double>());
    if (options_.on_clock) options_.on_clock();
  } else if (request.method != "GET") {
    json_answer(response, 405, {{"message", "GET or POST"}});
    return;
  }
  json_answer(response, 200,
              {{"offset_seconds", static_cast<double>(options_.clock->offset().count()) / 1000.0},
               {"now", common::format_iso8601(options_.clock->now())}});
}

}  // namespace app
