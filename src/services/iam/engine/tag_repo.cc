#include "services/iam/engine/repos.h"
#include "services/iam/engine/sql.h"

namespace iam::repo {

Result<std::vector<Tag>> list_tags(store::Db& db, const std::string& account, std::string_view kind,
                                   const std::string& owner) {
  std::vector<Tag> tags;
  auto done = query(
      db,
      "SELECT key, value FROM iam_tags WHERE account_id = ? AND owner_kind = ? AND owner_name = ? "
      "ORDER BY seq",
      [&](store::Statement& s) { s.bind(1, account).bind(2, kind).bind(3, owner); },
      [&](const store::Statement& row) {
        tags.push_back(Tag{row.text(0), row.text(1)});
      });
  if (!done.ok()) return common::fail(done.error());
  return tags;
}

Status<> put_tag(store::Db& db, const std::string& account, std::string_view kind, const std::string& owner,
                 const Tag& tag) {
  // An existing key keeps its position and takes the new value (and the new key's case).
  auto done = execute(db,
                      "INSERT INTO iam_tags (account_id, owner_kind, owner_name, key, value, seq) VALUES (?,?,?,?,?, "
                      "(SELECT COALESCE(MAX(seq), 0) + 1 FROM iam_tags)) ON CONFLICT (account_id, owner_kind, "
                      "owner_name, key) DO UPDATE SET key = excluded.key, value = excluded.value",
                      [&](store::Statement& s) {
                        s.bind(1, account).bind(2, kind).bind(3, owner).bind(4, tag.key).bind(5, tag.value);
                      });
  if (!done.ok()) return common::fail(done.error());
  return common::ok();
}

Status<> delete_tag(store::Db& db, const std::string& account, std::string_view kind, const std::string& owner,
                    const std::string& key) {
  auto done = execute(db, "DELETE FROM iam_tags WHERE account_id = ? AND owner_kind = ? AND owner_name = ? AND key = ?",
                      [&](store::Statement& s) { s.bind(1, account).bind(2, kind).bind(3, owner).bind(4, key); });
  if (!done.ok()) return common::fail(done.error());
  return common::ok();
}

Status<> delete_tags(store::Db& db, const std::string& account, std::string_view kind, const std::string& owner) {
  auto done = execute(db, "DELETE FROM iam_tags WHERE account_id = ? AND owner_kind = ? AND owner_name = ?",
                      [&](store::Statement& s) { s.bind(1, account).bind(2, kind).bind(3, owner); });
  if (!done.ok()) return common::fail(done.error());
  return common::ok();
}

}  // namespace iam::repo
