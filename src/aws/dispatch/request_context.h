// The only per-request state a handler sees.
#pragma once

#include <string>

#include "aws/dispatch/principal.h"
#include "common/clock.h"

namespace http {
struct Request;
}

namespace dispatch {

struct RequestContext {
  std::string request_id;
  std::string region;  // from the SigV4 scope (or the server default)
  Principal principal;
  const common::Clock* clock = nullptr;
  const http::Request* http = nullptr;  // for source IP, secure transport; handlers rarely need it
  std::string service;                  // signing name, "ssm"
  std::string operation;                // "GetParameter"

  const std::string& account_id() const { return principal.account_id; }
  common::TimePoint now() const { return clock->now(); }
};

}  // namespace dispatch
