// DockerClient: the container calls.
#include <fmt/format.h>

#include "runtime/api_json.h"
#include "runtime/docker_client.h"

namespace runtime {
namespace {

using common::ErrorKind;
using common::make_error;

std::string container_path(const std::string& id, std::string_view suffix = "") {
  return api_path("/containers/", escape_path(id), suffix);
}

// A call whose own duration includes a wait of `extra` on the engine's side.
CallOptions extended(const CallOptions& call, Millis extra) { return CallOptions{call.timeout + extra, call.cancel}; }

}  // namespace

common::Result<std::string> DockerClient::create_container(const ContainerSpec& spec, const CallOptions& call) {
  Target target(api_path("/containers/create"));
  target.query_if(!spec.name.empty(), "name", spec.name);
  std::string what = "create container" + (spec.name.empty() ? "" : " " + spec.name) + " from " + spec.image;
  auto reply = request("POST", target, RequestBody::json(container_create_body(spec).dump()), {}, call, what);
  if (!reply) return common::fail(std::move(reply).error());
  auto parsed = parse_body(reply->body, what);
  if (!parsed) return common::fail(std::move(parsed).error());
  auto id = parsed->find("Id");
  if (id == parsed->end() || !id->is_string()) {
    return common::fail(make_error(ErrorKind::Unavailable, what + ": the engine's answer has no Id"));
  }
  return id->get<std::string>();
}

common::Status<> DockerClient::start_container(const std::string& id, const CallOptions& call) {
  // 304: already running.
  auto reply = request("POST", Target(container_path(id, "/start")), {}, {}, call, "start container " + id);
  if (!reply) return common::fail(std::move(reply).error());
  return common::ok();
}

common::Result<WaitResult> DockerClient::wait_container(const std::string& id, const CallOptions& call) {
  Target target(container_path(id, "/wait"));
  target.query("condition", "not-running");
  std::string what = "wait for container " + id;
  auto reply = request("POST", target, {}, {}, call, what);
  if (!reply) return common::fail(std::move(reply).error());
  auto parsed = parse_body(reply->body, what);
  if (!parsed) return common::fail(std::move(parsed).error());
  return parse_wait(*parsed);
}

common::Status<> DockerClient::container_logs(const std::string& id, const LogsOptions& options,
                                              const OutputFn& output) {
  Target target(container_path(id, "/logs"));
  target.query("stdout", options.include_stdout ? "1" : "0").query("stderr", options.include_stderr ? "1" : "0");
  target.query_if(options.follow, "follow", "1").query_if(options.timestamps, "timestamps", "1");
  if (options.since) {
    // "seconds.nanoseconds", as Docker's and podman's parsers both read it.
    auto nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(options.since->time_since_epoch()).count();
    target.query("since", fmt::format("{}.{:09d}", nanos / 1'000'000'000, nanos % 1'000'000'000));
  }
  if (options.tail >= 0) target.query("tail", std::to_string(options.tail));
  std::string what = "logs of container " + id;
  std::unique_ptr<UnixHttpConnection> connection;
  auto head = open_stream(connection, "GET", target, {}, {}, options.call, what);
  if (!head) return common::fail(std::move(head).error());
  FrameDemuxer demuxer(output, options.tty);
  common::Status<> framing = common::ok();
  auto read = connection->read_body(*head, [&](std::string_view bytes) {
    if (framing) framing = demuxer.feed(bytes);
  });
  if (!read) return common::fail(make_error(read.error().kind, what + ": " + read.error().message));
  if (!framing) return common::fail(make_error(framing.error().kind, what + ": " + framing.error().message));
  return common::ok();
}

common::Status<> DockerClient::stop_container(const std::string& id, int grace_seconds, const CallOptions& call) {
  Target target(container_path(id, "/stop"));
  target.query("t", std::to_string(std::max(grace_seconds, 0)));
  // 304: already stopped.
  auto reply = request("POST", target, {}, {}, extended(call, Millis(std::max(grace_seconds, 0) * 1000)),
                       "stop container " + id);
  if (!reply) return common::fail(std::move(reply).error());
  return common::ok();
}

common::Status<> DockerClient::kill_container(const std::string& id, const std::string& signal,
                                              const CallOptions& call) {
  Target target(container_path(id, "/kill"));
  target.query("signal", signal);
  auto reply = request("POST", target, {}, {}, call, "kill container " + id);
  if (!reply) return common::fail(std::move(reply).error());
  return common::ok();
}

common::Status<> DockerClient::remove_container(const std::string& id, bool force, const CallOptions& call) {
  Target target(container_path(id));
  target.query_if(force, "force", "1").query("v", "1");
  auto reply = request("DELETE", target, {}, {}, call, "remove container " + id);
  if (!reply) return common::fail(std::move(reply).error());
  return common::ok();
}

common::Result<ContainerInfo> DockerClient::inspect_container(const std::string& id, const CallOptions& call) {
  std::string what = "inspect container " + id;
  auto reply = request("GET", Target(container_path(id, "/json")), {}, {}, call, what);
  if (!reply) return common::fail(std::move(reply).error());
  auto parsed = parse_body(reply->body, what);
  if (!parsed) return common::fail(std::move(parsed).error());
  return parse_container_inspect(*parsed);
}

common::Result<std::vector<ContainerSummary>> DockerClient::list_containers(const ContainerFilter& filter,
                                                                            const CallOptions& call) {
  Target target(api_path("/containers/json"));
  target.query_if(filter.all, "all", "1");
  if (!filter.labels.empty()) target.query("filters", label_filter(filter.labels));
  auto reply = request("GET", target, {}, {}, call, "list containers");
  if (!reply) return common::fail(std::move(reply).error());
  auto parsed = parse_body(reply->body, "list containers");
  if (!parsed) return common::fail(std::move(parsed).error());
  return parse_container_list(*parsed);
}

}  // namespace runtime
