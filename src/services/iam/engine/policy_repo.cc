#include "services/iam/engine/repos.h"
#include "services/iam/engine/sql.h"
#include "services/iam/model/arns.h"

namespace iam::repo {
namespace {

constexpr std::string_view kPolicySelect =
    "SELECT p.arn, p.account_id, p.name, p.path, p.policy_id, p.default_version, p.description, p.create_date, "
    "p.update_date, (SELECT COUNT(*) FROM iam_attachments a WHERE a.policy_arn = p.arn) FROM iam_policies p ";

ManagedPolicy read_policy(const store::Statement& row) {
  ManagedPolicy policy;
  policy.arn = row.text(0);
  policy.account_id = row.text(1);
  policy.name = row.text(2);
  policy.path = row.text(3);
  policy.policy_id = row.text(4);
  policy.default_version = static_cast<int>(row.integer(5));
  policy.description = row.optional_text(6);
  policy.create_date = row.integer(7);
  policy.update_date = row.integer(8);
  policy.attachment_count = static_cast<int>(row.integer(9));
  return policy;
}

Status<> status_of(const Result<int>& done) {
  if (!done.ok()) return common::fail(done.error());
  return common::ok();
}

}  // namespace

// Inline policies

Status<> put_inline(store::Db& db, const std::string& account, std::string_view kind, const std::string& owner,
                    const std::string& name, const std::string& document) {
  return status_of(execute(
      db,
      "INSERT INTO iam_inline_policies (account_id, owner_kind, owner_name, policy_name, document) "
      "VALUES (?,?,?,?,?) ON CONFLICT (account_id, owner_kind, owner_name, policy_name) DO UPDATE "
      "SET document = excluded.document",
      [&](store::Statement& s) { s.bind(1, account).bind(2, kind).bind(3, owner).bind(4, name).bind(5, document); }));
}

Result<std::optional<std::string>> get_inline(store::Db& db, const std::string& account, std::string_view kind,
                                              const std::string& owner, const std::string& name) {
  std::optional<std::string> document;
  auto done = query(
      db,
      "SELECT document FROM iam_inline_policies WHERE account_id = ? AND owner_kind = ? AND "
      "owner_name = ? AND policy_name = ?",
      [&](store::Statement& s) { s.bind(1, account).bind(2, kind).bind(3, owner).bind(4, name); },
      [&](const store::Statement& row) { document = row.text(0); });
  if (!done.ok()) return common::fail(done.error());
  return document;
}

Result<std::vector<std::pair<std::string, std::string>>> list_inline(store::Db& db, const std::string& account,
                                                                     std::string_view kind, const std::string& owner) {
  std::vector<std::pair<std::string, std::string>> policies;
  auto done = query(
      db,
      "SELECT policy_name, document FROM iam_inline_policies WHERE account_id = ? AND owner_kind = ? "
      "AND owner_name = ? ORDER BY policy_name",
      [&](store::Statement& s) { s.bind(1, account).bind(2, kind).bind(3, owner); },
      [&](const store::Statement& row) { policies.emplace_back(row.text(0), row.text(1)); });
  if (!done.ok()) return common::fail(done.error());
  return policies;
}

Result<bool> delete_inline(store::Db& db, const std::string& account, std::string_view kind, const std::string& owner,
                           const std::string& name) {
  auto done = execute(db,
                      "DELETE FROM iam_inline_policies WHERE account_id = ? AND owner_kind = ? AND owner_name = ? "
                      "AND policy_name = ?",
                      [&](store::Statement& s) { s.bind(1, account).bind(2, kind).bind(3, owner).bind(4, name); });
  if (!done.ok()) return common::fail(done.error());
  return *done > 0;
}

// Managed policies

Status<> insert_policy(store::Db& db, const ManagedPolicy& p) {
  return status_of(execute(db,
                           "INSERT INTO iam_policies (arn, account_id, name, path, policy_id, default_version, "
                           "description, create_date, update_date) VALUES (?,?,?,?,?,?,?,?,?)",
                           [&](store::Statement& s) {
                             s.bind(1, p.arn).bind(2, p.account_id).bind(3, p.name).bind(4, p.path);
                             s.bind(5, p.policy_id).bind(6, p.default_version).bind(7, p.description);
                             s.bind(8, p.create_date).bind(9, p.update_date);
                           }));
}

Result<std::optional<ManagedPolicy>> find_policy(store::Db& db, const std::string& arn) {
  std::optional<ManagedPolicy> found;
  auto done = query(
      db, std::string(kPolicySelect) + "WHERE p.arn = ?", [&](store::Statement& s) { s.bind(1, arn); },
      [&](const store::Statement& row) { found = read_policy(row); });
  if (!done.ok()) return common::fail(done.error());
  return found;
}

Result<std::optional<ManagedPolicy>> find_policy_by_name(store::Db& db, const std::string& account,
                                                         const std::string& name) {
  std::optional<ManagedPolicy> found;
  auto done = query(
      db, std::string(kPolicySelect) + "WHERE p.account_id = ? AND p.name = ?",
      [&](store::Statement& s) { s.bind(1, account).bind(2, name); },
      [&](const store::Statement& row) { found = read_policy(row); });
  if (!done.ok()) return common::fail(done.error());
  return found;
}

Result<std::vector<ManagedPolicy>> list_policies(store::Db& db, const std::string& account) {
  std::vector<ManagedPolicy> policies;
  auto done = query(
      db, std::string(kPolicySelect) + "WHERE p.account_id = ? ORDER BY p.name",
      [&](store::Statement& s) { s.bind(1, account); },
      [&](const store::Statement& row) { policies.push_back(read_policy(row)); });
  if (!done.ok()) return common::fail(done.error());
  return policies;
}

Status<> set_default_version(store::Db& db, const std::string& arn, int version, int64_t now) {
  return status_of(execute(db, "UPDATE iam_policies SET default_version = ?, update_date = ? WHERE arn = ?",
                           [&](store::Statement& s) { s.bind(1, version).bind(2, now).bind(3, arn); }));
}

Status<> delete_policy(store::Db& db, const std::string& arn) {
  auto versions =
      execute(db, "DELETE FROM iam_policy_versions WHERE policy_arn = ?", [&](store::Statement& s) { s.bind(1, arn); });
  if (!versions.ok()) return common::fail(versions.error());
  return status_of(execute(db, "DELETE FROM iam_policies WHERE arn = ?", [&](store::Statement& s) { s.bind(1, arn); }));
}

Status<> insert_version(store::Db& db, const std::string& arn, const PolicyVersion& v) {
  return status_of(execute(
      db, "INSERT INTO iam_policy_versions (policy_arn, version, document, create_date) VALUES (?,?,?,?)",
      [&](store::Statement& s) { s.bind(1, arn).bind(2, v.version).bind(3, v.document).bind(4, v.create_date); }));
}

Result<std::vector<PolicyVersion>> list_versions(store::Db& db, const std::string& arn) {
  std::vector<PolicyVersion> versions;
  auto done = query(
      db,
      "SELECT v.version, v.document, v.create_date, p.default_version FROM iam_policy_versions v "
      "JOIN iam_policies p ON p.arn = v.policy_arn WHERE v.policy_arn = ? ORDER BY v.version DESC",
      [&](store::Statement& s) { s.bind(1, arn); },
      [&](const store::Statement& row) {
        PolicyVersion v;
        v.version = static_cast<int>(row.integer(0));
        v.document = row.text(1);
        v.create_date = row.integer(2);
        v.is_default = row.integer(3) == v.version;
        versions.push_back(std::move(v));
      });
  if (!done.ok()) return common::fail(done.error());
  return versions;
}

Result<int> take_next_version(store::Db& db, const std::string& arn) {
  int next = 0;
  auto done = query(
      db, "SELECT next_version FROM iam_policies WHERE arn = ?", [&](store::Statement& s) { s.bind(1, arn); },
      [&](const store::Statement& row) { next = static_cast<int>(row.integer(0)); });
  if (!done.ok()) return common::fail(done.error());
  auto bumped = execute(db, "UPDATE iam_policies SET next_version = next_version + 1 WHERE arn = ?",
                        [&](store::Statement& s) { s.bind(1, arn); });
  if (!bumped.ok()) return common::fail(bumped.error());
  return next;
}

Status<> delete_version(store::Db& db, const std::string& arn, int version) {
  return status_of(execute(db, "DELETE FROM iam_policy_versions WHERE policy_arn = ? AND version = ?",
                           [&](store::Statement& s) { s.bind(1, arn).bind(2, version); }));
}

// Attachments

Result<bool> attach(store::Db& db, const std::string& account, std::string_view kind, const std::string& owner,
                    const std::string& arn) {
  auto done = execute(db,
                      "INSERT OR IGNORE INTO iam_attachments (account_id, owner_kind, owner_name, policy_arn, seq) "
                      "VALUES (?,?,?,?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM iam_attachments))",
                      [&](store::Statement& s) { s.bind(1, account).bind(2, kind).bind(3, owner).bind(4, arn); });
  if (!done.ok()) return common::fail(done.error());
  return *done > 0;
}

Result<bool> detach(store::Db& db, const std::string& account, std::string_view kind, const std::string& owner,
                    const std::string& arn) {
  auto done = execute(db,
                      "DELETE FROM iam_attachments WHERE account_id = ? AND owner_kind = ? AND owner_name = ? AND "
                      "policy_arn = ?",
                      [&](store::Statement& s) { s.bind(1, account).bind(2, kind).bind(3, owner).bind(4, arn); });
  if (!done.ok()) return common::fail(done.error());
  return *done > 0;
}

Result<std::vector<std::string>> attached_arns(store::Db& db, const std::string& account, std::string_view kind,
                                               const std::string& owner) {
  std::vector<std::string> arns;
  auto done = query(
      db,
      "SELECT policy_arn FROM iam_attachments WHERE account_id = ? AND owner_kind = ? AND "
      "owner_name = ? ORDER BY seq",
      [&](store::Statement& s) { s.bind(1, account).bind(2, kind).bind(3, owner); },
      [&](const store::Statement& row) { arns.push_back(row.text(0)); });
  if (!done.ok()) return common::fail(done.error());
  return arns;
}

Result<std::vector<std::pair<std::string, std::string>>> attachments_of(store::Db& db, const std::string& account,
                                                                        const std::string& arn) {
  std::vector<std::pair<std::string, std::string>> owners;
  auto done = query(
      db,
      "SELECT owner_kind, owner_name FROM iam_attachments WHERE account_id = ? AND policy_arn = ? "
      "ORDER BY owner_name",
      [&](store::Statement& s) { s.bind(1, account).bind(2, arn); },
      [&](const store::Statement& row) { owners.emplace_back(row.text(0), row.text(1)); });
  if (!done.ok()) return common::fail(done.error());
  return owners;
}

Result<int> attachment_count(store::Db& db, const std::string& account, const std::string& arn) {
  int count = 0;
  auto done = query(
      db, "SELECT COUNT(*) FROM iam_attachments WHERE account_id = ? AND policy_arn = ?",
      [&](store::Statement& s) { s.bind(1, account).bind(2, arn); },
      [&](const store::Statement& row) { count = static_cast<int>(row.integer(0)); });
  if (!done.ok()) return common::fail(done.error());
  return count;
}

Status<> rename_owner(store::Db& db, const std::string& account, std::string_view kind, const std::string& name,
                      const std::string& new_name) {
  for (std::string_view table : {"iam_attachments", "iam_inline_policies", "iam_tags"}) {
    std::string sql = "UPDATE " + std::string(table) +
                      " SET owner_name = ? WHERE account_id = ? AND owner_kind = ? AND owner_name = ?";
    auto done = execute(db, sql,
                        [&](store::Statement& s) { s.bind(1, new_name).bind(2, account).bind(3, kind).bind(4, name); });
    if (!done.ok()) return common::fail(done.error());
  }
  return common::ok();
}

}  // namespace iam::repo
