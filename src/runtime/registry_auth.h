// Registry credentials as the Docker Engine API takes them (pure; unit-tested).
#pragma once

#include <map>
#include <string>

namespace runtime {

struct RegistryAuth {
  std::string username;
  std::string password;
  std::string server_address;  // "127.0.0.1:4566"
};

// The X-Registry-Auth header of push and pull: {"username","password","serveraddress"} as JSON
// in URL-safe base64 WITH '=' padding. podman 4.3 answers 400 "illegal base64" to standard
// base64 holding '+' or '/', and "unexpected EOF" to unpadded text (machine.md §2).
std::string encode_registry_auth(const RegistryAuth& auth);

// The X-Registry-Config header of build (credentials for FROM images): a JSON object keyed by
// server address, each {"username","password","serveraddress"}, encoded the same way.
std::string encode_registry_config(const std::map<std::string, RegistryAuth>& auths);

// URL-safe base64 with padding ('-' and '_' for '+' and '/').
std::string base64_url_padded(std::string_view data);

}  // namespace runtime
