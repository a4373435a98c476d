// Which container engine hakobu talks to: the one it is given (--container-socket, else
// DOCKER_HOST), or else its own podman service under EngineSupervisor. Pure; unit-tested.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace runtime {

struct EngineChoice {
  std::string socket_path;  // the Docker Engine API socket to use
  bool supervised = false;  // hakobu must start it (EngineSupervisor on <data_dir>/podman.sock)
};

// `flag`: the --container-socket value ("" when absent); `docker_host`: the DOCKER_HOST
// environment value ("" when unset). Both take "unix:///path" or a bare path; other schemes
// (tcp://, ssh://) are InvalidArgument.
common::Result<EngineChoice> choose_engine(std::string_view flag, std::string_view docker_host,
                                           const std::string& data_dir);

}  // namespace runtime
