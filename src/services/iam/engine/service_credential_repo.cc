// SQL of service-specific credentials (table iam_service_credentials).
#include "services/iam/engine/repos.h"
#include "services/iam/engine/sql.h"

namespace iam::repo {
namespace {

constexpr const char* kColumns =
    "SELECT credential_id, account_id, user_name, service_name, service_user_name, salt, password_hash, active, "
    "create_date FROM iam_service_credentials ";

StoredServiceCredential read_credential(const store::Statement& row) {
  StoredServiceCredential stored;
  ServiceCredential& c = stored.credential;
  c.credential_id = row.text(0);
  c.account_id = row.text(1);
  c.user_name = row.text(2);
  c.service_name = row.text(3);
  c.service_user_name = row.text(4);
  stored.salt = row.text(5);
  stored.hash = row.text(6);
  c.active = row.integer(7) != 0;
  c.create_date = row.integer(8);
  return stored;
}

template <class Bind>
Result<std::vector<StoredServiceCredential>> select(store::Db& db, const std::string& where, Bind&& bind) {
  std::vector<StoredServiceCredential> out;
  auto done = query(db, std::string(kColumns) + where, std::forward<Bind>(bind),
                    [&](const store::Statement& row) { out.push_back(read_credential(row)); });
  if (!done.ok()) return common::fail(done.error());
  return out;
}

Status<> changed(const Result<int>& done) {
  if (!done.ok()) return common::fail(done.error());
  return common::ok();
}

}  // namespace

Status<> insert_service_credential(store::Db& db, const StoredServiceCredential& stored) {
  const ServiceCredential& c = stored.credential;
  return changed(execute(db,
                         "INSERT INTO iam_service_credentials (credential_id, account_id, user_name, service_name, "
                         "service_user_name, salt, password_hash, active, create_date) VALUES (?,?,?,?,?,?,?,?,?)",
                         [&](store::Statement& s) {
                           s.bind(1, c.credential_id).bind(2, c.account_id).bind(3, c.user_name);
                           s.bind(4, c.service_name).bind(5, c.service_user_name).bind(6, stored.salt);
                           s.bind(7, stored.hash).bind(8, c.active).bind(9, c.create_date);
                         }));
}

Result<std::optional<StoredServiceCredential>> find_service_credential(store::Db& db,
                                                                       const std::string& credential_id) {
  auto found = select(db, "WHERE credential_id = ?", [&](store::Statement& s) { s.bind(1, credential_id); });
  if (!found.ok()) return common::fail(found.error());
  if (found->empty()) return std::optional<StoredServiceCredential>();
  return std::optional<StoredServiceCredential>(std::move(found->front()));
}

Result<std::vector<StoredServiceCredential>> list_service_credentials(store::Db& db, const std::string& account,
                                                                      const std::string& user_name) {
  return select(db, "WHERE account_id = ? AND user_name = ? ORDER BY create_date, credential_id",
                [&](store::Statement& s) { s.bind(1, account).bind(2, user_name); });
}

Result<std::vector<StoredServiceCredential>> service_credentials_by_login(store::Db& db,
                                                                          const std::string& service_user_name) {
  return select(db, "WHERE service_user_name = ?", [&](store::Statement& s) { s.bind(1, service_user_name); });
}

Status<> set_service_credential_status(store::Db& db, const std::string& credential_id, bool active) {
  return changed(execute(db, "UPDATE iam_service_credentials SET active = ? WHERE credential_id = ?",
                         [&](store::Statement& s) { s.bind(1, active).bind(2, credential_id); }));
}

Status<> set_service_credential_password(store::Db& db, const std::string& credential_id, const std::string& salt,
                                         const std::string& hash) {
  return changed(execute(db, "UPDATE iam_service_credentials SET salt = ?, password_hash = ? WHERE credential_id = ?",
                         [&](store::Statement& s) { s.bind(1, salt).bind(2, hash).bind(3, credential_id); }));
}

Status<> delete_service_credential(store::Db& db, const std::string& credential_id) {
  return changed(execute(db, "DELETE FROM iam_service_credentials WHERE credential_id = ?",
                         [&](store::Statement& s) { s.bind(1, credential_id); }));
}

}  // namespace iam::repo
