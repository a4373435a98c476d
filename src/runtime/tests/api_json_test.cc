#include "runtime/api_json.h"

#include <gtest/gtest.h>

#include "runtime/docker_client.h"

namespace runtime {
namespace {

using nlohmann::json;

TEST(ApiJson, MinimalCreateBody) {
  ContainerSpec spec;
  spec.image = "localhost/busybox:latest";
  json body = container_create_body(spec);
  EXPECT_EQ(body["Image"], "localhost/busybox:latest");
  EXPECT_FALSE(body.contains("Cmd"));         // the image's CMD
  EXPECT_FALSE(body.contains("Entrypoint"));  // the image's ENTRYPOINT
  EXPECT_EQ(body["Tty"], false);
  EXPECT_EQ(body["HostConfig"]["AutoRemove"], false);
  EXPECT_EQ(body["HostConfig"]["Privileged"], false);
  EXPECT_FALSE(body["HostConfig"].contains("NetworkMode"));
  EXPECT_TRUE(body["Labels"].is_object());
}

TEST(ApiJson, FullCreateBody) {
  ContainerSpec spec;
  spec.image = "aws/codebuild/standard:7.0";
  spec.cmd = {"sh", "-c", "echo hi"};
  spec.entrypoint = std::vector<std::string>{};
  spec.env = {{"A", "1"}, {"B", "x=y"}};
  spec.labels = {{"hakobu.owner", "build:b1"}};
  spec.mounts = {{"/data/src", "/codebuild/output/src", false},
                 {"/run/podman/podman.sock", "/var/run/docker.sock", true}};
  spec.working_dir = "/codebuild/output/src";
  spec.user = "1000:1000";
  spec.network_mode = "host";
  spec.ports = {{8080, "tcp", "127.0.0.1", 0}, {53, "udp", "127.0.0.1", 5353}};
  spec.privileged = true;
  spec.extra_hosts = {{"host.hakobu.internal", "10.88.0.1"}};
  spec.memory_bytes = 64 << 20;
  spec.nano_cpus = 500'000'000;
  spec.init = true;
  spec.stop_signal = "SIGINT";
  json body = container_create_body(spec);
  EXPECT_EQ(body["Cmd"], json({"sh", "-c", "echo hi"}));
  EXPECT_EQ(body["Entrypoint"], json::array());
  EXPECT_EQ(body["Env"], json({"A=1", "B=x=y"}));
  EXPECT_EQ(body["Labels"]["hakobu.owner"], "build:b1");
  EXPECT_EQ(body["WorkingDir"], "/codebuild/output/src");
  EXPECT_EQ(body["User"], "1000:1000");
  EXPECT_EQ(body["StopSignal"], "SIGINT");
  EXPECT_EQ(body["ExposedPorts"], json({{"8080/tcp", json::object()}, {"53/udp", json::object()}}));
  const json& host = body["HostConfig"];
  EXPECT_EQ(host["Binds"],
            json({"/data/src:/codebuild/output/src", "/run/podman/podman.sock:/var/run/docker.sock:ro"}));
  EXPECT_EQ(host["NetworkMode"], "host");
  EXPECT_EQ(host["PortBindings"]["8080/tcp"], json::parse(R"([{"HostIp":"127.0.0.1","HostPort":""}])"));
  EXPECT_EQ(host["PortBindings"]["53/udp"], json::parse(R"([{"HostIp":"127.0.0.1","HostPort":"5353"}])"));
  EXPECT_EQ(host["Privileged"], true);
  EXPECT_EQ(host["ExtraHosts"], json({"host.hakobu.internal:10.88.0.1"}));
  EXPECT_EQ(host["Memory"], 64 << 20);
  EXPECT_EQ(host["NanoCpus"], 500'000'000);
  EXPECT_EQ(host["Init"], true);
  EXPECT_EQ(host["AutoRemove"], false);
}

// Captured from podman 4.3.1 (trimmed): a running container with a published port.
constexpr const char* kInspect = R"({"Id": "8195ea6052", "Created": "2026-11-28T16:44:13.891870839Z", "Path": "sleep",
 "State": {"Status": "running", "Running": true, "Paused": false, "OOMKilled": false, "Dead": false, "Pid": 27536,
  "ExitCode": 0, "Error": "", "StartedAt": "2026-11-28T16:44:14.189305525Z", "FinishedAt": "0001-01-01T00:00:00Z"},
 "Image": "sha256:13e63d7a72", "Name": "/t5",
 "Config": {"Image": "localhost/busybox:latest", "Labels": {"hakobu.owner": "task:arn:aws:ecs:x"}, "Tty": false},
 "HostConfig": {"NetworkMode": "bridge", "Privileged": false},
 "NetworkSettings": {"IPAddress": "10.88.0.19", "Ports": {"8080/tcp": [{"HostIp": "127.0.0.1", "HostPort": "41211"}],
  "9090/tcp": null},
  "Networks": {"podman": {"NetworkID": "podman", "Gateway": "10.88.0.1", "IPAddress": "10.88.0.19"}}}})";

TEST(ApiJson, ParsesContainerInspect) {
  ContainerInfo info = parse_container_inspect(json::parse(kInspect));
  EXPECT_EQ(info.id, "8195ea6052");
  EXPECT_EQ(info.name, "t5");
  EXPECT_EQ(info.image, "localhost/busybox:latest");
  EXPECT_EQ(info.image_id, "sha256:13e63d7a72");
  EXPECT_EQ(info.labels.at("hakobu.owner"), "task:arn:aws:ecs:x");
  EXPECT_EQ(info.state.status, "running");
  EXPECT_TRUE(info.state.running);
  EXPECT_EQ(info.state.pid, 27536);
  ASSERT_TRUE(info.state.started_at);
  EXPECT_EQ(common::format_iso8601(*info.state.started_at, true), "2026-11-28T16:44:14.189Z");
  EXPECT_FALSE(info.state.finished_at);  // Docker's zero time
  EXPECT_EQ(info.ip_address, "10.88.0.19");
  EXPECT_EQ(info.networks.at("podman"), "10.88.0.19");
  EXPECT_EQ(info.network_mode, "bridge");
  ASSERT_EQ(info.ports.size(), 1u);
  EXPECT_EQ(info.ports[0].container_port, 8080);
  EXPECT_EQ(info.ports[0].protocol, "tcp");
  EXPECT_EQ(info.ports[0].host_ip, "127.0.0.1");
  EXPECT_EQ(info.ports[0].host_port, 41211);
}

TEST(ApiJson, ParsesExitedStateAndNetworkIpFallback) {
  json body = json::parse(R"({"Id":"x","State":{"Status":"exited","ExitCode":137,"OOMKilled":false,
    "StartedAt":"2026-11-28T16:33:31.861805099Z","FinishedAt":"2026-11-28T16:33:33.708579152Z"},
    "NetworkSettings":{"IPAddress":"","Networks":{"mynet":{"IPAddress":"10.89.0.5"}}}})");
  ContainerInfo info = parse_container_inspect(body);
  EXPECT_EQ(info.state.exit_code, 137);
  EXPECT_FALSE(info.state.running);
  ASSERT_TRUE(info.state.finished_at);
  EXPECT_GT(*info.state.finished_at, *info.state.started_at);
  EXPECT_EQ(info.ip_address, "10.89.0.5");
  EXPECT_TRUE(info.ports.empty());
}

TEST(ApiJson, ParsesContainerList) {
  auto list = parse_container_list(json::parse(R"([{"Id":"7bde","Names":["/t1"],"Image":"localhost/busybox:latest",
    "Created":1795883596,"Ports":[],"Labels":{"hakobu.owner":"build:x"},"State":"exited","Status":"Exited (3) 10 minutes ago"},
    {"Id":"8195","Names":["/t5"],"Created":1795884253,"Labels":null,
     "Ports":[{"IP":"127.0.0.1","PrivatePort":8080,"PublicPort":41211,"Type":"tcp"}],"State":"running"}])"));
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].name, "t1");
  EXPECT_EQ(list[0].labels.at("hakobu.owner"), "build:x");
  EXPECT_EQ(list[0].state, "exited");
  EXPECT_EQ(list[0].created, 1795883596);
  EXPECT_TRUE(list[1].labels.empty());
  ASSERT_EQ(list[1].ports.size(), 1u);
  EXPECT_EQ(list[1].ports[0].host_port, 41211);
  EXPECT_TRUE(parse_container_list(json::object()).empty());
}

TEST(ApiJson, ParsesWaitVersionAndImages) {
  EXPECT_EQ(parse_wait(json::parse(R"({"StatusCode":3,"Error":null})")).exit_code, 3);
  EXPECT_EQ(parse_wait(json::parse(R"({"StatusCode":-1,"Error":{"Message":"gone"}})")).error, "gone");
  EngineVersion v = parse_version(json::parse(
      R"({"Components":[{"Name":"Podman Engine","Version":"4.3.1"}],"Version":"4.3.1","ApiVersion":"1.41","MinAPIVersion":"1.24","Os":"linux","Arch":"amd64"})"));
  EXPECT_TRUE(v.podman);
  EXPECT_EQ(v.api_version, "1.41");
  EXPECT_EQ(v.min_api_version, "1.24");
  ImageInfo image = parse_image_inspect(json::parse(
      R"({"Id":"sha256:13e6","RepoTags":["localhost/busybox:latest"],"Size":2131052,"Os":"linux",
          "Config":{"Env":["PATH=/bin"],"Cmd":["/bin/sh"],"Entrypoint":null,"Labels":null}})"));
  EXPECT_EQ(image.id, "sha256:13e6");
  EXPECT_EQ(image.repo_tags, std::vector<std::string>{"localhost/busybox:latest"});
  EXPECT_EQ(image.cmd, std::vector<std::string>{"/bin/sh"});
  EXPECT_TRUE(image.entrypoint.empty());
  auto images = parse_image_list(json::parse(R"([{"Id":"sha256:1","RepoTags":["a:b"],"Created":5,"Size":7}])"));
  ASSERT_EQ(images.size(), 1u);
  EXPECT_EQ(images[0].size, 7);
}

TEST(ApiJson, LabelFilterAndErrorBodies) {
  EXPECT_EQ(label_filter({"hakobu.instance=abc", "hakobu.owner"}),
            R"({"label":["hakobu.instance=abc","hakobu.owner"]})");
  std::string body =
      R"({"cause":"no such container","message":"no container with name or ID \"x\" found: no such container","response":404})";
  EXPECT_EQ(error_message(body), "no container with name or ID \"x\" found: no such container");
  EXPECT_EQ(error_cause(body), "no such container");
  EXPECT_EQ(error_message("plain text\n"), "plain text");
  EXPECT_TRUE(parse_body("{", "x").error().message.find("malformed JSON") != std::string::npos);
}

TEST(EngineErrors, MapStatusesToKinds) {
  using common::ErrorKind;
  auto error = engine_error(404, R"({"message":"no such image: x"})", "create container");
  EXPECT_EQ(error.kind, ErrorKind::NotFound);
  EXPECT_EQ(error.message, "create container: no such image: x");
  EXPECT_EQ(engine_error(409, "{}", "x").kind, ErrorKind::Conflict);
  EXPECT_EQ(
      engine_error(500, R"({"cause":"container state improper","message":"can only kill running containers"})", "kill")
          .kind,
      ErrorKind::Conflict);  // Docker answers 409 here
  EXPECT_EQ(engine_error(500, R"({"cause":"that name is already in use","message":"x"})", "create").kind,
            ErrorKind::Conflict);
  EXPECT_EQ(engine_error(500, R"({"cause":"OCI runtime error","message":"x"})", "start").kind, ErrorKind::Internal);
  EXPECT_EQ(engine_error(400, "{}", "x").kind, ErrorKind::InvalidArgument);
  EXPECT_EQ(engine_error(401, "{}", "x").kind, ErrorKind::PermissionDenied);
  EXPECT_EQ(engine_error(503, "{}", "x").kind, ErrorKind::Unavailable);
  EXPECT_EQ(stream_error_kind("unauthorized: authentication required"), ErrorKind::PermissionDenied);
  EXPECT_EQ(stream_error_kind("reading manifest v1 in 127.0.0.1:5077/nope: manifest unknown"), ErrorKind::NotFound);
  EXPECT_EQ(stream_error_kind("connection refused"), ErrorKind::Internal);
}

TEST(EngineErrors, PushDigestAndReferences) {
  auto pushed = parse_push_digest("v1: digest: sha256:941acf9d size: 343");
  ASSERT_TRUE(pushed);
  EXPECT_EQ(pushed->digest, "sha256:941acf9d");
  EXPECT_EQ(pushed->size, 343);
  EXPECT_FALSE(parse_push_digest("Pushing"));
  EXPECT_EQ(split_reference("127.0.0.1:5000/x:v1"), std::make_pair(std::string("127.0.0.1:5000/x"), std::string("v1")));
  EXPECT_EQ(split_reference("127.0.0.1:5000/x"),
            std::make_pair(std::string("127.0.0.1:5000/x"), std::string("latest")));
  EXPECT_EQ(split_reference("x@sha256:ab"), std::make_pair(std::string("x"), std::string("sha256:ab")));
  EXPECT_EQ(api_path("/containers/", "abc", "/start"), "/v1.41/containers/abc/start");
}

}  // namespace
}  // namespace runtime
