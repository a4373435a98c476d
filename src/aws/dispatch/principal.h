// Who is calling: the identity SigV4 authentication resolved.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace dispatch {

struct Principal {
  enum class Kind { Root, User, AssumedRole };
  Kind kind = Kind::Root;
  std::string account_id;  // 12 digits
  std::string arn;  // arn:aws:iam::<acct>:root | :user/<path>name | arn:aws:sts::<acct>:assumed-role/<role>/<session>
  std::string user_id;       // account id (root) | AIDA... (user) | AROA...:<session> (role session)
  std::string name;          // user name, role name; empty for root
  std::string session_name;  // role sessions
  std::string role_arn;      // role sessions: arn:aws:iam::<acct>:role/<path>name
  std::string access_key_id;
  std::optional<std::string> session_policy;  // inline session policy from AssumeRole(Policy=...)
  int64_t expires_epoch = 0;                  // role sessions
};

}  // namespace dispatch
