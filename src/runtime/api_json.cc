#include "runtime/api_json.h"

#include <cstdlib>

namespace runtime {
namespace {

using nlohmann::json;

const json& member(const json& object, const char* key) {
  static const json kNull;
  if (!object.is_object()) return kNull;
  auto it = object.find(key);
  return it == object.end() ? kNull : *it;
}

std::string str(const json& object, const char* key) {
  const json& v = member(object, key);
  return v.is_string() ? v.get<std::string>() : "";
}

int64_t num(const json& object, const char* key) {
  const json& v = member(object, key);
  return v.is_number() ? v.get<int64_t>() : 0;
}

bool flag(const json& object, const char* key) {
  const json& v = member(object, key);
  return v.is_boolean() && v.get<bool>();
}

std::vector<std::string> strings(const json& object, const char* key) {
  std::vector<std::string> out;
  const json& v = member(object, key);
  if (!v.is_array()) return out;
  for (const auto& item : v) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

std::map<std::string, std::string> string_map(const json& object, const char* key) {
  std::map<std::string, std::string> out;
  const json& v = member(object, key);
  if (!v.is_object()) return out;
  for (const auto& [k, item] : v.items()) {
    if (item.is_string()) out[k] = item.get<std::string>();
  }
  return out;
}

// Docker's zero time ("0001-01-01T00:00:00Z") means "never".
std::optional<common::TimePoint> time_member(const json& object, const char* key) {
  std::string text = str(object, key);
  if (text.empty() || text.rfind("0001-01-01", 0) == 0) return std::nullopt;
  return common::parse_timestamp(text);
}

// "8080/tcp" -> (8080, "tcp").
std::pair<int, std::string> split_port(const std::string& key) {
  size_t slash = key.find('/');
  int port = std::atoi(key.substr(0, slash).c_str());
  return {port, slash == std::string::npos ? "tcp" : key.substr(slash + 1)};
}

std::vector<PublishedPort> inspect_ports(const json& ports) {
  std::vector<PublishedPort> out;
  if (!ports.is_object()) return out;
  for (const auto& [key, bindings] : ports.items()) {
    auto [port, protocol] = split_port(key);
    if (!bindings.is_array()) continue;
    for (const auto& b : bindings) {
      out.push_back({port, protocol, str(b, "HostIp"), std::atoi(str(b, "HostPort").c_str())});
    }
  }
  return out;
}

std::string port_key(const PortBinding& p) { return std::to_string(p.container_port) + "/" + p.protocol; }

}  // namespace

json container_create_body(const ContainerSpec& spec) {
  json body = {{"Image", spec.image}, {"Tty", spec.tty}, {"OpenStdin", false}, {"AttachStdin", false}};
  if (!spec.cmd.empty()) body["Cmd"] = spec.cmd;
  if (spec.entrypoint) body["Entrypoint"] = *spec.entrypoint;
  if (!spec.env.empty()) {
    json env = json::array();
    for (const auto& [name, value] : spec.env) env.push_back(name + "=" + value);
    body["Env"] = env;
  }
  body["Labels"] = spec.labels;
  if (!spec.working_dir.empty()) body["WorkingDir"] = spec.working_dir;
  if (!spec.user.empty()) body["User"] = spec.user;
  if (!spec.hostname.empty()) body["Hostname"] = spec.hostname;
  if (!spec.stop_signal.empty()) body["StopSignal"] = spec.stop_signal;

  json host = {{"AutoRemove", false}, {"Privileged", spec.privileged}};
  if (spec.init) host["Init"] = true;
  if (!spec.network_mode.empty()) host["NetworkMode"] = spec.network_mode;
  if (!spec.mounts.empty()) {
    json binds = json::array();
    for (const auto& m : spec.mounts) binds.push_back(m.source + ":" + m.target + (m.read_only ? ":ro" : ""));
    host["Binds"] = binds;
  }
  if (!spec.ports.empty()) {
    json exposed = json::object();
    json bindings = json::object();
    for (const auto& p : spec.ports) {
      exposed[port_key(p)] = json::object();
      bindings[port_key(p)].push_back(
          {{"HostIp", p.host_ip}, {"HostPort", p.host_port > 0 ? std::to_string(p.host_port) : ""}});
    }
    body["ExposedPorts"] = exposed;
    host["PortBindings"] = bindings;
  }
  if (!spec.extra_hosts.empty()) {
    json hosts = json::array();
    for (const auto& [name, ip] : spec.extra_hosts) hosts.push_back(name + ":" + ip);
    host["ExtraHosts"] = hosts;
  }
  if (spec.memory_bytes > 0) host["Memory"] = spec.memory_bytes;
  if (spec.nano_cpus > 0) host["NanoCpus"] = spec.nano_cpus;
  body["HostConfig"] = host;
  return body;
}

ContainerInfo parse_container_inspect(const json& body) {
  ContainerInfo info;
  info.id = str(body, "Id");
  info.name = str(body, "Name");
  if (!info.name.empty() && info.name.front() == '/') info.name.erase(0, 1);
  info.image_id = str(body, "Image");
  const json& config = member(body, "Config");
  info.image = str(config, "Image");
  info.labels = string_map(config, "Labels");
  info.tty = flag(config, "Tty");
  const json& state = member(body, "State");
  info.state.status = str(state, "Status");
  info.state.running = flag(state, "Running");
  info.state.exit_code = static_cast<int>(num(state, "ExitCode"));
  info.state.pid = static_cast<int>(num(state, "Pid"));
  info.state.oom_killed = flag(state, "OOMKilled");
  info.state.error = str(state, "Error");
  info.state.started_at = time_member(state, "StartedAt");
  info.state.finished_at = time_member(state, "FinishedAt");
  info.network_mode = str(member(body, "HostConfig"), "NetworkMode");
  const json& network = member(body, "NetworkSettings");
  info.ip_address = str(network, "IPAddress");
  const json& networks = member(network, "Networks");
  if (networks.is_object()) {
    for (const auto& [name, settings] : networks.items()) {
      info.networks[name] = str(settings, "IPAddress");
      if (info.ip_address.empty()) info.ip_address = str(settings, "IPAddress");
    }
  }
  info.ports = inspect_ports(member(network, "Ports"));
  return info;
}

std::vector<ContainerSummary> parse_container_list(const json& body) {
  std::vector<ContainerSummary> out;
  if (!body.is_array()) return out;
  for (const auto& c : body) {
    ContainerSummary s;
    s.id = str(c, "Id");
    auto names = strings(c, "Names");
    if (!names.empty()) s.name = names.front().rfind('/', 0) == 0 ? names.front().substr(1) : names.front();
    s.image = str(c, "Image");
    s.state = str(c, "State");
    s.status = str(c, "Status");
    s.labels = string_map(c, "Labels");
    s.created = num(c, "Created");
    const json& ports = member(c, "Ports");
    if (ports.is_array()) {
      for (const auto& p : ports) {
        s.ports.push_back({static_cast<int>(num(p, "PrivatePort")), str(p, "Type"), str(p, "IP"),
                           static_cast<int>(num(p, "PublicPort"))});
      }
    }
    out.push_back(std::move(s));
  }
  return out;
}

WaitResult parse_wait(const json& body) {
  WaitResult result;
  result.exit_code = static_cast<int>(num(body, "StatusCode"));
  const json& error = member(body, "Error");
  if (error.is_object()) result.error = str(error, "Message");
  return result;
}

ImageInfo parse_image_inspect(const json& body) {
  ImageInfo info;
  info.id = str(body, "Id");
  info.repo_tags = strings(body, "RepoTags");
  info.repo_digests = strings(body, "RepoDigests");
  info.size = num(body, "Size");
  info.created = str(body, "Created");
  info.os = str(body, "Os");
  info.architecture = str(body, "Architecture");
  const json& config = member(body, "Config");
  info.env = strings(config, "Env");
  info.cmd = strings(config, "Cmd");
  info.entrypoint = strings(config, "Entrypoint");
  info.working_dir = str(config, "WorkingDir");
  info.user = str(config, "User");
  info.labels = string_map(config, "Labels");
  return info;
}

std::vector<ImageSummary> parse_image_list(const json& body) {
  std::vector<ImageSummary> out;
  if (!body.is_array()) return out;
  for (const auto& i : body) {
    out.push_back({str(i, "Id"), strings(i, "RepoTags"), strings(i, "RepoDigests"), num(i, "Size"), num(i, "Created"),
                   string_map(i, "Labels")});
  }
  return out;
}

EngineVersion parse_version(const json& body) {
  EngineVersion v;
  v.version = str(body, "Version");
  v.api_version = str(body, "ApiVersion");
  v.min_api_version = str(body, "MinAPIVersion");
  v.os = str(body, "Os");
  v.arch = str(body, "Arch");
  const json& components = member(body, "Components");
  if (components.is_array()) {
    for (const auto& c : components) {
      if (str(c, "Name") == "Podman Engine") v.podman = true;
    }
  }
  return v;
}

common::Result<json> parse_body(const std::string& body, std::string_view what) {
  json parsed = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return common::fail(common::make_error(
        common::ErrorKind::Unavailable,
        std::string(what) + ": the container engine answered with malformed JSON: " + body.substr(0, 200)));
  }
  return parsed;
}

std::string label_filter(const std::vector<std::string>& labels) { return json{{"label", labels}}.dump(); }

std::string error_message(const std::string& body) {
  json parsed = json::parse(body, nullptr, /*allow_exceptions=*/false);
  std::string message = str(parsed, "message");
  if (!message.empty()) return message;
  std::string text = body.substr(0, 1000);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

std::string error_cause(const std::string& body) {
  return str(json::parse(body, nullptr, /*allow_exceptions=*/false), "cause");
}

}  // namespace runtime
