#include "services/iam/engine/repos.h"
#include "services/iam/engine/sql.h"
#include "services/iam/model/arns.h"

namespace iam::repo {
namespace {

AccessKey read_key(const store::Statement& row) {
  AccessKey key;
  key.access_key_id = row.text(0);
  key.account_id = row.text(1);
  key.user_name = row.text(2);
  key.secret_access_key = row.text(3);
  key.active = row.integer(4) != 0;
  key.create_date = row.integer(5);
  return key;
}

}  // namespace

Status<> insert_access_key(store::Db& db, const AccessKey& key) {
  auto done = execute(db,
                      "INSERT INTO iam_access_keys (access_key_id, account_id, user_name, secret, active, create_date) "
                      "VALUES (?,?,?,?,?,?)",
                      [&](store::Statement& s) {
                        s.bind(1, key.access_key_id).bind(2, key.account_id).bind(3, key.user_name);
                        s.bind(4, key.secret_access_key).bind(5, key.active).bind(6, key.create_date);
                      });
  if (!done.ok()) return common::fail(done.error());
  return common::ok();
}

Result<std::optional<AccessKey>> find_access_key(store::Db& db, const std::string& access_key_id) {
  std::optional<AccessKey> found;
  auto done = query(
      db,
      "SELECT access_key_id, account_id, user_name, secret, active, create_date FROM iam_access_keys "
      "WHERE access_key_id = ?",
      [&](store::Statement& s) { s.bind(1, access_key_id); },
      [&](const store::Statement& row) { found = read_key(row); });
  if (!done.ok()) return common::fail(done.error());
  return found;
}

Result<std::vector<AccessKey>> list_access_keys(store::Db& db, const std::string& account,
                                                const std::string& user_name) {
  std::vector<AccessKey> keys;
  auto done = query(
      db,
      "SELECT access_key_id, account_id, user_name, secret, active, create_date FROM iam_access_keys "
      "WHERE account_id = ? AND user_name = ? ORDER BY create_date, access_key_id",
      [&](store::Statement& s) { s.bind(1, account).bind(2, user_name); },
      [&](const store::Statement& row) { keys.push_back(read_key(row)); });
  if (!done.ok()) return common::fail(done.error());
  return keys;
}

Status<> set_access_key_status(store::Db& db, const std::string& access_key_id, bool active) {
  auto done = execute(db, "UPDATE iam_access_keys SET active = ? WHERE access_key_id = ?",
                      [&](store::Statement& s) { s.bind(1, active).bind(2, access_key_id); });
  if (!done.ok()) return common::fail(done.error());
  return common::ok();
}

Status<> delete_access_key(store::Db& db, const std::string& access_key_id) {
  auto done = execute(db, "DELETE FROM iam_access_keys WHERE access_key_id = ?",
                      [&](store::Statement& s) { s.bind(1, access_key_id); });
  if (!done.ok()) return common::fail(done.error());
  return common::ok();
}

Result<std::optional<KeyOwner>> find_key_owner(store::Db& db, const std::string& access_key_id) {
  std::optional<KeyOwner> found;
  auto done = query(
      db,
      "SELECT k.access_key_id, k.account_id, k.user_name, k.secret, k.active, k.create_date, u.name, "
      "u.path, u.user_id, u.create_date FROM iam_access_keys k JOIN iam_users u ON "
      "u.account_id = k.account_id AND u.name = k.user_name WHERE k.access_key_id = ?",
      [&](store::Statement& s) { s.bind(1, access_key_id); },
      [&](const store::Statement& row) {
        KeyOwner owner;
        owner.key = read_key(row);
        owner.user.account_id = owner.key.account_id;
        owner.user.name = row.text(6);
        owner.user.path = row.text(7);
        owner.user.user_id = row.text(8);
        owner.user.create_date = row.integer(9);
        owner.user.arn = user_arn(owner.user.account_id, owner.user.path, owner.user.name);
        found = std::move(owner);
      });
  if (!done.ok()) return common::fail(done.error());
  return found;
}

}  // namespace iam::repo
