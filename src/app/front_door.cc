#include "app/front_door.h"

#include "common/json.h"
#include "common/log.h"

namespace app {

FrontDoor::FrontDoor(dispatch::Dispatcher& dispatcher, std::function<bool(std::string&)> reset,
                     std::vector<std::string> services)
    : dispatcher_(dispatcher), reset_(std::move(reset)) {
  common::Json health = {{"status", "running"}, {"services", common::Json::object()}};
  for (const auto& s : services) health["services"][s] = "running";
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
    response.set_header("Content-Type", "application/json");
    if (reset_(error)) {
      common::log::info("state reset by {} {}", request.method, path);
      response.status = 200;
      response.body = "{\"status\": \"ok\"}";
    } else {
      response.status = 500;
      response.body = common::Json({{"status", "error"}, {"message", error}}).dump();
    }
    return;
  }
  dispatcher_.handle(request, response);
}

}  // namespace app
