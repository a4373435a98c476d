// The git front: one request's trip (route, authenticate, authorize, execute through git
// http-backend, record ref changes, access-log line).
#include "services/codecommit/gitfront/git_front.h"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <exception>
#include <map>
#include <memory>
#include <optional>

#include "aws/dispatch/access_log.h"
#include "aws/sigv4/sigv4.h"
#include "common/crypto.h"
#include "common/ids.h"
#include "common/log.h"
#include "common/strings.h"
#include "git/cgi.h"
#include "git/process.h"
#include "services/codecommit/gitfront/backend_stream.h"
#include "services/codecommit/gitfront/protocol.h"

namespace codecommit {

using gitfront::Endpoint;
using gitfront::Route;
using gitfront::Service;

namespace {

constexpr size_t kMaxCommandBytes = 8 * 1024 * 1024;
// http-backend's stdin and stdout pipes: a clone's pack-objects may run this far ahead of a client
// that takes the answer in bursts (the socket's own buffer comes on top).
constexpr size_t kBackendPipeBytes = 1024 * 1024;
// A ref advertisement up to this size is read whole and answered from memory on the loop thread.
constexpr size_t kMaxBufferedAdvertisement = 1024 * 1024;
constexpr std::string_view kRealm = "Basic realm=\"hakobu CodeCommit\"";
// What a rejected ref shows in git's "! [remote rejected] main -> main (...)" line.
constexpr std::string_view kPushDeniedReason = "You don't have permission to push changes to this branch";

struct Call {
  http::Request& request;
  http::Response& response;
  std::optional<Route> route;
  dispatch::Principal principal;
  std::string request_id;
  std::string op = "-";
  std::string error_code = "-";
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  bool log_deferred = false;  // the answer streams: its access-log line is written when it ends

  void reply_text(int status, std::string_view code, std::string body) {
    response.status = status;
    response.headers.clear();
    response.files.clear();
    response.set_header("Content-Type", "text/plain; charset=utf-8");
    if (!body.empty() && body.back() != '\n') body += '\n';
    response.body = std::move(body);
    error_code = std::string(code);
  }
};

std::string_view operation_name(const Route& route) {
  if (route.endpoint == Endpoint::InfoRefs) {
    return route.service == Service::UploadPack ? "InfoRefsUploadPack" : "InfoRefsReceivePack";
  }
  return route.service == Service::UploadPack ? "GitUploadPack" : "GitReceivePack";
}

// Host header without port, lower-cased, as the credential helper signs it (urlparse().hostname).
std::string signing_host(const http::Request& request) {
  const std::string* header = request.header("host");
  if (header == nullptr) return "";
  std::string_view host = common::trim(*header);
  if (!host.empty() && host.front() == '[') {
    size_t close = host.find(']');
    return common::to_lower(close == std::string_view::npos ? host.substr(1) : host.substr(1, close - 1));
  }
  size_t colon = host.rfind(':');
  if (colon != std::string_view::npos) host = host.substr(0, colon);
  return common::to_lower(host);
}

struct BasicCredentials {
  std::string user;  // as sent
  std::string access_key_id;
  std::string session_token;
  std::string password;
};

std::optional<BasicCredentials> basic_credentials(const http::Request& request) {
  const std::string* auth = request.header("authorization");
  if (auth == nullptr || !common::starts_with_icase(*auth, "basic ")) return std::nullopt;
  std::string decoded;
  if (!common::base64_decode(common::trim(std::string_view(*auth).substr(6)), decoded)) return std::nullopt;
  size_t colon = decoded.find(':');
  if (colon == std::string::npos) return std::nullopt;
  BasicCredentials creds;
  std::string user = decoded.substr(0, colon);
  creds.password = decoded.substr(colon + 1);
  creds.user = user;
  // Temporary credentials: "<AccessKeyId>%<SessionToken>" (the helper joins them so).
  size_t percent = user.find('%');
  creds.access_key_id = user.substr(0, percent);
  if (percent != std::string::npos) creds.session_token = user.substr(percent + 1);
  return creds;
}

dispatch::AuthzRequest authz_request(const Call& call, const std::string& region, std::string_view action,
                                     const std::string& arn) {
  dispatch::AuthzRequest authz;
  authz.principal = &call.principal;
  authz.action = std::string(action);
  authz.region = region;
  authz.source_ip = call.request.remote_address;
  authz.secure_transport = call.request.secure;
  authz.resources.push_back(dispatch::AuthzResource{arn, "", std::nullopt});  // no resource policies
  return authz;
}

// What a push commands, with each ref's value before it (git::kZeroId when absent).
std::vector<PushedRef> pushed_refs(const gitfront::PushCommands& push,
                                   const std::vector<std::pair<std::string, std::string>>& before) {
  std::map<std::string, std::string> old_values(before.begin(), before.end());
  std::vector<PushedRef> refs;
  for (const gitfront::PushCommand& command : push.commands) {
    auto it = old_values.find(command.ref);
    refs.push_back(
        PushedRef{command.ref, it == old_values.end() ? std::string(git::kZeroId) : it->second, command.new_id});
  }
  return refs;
}

// Records the refs a push moved (also when its answer did not reach the client: whatever git
// changed is real). A failure leaves the pending row for the next start to settle.
void record_push(CodeCommitEngine& engine, int64_t push_id, const std::string& request_id) {
  auto recorded = engine.finish_push(push_id);
  if (!recorded.ok()) {
    common::log::error("rid={} codecommit git: recording ref changes failed (left for the next start): {}", request_id,
                       recorded.error().message);
  }
}

// The access-log fields of a call whose line is written after its Request is gone.
struct LogLine {
  std::string request_id;
  dispatch::Principal principal;
  std::string op;
  int status = 0;
  std::chrono::steady_clock::time_point started;
};

std::string parent_dir(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos || slash == 0 ? std::string("/") : path.substr(0, slash);
}

std::string base_name(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

namespace {

// The front's collaborators, for one request.
struct Deps {
  CodeCommitEngine& engine_;
  dispatch::CredentialResolver& credentials_;
  dispatch::Authorizer& authorizer_;
  const common::Clock& clock_;
  const GitFrontOptions& options_;
};

// The per-request work.
class GitFrontCall {
 public:
  GitFrontCall(const Deps& front, Call& call) : front_(front), call_(call) {}

  void run() {
    call_.route = gitfront::parse_route(call_.request.method, call_.request.path, call_.request.query);
    if (!call_.route) {
      call_.reply_text(404, "NotFound", "Not Found");
      return;
    }
    call_.op = std::string(operation_name(*call_.route));
    if (!authenticate()) return;
    std::string arn = "arn:aws:codecommit:" + region() + ":" + call_.principal.account_id + ":" + call_.route->name;
    bool push = call_.route->service == Service::ReceivePack;
    if (!authorize(push ? "codecommit:GitPush" : "codecommit:GitPull", arn, {})) return;
    auto repo = front_.engine_.get_repository(RepoRef{call_.principal.account_id, region(), call_.route->name});
    if (!repo.ok()) {
      if (repo.error().code == Errc::RepositoryDoesNotExist || repo.error().code == Errc::InvalidRepositoryName) {
        call_.reply_text(404, "RepositoryDoesNotExistException", call_.route->name + " does not exist");
      } else {
        call_.reply_text(500, "InternalFailure", "internal error");
        common::log::error("rid={} codecommit git: {}", call_.request_id, repo.error().message);
      }
      return;
    }
    if (push && call_.route->endpoint == Endpoint::Rpc) {
      receive_pack(*repo, arn);
    } else {
      run_backend(*repo, "", std::nullopt);
    }
  }

 private:
  const std::string& region() const { return front_.options_.default_region; }

  bool authenticate() {
    std::optional<BasicCredentials> creds = basic_credentials(call_.request);
    if (!creds) {
      call_.reply_text(401, "MissingAuthenticationToken", "Unauthorized");
      call_.response.set_header("WWW-Authenticate", std::string(kRealm));
      return false;
    }
    // IAM's HTTPS git credentials name "<user>-at-<account>"; access key ids never contain "-at-".
    if (front_.options_.verify_service_password && creds->user.find("-at-") != std::string::npos) {
      auto principal = front_.options_.verify_service_password(creds->user, creds->password);
      if (!principal) {
        call_.reply_text(403, "InvalidSignatureException", "Forbidden");
        return false;
      }
      call_.principal = std::move(*principal);
      return true;
    }
    common::TimePoint now = front_.clock_.now();
    auto resolved = front_.credentials_.resolve(creds->access_key_id, creds->session_token,
                                                static_cast<int64_t>(common::to_epoch_seconds(now)));
    if (!resolved.ok()) {
      call_.reply_text(403, "InvalidSignatureException", "Forbidden");
      return false;
    }
    sigv4::VerifyResult verified =
        sigv4::verify_git_password(creds->password, resolved->secret_access_key, region(), signing_host(call_.request),
                                   call_.route->remote_path, now);
    if (verified.status != sigv4::VerifyStatus::Ok) {
      call_.reply_text(403, "InvalidSignatureException", "Forbidden");
      return false;
    }
    call_.principal = std::move(resolved->principal);
    return true;
  }

  bool allowed(std::string_view action, const std::string& arn, dispatch::ConditionKeys keys, std::string& message) {
    dispatch::AuthzRequest authz = authz_request(call_, region(), action, arn);
    authz.keys = std::move(keys);
    auto decision = front_.authorizer_.authorize(authz);
    if (decision.ok()) return true;
    message = decision.error().message;
    return false;
  }

  bool authorize(std::string_view action, const std::string& arn, dispatch::ConditionKeys keys) {
    std::string message;
    if (allowed(action, arn, std::move(keys), message)) return true;
    // git prints a text/plain error body as "remote: ..." lines.
    call_.reply_text(403, "AccessDeniedException", message);
    return false;
  }

  // Reads the command list at the start of the body (it must be seen before git acts on it).
  bool read_commands(std::string& prefix, gitfront::PushCommands& push) {
    http::BodyReader* reader = call_.request.body_reader;
    char buffer[16 * 1024];
    while (true) {
      size_t consumed = 0;
      switch (gitfront::parse_push_commands(prefix, push, consumed)) {
        case gitfront::ParseStatus::Done: return true;
        case gitfront::ParseStatus::Malformed:
          call_.reply_text(400, "InvalidRequest", "malformed receive-pack request");
          call_.response.close = true;
          return false;
        case gitfront::ParseStatus::NeedMore: break;
      }
      long n = reader == nullptr ? 0 : reader->read(buffer, sizeof buffer);
      if (n <= 0 || prefix.size() > kMaxCommandBytes) {
        call_.reply_text(400, "InvalidRequest", "incomplete receive-pack request");
        call_.response.close = true;
        return false;
      }
      prefix.append(buffer, static_cast<size_t>(n));
    }
  }

  // Reads and discards the rest of the body so the connection can carry the answer.
  void drain_body() {
    http::BodyReader* reader = call_.request.body_reader;
    if (reader == nullptr) return;
    char buffer[64 * 1024];
    long n = 0;
    while ((n = reader->read(buffer, sizeof buffer)) > 0) {
    }
    if (n < 0) call_.response.close = true;
    call_.request.body_consumed = true;
  }

  void receive_pack(const Repository& repo, const std::string& arn) {
    if (const std::string* encoding = call_.request.header("content-encoding")) {
      if (!common::iequals(common::trim(*encoding), "identity")) {
        // git never compresses push requests; the commands must be readable here.
        call_.reply_text(415, "UnsupportedMediaType", "compressed receive-pack requests are not supported");
        call_.response.close = true;
        return;
      }
    }
    std::string prefix;
    gitfront::PushCommands push;
    if (!read_commands(prefix, push)) return;
    std::vector<std::string> refs;
    for (const gitfront::PushCommand& command : push.commands) refs.push_back(command.ref);
    std::string message;
    // A request without commands (git's "0000" probe before a large push) changes nothing: the
    // keyless GitPush already allowed it.
    if (!refs.empty() && !allowed("codecommit:GitPush", arn, {{"codecommit:references", refs}}, message)) {
      reject_push(push, message);
      return;
    }
    // The push is written down before git may move a ref, so that a crash cannot lose what it
    // changed; a push that cannot be written down is refused.
    auto before = front_.engine_.refs(repo);
    if (!before.ok()) return push_unrecordable(before.error().message);
    auto pending = front_.engine_.begin_push(repo, pushed_refs(push, *before), call_.principal.arn);
    if (!pending.ok()) return push_unrecordable(pending.error().message);
    run_backend(repo, std::move(prefix), *pending);
  }

  void push_unrecordable(const std::string& why) {
    common::log::error("rid={} codecommit git: cannot record the push: {}", call_.request_id, why);
    call_.reply_text(500, "InternalFailure", "internal error");
    call_.response.close = true;  // the body was not read
  }

  // A denied push is answered as a git status report so that git shows the reason
  // ("remote: ..." and "! [remote rejected] main -> main (...)"); a client that asked for no
  // report gets a plain 403.
  void reject_push(const gitfront::PushCommands& push, const std::string& message) {
    drain_body();
    std::string result = gitfront::rejected_push_result(push, kPushDeniedReason, message);
    if (result.empty()) {
      call_.reply_text(403, "AccessDeniedException", message);
      return;
    }
    call_.response.status = 200;
    call_.response.set_header("Content-Type", "application/x-git-receive-pack-result");
    call_.response.set_header("Cache-Control", "no-cache, max-age=0, must-revalidate");
    call_.response.body = std::move(result);
    call_.error_code = "AccessDeniedException";
  }

  std::map<std::string, std::string> cgi_env(const Repository& repo) const {
    const http::Request& request = call_.request;
    std::map<std::string, std::string> env;
    const char* path = std::getenv("PATH");
    env["PATH"] = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
    env["HOME"] = "/nonexistent";
    env["LC_ALL"] = "C";
    env["GIT_CONFIG_NOSYSTEM"] = "1";
    env["GIT_HTTP_EXPORT_ALL"] = "1";
    env["GIT_PROJECT_ROOT"] = parent_dir(repo.git_dir);
    std::string path_info = "/";  // appended piecewise: GCC 12 warns (-Wrestrict) on "/" + s + ...
    path_info.append(base_name(repo.git_dir)).append("/").append(call_.route->suffix);
    env["PATH_INFO"] = std::move(path_info);
    env["REQUEST_METHOD"] = request.method;
    env["QUERY_STRING"] = request.query;
    env["GATEWAY_INTERFACE"] = "CGI/1.1";
    env["SERVER_PROTOCOL"] = "HTTP/1.1";
    // Enables receive-pack in http-backend, names the committer of reflog entries.
    env["REMOTE_USER"] = call_.principal.arn;
    env["REMOTE_ADDR"] = request.remote_address;
    if (const std::string* type = request.header("content-type")) env["CONTENT_TYPE"] = *type;
    if (request.content_length >= 0) env["CONTENT_LENGTH"] = std::to_string(request.content_length);
    if (const std::string* encoding = request.header("content-encoding")) env["HTTP_CONTENT_ENCODING"] = *encoding;
    if (const std::string* protocol = request.header("git-protocol")) {
      env["HTTP_GIT_PROTOCOL"] = *protocol;
      env["GIT_PROTOCOL"] = *protocol;
    }
    return env;
  }

  // Runs http-backend on the request: its status and headers become the response's and its body
  // streams to the client as the program writes it, except an info/refs advertisement up to
  // kMaxBufferedAdvertisement, which is answered whole (no thread for it). `push` is the pending row a
  // receive-pack settles once the program is done. `prefix` is the part of the body already read.
  void run_backend(const Repository& repo, std::string prefix, std::optional<int64_t> push) {
    git::CgiRequest cgi;
    cgi.program = front_.options_.git_http_backend;
    cgi.env = cgi_env(repo);
    cgi.body_prefix = std::move(prefix);
    cgi.timeout = front_.options_.backend_timeout;
    cgi.inactivity_timeout = front_.options_.backend_inactivity_timeout;
    cgi.pipe_size = kBackendPipeBytes;
    if (http::BodyReader* reader = call_.request.body_reader) {
      cgi.body = [reader](char* buffer, size_t size) -> long { return reader->read(buffer, size); };
    }
    auto started = git::CgiProcess::start(cgi);
    call_.request.body_consumed = true;
    if (!started.ok()) {
      if (push) (void)front_.engine_.abandon_push(*push);  // git never ran (else the next start settles it)
      common::log::error("rid={} codecommit git: {}", call_.request_id, started.error().message);
      call_.reply_text(500, "InternalFailure", "internal error");
      return;
    }
    std::unique_ptr<git::CgiProcess> process = std::move(*started);
    if (process->input_broken()) call_.response.close = true;
    gitfront::BackendStream::Ended ended = completion(push);
    if (!process->headers_ok()) {
      process->finish();
      backend_failed(*process, "exited without a response");
      ended(*process);
      return;
    }
    call_.response.status = process->head().status;
    for (const auto& [name, value] : process->head().headers) {
      if (common::iequals(name, "content-length")) continue;  // the server frames the body
      call_.response.set_header(name, value);
    }
    if (process->head().status >= 400) call_.error_code = "GitHttpBackend" + std::to_string(process->head().status);
    if (call_.route->endpoint == Endpoint::InfoRefs) {
      std::string body;
      bool whole = process->read_small(body, kMaxBufferedAdvertisement);
      if (whole || body.size() < kMaxBufferedAdvertisement) {
        process->finish();
        if (whole) {
          call_.response.body = std::move(body);
        } else {
          backend_failed(*process, "failed in its answer");
        }
        ended(*process);
        return;
      }
      call_.response.body = std::move(body);  // the start; the rest streams
    }
    stream_answer(std::move(process), std::move(ended));
  }

  // The rest of the answer streams; its access-log line is written when it ends.
  void stream_answer(std::unique_ptr<git::CgiProcess> process, gitfront::BackendStream::Ended ended) {
    gitfront::BackendStream::Sent sent;
    if (front_.options_.access_log) {
      call_.log_deferred = true;
      LogLine line{call_.request_id, call_.principal, call_.op, call_.response.status, call_.started};
      sent = [line = std::move(line), error_code = call_.error_code](bool complete, const git::CgiProcess& process) {
        std::string_view code = complete              ? std::string_view(error_code)
                                : process.timed_out() ? "GitHttpBackendTimeout"
                                                      : "IncompleteBody";
        dispatch::write_access_log(line.request_id, line.principal, "codecommit-git", line.op, line.status, code,
                                   line.started);
      };
    }
    call_.response.stream =
        std::make_shared<gitfront::BackendStream>(std::move(process), std::move(ended), std::move(sent));
  }

  // A 500 for an http-backend that gave no usable answer, with its stderr in the log.
  void backend_failed(const git::CgiProcess& process, std::string_view what) {
    if (!process.timed_out()) {  // a timeout is logged by the completion
      common::log::error("rid={} codecommit git: http-backend {}: {}", call_.request_id, what, process.err());
    }
    call_.reply_text(500, process.timed_out() ? "GitHttpBackendTimeout" : "InternalFailure", "internal error");
  }

  // What runs once http-backend has ended: a note of a failure, and a push's ref changes.
  gitfront::BackendStream::Ended completion(std::optional<int64_t> push) {
    return [engine = &front_.engine_, push, request_id = call_.request_id](git::CgiProcess& process) {
      int exit_code = process.finish();
      if (process.timed_out()) {
        common::log::error("rid={} codecommit git: http-backend killed: time limit; {}", request_id, process.err());
      } else if (exit_code > 0 && !process.err().empty()) {
        common::log::warn("rid={} codecommit git: http-backend exited {}: {}", request_id, exit_code, process.err());
      }
      if (push) record_push(*engine, *push, request_id);
    };
  }

  const Deps& front_;
  Call& call_;
};

void record(const Call& call, const GitFrontOptions& options) {
  if (!options.access_log || call.log_deferred) return;
  dispatch::write_access_log(call.request_id, call.principal, "codecommit-git", call.op, call.response.status,
                             call.error_code, call.started);
}

}  // namespace

GitFront::GitFront(CodeCommitEngine& engine, dispatch::CredentialResolver& credentials,
                   dispatch::Authorizer& authorizer, const common::Clock& clock, GitFrontOptions options)
    : engine_(engine),
      credentials_(credentials),
      authorizer_(authorizer),
      clock_(clock),
      options_(std::move(options)) {}

bool GitFront::matches(const http::Request& request) {
  if (!gitfront::is_repos_path(request.path)) return false;
  if (const std::string* auth = request.header("authorization")) {
    // A SigV4-signed request is an API call, not git.
    if (common::starts_with_icase(*auth, "AWS4-")) return false;
  }
  return request.query.find("X-Amz-Signature") == std::string::npos;
}

void GitFront::handle(http::Request& request, http::Response& response) {
  Call call{request, response, std::nullopt, {}, common::uuid4()};
  try {
    Deps deps{engine_, credentials_, authorizer_, clock_, options_};
    GitFrontCall(deps, call).run();
  } catch (const std::exception& e) {
    common::log::error("rid={} codecommit git {} {} threw: {}", call.request_id, request.method, request.path,
                       e.what());
    call.reply_text(500, "InternalFailure", "internal error");
  } catch (...) {
    common::log::error("rid={} codecommit git {} {} threw a non-standard exception", call.request_id, request.method,
                       request.path);
    call.reply_text(500, "InternalFailure", "internal error");
  }
  record(call, options_);
}

}  // namespace codecommit
