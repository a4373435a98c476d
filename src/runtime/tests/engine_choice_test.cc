#include "runtime/engine_choice.h"

#include <gtest/gtest.h>

namespace runtime {
namespace {

TEST(EngineChoice, FlagThenDockerHostThenOwnService) {
  auto flag = choose_engine("unix:///run/podman/podman.sock", "unix:///var/run/docker.sock", "/data");
  ASSERT_TRUE(flag);
  EXPECT_EQ(flag->socket_path, "/run/podman/podman.sock");
  EXPECT_FALSE(flag->supervised);
  auto env = choose_engine("", "/var/run/docker.sock", "/data");
  ASSERT_TRUE(env);
  EXPECT_EQ(env->socket_path, "/var/run/docker.sock");
  EXPECT_FALSE(env->supervised);
  auto own = choose_engine("", "", "/data");
  ASSERT_TRUE(own);
  EXPECT_EQ(own->socket_path, "/data/podman.sock");
  EXPECT_TRUE(own->supervised);
}

TEST(EngineChoice, OnlyUnixSockets) {
  auto tcp = choose_engine("", "tcp://127.0.0.1:2375", "/data");
  ASSERT_FALSE(tcp);
  EXPECT_EQ(tcp.error().kind, common::ErrorKind::InvalidArgument);
  EXPECT_NE(tcp.error().message.find("DOCKER_HOST"), std::string::npos);
  EXPECT_NE(choose_engine("ssh://host", "", "/d").error().message.find("--container-socket"), std::string::npos);
}

}  // namespace
}  // namespace runtime
