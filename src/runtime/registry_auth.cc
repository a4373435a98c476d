#include "runtime/registry_auth.h"

#include "common/crypto.h"
#include "common/json.h"

namespace runtime {
namespace {

nlohmann::json auth_json(const RegistryAuth& auth) {
  return {{"username", auth.username}, {"password", auth.password}, {"serveraddress", auth.server_address}};
}

}  // namespace

std::string base64_url_padded(std::string_view data) {
  std::string out = common::base64_encode(data);
  for (char& c : out) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return out;
}

std::string encode_registry_auth(const RegistryAuth& auth) { return base64_url_padded(auth_json(auth).dump()); }

std::string encode_registry_config(const std::map<std::string, RegistryAuth>& auths) {
  nlohmann::json config = nlohmann::json::object();
  for (const auto& [server, auth] : auths) config[server] = auth_json(auth);
  return base64_url_padded(config.dump());
}

}  // namespace runtime
