// Accounts and their root access keys, from the configuration file.
#pragma once

#include <string>
#include <vector>

namespace dispatch {

struct AccessKeyPair {
  std::string id;
  std::string secret;
};

struct Account {
  std::string id;                          // 12 digits
  std::string name;                        // "dev"
  std::vector<AccessKeyPair> access_keys;  // root credentials
};

}  // namespace dispatch
