// The front door: hakobu's own endpoints (health, reset, events, clock) first, then the
// routes matched by path (the OCI registry under /v2/; later git under /v1/repos/), then every
// AWS API through the dispatcher.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "aws/dispatch/dispatcher.h"
#include "common/clock.h"
#include "events/bus.h"
#include "http/request.h"

namespace app {

// A path-matched handler ahead of the AWS dispatcher.
struct Route {
  std::function<bool(const http::Request&)> matches;
  std::function<void(http::Request&, http::Response&)> handle;
};

struct FrontDoorOptions {
  // Wipes all state (POST /_hakobu/reset, POST /moto-api/reset); false with a message on failure.
  std::function<bool(std::string&)> reset;
  std::vector<std::string> services;  // for the health answer
  std::vector<Route> routes;
  events::Bus* bus = nullptr;  // GET /_hakobu/events
  // POST /_hakobu/clock moves this clock (only with --clock-control); then calls on_clock.
  common::AdjustableClock* clock = nullptr;
  std::function<void()> on_clock;
};

class FrontDoor {
 public:
  FrontDoor(dispatch::Dispatcher& dispatcher, FrontDoorOptions options);
  void handle(http::Request& request, http::Response& response);

 private:
  void events(const http::Request& request, http::Response& response);
  void clock(http::Request& request, http::Response& response);

  dispatch::Dispatcher& dispatcher_;
  FrontDoorOptions options_;
  std::string health_body_;
};

}  // namespace app
