#include "runtime/engine_choice.h"

#include "runtime/unix_http.h"

namespace runtime {

common::Result<EngineChoice> choose_engine(std::string_view flag, std::string_view docker_host,
                                           const std::string& data_dir) {
  std::string_view given = !flag.empty() ? flag : docker_host;
  if (given.empty()) return EngineChoice{data_dir + "/podman.sock", true};
  std::string socket = socket_path_from_host(given);
  if (socket.empty()) {
    return common::fail(common::make_error(common::ErrorKind::InvalidArgument,
                                           "container engine '" + std::string(given) +
                                               "': only unix:// sockets are supported (" +
                                               (flag.empty() ? "DOCKER_HOST" : "--container-socket") + ")"));
  }
  return EngineChoice{socket, false};
}

}  // namespace runtime
