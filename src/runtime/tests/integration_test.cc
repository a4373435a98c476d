// RuntimeIntegration.*: DockerClient and EngineSupervisor against a real podman (a private
// service with its own storage; see integration_env.h). Select them with
// --gtest_filter='RuntimeIntegration.*', leave them out with --gtest_filter='-RuntimeIntegration.*'.
// They fail, not skip, when podman is missing.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <thread>

#include "common/ids.h"
#include "runtime/owner.h"
#include "runtime/tests/integration_env.h"

namespace runtime {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using testing::IntegrationEnv;
using testing::kBusybox;

struct Output {
  std::string out;
  std::string err;
  std::vector<std::pair<char, std::string>> pieces;  // ('o'|'e', bytes) in arrival order
  std::vector<Clock::time_point> times;
  OutputFn sink() {
    return [this](LogStream stream, std::string_view bytes) {
      char which = stream == LogStream::Stderr ? 'e' : 'o';
      (which == 'e' ? err : out).append(bytes);
      pieces.emplace_back(which, std::string(bytes));
      times.push_back(Clock::now());
    };
  }
};

double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

class RuntimeIntegration : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    env_ = new IntegrationEnv;
    setup_error_ = env_->setup();
  }
  static void TearDownTestSuite() {
    env_->teardown();
    delete env_;
    env_ = nullptr;
  }
  void SetUp() override { ASSERT_EQ(setup_error_, "") << "runtime integration environment"; }
  void TearDown() override {
    for (const auto& id : created_) (void)client().remove_container(id, true, with_timeout(60s));
  }

  static DockerClient& client() { return env_->client(); }

  static ContainerSpec busybox(std::vector<std::string> cmd) {
    ContainerSpec spec;
    spec.image = kBusybox;
    spec.cmd = std::move(cmd);
    spec.network_mode = "none";  // 0.3 s faster per container than the bridge (machine.md §6)
    return spec;
  }
  std::string create(const ContainerSpec& spec) {
    auto id = client().create_container(spec, {});
    EXPECT_TRUE(id) << id.error().message;
    if (!id) return "";
    created_.push_back(*id);
    return *id;
  }
  std::string run(const ContainerSpec& spec) {
    std::string id = create(spec);
    auto started = client().start_container(id, {});
    EXPECT_TRUE(started) << started.error().message;
    return id;
  }
  Output logs(const std::string& id, bool follow) {
    Output output;
    LogsOptions options;
    options.follow = follow;
    options.call.timeout = 30s;
    auto status = client().container_logs(id, options, output.sink());
    EXPECT_TRUE(status) << status.error().message;
    return output;
  }
  // Follows until `text` shows up on stdout.
  void wait_for_output(const std::string& id, const std::string& text) {
    std::atomic<bool> seen{false};
    std::string out;
    LogsOptions options;
    options.follow = true;
    options.call = with_timeout(20s, &seen);
    auto status = client().container_logs(id, options, [&](LogStream, std::string_view bytes) {
      out.append(bytes);
      if (out.find(text) != std::string::npos) seen = true;
    });
    ASSERT_TRUE(seen.load()) << "no '" << text << "' in " << out << (status ? "" : ": " + status.error().message);
  }

  static IntegrationEnv* env_;
  static std::string setup_error_;
  std::vector<std::string> created_;
};

IntegrationEnv* RuntimeIntegration::env_ = nullptr;
std::string RuntimeIntegration::setup_error_;

TEST_F(RuntimeIntegration, EngineAnswersAndTheImportedImageIsThere) {
  std::cout << "[ info ] podman service: first /_ping answered " << env_->first_start_latency().count()
            << " ms after spawning\n";
  ASSERT_TRUE(client().ping({}));
  auto version = client().version({});
  ASSERT_TRUE(version) << version.error().message;
  EXPECT_TRUE(version->podman);
  EXPECT_EQ(version->api_version, "1.41");
  auto image = client().inspect_image(kBusybox, {});
  ASSERT_TRUE(image) << image.error().message;
  EXPECT_EQ(image->cmd, std::vector<std::string>{"/bin/sh"});
  EXPECT_NE(std::find(image->env.begin(), image->env.end(), "PATH=/bin:/usr/bin:/sbin:/usr/sbin"), image->env.end());
  auto images = client().list_images({});
  ASSERT_TRUE(images);
  bool listed = false;
  for (const auto& i : *images) listed |= i.id == image->id;
  EXPECT_TRUE(listed);
  auto missing = client().inspect_image("localhost/no-such-image:latest", {});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, common::ErrorKind::NotFound);
}

TEST_F(RuntimeIntegration, ContainerLifecycle) {
  ContainerSpec spec = busybox({"sh", "-c", "echo \"hello $GREETING from $(pwd) as $(id -u)\"; echo oops >&2; exit 3"});
  spec.name = "hakobu-rt-" + common::random_hex(8);
  spec.env = {{"GREETING", "hi"}};
  spec.working_dir = "/tmp";
  spec.user = "65534";
  spec.labels = {{"test", "lifecycle"}};
  std::string id = create(spec);
  auto created = client().inspect_container(spec.name, {});
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_EQ(created->id, id);
  EXPECT_EQ(created->name, spec.name);
  EXPECT_EQ(created->state.status, "created");
  EXPECT_EQ(created->labels.at("test"), "lifecycle");
  EXPECT_FALSE(created->state.started_at);

  ASSERT_TRUE(client().start_container(id, {}));
  Output followed = logs(id, /*follow=*/true);  // ends when the container exits
  EXPECT_EQ(followed.out, "hello hi from /tmp as 65534\n");
  EXPECT_EQ(followed.err, "oops\n");
  auto waited = client().wait_container(id, with_timeout(30s));
  ASSERT_TRUE(waited) << waited.error().message;
  EXPECT_EQ(waited->exit_code, 3);

  auto exited = client().inspect_container(id, {});
  ASSERT_TRUE(exited);
  EXPECT_EQ(exited->state.status, "exited");
  EXPECT_FALSE(exited->state.running);
  EXPECT_EQ(exited->state.exit_code, 3);
  ASSERT_TRUE(exited->state.started_at);
  ASSERT_TRUE(exited->state.finished_at);
  // podman may record StartedAt after a quick container has already finished (seen: 14 ms).
  EXPECT_GE(*exited->state.finished_at, *exited->state.started_at - 1s);
  Output again = logs(id, /*follow=*/false);
  EXPECT_EQ(again.out, followed.out);
  EXPECT_EQ(again.err, followed.err);

  ASSERT_TRUE(client().remove_container(id, /*force=*/false, {}));
  auto gone = client().inspect_container(id, {});
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().kind, common::ErrorKind::NotFound);
  auto twice = client().remove_container(id, false, {});
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().kind, common::ErrorKind::NotFound);
}

TEST_F(RuntimeIntegration, LogsFollowStreamsInterleavedOutputAsItHappens) {
  std::string id = run(busybox(
      {"sh", "-c", "for i in 1 2 3 4; do echo out$i; sleep 0.15; echo err$i >&2; sleep 0.15; done; printf tail"}));
  auto start = Clock::now();
  Output output = logs(id, /*follow=*/true);
  auto end = Clock::now();
  EXPECT_EQ(output.out, "out1\nout2\nout3\nout4\ntail");  // the last, unterminated line too
  EXPECT_EQ(output.err, "err1\nerr2\nerr3\nerr4\n");
  std::string order;
  for (const auto& [stream, bytes] : output.pieces) {
    for (char c : bytes) {
      if (c == '\n') order += stream;
    }
  }
  EXPECT_EQ(order, "oeoeoeoe");
  ASSERT_FALSE(output.times.empty());
  // Live: the first line arrived long before the container ended (it runs ~1.2 s).
  EXPECT_LT(seconds(output.times.front() - start), seconds(end - start) - 0.6)
      << "first output after " << seconds(output.times.front() - start) << " s of " << seconds(end - start);
  auto waited = client().wait_container(id, with_timeout(30s));
  ASSERT_TRUE(waited);
  EXPECT_EQ(waited->exit_code, 0);
}

TEST_F(RuntimeIntegration, StopKillsAContainerThatIgnoresTermAfterTheTimeout) {
  std::string id = run(busybox({"sh", "-c", "trap '' TERM; echo ready; while true; do sleep 0.1; done"}));
  wait_for_output(id, "ready");
  auto start = Clock::now();
  auto stopped = client().stop_container(id, 1, {});
  double took = seconds(Clock::now() - start);
  ASSERT_TRUE(stopped) << stopped.error().message;
  EXPECT_GE(took, 0.9);
  EXPECT_LT(took, 15.0);
  auto waited = client().wait_container(id, with_timeout(30s));
  ASSERT_TRUE(waited);
  EXPECT_EQ(waited->exit_code, 137);
  auto info = client().inspect_container(id, {});
  ASSERT_TRUE(info);
  EXPECT_EQ(info->state.exit_code, 137);
  EXPECT_TRUE(client().stop_container(id, 1, {}));  // already stopped: fine
  auto kill = client().kill_container(id, "KILL", {});
  ASSERT_FALSE(kill);
  EXPECT_EQ(kill.error().kind, common::ErrorKind::Conflict);
}

TEST_F(RuntimeIntegration, WaitIsBoundedAndCancellableAndInitForwardsTerm) {
  ContainerSpec spec = busybox({"sleep", "60"});
  spec.init = true;
  std::string id = run(spec);
  auto bounded = client().wait_container(id, with_timeout(300ms));
  ASSERT_FALSE(bounded);
  EXPECT_EQ(bounded.error().kind, common::ErrorKind::Unavailable);
  std::atomic<bool> cancel{false};
  std::thread canceller([&] {
    std::this_thread::sleep_for(200ms);
    cancel = true;
  });
  auto start = Clock::now();
  auto cancelled = client().wait_container(id, with_timeout(60s, &cancel));
  canceller.join();
  ASSERT_FALSE(cancelled);
  EXPECT_NE(cancelled.error().message.find("cancelled"), std::string::npos);
  EXPECT_LT(seconds(Clock::now() - start), 2.0);
  auto info = client().inspect_container(id, {});
  ASSERT_TRUE(info);
  EXPECT_TRUE(info->state.running);  // waiting less never touched the container

  start = Clock::now();
  ASSERT_TRUE(client().stop_container(id, 10, {}));
  EXPECT_LT(seconds(Clock::now() - start), 5.0);  // catatonit passed TERM on; no 10 s wait
  auto waited = client().wait_container(id, with_timeout(30s));
  ASSERT_TRUE(waited);
  EXPECT_EQ(waited->exit_code, 143);
}

TEST_F(RuntimeIntegration, ErrorsComeBackAsValues) {
  ContainerSpec spec = busybox({"sleep", "60"});
  spec.name = "hakobu-rt-" + common::random_hex(8);
  std::string id = run(spec);
  auto duplicate = client().create_container(spec, {});
  ASSERT_FALSE(duplicate);
  EXPECT_EQ(duplicate.error().kind, common::ErrorKind::Conflict);
  EXPECT_NE(duplicate.error().message.find("already in use"), std::string::npos);
  auto running = client().remove_container(id, /*force=*/false, {});
  ASSERT_FALSE(running);
  EXPECT_EQ(running.error().kind, common::ErrorKind::Conflict);
  EXPECT_TRUE(client().start_container(id, {}));  // already running: fine
  ContainerSpec missing = busybox({"true"});
  missing.image = "localhost/no-such-image:latest";
  auto no_image = client().create_container(missing, {});
  ASSERT_FALSE(no_image);
  EXPECT_EQ(no_image.error().kind, common::ErrorKind::NotFound);
  EXPECT_EQ(client().start_container("no-such-container", {}).error().kind, common::ErrorKind::NotFound);
  ASSERT_TRUE(client().remove_container(id, /*force=*/true, {}));
}

TEST_F(RuntimeIntegration, HostConfigReachesTheContainer) {
  ContainerSpec spec =
      busybox({"sh", "-c",
               "grep registry.test /etc/hosts; "
               "cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max; "
               "cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us 2>/dev/null || cut -d' ' -f1 /sys/fs/cgroup/cpu.max; "
               "grep CapEff /proc/self/status"});
  spec.network_mode = "";  // the bridge, where /etc/hosts is podman's to write
  spec.extra_hosts = {{"registry.test", "10.1.2.3"}};
  spec.memory_bytes = 64 << 20;
  spec.nano_cpus = 500'000'000;
  spec.privileged = true;
  std::string id = run(spec);
  Output output = logs(id, true);
  EXPECT_NE(output.out.find("10.1.2.3"), std::string::npos) << output.out;
  EXPECT_NE(output.out.find("\n67108864\n"), std::string::npos) << output.out;
  EXPECT_NE(output.out.find("\n50000\n"), std::string::npos) << output.out;
  size_t caps_at = output.out.find("CapEff:\t");
  ASSERT_NE(caps_at, std::string::npos) << output.out;
  uint64_t caps = std::stoull(output.out.substr(caps_at + 8, 16), nullptr, 16);
  // Privileged: CAP_SYS_ADMIN (21), which no default set has. (Not "all": root here lacks
  // CAP_SYS_RESOURCE, machine.md, so no container gets it.)
  EXPECT_TRUE(caps & (uint64_t{1} << 21)) << output.out;

  ContainerSpec host = busybox({"readlink", "/proc/self/ns/net"});
  host.network_mode = "host";
  Output in_host = logs(run(host), true);
  char ours[128] = {};
  ASSERT_GT(::readlink("/proc/self/ns/net", ours, sizeof ours - 1), 0);
  EXPECT_EQ(in_host.out, std::string(ours) + "\n");
}

TEST_F(RuntimeIntegration, PublishedPortAnswersOnLocalhost) {
  ContainerSpec spec = busybox({"sh", "-c", "echo hello-port > /tmp/index.html; exec httpd -f -p 8080 -h /tmp"});
  spec.network_mode = "";
  spec.ports = {PortBinding{8080, "tcp", "127.0.0.1", 0}};
  std::string id = run(spec);
  auto info = client().inspect_container(id, {});
  ASSERT_TRUE(info);
  ASSERT_EQ(info->ports.size(), 1u);
  EXPECT_EQ(info->ports[0].container_port, 8080);
  EXPECT_EQ(info->ports[0].host_ip, "127.0.0.1");
  ASSERT_GT(info->ports[0].host_port, 0);
  EXPECT_FALSE(info->ip_address.empty());
  std::string answer;
  for (auto deadline = Clock::now() + 10s; Clock::now() < deadline && answer.find("hello-port") == std::string::npos;) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(info->ports[0].host_port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    timeval tv{2, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
      std::string request = "GET /index.html HTTP/1.0\r\n\r\n";
      (void)!::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
      char buffer[4096];
      ssize_t n;
      while ((n = ::recv(fd, buffer, sizeof buffer, 0)) > 0) answer.append(buffer, static_cast<size_t>(n));
    }
    ::close(fd);
    if (answer.find("hello-port") == std::string::npos) std::this_thread::sleep_for(100ms);
  }
  EXPECT_NE(answer.find("hello-port"), std::string::npos) << answer;
  ASSERT_TRUE(client().stop_container(id, 0, {}));
}

TEST_F(RuntimeIntegration, BuildFromATarContext) {
  TarWriter context;
  context.add_file("Dockerfile",
                   "FROM localhost/busybox:latest\nCOPY greeting.txt /greeting.txt\n"
                   "RUN echo built-$((6 * 7)) > /built.txt\nCMD [\"cat\", \"/greeting.txt\", \"/built.txt\"]\n");
  context.add_file("greeting.txt", "hello from the context\n");
  std::string file = env_->dir() + "/context.tar";
  ASSERT_TRUE(context.write_to(file));
  BuildOptions options;
  options.tags = {"localhost/hakobu-rt-built:v1"};
  options.network_mode = "none";
  options.labels = {{"built.by", "hakobu"}};
  std::string output;
  auto built =
      client().build_image(RequestBody::tar_file(file), options, [&](const ProgressMessage& m) { output += m.stream; });
  ASSERT_TRUE(built) << built.error().message << "\n" << output;
  EXPECT_EQ(built->rfind("sha256:", 0), 0u) << *built;
  EXPECT_NE(output.find("FROM localhost/busybox:latest"), std::string::npos) << output;
  EXPECT_NE(output.find("COMMIT localhost/hakobu-rt-built:v1"), std::string::npos) << output;
  auto image = client().inspect_image("localhost/hakobu-rt-built:v1", {});
  ASSERT_TRUE(image) << image.error().message;
  EXPECT_EQ(image->id, *built);
  EXPECT_EQ(image->labels["built.by"], "hakobu");
  ContainerSpec spec;
  spec.image = "localhost/hakobu-rt-built:v1";
  spec.network_mode = "none";
  EXPECT_EQ(logs(run(spec), true).out, "hello from the context\nbuilt-42\n");

  TarWriter failing;
  failing.add_file("Dockerfile", "FROM localhost/busybox:latest\nRUN echo about to fail; exit 5\n");
  std::string failing_output;
  auto failed = client().build_image(RequestBody::tar_bytes(failing.finish()), options,
                                     [&](const ProgressMessage& m) { failing_output += m.stream; });
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().kind, common::ErrorKind::Internal);
  EXPECT_NE(failed.error().message.find("exit status 5"), std::string::npos) << failed.error().message;
  EXPECT_NE(failing_output.find("about to fail"), std::string::npos) << failing_output;

  TearDown();  // the container using the image first
  created_.clear();
  ASSERT_TRUE(client().remove_image("localhost/hakobu-rt-built:v1", /*force=*/true, {}));
  EXPECT_EQ(client().inspect_image("localhost/hakobu-rt-built:v1", {}).error().kind, common::ErrorKind::NotFound);
}

TEST_F(RuntimeIntegration, ListByLabelAndReconcileAnInstance) {
  std::string instance = "it-" + common::random_hex(8);
  std::string other = "it-" + common::random_hex(8);
  auto owned = [&](std::vector<std::string> cmd, Owner owner, const std::string& in) {
    auto id = create_owned(client(), busybox(std::move(cmd)), owner, in, {});
    EXPECT_TRUE(id) << id.error().message;
    created_.push_back(*id);
    return *id;
  };
  std::string running = owned({"sleep", "60"}, {"build", "b1"}, instance);
  ASSERT_TRUE(client().start_container(running, {}));
  std::string kept = owned({"true"}, {"build", "b2"}, instance);
  std::string task = owned({"true"}, {"task", "arn:aws:ecs:us-east-1:000000000000:task/c/t1"}, instance);
  std::string foreign = owned({"true"}, {"build", "b3"}, other);

  auto all = list_owned(client(), instance, "", {});
  ASSERT_TRUE(all) << all.error().message;
  EXPECT_EQ(all->size(), 3u);
  auto builds = list_owned(client(), instance, "build", {});
  ASSERT_TRUE(builds);
  EXPECT_EQ(builds->size(), 2u);
  ContainerFilter filter;
  filter.labels = {"hakobu.owner=build:b1", std::string(kInstanceLabel) + "=" + instance};
  auto b1 = client().list_containers(filter, {});
  ASSERT_TRUE(b1);
  ASSERT_EQ(b1->size(), 1u);
  EXPECT_EQ((*b1)[0].id, running);
  EXPECT_EQ((*b1)[0].state, "running");

  auto report = reconcile(client(), instance, [](const OwnedContainer& c) { return c.owner.id == "b2"; }, {});
  ASSERT_TRUE(report) << report.error().message;
  ASSERT_EQ(report->adopted.size(), 1u);
  EXPECT_EQ(report->adopted[0].container.id, kept);
  EXPECT_EQ(report->removed.size(), 2u);  // the running one too
  EXPECT_TRUE(report->errors.empty());
  auto left = list_owned(client(), instance, "", {});
  ASSERT_TRUE(left);
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ((*left)[0].container.id, kept);
  EXPECT_EQ((*left)[0].owner, (Owner{"build", "b2"}));
  EXPECT_TRUE(client().inspect_container(foreign, {}));  // another instance's: untouched
  EXPECT_FALSE(client().inspect_container(task, {}));
}

TEST_F(RuntimeIntegration, PushAndPullThroughARegistry) {
  auto& registry = env_->registry();
  std::string repository = registry.host() + "/123456789012/bb";
  ASSERT_TRUE(client().tag_image(kBusybox, repository, "v1", {}));
  PushOptions anonymous;
  anonymous.tls_verify = false;
  auto refused = client().push_image(repository, "v1", anonymous, {});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, common::ErrorKind::PermissionDenied) << refused.error().message;
  PushOptions wrong = anonymous;
  wrong.auth = RegistryAuth{testing::kRegistryUser, "wrong", registry.host()};
  EXPECT_EQ(client().push_image(repository, "v1", wrong, {}).error().kind, common::ErrorKind::PermissionDenied);

  PushOptions good = anonymous;
  // The password holds '+', '/' and '=': only URL-safe padded base64 carries it (machine.md §2).
  good.auth = RegistryAuth{testing::kRegistryUser, testing::kRegistryPassword, registry.host()};
  std::vector<std::string> statuses;
  auto pushed =
      client().push_image(repository, "v1", good, [&](const ProgressMessage& m) { statuses.push_back(m.status); });
  ASSERT_TRUE(pushed) << pushed.error().message;
  EXPECT_EQ(pushed->digest.rfind("sha256:", 0), 0u);
  EXPECT_GT(pushed->size, 0);
  EXPECT_TRUE(registry.has_manifest("123456789012/bb", "v1"));
  EXPECT_TRUE(registry.has_manifest("123456789012/bb", pushed->digest));

  // Pull through the registries.conf remap of an AWS-shaped ECR name (pulls are remapped;
  // pushes are not, see registries_conf.h).
  std::string aws_name = std::string(testing::kAwsRegistry) + "/bb";
  // podman never sends the image's own credentials to a remapped location...
  PullOptions for_the_name;
  for_the_name.auth = RegistryAuth{testing::kRegistryUser, testing::kRegistryPassword, testing::kAwsRegistry};
  auto unauthorized = client().pull_image(aws_name + ":v1", for_the_name, {});
  ASSERT_FALSE(unauthorized);
  EXPECT_EQ(unauthorized.error().kind, common::ErrorKind::PermissionDenied) << unauthorized.error().message;
  // ...they must be keyed by the location's host.
  PullOptions pull;
  pull.auths = {{registry.host(), *good.auth}};
  auto pulled = client().pull_image(aws_name + ":v1", pull, {});
  ASSERT_TRUE(pulled) << pulled.error().message;
  auto image = client().inspect_image(aws_name + ":v1", {});
  ASSERT_TRUE(image) << image.error().message;
  auto busybox_image = client().inspect_image(kBusybox, {});
  ASSERT_TRUE(busybox_image);
  EXPECT_EQ(image->id, busybox_image->id);

  // A plain pull from the insecure registry (registries.conf; the API's pull has no tlsVerify).
  ASSERT_TRUE(client().remove_image(repository + ":v1", false, {}));
  PullOptions direct;
  direct.auth = good.auth;
  ASSERT_TRUE(client().pull_image(repository + ":v1", direct, {}));
  EXPECT_TRUE(client().inspect_image(repository + ":v1", {}));
  auto missing = client().pull_image(repository + ":nope", direct, {});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, common::ErrorKind::NotFound) << missing.error().message;

  // A Dockerfile FROM the AWS-shaped name: the build pulls through the same remap, with
  // X-Registry-Config credentials keyed by the location's host.
  ASSERT_TRUE(client().remove_image(aws_name + ":v1", false, {}));
  TarWriter context;
  context.add_file("Dockerfile", "FROM " + aws_name + ":v1\nRUN echo built-on-ecr > /on-ecr.txt\n");
  BuildOptions build;
  build.tags = {"localhost/hakobu-rt-from-ecr:v1"};
  build.network_mode = "none";
  build.registry_config = {{registry.host(), *good.auth}};
  std::string output;
  auto built = client().build_image(RequestBody::tar_bytes(context.finish()), build,
                                    [&](const ProgressMessage& m) { output += m.stream; });
  ASSERT_TRUE(built) << built.error().message << "\n" << output;
  EXPECT_TRUE(client().inspect_image(aws_name + ":v1", {}));
  (void)client().remove_image("localhost/hakobu-rt-from-ecr:v1", true, {});
  (void)client().remove_image(repository + ":v1", false, {});
  (void)client().remove_image(aws_name + ":v1", false, {});
}

TEST_F(RuntimeIntegration, SupervisorRestartsTheServiceWhenItDies) {
  std::string id = run(busybox({"sleep", "60"}));
  pid_t old = env_->supervisor().pid();
  ASSERT_GT(old, 0);
  ASSERT_EQ(::kill(old, SIGKILL), 0);
  auto deadline = Clock::now() + 20s;
  while (Clock::now() < deadline && (env_->supervisor().pid() == old || env_->supervisor().pid() == 0)) {
    std::this_thread::sleep_for(20ms);
  }
  ASSERT_NE(env_->supervisor().pid(), old);
  ASSERT_TRUE(env_->supervisor().wait_ready(20s));
  std::cout << "[ info ] podman service restarted; /_ping answered " << env_->supervisor().ready_latency().count()
            << " ms after spawning\n";
  EXPECT_EQ(env_->supervisor().restarts(), 1);
  ASSERT_TRUE(client().ping({}));
  auto info = client().inspect_container(id, {});
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_TRUE(info->state.running);  // conmon kept the container alive
}

TEST_F(RuntimeIntegration, SupervisorStopsAServiceAPreviousRunLeft) {
  std::string data = env_->dir() + "/leftover";
  std::filesystem::create_directories(data);
  std::string command;
  for (const auto& arg : env_->podman_args()) command += " '" + arg + "'";
  ASSERT_EQ(std::system(("podman" + command + " system service --time=0 unix://" + data +
                         "/podman.sock >/dev/null 2>&1 & echo $! > " + data + "/podman.pid")
                            .c_str()),
            0);
  pid_t leftover = static_cast<pid_t>(std::atoi(testing::slurp(data + "/podman.pid").c_str()));
  ASSERT_GT(leftover, 0);
  DockerClient leftover_client(data + "/podman.sock");
  auto deadline = Clock::now() + 20s;
  while (Clock::now() < deadline && !leftover_client.ping(with_timeout(1s))) std::this_thread::sleep_for(20ms);
  ASSERT_TRUE(leftover_client.ping({}));

  EngineSupervisor second(env_->supervisor_options(data));
  auto started = second.start();
  ASSERT_TRUE(started) << started.error().message;
  std::cout << "[ info ] podman service (second store user): /_ping answered " << second.ready_latency().count()
            << " ms after spawning\n";
  EXPECT_NE(second.pid(), leftover);
  std::string cmdline = testing::slurp("/proc/" + std::to_string(leftover) + "/cmdline");
  EXPECT_EQ(cmdline.find("service"), std::string::npos) << "the leftover service still runs";
  ASSERT_TRUE(DockerClient(second.socket_path()).ping({}));
  EXPECT_NE(testing::slurp(second.registries_conf_path()).find(env_->registry().host()), std::string::npos);
  second.stop();
  EXPECT_FALSE(std::filesystem::exists(data + "/podman.pid"));
  EXPECT_FALSE(DockerClient(second.socket_path()).ping(with_timeout(1s)));
}

TEST_F(RuntimeIntegration, SupervisorReportsAServiceThatCannotStart) {
  SupervisorOptions options = env_->supervisor_options(env_->dir() + "/broken");
  options.podman = "/bin/false";
  EngineSupervisor broken(options);
  auto failed = broken.start();
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().kind, common::ErrorKind::Unavailable);
  EXPECT_NE(failed.error().message.find("exited at start"), std::string::npos) << failed.error().message;
  EXPECT_EQ(broken.pid(), 0);

  options.podman = "no-such-podman-binary";
  EXPECT_EQ(EngineSupervisor(options).start().error().kind, common::ErrorKind::FailedPrecondition);
  options.podman = "podman";
  options.data_dir = env_->dir() + "/" + std::string(120, 'd');
  EXPECT_EQ(EngineSupervisor(options).start().error().kind, common::ErrorKind::InvalidArgument);
}

}  // namespace
}  // namespace runtime
