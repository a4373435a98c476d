// git over HTTP for CodeCommit: /v1/repos/<name>/info/refs, /git-upload-pack and
// /git-receive-pack on hakobu's port, served by git's own http-backend (CGI) on the
// repository's bare directory. Authenticates as CodeCommit does (HTTP Basic: username = access
// key id, "<key>%<session token>" for temporary credentials; password = the SigV4 git password
// `aws codecommit credential-helper` makes, verified with sigv4::verify_git_password against the
// key's secret; 401 with a Basic challenge when absent, 403 when wrong) or, for a username
// "<user>-at-<account>", with IAM's HTTPS git credentials (GitFrontOptions::verify_service_password);
// authorizes codecommit:GitPull (upload-pack) / codecommit:GitPush (receive-pack) on the repository ARN,
// the receive-pack POST with the codecommit:References condition key = the ref names its
// commands update (read from the pkt-line command list before git sees the pack). http-backend's
// answer streams to the client as it is produced (gitfront/backend_stream.h). A push is a pending
// row before http-backend runs (CodeCommitEngine::begin_push) and its real ref changes are recorded
// with their events when it ends (finish_push), or at the next start after a crash.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "aws/dispatch/authorizer.h"
#include "aws/dispatch/credentials.h"
#include "common/clock.h"
#include "http/request.h"
#include "services/codecommit/engine/codecommit_engine.h"

namespace codecommit {

struct GitFrontOptions {
  std::string default_region = "us-east-1";
  std::string git_http_backend = "/usr/lib/git-core/git-http-backend";
  bool access_log = true;
  // HTTPS git credentials (IAM service-specific: Basic username "<user>-at-<account>"): the
  // owner's principal when the password matches an Active credential, nullopt otherwise. Unset:
  // only the SigV4 git password is accepted.
  std::function<std::optional<dispatch::Principal>(std::string_view user, std::string_view password)>
      verify_service_password;
  // http-backend is killed (its pid) when one request keeps it running longer than
  // `backend_timeout`, or when it moves no byte for `backend_inactivity_timeout` (waiting for the
  // client does not count): the client gets a 500, or a broken body once the answer has begun.
  // Zero: no limit.
  std::chrono::milliseconds backend_timeout = std::chrono::seconds(600);
  std::chrono::milliseconds backend_inactivity_timeout = std::chrono::seconds(120);
};

class GitFront {
 public:
  GitFront(CodeCommitEngine& engine, dispatch::CredentialResolver& credentials, dispatch::Authorizer& authorizer,
           const common::Clock& clock, GitFrontOptions options);
  // Paths under /v1/repos/ without a SigV4 signature.
  static bool matches(const http::Request& request);
  // Thread-safe; streams request and response bodies.
  void handle(http::Request& request, http::Response& response);

 private:
  CodeCommitEngine& engine_;
  dispatch::CredentialResolver& credentials_;
  dispatch::Authorizer& authorizer_;
  const common::Clock& clock_;
  GitFrontOptions options_;
};

}  // namespace codecommit
