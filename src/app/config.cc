#include "app/config.h"

#include <yaml-cpp/yaml.h>

#include <set>

namespace app {

Config default_config() {
  Config config;
  config.accounts.push_back(dispatch::Account{"000000000000", "default", {{"test", "test"}}});
  return config;
}

static bool is_account_id(const std::string& s) {
  if (s.size() != 12) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

common::Result<Config> load_config(const std::string& path) {
  auto bad = [&](const std::string& why) {
    return common::fail(common::make_error(common::ErrorKind::InvalidArgument, path + ": " + why));
  };
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::Exception& e) {
    return bad(e.what());
  }
  Config config;
  try {
    if (root["region"]) config.region = root["region"].as<std::string>();
    YAML::Node accounts = root["accounts"];
    if (!accounts || !accounts.IsSequence() || accounts.size() == 0) {
      return bad("'accounts' must be a non-empty list");
    }
    std::set<std::string> ids;
    std::set<std::string> keys;
    for (size_t i = 0; i < accounts.size(); ++i) {
      const YAML::Node& a = accounts[i];
      dispatch::Account account;
      if (!a["id"]) return bad("account #" + std::to_string(i + 1) + " has no id");
      account.id = a["id"].as<std::string>();
      if (!is_account_id(account.id)) {
        return bad("account id '" + account.id + "' must be 12 digits (quote it in YAML: \"000000000000\")");
      }
      if (!ids.insert(account.id).second) return bad("account " + account.id + " is listed twice");
      account.name = a["name"] ? a["name"].as<std::string>() : account.id;
      YAML::Node access_keys = a["access_keys"];
      if (access_keys && !access_keys.IsSequence())
        return bad("account " + account.id + ": access_keys must be a list");
      if (access_keys) {
        for (const auto& k : access_keys) {
          if (!k["id"] || !k["secret"]) return bad("account " + account.id + ": each access key needs id and secret");
          dispatch::AccessKeyPair pair{k["id"].as<std::string>(), k["secret"].as<std::string>()};
          if (!keys.insert(pair.id).second) return bad("access key " + pair.id + " is listed twice");
          account.access_keys.push_back(std::move(pair));
        }
      }
      config.accounts.push_back(std::move(account));
    }
  } catch (const YAML::Exception& e) {
    return bad(e.what());
  }
  return config;
}

}  // namespace app
