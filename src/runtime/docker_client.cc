// DockerClient: the request plumbing, the engine calls and the image calls. Container calls
// are in docker_containers.cc.
#include "runtime/docker_client.h"

#include <cstdlib>

#include "runtime/api_json.h"

namespace runtime {
namespace {

using common::ErrorKind;
using common::make_error;

// podman answers 500 where Docker answers 409; its "cause" tells them apart.
bool podman_conflict(const std::string& cause) {
  return cause == "container state improper" || cause == "that name is already in use";
}

bool contains(std::string_view text, std::string_view word) { return text.find(word) != std::string_view::npos; }

}  // namespace

std::string api_path(std::string_view a, std::string_view b, std::string_view c) {
  std::string out;
  out.reserve(kApiPrefix.size() + a.size() + b.size() + c.size());
  out.append(kApiPrefix).append(a).append(b).append(c);
  return out;
}

common::Error engine_error(int status, const std::string& body, std::string_view what) {
  std::string message = std::string(what) + ": " + error_message(body);
  ErrorKind kind = ErrorKind::Internal;
  if (status == 404) {
    kind = ErrorKind::NotFound;
  } else if (status == 409 || (status == 500 && podman_conflict(error_cause(body)))) {
    kind = ErrorKind::Conflict;
  } else if (status == 400) {
    kind = ErrorKind::InvalidArgument;
  } else if (status == 401 || status == 403) {
    kind = ErrorKind::PermissionDenied;
  } else if (status == 503) {
    kind = ErrorKind::Unavailable;
  }
  return make_error(kind, std::move(message));
}

ErrorKind stream_error_kind(std::string_view message) {
  if (contains(message, "unauthorized") || contains(message, "authentication required") ||
      contains(message, "denied")) {
    return ErrorKind::PermissionDenied;
  }
  if (contains(message, "manifest unknown") || contains(message, "not found") || contains(message, "no such")) {
    return ErrorKind::NotFound;
  }
  return ErrorKind::Internal;
}

std::optional<PushResult> parse_push_digest(std::string_view status) {
  size_t at = status.find("digest: ");
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view rest = status.substr(at + 8);
  size_t space = rest.find(' ');
  PushResult result;
  result.digest = std::string(rest.substr(0, space));
  if (result.digest.rfind("sha256:", 0) != 0) return std::nullopt;
  size_t size_at = rest.find("size: ");
  if (size_at != std::string_view::npos) result.size = std::atoll(std::string(rest.substr(size_at + 6)).c_str());
  return result;
}

std::pair<std::string, std::string> split_reference(std::string_view reference) {
  size_t at = reference.find('@');
  if (at != std::string_view::npos)
    return {std::string(reference.substr(0, at)), std::string(reference.substr(at + 1))};
  size_t colon = reference.rfind(':');
  size_t slash = reference.rfind('/');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    return {std::string(reference.substr(0, colon)), std::string(reference.substr(colon + 1))};
  }
  return {std::string(reference), "latest"};
}

common::Result<std::unique_ptr<DockerClient>> DockerClient::from_host(std::string_view docker_host) {
  std::string socket = socket_path_from_host(docker_host);
  if (socket.empty()) {
    return common::fail(make_error(ErrorKind::InvalidArgument, "container engine '" + std::string(docker_host) +
                                                                   "': only unix:// sockets are supported"));
  }
  return std::make_unique<DockerClient>(std::move(socket));
}

// --- plumbing ------------------------------------------------------------------------------------

common::Result<ResponseHead> DockerClient::open_stream(std::unique_ptr<UnixHttpConnection>& connection,
                                                       const std::string& method, const Target& target,
                                                       const RequestBody& body,
                                                       const std::vector<http::Header>& headers,
                                                       const CallOptions& call, std::string_view what) {
  auto opened = UnixHttpConnection::open(socket_path_, call);
  if (!opened) return common::fail(make_error(opened.error().kind, std::string(what) + ": " + opened.error().message));
  connection = std::move(*opened);
  // The engine may refuse a request before reading all of its body (a build context): its answer
  // then explains better than our broken send, so it is read either way.
  auto sent = connection->send(HttpRequest{method, target.str(), headers}, body);
  auto head = connection->read_head();
  if (!head || (!sent && head->status < 400)) {
    const common::Error& error = sent ? head.error() : sent.error();
    return common::fail(make_error(error.kind, std::string(what) + ": " + error.message));
  }
  if (head->status >= 400) {
    auto text = connection->read_body_text(*head, 1 << 20);
    return common::fail(engine_error(head->status, text ? *text : "", what));
  }
  return head;
}

common::Result<DockerClient::Reply> DockerClient::request(const std::string& method, const Target& target,
                                                          const RequestBody& body,
                                                          const std::vector<http::Header>& headers,
                                                          const CallOptions& call, std::string_view what) {
  std::unique_ptr<UnixHttpConnection> connection;
  auto head = open_stream(connection, method, target, body, headers, call, what);
  if (!head) return common::fail(std::move(head).error());
  auto text = connection->read_body_text(*head);
  if (!text) return common::fail(make_error(text.error().kind, std::string(what) + ": " + text.error().message));
  return Reply{head->status, std::move(*text)};
}

common::Status<> DockerClient::progress_request(const std::string& method, const Target& target,
                                                const RequestBody& body, const std::vector<http::Header>& headers,
                                                const CallOptions& call, std::string_view what,
                                                const ProgressFn& on_message) {
  std::unique_ptr<UnixHttpConnection> connection;
  auto head = open_stream(connection, method, target, body, headers, call, what);
  if (!head) return common::fail(std::move(head).error());
  std::string first_error;
  JsonObjectSplitter splitter([&](std::string_view text) {
    ProgressMessage message = parse_progress(text);
    if (!message.error.empty() && first_error.empty()) first_error = message.error;
    if (on_message) on_message(message);
  });
  common::Status<> framing = common::ok();
  auto read = connection->read_body(*head, [&](std::string_view bytes) {
    if (framing) framing = splitter.feed(bytes);
  });
  if (!first_error.empty()) {
    return common::fail(make_error(stream_error_kind(first_error), std::string(what) + ": " + first_error));
  }
  if (!read) return common::fail(make_error(read.error().kind, std::string(what) + ": " + read.error().message));
  if (!framing)
    return common::fail(make_error(framing.error().kind, std::string(what) + ": " + framing.error().message));
  if (!splitter.idle()) {
    return common::fail(
        make_error(ErrorKind::Unavailable, std::string(what) + ": the progress stream ended mid-message"));
  }
  return common::ok();
}

// --- the engine ----------------------------------------------------------------------------------

common::Status<> DockerClient::ping(const CallOptions& call) {
  // Unversioned, as docker's client does: it answers before any version is agreed.
  auto reply = request("GET", Target("/_ping"), {}, {}, call, "ping");
  if (!reply) return common::fail(std::move(reply).error());
  if (reply->body != "OK") {
    return common::fail(
        make_error(ErrorKind::Unavailable, "ping: unexpected answer '" + reply->body.substr(0, 80) + "'"));
  }
  return common::ok();
}

common::Result<EngineVersion> DockerClient::version(const CallOptions& call) {
  auto reply = request("GET", Target(api_path("/version")), {}, {}, call, "version");
  if (!reply) return common::fail(std::move(reply).error());
  auto parsed = parse_body(reply->body, "version");
  if (!parsed) return common::fail(std::move(parsed).error());
  return parse_version(*parsed);
}

// --- images --------------------------------------------------------------------------------------

common::Result<ImageInfo> DockerClient::inspect_image(const std::string& name, const CallOptions& call) {
  std::string what = "inspect image " + name;
  auto reply = request("GET", Target(api_path("/images/", escape_path(name), "/json")), {}, {}, call, what);
  if (!reply) return common::fail(std::move(reply).error());
  auto parsed = parse_body(reply->body, what);
  if (!parsed) return common::fail(std::move(parsed).error());
  return parse_image_inspect(*parsed);
}

common::Result<std::vector<ImageSummary>> DockerClient::list_images(const CallOptions& call) {
  auto reply = request("GET", Target(api_path("/images/json")), {}, {}, call, "list images");
  if (!reply) return common::fail(std::move(reply).error());
  auto parsed = parse_body(reply->body, "list images");
  if (!parsed) return common::fail(std::move(parsed).error());
  return parse_image_list(*parsed);
}

common::Status<> DockerClient::tag_image(const std::string& source, const std::string& repository,
                                         const std::string& tag, const CallOptions& call) {
  Target target(api_path("/images/", escape_path(source), "/tag"));
  target.query("repo", repository).query("tag", tag);
  auto reply = request("POST", target, {}, {}, call, "tag " + source + " as " + repository + ":" + tag);
  if (!reply) return common::fail(std::move(reply).error());
  return common::ok();
}

common::Status<> DockerClient::remove_image(const std::string& name, bool force, const CallOptions& call) {
  Target target(api_path("/images/", escape_path(name)));
  target.query_if(force, "force", "1");
  auto reply = request("DELETE", target, {}, {}, call, "remove image " + name);
  if (!reply) return common::fail(std::move(reply).error());
  return common::ok();
}

common::Result<PushResult> DockerClient::push_image(const std::string& repository, const std::string& tag,
                                                    const PushOptions& options, const ProgressFn& progress) {
  Target target(api_path("/images/", escape_path(repository), "/push"));
  target.query("tag", tag).query_if(!options.tls_verify, "tlsVerify", "false");
  std::vector<http::Header> headers;
  // The engine wants the header even for anonymous pushes (an empty auth).
  headers.push_back({"X-Registry-Auth", encode_registry_auth(options.auth.value_or(RegistryAuth{}))});
  PushResult result;
  auto status = progress_request("POST", target, {}, headers, options.call, "push " + repository + ":" + tag,
                                 [&](const ProgressMessage& message) {
                                   if (auto digest = parse_push_digest(message.status)) result = *digest;
                                   if (progress) progress(message);
                                 });
  if (!status) return common::fail(std::move(status).error());
  return result;
}

common::Status<> DockerClient::pull_image(const std::string& reference, const PullOptions& options,
                                          const ProgressFn& progress) {
  auto [name, tag] = split_reference(reference);
  Target target(api_path("/images/create"));
  target.query("fromImage", name).query("tag", tag);
  std::vector<http::Header> headers;
  if (!options.auths.empty()) {
    auto auths = options.auths;
    if (options.auth) auths.emplace(options.auth->server_address, *options.auth);
    headers.push_back({"X-Registry-Auth", encode_registry_config(auths)});
  } else if (options.auth) {
    headers.push_back({"X-Registry-Auth", encode_registry_auth(*options.auth)});
  }
  return progress_request("POST", target, {}, headers, options.call, "pull " + reference, progress);
}

common::Result<std::string> DockerClient::build_image(const RequestBody& context, const BuildOptions& options,
                                                      const ProgressFn& progress) {
  Target target(api_path("/build"));
  for (const auto& tag : options.tags) target.query("t", tag);
  target.query_if(!options.dockerfile.empty(), "dockerfile", options.dockerfile);
  if (!options.build_args.empty()) target.query("buildargs", nlohmann::json(options.build_args).dump());
  if (!options.labels.empty()) target.query("labels", nlohmann::json(options.labels).dump());
  target.query_if(!options.network_mode.empty(), "networkmode", options.network_mode);
  target.query_if(!options.target.empty(), "target", options.target);
  target.query_if(options.no_cache, "nocache", "1").query_if(options.pull, "pull", "1").query("rm", "1");
  std::vector<http::Header> headers;
  if (!options.registry_config.empty()) {
    headers.push_back({"X-Registry-Config", encode_registry_config(options.registry_config)});
  }
  std::string image_id;
  auto status =
      progress_request("POST", target, context, headers, options.call, "build", [&](const ProgressMessage& message) {
        if (!message.aux_id.empty()) image_id = message.aux_id;
        if (progress) progress(message);
      });
  if (!status) return common::fail(std::move(status).error());
  if (image_id.empty()) return common::fail(make_error(ErrorKind::Internal, "build: the engine named no image"));
  return image_id;
}

common::Result<std::string> DockerClient::import_image(const RequestBody& rootfs, const ImportOptions& options,
                                                       const ProgressFn& progress) {
  Target target(api_path("/images/create"));
  target.query("fromSrc", "-").query("repo", options.repository).query("tag", options.tag);
  for (const auto& change : options.changes) target.query("changes", change);
  std::string image_id;
  auto status = progress_request("POST", target, rootfs, {}, options.call, "import " + options.repository,
                                 [&](const ProgressMessage& message) {
                                   // podman: {"status":"sha256:...","id":"sha256:..."}; Docker:
                                   // {"status":"sha256:..."}.
                                   if (message.id.rfind("sha256:", 0) == 0) image_id = message.id;
                                   if (image_id.empty() && message.status.rfind("sha256:", 0) == 0) {
                                     image_id = message.status;
                                   }
                                   if (progress) progress(message);
                                 });
  if (!status) return common::fail(std::move(status).error());
  if (image_id.empty()) return common::fail(make_error(ErrorKind::Internal, "import: the engine named no image"));
  return image_id;
}

}  // namespace runtime
