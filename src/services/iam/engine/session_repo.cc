#include "services/iam/engine/repos.h"
#include "services/iam/engine/sql.h"

namespace iam::repo {

Status<> insert_session(store::Db& db, const std::string& access_key_id, const std::string& secret,
                        const std::string& token, const dispatch::Principal& p) {
  auto done = execute(db,
                      "INSERT INTO iam_sessions (access_key_id, secret, token, account_id, kind, arn, user_id, name, "
                      "session_name, role_arn, session_policy, expires) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                      [&](store::Statement& s) {
                        s.bind(1, access_key_id).bind(2, secret).bind(3, token).bind(4, p.account_id);
                        s.bind(5, static_cast<int64_t>(p.kind)).bind(6, p.arn).bind(7, p.user_id).bind(8, p.name);
                        s.bind(9, p.session_name).bind(10, p.role_arn).bind(11, p.session_policy);
                        s.bind(12, p.expires_epoch);
                      });
  if (!done.ok()) return common::fail(done.error());
  return common::ok();
}

Result<std::optional<StoredSession>> find_session(store::Db& db, const std::string& access_key_id) {
  std::optional<StoredSession> found;
  auto done = query(
      db,
      "SELECT secret, token, account_id, kind, arn, user_id, name, session_name, role_arn, "
      "session_policy, expires FROM iam_sessions WHERE access_key_id = ?",
      [&](store::Statement& s) { s.bind(1, access_key_id); },
      [&](const store::Statement& row) {
        StoredSession session;
        session.secret = row.text(0);
        session.token = row.text(1);
        dispatch::Principal& p = session.principal;
        p.account_id = row.text(2);
        p.kind = static_cast<dispatch::Principal::Kind>(row.integer(3));
        p.arn = row.text(4);
        p.user_id = row.text(5);
        p.name = row.text(6);
        p.session_name = row.text(7);
        p.role_arn = row.text(8);
        p.session_policy = row.optional_text(9);
        p.expires_epoch = row.integer(10);
        p.access_key_id = access_key_id;
        found = std::move(session);
      });
  if (!done.ok()) return common::fail(done.error());
  return found;
}

Status<> delete_expired_sessions(store::Db& db, int64_t now) {
  // Kept a day past expiry so late requests still get ExpiredToken rather than an unknown key.
  auto done =
      execute(db, "DELETE FROM iam_sessions WHERE expires < ?", [&](store::Statement& s) { s.bind(1, now - 86400); });
  if (!done.ok()) return common::fail(done.error());
  return common::ok();
}

}  // namespace iam::repo
