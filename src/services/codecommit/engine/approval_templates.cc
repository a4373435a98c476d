// Approval rule templates: create, read, list, rename, describe, change content, delete; and the
// rules the pull request engine copies from the templates associated with a repository.
#include "services/codecommit/engine/approval_templates.h"

#include "common/ids.h"
#include "services/codecommit/engine/approval_template_store.h"

namespace codecommit {
namespace {

// Times are REAL epoch seconds. Associations name repositories by id (renames keep it) and are
// read joined with codecommit_repositories, so a deleted repository's rows are never seen;
// associate_in_tx removes them when it next writes.
const std::vector<store::Migration>& migrations() {
  static const std::vector<store::Migration> kMigrations = {
      {1, R"sql(
CREATE TABLE codecommit_approval_rule_templates (
  id TEXT PRIMARY KEY,
  account TEXT NOT NULL,
  region TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  content TEXT NOT NULL,
  last_modified_user TEXT NOT NULL,
  created REAL NOT NULL,
  modified REAL NOT NULL,
  UNIQUE (account, region, name)
) WITHOUT ROWID;
CREATE TABLE codecommit_template_associations (
  template_id TEXT NOT NULL,
  repo_id TEXT NOT NULL,
  PRIMARY KEY (template_id, repo_id)
) WITHOUT ROWID;
CREATE INDEX codecommit_template_associations_by_repo ON codecommit_template_associations (repo_id);
)sql"},
  };
  return kMigrations;
}

Error name_taken(std::string_view name) {
  return error(Errc::ApprovalRuleTemplateNameAlreadyExists,
               "An approval rule template with that name already exists in this AWS Region for your AWS account: " +
                   std::string(name));
}

// How many repositories (that still exist) the template is associated with.
Result<int64_t> association_count(store::Db& db, std::string_view template_id) {
  int64_t count = 0;
  auto r = Sql::query(
      db,
      "SELECT COUNT(*) FROM codecommit_template_associations a JOIN codecommit_repositories r ON r.id = a.repo_id "
      "WHERE a.template_id = ?",
      [&](store::Statement& s) { s.bind(1, template_id); },
      [&](store::Statement& s) {
        count = s.integer(0);
        return false;
      });
  if (!r.ok()) return common::fail(r.error());
  return count;
}

}  // namespace

ApprovalTemplateEngine::ApprovalTemplateEngine(CodeCommitEngine& repositories) : repositories_(repositories) {}

common::Status<> ApprovalTemplateEngine::migrate() {
  return repositories_.db().migrate("codecommit_templates", migrations());
}

Result<ApprovalRuleTemplate> ApprovalTemplateEngine::create_template(const TemplateScope& scope, std::string name,
                                                                     std::string description, std::string content,
                                                                     std::string_view caller_arn) {
  if (auto r = check_template_name(name); !r.ok()) return common::fail(r.error());
  if (auto r = check_template_description(description); !r.ok()) return common::fail(r.error());
  if (auto r = check_template_content(content); !r.ok()) return common::fail(r.error());
  store::Db& db = repositories_.db();
  ApprovalRuleTemplate tmpl;
  {
    store::Transaction tx(db, store::Transaction::Mode::Write);
    if (!tx.ok()) return common::fail(internal_error(tx.error()));
    auto existing = read_template(db, scope, name);
    if (!existing.ok()) return common::fail(existing.error());
    if (*existing) return common::fail(name_taken(name));
    int64_t count = 0;
    auto counted = Sql::query(
        db, "SELECT COUNT(*) FROM codecommit_approval_rule_templates WHERE account = ? AND region = ?",
        [&](store::Statement& s) { s.bind(1, scope.account).bind(2, scope.region); },
        [&](store::Statement& s) {
          count = s.integer(0);
          return false;
        });
    if (!counted.ok()) return common::fail(counted.error());
    if (static_cast<size_t>(count) >= kMaxTemplatesPerRegion) {
      return common::fail(
          error(Errc::NumberOfRuleTemplatesExceeded,
                "The maximum number of approval rule templates has been exceeded for this AWS Region."));
    }
    tmpl.id = common::uuid4();
    tmpl.name = std::move(name);
    tmpl.description = std::move(description);
    tmpl.content = std::move(content);
    tmpl.content_sha256 = rule_content_sha256(tmpl.content);
    tmpl.last_modified_user = std::string(caller_arn);
    tmpl.created = tmpl.modified = repositories_.clock().now();
    auto inserted = Sql::execute(db,
                                 "INSERT INTO codecommit_approval_rule_templates (id, account, region, name, "
                                 "description, content, last_modified_user, created, modified) "
                                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                 [&](store::Statement& s) {
                                   s.bind(1, tmpl.id).bind(2, scope.account).bind(3, scope.region);
                                   s.bind(4, tmpl.name).bind(5, tmpl.description).bind(6, tmpl.content);
                                   s.bind(7, tmpl.last_modified_user);
                                   s.bind(8, common::to_epoch_seconds(tmpl.created));
                                   s.bind(9, common::to_epoch_seconds(tmpl.modified));
                                 });
    if (!inserted.ok()) return common::fail(inserted.error());
    auto event =
        append_template_event(repositories_.bus(), scope, tmpl, "approvalRuleTemplateCreated", {}, caller_arn,
                              "An approval rule template with the following name has been created: " + tmpl.name +
                                  ". The ID of the created template is: " + tmpl.id + ".");
    if (!event.ok()) return common::fail(event.error());
    if (auto r = Sql::commit(tx); !r.ok()) return common::fail(r.error());
  }
  repositories_.bus().notify();
  return tmpl;
}

Result<ApprovalRuleTemplate> ApprovalTemplateEngine::get_template(const TemplateScope& scope,
                                                                  std::string_view name) const {
  return require_template(repositories_.db(), scope, name);
}

Result<std::vector<std::string>> ApprovalTemplateEngine::list_templates(const TemplateScope& scope) const {
  std::vector<std::string> names;
  auto r = Sql::query(
      repositories_.db(),
      "SELECT name FROM codecommit_approval_rule_templates WHERE account = ? AND region = ? ORDER BY name",
      [&](store::Statement& s) { s.bind(1, scope.account).bind(2, scope.region); },
      [&](store::Statement& s) {
        names.push_back(s.text(0));
        return true;
      });
  if (!r.ok()) return common::fail(r.error());
  return names;
}

Result<std::optional<std::string>> ApprovalTemplateEngine::delete_template(const TemplateScope& scope,
                                                                           std::string_view name,
                                                                           std::string_view caller_arn) {
  store::Db& db = repositories_.db();
  std::string id;
  {
    store::Transaction tx(db, store::Transaction::Mode::Write);
    if (!tx.ok()) return common::fail(internal_error(tx.error()));
    auto found = read_template(db, scope, name);
    if (!found.ok()) return common::fail(found.error());
    if (!*found) return std::optional<std::string>();
    auto used = association_count(db, (*found)->id);
    if (!used.ok()) return common::fail(used.error());
    if (*used > 0) {
      return common::fail(error(Errc::ApprovalRuleTemplateInUse,
                                "The approval rule template is associated with one or more repositories. You cannot "
                                "delete a template that is associated with a repository. Remove all associations, and "
                                "then try again."));
    }
    id = (*found)->id;
    auto bind_id = [&](store::Statement& s) { s.bind(1, id); };
    // Rows left by deleted repositories go with the template.
    if (auto r = Sql::execute(db, "DELETE FROM codecommit_template_associations WHERE template_id = ?", bind_id);
        !r.ok()) {
      return common::fail(r.error());
    }
    if (auto r = Sql::execute(db, "DELETE FROM codecommit_approval_rule_templates WHERE id = ?", bind_id); !r.ok()) {
      return common::fail(r.error());
    }
    auto event =
        append_template_event(repositories_.bus(), scope, **found, "approvalRuleTemplateDeleted", {}, caller_arn,
                              "An approval rule template with the following name has been deleted: " + (*found)->name +
                                  ". The ID of the deleted template is: " + id + ".");
    if (!event.ok()) return common::fail(event.error());
    if (auto r = Sql::commit(tx); !r.ok()) return common::fail(r.error());
  }
  repositories_.bus().notify();
  return std::optional<std::string>(std::move(id));
}

namespace {

// One column of a template changed (name, description or content), with lastModifiedUser and
// lastModifiedDate, and the approvalRuleTemplateUpdated event; the caller's transaction is open.
Status update_column(CodeCommitEngine& engine, const TemplateScope& scope, ApprovalRuleTemplate& tmpl,
                     const char* column, const std::string& value, std::string_view caller_arn) {
  tmpl.modified = engine.clock().now();
  tmpl.last_modified_user = std::string(caller_arn);
  auto r = Sql::execute(engine.db(),
                        std::string("UPDATE codecommit_approval_rule_templates SET ") + column +
                            " = ?, last_modified_user = ?, modified = ? WHERE id = ?",
                        [&](store::Statement& s) {
                          s.bind(1, value).bind(2, tmpl.last_modified_user);
                          s.bind(3, common::to_epoch_seconds(tmpl.modified)).bind(4, tmpl.id);
                        });
  if (!r.ok()) return r;
  return append_template_event(engine.bus(), scope, tmpl, "approvalRuleTemplateUpdated", {}, caller_arn,
                               "An approval rule template with the following name has been updated: " + tmpl.name +
                                   ". The ID of the updated template is: " + tmpl.id +
                                   ". The after rule template content SHA256 is " + tmpl.content_sha256 + ".");
}

}  // namespace

Result<ApprovalRuleTemplate> ApprovalTemplateEngine::rename_template(const TemplateScope& scope,
                                                                     std::string_view old_name, std::string new_name,
                                                                     std::string_view caller_arn) {
  if (auto r = check_template_name(new_name); !r.ok()) return common::fail(r.error());
  store::Db& db = repositories_.db();
  ApprovalRuleTemplate tmpl;
  {
    store::Transaction tx(db, store::Transaction::Mode::Write);
    if (!tx.ok()) return common::fail(internal_error(tx.error()));
    auto found = require_template(db, scope, old_name);
    if (!found.ok()) return common::fail(found.error());
    tmpl = std::move(*found);
    if (new_name != tmpl.name) {
      auto clash = read_template(db, scope, new_name);
      if (!clash.ok()) return common::fail(clash.error());
      if (*clash) return common::fail(name_taken(new_name));
    }
    tmpl.name = new_name;
    if (auto r = update_column(repositories_, scope, tmpl, "name", new_name, caller_arn); !r.ok()) {
      return common::fail(r.error());
    }
    if (auto r = Sql::commit(tx); !r.ok()) return common::fail(r.error());
  }
  repositories_.bus().notify();
  return tmpl;
}

Result<ApprovalRuleTemplate> ApprovalTemplateEngine::set_description(const TemplateScope& scope, std::string_view name,
                                                                     std::string description,
                                                                     std::string_view caller_arn) {
  if (auto r = check_template_description(description); !r.ok()) return common::fail(r.error());
  store::Db& db = repositories_.db();
  ApprovalRuleTemplate tmpl;
  {
    store::Transaction tx(db, store::Transaction::Mode::Write);
    if (!tx.ok()) return common::fail(internal_error(tx.error()));
    auto found = require_template(db, scope, name);
    if (!found.ok()) return common::fail(found.error());
    tmpl = std::move(*found);
    tmpl.description = description;
    if (auto r = update_column(repositories_, scope, tmpl, "description", description, caller_arn); !r.ok()) {
      return common::fail(r.error());
    }
    if (auto r = Sql::commit(tx); !r.ok()) return common::fail(r.error());
  }
  repositories_.bus().notify();
  return tmpl;
}

Result<ApprovalRuleTemplate> ApprovalTemplateEngine::set_content(const TemplateScope& scope, std::string_view name,
                                                                 std::string content, std::string_view existing_sha256,
                                                                 std::string_view caller_arn) {
  if (auto r = check_template_content(content); !r.ok()) return common::fail(r.error());
  store::Db& db = repositories_.db();
  ApprovalRuleTemplate tmpl;
  {
    store::Transaction tx(db, store::Transaction::Mode::Write);
    if (!tx.ok()) return common::fail(internal_error(tx.error()));
    auto found = require_template(db, scope, name);
    if (!found.ok()) return common::fail(found.error());
    tmpl = std::move(*found);
    // Checked inside the transaction: two editors holding the same hash cannot both win.
    if (!existing_sha256.empty() && existing_sha256 != tmpl.content_sha256) {
      return common::fail(
          error(Errc::InvalidRuleContentSha256, "The SHA-256 hash signature for the rule content is not valid."));
    }
    tmpl.content = content;
    tmpl.content_sha256 = rule_content_sha256(content);
    if (auto r = update_column(repositories_, scope, tmpl, "content", content, caller_arn); !r.ok()) {
      return common::fail(r.error());
    }
    if (auto r = Sql::commit(tx); !r.ok()) return common::fail(r.error());
  }
  repositories_.bus().notify();
  return tmpl;
}

Result<std::vector<TemplateRule>> ApprovalTemplateEngine::associated_rules(const Repository& repo) const {
  std::vector<TemplateRule> rules;
  auto r = Sql::query(
      repositories_.db(),
      "SELECT t.id, t.name, t.content FROM codecommit_template_associations a "
      "JOIN codecommit_approval_rule_templates t ON t.id = a.template_id "
      "JOIN codecommit_repositories r ON r.id = a.repo_id WHERE a.repo_id = ? ORDER BY t.name",
      [&](store::Statement& s) { s.bind(1, repo.id); },
      [&](store::Statement& s) {
        rules.push_back(TemplateRule{s.text(0), s.text(1), s.text(2)});
        return true;
      });
  if (!r.ok()) return common::fail(r.error());
  return rules;
}

}  // namespace codecommit
