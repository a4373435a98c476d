// The one request pipeline for every AWS API call: identify -> authenticate -> decode ->
// authorize -> execute -> encode -> record. Each stage's first error goes straight to the
// protocol's error writer. See lifecycle.cc.
#pragma once

#include <string>

#include "aws/dispatch/authorizer.h"
#include "aws/dispatch/credentials.h"
#include "aws/dispatch/operation_table.h"
#include "aws/sigv4/sigv4.h"
#include "common/clock.h"
#include "http/request.h"

namespace dispatch {

struct DispatcherOptions {
  std::string default_region = "us-east-1";
  size_t max_body_bytes = 16 * 1024 * 1024;  // JSON and query bodies
  bool access_log = true;
};

class Dispatcher {
 public:
  Dispatcher(const Registry& registry, CredentialResolver& credentials, Authorizer& authorizer,
             const common::Clock& clock, DispatcherOptions options);

  // Thread-safe: called concurrently from connection threads.
  void handle(http::Request& request, http::Response& response);

 private:
  const Registry& registry_;
  CredentialResolver& credentials_;
  Authorizer& authorizer_;
  const common::Clock& clock_;
  DispatcherOptions options_;
  sigv4::SigningKeyCache signing_keys_;
};

}  // namespace dispatch
