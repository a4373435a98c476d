#include "services/iam/engine/repos.h"
#include "services/iam/engine/sql.h"
#include "services/iam/model/arns.h"

namespace iam::repo {
namespace {

Role read_role(const store::Statement& row) {
  Role role;
  role.account_id = row.text(0);
  role.name = row.text(1);
  role.path = row.text(2);
  role.role_id = row.text(3);
  role.trust_policy = row.text(4);
  role.description = row.optional_text(5);
  role.max_session_duration = static_cast<int>(row.integer(6));
  role.create_date = row.integer(7);
  role.arn = role_arn(role.account_id, role.path, role.name);
  return role;
}

}  // namespace

Status<> insert_role(store::Db& db, const Role& role) {
  auto done = execute(db,
                      "INSERT INTO iam_roles (account_id, name, path, role_id, trust_policy, description, "
                      "max_session_duration, create_date) VALUES (?,?,?,?,?,?,?,?)",
                      [&](store::Statement& s) {
                        s.bind(1, role.account_id).bind(2, role.name).bind(3, role.path).bind(4, role.role_id);
                        s.bind(5, role.trust_policy).bind(6, role.description).bind(7, role.max_session_duration);
                        s.bind(8, role.create_date);
                      });
  if (!done.ok()) return common::fail(done.error());
  return common::ok();
}

Result<std::optional<Role>> find_role(store::Db& db, const std::string& account, const std::string& name) {
  std::optional<Role> found;
  auto done = query(
      db,
      "SELECT account_id, name, path, role_id, trust_policy, description, max_session_duration, "
      "create_date FROM iam_roles WHERE account_id = ? AND name = ?",
      [&](store::Statement& s) { s.bind(1, account).bind(2, name); },
      [&](const store::Statement& row) { found = read_role(row); });
  if (!done.ok()) return common::fail(done.error());
  return found;
}

Result<std::vector<Role>> list_roles(store::Db& db, const std::string& account) {
  std::vector<Role> roles;
  auto done = query(
      db,
      "SELECT account_id, name, path, role_id, trust_policy, description, max_session_duration, "
      "create_date FROM iam_roles WHERE account_id = ? ORDER BY name",
      [&](store::Statement& s) { s.bind(1, account); },
      [&](const store::Statement& row) { roles.push_back(read_role(row)); });
  if (!done.ok()) return common::fail(done.error());
  return roles;
}

Status<> update_role(store::Db& db, const Role& role) {
  auto done = execute(db,
                      "UPDATE iam_roles SET trust_policy = ?, description = ?, max_session_duration = ? "
                      "WHERE account_id = ? AND name = ?",
                      [&](store::Statement& s) {
                        s.bind(1, role.trust_policy).bind(2, role.description).bind(3, role.max_session_duration);
                        s.bind(4, role.account_id).bind(5, role.name);
                      });
  if (!done.ok()) return common::fail(done.error());
  return common::ok();
}

Status<> delete_role(store::Db& db, const std::string& account, const std::string& name) {
  auto done = execute(db, "DELETE FROM iam_roles WHERE account_id = ? AND name = ?",
                      [&](store::Statement& s) { s.bind(1, account).bind(2, name); });
  if (!done.ok()) return common::fail(done.error());
  return delete_tags(db, account, "role", name);
}

}  // namespace iam::repo
