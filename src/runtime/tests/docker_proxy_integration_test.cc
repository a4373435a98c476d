// RuntimeIntegrationDockerProxy.*: the real docker CLI (/usr/local/bin/docker, Docker CLI 28)
// against DockerProxy in front of a private podman service (integration_env.h: own storage,
// registries.conf trusting a FakeRegistry and remapping an AWS-shaped ECR host to it). They
// fail, not skip, when podman or the docker CLI is missing; --gtest_filter='-RuntimeIntegration*'
// leaves them out together with RuntimeIntegration.*.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <thread>

#include "runtime/docker_proxy.h"
#include "runtime/tests/integration_env.h"
#include "runtime/unix_http.h"

namespace runtime {
namespace {

using namespace std::chrono_literals;
using testing::IntegrationEnv;
using testing::kAwsRegistry;
using testing::kBusybox;
using testing::kRegistryPassword;
using testing::kRegistryUser;

constexpr const char* kDockerCli = "/usr/local/bin/docker";

struct CliRun {
  int code = -1;
  std::string out;  // stdout and stderr
};

std::string shell_quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

class RuntimeIntegrationDockerProxy : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    env_ = new IntegrationEnv;
    setup_error_ = env_->setup();
    if (setup_error_.empty() && ::access(kDockerCli, X_OK) != 0) {
      setup_error_ = std::string(kDockerCli) + " missing: these tests need the Docker CLI (machine.md §2)";
    }
    if (!setup_error_.empty()) return;
    proxy_ = new DockerProxy(DockerProxyOptions{env_->supervisor().socket_path(), env_->registry().host()});
    socket_ = env_->dir() + "/docker.sock";
    DockerProxyClient client{"123456789012", "us-east-1",
                             [](const std::string& user, const std::string& password) -> common::Status<> {
                               std::lock_guard lock(logins_mutex_);
                               logins_.emplace_back(user, password);
                               if (user == kRegistryUser && password == kRegistryPassword) return common::ok();
                               return common::fail(common::make_error(common::ErrorKind::PermissionDenied, "refused"));
                             }};
    auto opened = proxy_->open(socket_, client);
    if (!opened) setup_error_ = opened.error().message;
  }
  static void TearDownTestSuite() {
    delete proxy_;
    proxy_ = nullptr;
    env_->teardown();
    delete env_;
    env_ = nullptr;
  }
  void SetUp() override {
    ASSERT_EQ(setup_error_, "") << "docker proxy integration environment";
    config_dir_ = env_->dir() + "/docker-config-" + ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::create_directories(config_dir_);
    std::lock_guard lock(logins_mutex_);
    logins_.clear();
  }

  // The docker CLI with its own config directory, talking to `host_socket` (the proxy's).
  CliRun docker(const std::string& args, const std::string& stdin_text = "", const std::string& cwd = "",
                const std::string& host_socket = "") {
    std::string command =
        "cd " + shell_quoted(cwd.empty() ? env_->dir() : cwd) + " && printf %s " + shell_quoted(stdin_text) +
        " | DOCKER_HOST=unix://" + (host_socket.empty() ? socket_ : host_socket) +
        " DOCKER_CONFIG=" + shell_quoted(config_dir_) + " DOCKER_BUILDKIT=0 " + kDockerCli + " " + args + " 2>&1";
    CliRun run;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) return run;
    char buffer[4096];
    size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) run.out.append(buffer, n);
    int status = ::pclose(pipe);
    run.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return run;
  }

  CliRun login(const std::string& server, const std::string& password = kRegistryPassword) {
    return docker("login --username AWS --password-stdin " + server, password);
  }

  static std::vector<std::pair<std::string, std::string>> logins() {
    std::lock_guard lock(logins_mutex_);
    return logins_;
  }

  static DockerClient& engine() { return env_->client(); }
  // The proxy removes its temporary names before the push's or pull's answer ends, yet podman 4.3
  // under load (CI, two runs in three) still resolved such a name right after; it was gone within
  // the next 2 s. Not understood (no failed DELETE was logged): the checks allow podman that moment.
  static bool gone_soon(const std::string& name) {
    for (int i = 0; i < 40; ++i) {
      if (!engine().inspect_image(name, {}).ok()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }
  static std::string registry() { return env_->registry().host(); }

  static IntegrationEnv* env_;
  static std::string setup_error_;
  static DockerProxy* proxy_;
  static std::string socket_;
  static std::mutex logins_mutex_;
  static std::vector<std::pair<std::string, std::string>> logins_;
  std::string config_dir_;
};

IntegrationEnv* RuntimeIntegrationDockerProxy::env_ = nullptr;
std::string RuntimeIntegrationDockerProxy::setup_error_;
DockerProxy* RuntimeIntegrationDockerProxy::proxy_ = nullptr;
std::string RuntimeIntegrationDockerProxy::socket_;
std::mutex RuntimeIntegrationDockerProxy::logins_mutex_;
std::vector<std::pair<std::string, std::string>> RuntimeIntegrationDockerProxy::logins_;

double median_seconds(std::vector<double> samples) {
  std::sort(samples.begin(), samples.end());
  return samples[samples.size() / 2];
}

TEST_F(RuntimeIntegrationDockerProxy, VersionThroughTheProxyAndItsOverhead) {
  auto version = docker("version --format '{{.Server.Version}} {{.Server.APIVersion}}'");
  ASSERT_EQ(version.code, 0) << version.out;
  EXPECT_EQ(version.out, "4.3.1 1.41\n");
  auto info = docker("info --format '{{.Driver}}'");
  ASSERT_EQ(info.code, 0) << info.out;
  EXPECT_EQ(info.out, "overlay\n");
  std::vector<double> direct, proxied;
  for (int i = 0; i < 5; ++i) {
    for (bool via_proxy : {false, true}) {
      auto start = std::chrono::steady_clock::now();
      auto run = docker("version", "", "", via_proxy ? "" : env_->supervisor().socket_path());
      double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      ASSERT_EQ(run.code, 0) << run.out;
      (via_proxy ? proxied : direct).push_back(took);
    }
  }
  std::cout << "[ measure  ] docker version median over 5: direct " << median_seconds(direct)
            << " s, through the proxy " << median_seconds(proxied) << " s\n";
  // Per request, without the CLI's own start-up: GET /_ping, one connection each.
  auto ping_seconds = [](const std::string& socket) {
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 200; ++i) {
      auto conn = UnixHttpConnection::open(socket, {});
      EXPECT_TRUE(conn);
      if (!conn) return 0.0;
      EXPECT_TRUE((*conn)->send({"GET", "/_ping", {}}, {}));
      auto head = (*conn)->read_head();
      EXPECT_TRUE(head);
      if (!head) return 0.0;
      auto body = (*conn)->read_body_text(*head);
      EXPECT_TRUE(body && *body == "OK");
    }
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / 200;
  };
  double ping_direct = ping_seconds(env_->supervisor().socket_path());
  double ping_proxied = ping_seconds(socket_);
  std::cout << "[ measure  ] GET /_ping mean over 200: direct " << ping_direct * 1000 << " ms, through the proxy "
            << ping_proxied * 1000 << " ms\n";
}

TEST_F(RuntimeIntegrationDockerProxy, LoginAsAwsBuildspecsWriteIt) {
  auto ok = login(kAwsRegistry);
  EXPECT_EQ(ok.code, 0) << ok.out;
  EXPECT_NE(ok.out.find("Login Succeeded"), std::string::npos) << ok.out;
  auto refused = login(kAwsRegistry, "not-the-token");
  EXPECT_NE(refused.code, 0);
  EXPECT_NE(refused.out.find("Error response from daemon: login attempt to https://" + std::string(kAwsRegistry) +
                             "/v2/ failed with status: 401 Unauthorized"),
            std::string::npos)
      << refused.out;
  auto own_host = login(registry());
  EXPECT_EQ(own_host.code, 0) << own_host.out;
  auto seen = logins();
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0], std::make_pair(std::string("AWS"), std::string(kRegistryPassword)));
  EXPECT_EQ(seen[1], std::make_pair(std::string("AWS"), std::string("not-the-token")));
  // The CLI keeps what it logged in with, keyed as the user wrote the server.
  std::string config = testing::slurp(config_dir_ + "/config.json");
  EXPECT_NE(config.find(kAwsRegistry), std::string::npos) << config;
}

TEST_F(RuntimeIntegrationDockerProxy, BuildPushPullAndRunAnAwsShapedName) {
  ASSERT_EQ(login(kAwsRegistry).code, 0);
  std::string context = env_->dir() + "/ctx-app";
  std::filesystem::create_directories(context);
  std::ofstream(context + "/Dockerfile") << "FROM " << kBusybox << "\nRUN echo proxied > /proxied.txt\n";
  std::string name = std::string(kAwsRegistry) + "/proxy-app:v1";
  std::string mapped = registry() + "/123456789012/us-east-1/proxy-app:v1";
  auto built = docker("build --network none -t " + name + " .", "", context);
  ASSERT_EQ(built.code, 0) << built.out;

  auto pushed = docker("push " + name);
  ASSERT_EQ(pushed.code, 0) << pushed.out;
  EXPECT_NE(pushed.out.find("digest: sha256:"), std::string::npos) << pushed.out;
  EXPECT_TRUE(env_->registry().has_manifest("123456789012/us-east-1/proxy-app", "v1"));
  EXPECT_TRUE(engine().inspect_image(name, {}));
  EXPECT_TRUE(gone_soon(mapped)) << "the temporary tag " << mapped << " was left behind";

  ASSERT_EQ(docker("rmi " + name).code, 0);
  auto pulled = docker("pull " + name);
  ASSERT_EQ(pulled.code, 0) << pulled.out;
  EXPECT_TRUE(gone_soon(mapped)) << "the pull's temporary name " << mapped << " was left behind";
  auto ran = docker("run --rm --network none " + name + " cat /proxied.txt");
  EXPECT_EQ(ran.code, 0) << ran.out;
  EXPECT_EQ(ran.out, "proxied\n");

  // A push without credentials for the registry is refused by the registry, and the CLI says so.
  (void)docker("logout " + std::string(kAwsRegistry));
  auto anonymous = docker("push " + name);
  EXPECT_NE(anonymous.code, 0) << anonymous.out;
  EXPECT_TRUE(gone_soon(mapped));
  (void)docker("rmi " + name);
}

TEST_F(RuntimeIntegrationDockerProxy, PushHakobusOwnNameAndBuildFromARemappedAwsName) {
  ASSERT_EQ(login(registry()).code, 0);
  ASSERT_EQ(login(kAwsRegistry).code, 0);
  std::string base = registry() + "/123456789012/proxy-base:1";
  ASSERT_EQ(docker("tag " + std::string(kBusybox) + " " + base).code, 0);
  auto pushed = docker("push " + base);
  ASSERT_EQ(pushed.code, 0) << pushed.out;
  EXPECT_TRUE(env_->registry().has_manifest("123456789012/proxy-base", "1"));
  ASSERT_EQ(docker("rmi " + base).code, 0);
  EXPECT_TRUE(engine().inspect_image(kBusybox, {}));  // rmi of a second name only untags
  // From here the CLI has credentials for the AWS-shaped host only, as in a buildspec.
  ASSERT_EQ(docker("logout " + registry()).code, 0);
  EXPECT_EQ(testing::slurp(config_dir_ + "/config.json").find(registry()), std::string::npos);

  // FROM the AWS-shaped name: podman's compat /build applies the registries.conf remap, with
  // the credentials the proxy keyed by the location's host.
  std::string context = env_->dir() + "/ctx-from";
  std::filesystem::create_directories(context);
  std::ofstream(context + "/Dockerfile") << "FROM " << kAwsRegistry << "/proxy-base:1\nRUN echo from-ecr > /f\n";
  auto built = docker("build --network none -t localhost/proxy-from:v1 .", "", context);
  EXPECT_EQ(built.code, 0) << built.out;
  auto ran = docker("run --rm --network none localhost/proxy-from:v1 cat /f");
  EXPECT_EQ(ran.out, "from-ecr\n");
  (void)docker("rmi localhost/proxy-from:v1 " + std::string(kAwsRegistry) + "/proxy-base:1");
}

TEST_F(RuntimeIntegrationDockerProxy, InteractiveRunIsHijackedBothWays) {
  auto echoed = docker("run -i --rm --network none " + std::string(kBusybox) + " sh -c 'cat; echo done'",
                       "hello through the proxy\n");
  EXPECT_EQ(echoed.code, 0) << echoed.out;
  EXPECT_EQ(echoed.out, "hello through the proxy\ndone\n");
  // With --rm the CLI waits for condition=removed, which podman 4.3 answers with StatusCode 0
  // whatever the exit code (directly: 0); the proxy answers the real one.
  std::string failing = "run --rm --network none " + std::string(kBusybox) + " sh -c 'echo out; echo err >&2; exit 3'";
  auto direct = docker(failing, "", "", env_->supervisor().socket_path());
  EXPECT_EQ(direct.code, 0) << "podman fixed its wait?condition=removed: DockerProxy::wait_removed can go";
  auto status = docker(failing);
  EXPECT_EQ(status.code, 3);
  auto kept = docker("run --name proxy-exit4 --network none " + std::string(kBusybox) + " sh -c 'exit 4'");
  EXPECT_EQ(kept.code, 4) << kept.out;
  auto waited = docker("wait proxy-exit4");
  EXPECT_EQ(waited.out, "4\n");
  (void)docker("rm proxy-exit4");
  auto containers = engine().list_containers({}, {});
  ASSERT_TRUE(containers);
  EXPECT_TRUE(containers->empty()) << "--rm containers are gone";
  EXPECT_NE(status.out.find("out\n"), std::string::npos);
  EXPECT_NE(status.out.find("err\n"), std::string::npos);
}

}  // namespace
}  // namespace runtime
