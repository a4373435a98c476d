// The environment of the RuntimeIntegration tests: a private podman service started by
// EngineSupervisor on a temporary socket, with its own storage (--root/--runroot/--tmpdir under
// a temporary directory, as tests/blackbox/ecr/containers.py isolates it), a registries.conf
// trusting a FakeRegistry, and a busybox image imported from the host's /bin/busybox
// (machine.md §1) through the API itself. Podman missing is a failure, never a skip.
#pragma once

#include <sys/mount.h>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "common/temp_dir.h"
#include "runtime/docker_client.h"
#include "runtime/engine_supervisor.h"
#include "runtime/tar_writer.h"
#include "runtime/tests/fake_registry.h"

namespace runtime::testing {

inline constexpr const char* kBusybox = "localhost/busybox:latest";
inline constexpr const char* kRegistryUser = "AWS";
inline constexpr const char* kRegistryPassword = "pa+ss/word=";
// An AWS-shaped ECR host that the registries.conf remaps to the fake registry.
inline constexpr const char* kAwsRegistry = "123456789012.dkr.ecr.us-east-1.amazonaws.com";

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

inline std::string command_output(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  ::pclose(pipe);
  return out;
}

class IntegrationEnv {
 public:
  // Empty when ready; else why not (each test then fails with it).
  std::string setup() {
    if (!dir_.ok()) return "cannot create a temporary directory";
    if (find_executable("podman").empty()) {
      return "podman not found: run scripts/install-deps.sh (the runtime integration tests need podman, runc and "
             "busybox-static)";
    }
    if (::access("/bin/busybox", X_OK) != 0) return "/bin/busybox missing: apt-get install busybox-static";
    if (!registry_.ok()) return "fake registry: " + registry_.error();
    std::filesystem::create_directories(dir_.path() + "/staging");
    std::ofstream(storage_conf()) << "[storage]\ndriver = \"overlay\"\ngraphroot = \"" << dir_.path()
                                  << "/root\"\nrunroot = \"" << dir_.path() << "/runroot\"\n";
    supervisor_ = std::make_unique<EngineSupervisor>(supervisor_options(dir_.path() + "/data"));
    auto started = supervisor_->start();
    if (!started) return started.error().message;
    first_start_latency_ = supervisor_->ready_latency();
    client_ = std::make_unique<DockerClient>(supervisor_->socket_path());
    return import_busybox();
  }

  SupervisorOptions supervisor_options(const std::string& data_dir) const {
    SupervisorOptions options;
    options.data_dir = data_dir;
    options.podman_args = podman_args();
    options.env = {{"CONTAINERS_STORAGE_CONF", storage_conf()}, {"TMPDIR", dir_.path() + "/staging"}};
    options.registries.insecure = {registry_.host()};
    options.registries.remaps = {{kAwsRegistry, registry_.host() + "/123456789012", true}};
    return options;
  }

  std::vector<std::string> podman_args() const {
    return {"--root",           dir_.path() + "/root",
            "--runroot",        dir_.path() + "/runroot",
            "--tmpdir",         dir_.path() + "/libpod-tmp",
            "--cgroup-manager", "cgroupfs",
            "--events-backend", "file"};
  }

  // Every container of the private store, the service, the store's mounts and the directory.
  void teardown() {
    if (client_) {
      auto all = client_->list_containers({}, {});
      if (all) {
        for (const auto& c : *all) (void)client_->remove_container(c.id, true, with_timeout(Millis(60'000)));
      }
    }
    if (supervisor_) supervisor_->stop();
    unmount_under(dir_.path());
  }

  DockerClient& client() { return *client_; }
  EngineSupervisor& supervisor() { return *supervisor_; }
  FakeRegistry& registry() { return registry_; }
  const std::string& dir() const { return dir_.path(); }
  Millis first_start_latency() const { return first_start_latency_; }

 private:
  std::string storage_conf() const { return dir_.path() + "/storage.conf"; }

  std::string import_busybox() {
    TarWriter rootfs;
    rootfs.add_directory("bin");
    rootfs.add_file("bin/busybox", slurp("/bin/busybox"), 0755);
    std::istringstream applets(command_output("/bin/busybox --list"));
    for (std::string applet; applets >> applet;) {
      if (applet != "busybox") rootfs.add_symlink("bin/" + applet, "busybox");
    }
    rootfs.add_directory("etc");
    rootfs.add_file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n");
    rootfs.add_file("etc/group", "root:x:0:\nnobody:x:65534:\n");
    rootfs.add_directory("tmp", 01777);
    ImportOptions options;
    options.repository = "localhost/busybox";
    options.changes = {R"(CMD ["/bin/sh"])", "ENV PATH=/bin:/usr/bin:/sbin:/usr/sbin"};
    auto imported = client_->import_image(RequestBody::tar_bytes(rootfs.finish()), options, {});
    if (!imported) return imported.error().message;
    return "";
  }

  static void unmount_under(const std::string& dir) {
    std::vector<std::string> points;
    std::istringstream mounts(slurp("/proc/self/mounts"));
    for (std::string line; std::getline(mounts, line);) {
      std::istringstream fields(line);
      std::string device, point;
      fields >> device >> point;
      if (point.rfind(dir + "/", 0) == 0) points.push_back(point);
    }
    std::sort(points.begin(), points.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
    for (const auto& point : points) ::umount2(point.c_str(), MNT_DETACH);
  }

  common::TempDir dir_{"hakobu-rt-it"};
  FakeRegistry registry_{kRegistryUser, kRegistryPassword};
  std::unique_ptr<EngineSupervisor> supervisor_;
  std::unique_ptr<DockerClient> client_;
  Millis first_start_latency_{0};
};

}  // namespace runtime::testing
