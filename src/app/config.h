// hakobu's configuration file (YAML): accounts and their root keys, default region.
#pragma once

#include <string>
#include <vector>

#include "aws/dispatch/accounts.h"
#include "common/result.h"

namespace app {

struct Config {
  std::vector<dispatch::Account> accounts;
  std::string region = "us-east-1";
};

// The configuration when no file is given: account 000000000000 with key test/test.
Config default_config();
// Loads and validates a YAML file (accounts: [{id, name, access_keys: [{id, secret}]}],
// optional region). Errors name the file and the offending entry.
common::Result<Config> load_config(const std::string& path);

}  // namespace app
