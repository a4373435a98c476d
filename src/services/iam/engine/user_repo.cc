#include "services/iam/engine/repos.h"
#include "services/iam/engine/sql.h"
#include "services/iam/model/arns.h"

namespace iam::repo {
namespace {

User read_user(const store::Statement& row) {
  User user;
  user.account_id = row.text(0);
  user.name = row.text(1);
  user.path = row.text(2);
  user.user_id = row.text(3);
  user.create_date = row.integer(4);
  user.arn = user_arn(user.account_id, user.path, user.name);
  return user;
}

}  // namespace

Status<> insert_user(store::Db& db, const User& user) {
  auto done = execute(db, "INSERT INTO iam_users (account_id, name, path, user_id, create_date) VALUES (?,?,?,?,?)",
                      [&](store::Statement& s) {
                        s.bind(1, user.account_id).bind(2, user.name).bind(3, user.path).bind(4, user.user_id);
                        s.bind(5, user.create_date);
                      });
  if (!done.ok()) return common::fail(done.error());
  return common::ok();
}

Result<std::optional<User>> find_user(store::Db& db, const std::string& account, const std::string& name) {
  std::optional<User> found;
  auto done = query(
      db, "SELECT account_id, name, path, user_id, create_date FROM iam_users WHERE account_id = ? AND name = ?",
      [&](store::Statement& s) { s.bind(1, account).bind(2, name); },
      [&](const store::Statement& row) { found = read_user(row); });
  if (!done.ok()) return common::fail(done.error());
  return found;
}

Result<std::vector<User>> list_users(store::Db& db, const std::string& account) {
  std::vector<User> users;
  auto done = query(
      db, "SELECT account_id, name, path, user_id, create_date FROM iam_users WHERE account_id = ? ORDER BY name",
      [&](store::Statement& s) { s.bind(1, account); },
      [&](const store::Statement& row) { users.push_back(read_user(row)); });
  if (!done.ok()) return common::fail(done.error());
  return users;
}

Status<> rename_user(store::Db& db, const std::string& account, const std::string& name, const std::string& new_name,
                     const std::string& new_path) {
  auto done =
      execute(db, "UPDATE iam_users SET name = ?, path = ? WHERE account_id = ? AND name = ?",
              [&](store::Statement& s) { s.bind(1, new_name).bind(2, new_path).bind(3, account).bind(4, name); });
  if (!done.ok()) return common::fail(done.error());
  auto keys = execute(db, "UPDATE iam_access_keys SET user_name = ? WHERE account_id = ? AND user_name = ?",
                      [&](store::Statement& s) { s.bind(1, new_name).bind(2, account).bind(3, name); });
  if (!keys.ok()) return common::fail(keys.error());
  auto credentials =
      execute(db, "UPDATE iam_service_credentials SET user_name = ? WHERE account_id = ? AND user_name = ?",
              [&](store::Statement& s) { s.bind(1, new_name).bind(2, account).bind(3, name); });
  if (!credentials.ok()) return common::fail(credentials.error());
  return rename_owner(db, account, "user", name, new_name);
}

Status<> delete_user(store::Db& db, const std::string& account, const std::string& name) {
  auto done = execute(db, "DELETE FROM iam_users WHERE account_id = ? AND name = ?",
                      [&](store::Statement& s) { s.bind(1, account).bind(2, name); });
  if (!done.ok()) return common::fail(done.error());
  return delete_tags(db, account, "user", name);
}

}  // namespace iam::repo
