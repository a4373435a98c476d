// The registries.conf (containers-registries.conf(5), v2 format) hakobu writes for the engine it
// supervises: its own plain-HTTP registry marked insecure, and optional prefix -> location
// remaps. Pure rendering plus an atomic write; unit-tested.
//
// What podman 4.3 does with a remap (measured, see README.md): `prefix = "<account>.dkr.ecr.
// <region>.amazonaws.com"`, `location = "127.0.0.1:4566/<account>"` makes a PULL of
// "<account>.dkr.ecr.<region>.amazonaws.com/app:v1" fetch 127.0.0.1:4566/<account>/app:v1 (the
// image keeps the AWS-shaped name locally); a PUSH of that name is NOT remapped: it goes to the
// real host name (DNS fails here). So remaps help FROM lines and pulls, not pushes. Credentials
// for a remapped pull must be keyed by the location's host (PullOptions::auths,
// BuildOptions::registry_config): podman does not send the image name's credentials there.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"

namespace runtime {

struct RegistryRemap {
  std::string prefix;    // what image names start with: "123456789012.dkr.ecr.us-east-1.amazonaws.com"
  std::string location;  // where the engine goes instead: "127.0.0.1:4566/123456789012"
  bool insecure = true;  // plain HTTP at `location`
};

struct RegistriesConf {
  std::vector<std::string> insecure;  // "127.0.0.1:4566", "localhost:4566"
  std::vector<RegistryRemap> remaps;
};

// The file's text. Drop-ins in /etc/containers/registries.conf.d/ still apply on top of it;
// it replaces only the main /etc/containers/registries.conf for the engine that reads it.
std::string render_registries_conf(const RegistriesConf& conf);

// Writes `text` to `path` through a temporary file and rename (a reader never sees half).
common::Status<> write_file_atomically(const std::string& path, const std::string& text);

}  // namespace runtime
