// The front door: hakobu's own endpoints (health, reset) first, then every AWS API through
// the dispatcher. Later: /v2/ (OCI registry) and /v1/repos/ (git) are matched here by path.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "aws/dispatch/dispatcher.h"
#include "http/request.h"

namespace app {

class FrontDoor {
 public:
  // `reset` wipes all state (POST /_hakobu/reset, POST /moto-api/reset); returns false with
  // a message on failure. `services` lists service names for the health answer.
  FrontDoor(dispatch::Dispatcher& dispatcher, std::function<bool(std::string&)> reset,
            std::vector<std::string> services);
  void handle(http::Request& request, http::Response& response);

 private:
  dispatch::Dispatcher& dispatcher_;
  std::function<bool(std::string&)> reset_;
  std::string health_body_;
};

}  // namespace app
