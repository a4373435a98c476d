// Associations between approval rule templates and repositories: single and batch, both ways,
// and the listings in each direction.
#include <algorithm>

#include "services/codecommit/engine/approval_template_store.h"

namespace codecommit {
namespace {

Error too_many_templates() {
  return error(Errc::MaximumRuleTemplatesAssociatedWithRepository,
               "The maximum number of approval rule templates for a repository has been exceeded. You cannot "
               "associate more than 25 approval rule templates with a repository.");
}

std::string exception_name(Errc code) {
  switch (code) {
    case Errc::RepositoryDoesNotExist: return "RepositoryDoesNotExistException";
    case Errc::InvalidRepositoryName: return "InvalidRepositoryNameException";
    case Errc::MaximumRuleTemplatesAssociatedWithRepository:
      return "MaximumRuleTemplatesAssociatedWithRepositoryException";
    default: return "InternalFailure";
  }
}

Status check_batch(const std::vector<std::string>& names) {
  if (names.empty()) {
    return common::fail(error(Errc::RepositoryNamesRequired,
                              "At least one repository name object is required, but was not specified."));
  }
  if (names.size() > kMaxBatchRepositoryNames) {
    return common::fail(error(Errc::MaximumRepositoryNamesExceeded,
                              "The maximum number of allowed repository names was exceeded. Currently, this number is "
                              "100."));
  }
  return common::ok();
}

// "[a, b]" as the batch events list repositories.
std::string bracketed(const std::vector<Repository>& repos) {
  std::string out = "[";
  for (const auto& repo : repos) out += (out.size() > 1 ? ", " : "") + repo.name;
  return out + "]";
}

}  // namespace

Result<std::optional<Error>> ApprovalTemplateEngine::associate_in_tx(const ApprovalRuleTemplate& tmpl,
                                                                     const Repository& repo) {
  store::Db& db = repositories_.db();
  // Reads never see the rows of deleted repositories; this is where they go away.
  auto swept = Sql::execute(
      db, "DELETE FROM codecommit_template_associations WHERE repo_id NOT IN (SELECT id FROM codecommit_repositories)",
      [](store::Statement&) {});
  if (!swept.ok()) return common::fail(swept.error());
  auto already = Sql::exists(db, "SELECT 1 FROM codecommit_template_associations WHERE template_id = ? AND repo_id = ?",
                             [&](store::Statement& s) { s.bind(1, tmpl.id).bind(2, repo.id); });
  if (!already.ok()) return common::fail(already.error());
  if (*already) return std::optional<Error>();
  int64_t count = 0;
  auto counted = Sql::query(
      db, "SELECT COUNT(*) FROM codecommit_template_associations WHERE repo_id = ?",
      [&](store::Statement& s) { s.bind(1, repo.id); },
      [&](store::Statement& s) {
        count = s.integer(0);
        return false;
      });
  if (!counted.ok()) return common::fail(counted.error());
  if (static_cast<size_t>(count) >= kMaxTemplatesPerRepository) return std::optional<Error>(too_many_templates());
  auto inserted = Sql::execute(db, "INSERT INTO codecommit_template_associations (template_id, repo_id) VALUES (?, ?)",
                               [&](store::Statement& s) { s.bind(1, tmpl.id).bind(2, repo.id); });
  if (!inserted.ok()) return common::fail(inserted.error());
  return std::optional<Error>();
}

Status ApprovalTemplateEngine::associate(const TemplateScope& scope, std::string_view template_name,
                                         std::string_view repository_name, std::string_view caller_arn) {
  store::Db& db = repositories_.db();
  {
    store::Transaction tx(db, store::Transaction::Mode::Write);
    if (!tx.ok()) return common::fail(internal_error(tx.error()));
    auto tmpl = require_template(db, scope, template_name);
    if (!tmpl.ok()) return common::fail(tmpl.error());
    auto repo = read_repository(db, repositories_.data_dir(),
                                RepoRef{scope.account, scope.region, std::string(repository_name)});
    if (!repo.ok()) return common::fail(repo.error());
    if (!*repo) return common::fail(repository_not_found(repository_name));
    auto done = associate_in_tx(*tmpl, **repo);
    if (!done.ok()) return common::fail(done.error());
    if (*done) return common::fail(**done);
    auto event = append_template_event(
        repositories_.bus(), scope, *tmpl, "approvalRuleTemplateAssociatedWithRepository", {**repo}, caller_arn,
        "An approval rule template has been associated with the following repository: " + bracketed({**repo}) + ".");
    if (!event.ok()) return event;
    if (auto r = Sql::commit(tx); !r.ok()) return r;
  }
  repositories_.bus().notify();
  return common::ok();
}

Status ApprovalTemplateEngine::disassociate(const TemplateScope& scope, std::string_view template_name,
                                            std::string_view repository_name, std::string_view caller_arn) {
  store::Db& db = repositories_.db();
  {
    store::Transaction tx(db, store::Transaction::Mode::Write);
    if (!tx.ok()) return common::fail(internal_error(tx.error()));
    auto tmpl = require_template(db, scope, template_name);
    if (!tmpl.ok()) return common::fail(tmpl.error());
    auto repo = read_repository(db, repositories_.data_dir(),
                                RepoRef{scope.account, scope.region, std::string(repository_name)});
    if (!repo.ok()) return common::fail(repo.error());
    if (!*repo) return common::fail(repository_not_found(repository_name));
    auto removed =
        Sql::execute(db, "DELETE FROM codecommit_template_associations WHERE template_id = ? AND repo_id = ?",
                     [&](store::Statement& s) { s.bind(1, tmpl->id).bind(2, (*repo)->id); });
    if (!removed.ok()) return removed;
    auto event = append_template_event(
        repositories_.bus(), scope, *tmpl, "approvalRuleTemplateDisassociatedFromRepository", {**repo}, caller_arn,
        "An approval rule template has been disassociated from the following repository: " + bracketed({**repo}) + ".");
    if (!event.ok()) return event;
    if (auto r = Sql::commit(tx); !r.ok()) return r;
  }
  repositories_.bus().notify();
  return common::ok();
}

Result<BatchAssociationOutcome> ApprovalTemplateEngine::batch_associate(
    const TemplateScope& scope, std::string_view template_name, const std::vector<std::string>& repository_names,
    std::string_view caller_arn) {
  if (auto r = check_batch(repository_names); !r.ok()) return common::fail(r.error());
  store::Db& db = repositories_.db();
  BatchAssociationOutcome outcome;
  {
    store::Transaction tx(db, store::Transaction::Mode::Write);
    if (!tx.ok()) return common::fail(internal_error(tx.error()));
    auto tmpl = require_template(db, scope, template_name);
    if (!tmpl.ok()) return common::fail(tmpl.error());
    std::vector<Repository> associated;
    for (const auto& name : repository_names) {
      auto repo = read_repository(db, repositories_.data_dir(), RepoRef{scope.account, scope.region, name});
      if (!repo.ok()) return common::fail(repo.error());
      std::optional<Error> failed;
      if (!*repo) {
        failed = repository_not_found(name);
      } else {
        auto done = associate_in_tx(*tmpl, **repo);
        if (!done.ok()) return common::fail(done.error());
        failed = std::move(*done);
      }
      if (failed) {
        outcome.errors.push_back(BatchRepositoryError{name, exception_name(failed->code), failed->message});
      } else if (std::find(outcome.repositories.begin(), outcome.repositories.end(), name) ==
                 outcome.repositories.end()) {
        outcome.repositories.push_back(name);
        associated.push_back(std::move(**repo));
      }
    }
    if (!associated.empty()) {
      auto event = append_template_event(
          repositories_.bus(), scope, *tmpl, "batchAssociateApprovalRuleTemplateWithRepositories", associated,
          caller_arn,
          "An approval rule template has been batch associated with the following repository names: " +
              bracketed(associated) + ".");
      if (!event.ok()) return common::fail(event.error());
    }
    if (auto r = Sql::commit(tx); !r.ok()) return common::fail(r.error());
  }
  repositories_.bus().notify();
  return outcome;
}

Result<BatchAssociationOutcome> ApprovalTemplateEngine::batch_disassociate(
    const TemplateScope& scope, std::string_view template_name, const std::vector<std::string>& repository_names,
    std::string_view caller_arn) {
  if (auto r = check_batch(repository_names); !r.ok()) return common::fail(r.error());
  store::Db& db = repositories_.db();
  BatchAssociationOutcome outcome;
  {
    store::Transaction tx(db, store::Transaction::Mode::Write);
    if (!tx.ok()) return common::fail(internal_error(tx.error()));
    auto tmpl = require_template(db, scope, template_name);
    if (!tmpl.ok()) return common::fail(tmpl.error());
    std::vector<Repository> disassociated;
    for (const auto& name : repository_names) {
      auto repo = read_repository(db, repositories_.data_dir(), RepoRef{scope.account, scope.region, name});
      if (!repo.ok()) return common::fail(repo.error());
      if (!*repo) {
        Error missing = repository_not_found(name);
        outcome.errors.push_back(BatchRepositoryError{name, exception_name(missing.code), missing.message});
        continue;
      }
      auto removed =
          Sql::execute(db, "DELETE FROM codecommit_template_associations WHERE template_id = ? AND repo_id = ?",
                       [&](store::Statement& s) { s.bind(1, tmpl->id).bind(2, (*repo)->id); });
      if (!removed.ok()) return common::fail(removed.error());
      if (std::find(outcome.repositories.begin(), outcome.repositories.end(), name) == outcome.repositories.end()) {
        outcome.repositories.push_back(name);
        disassociated.push_back(std::move(**repo));
      }
    }
    if (!disassociated.empty()) {
      auto event = append_template_event(
          repositories_.bus(), scope, *tmpl, "batchDisassociateApprovalRuleTemplateFromRepositories", disassociated,
          caller_arn,
          "An approval rule template has been batch disassociated from the following repository names: " +
              bracketed(disassociated) + ".");
      if (!event.ok()) return common::fail(event.error());
    }
    if (auto r = Sql::commit(tx); !r.ok()) return common::fail(r.error());
  }
  repositories_.bus().notify();
  return outcome;
}

Result<std::vector<std::string>> ApprovalTemplateEngine::templates_for_repository(const RepoRef& repository) const {
  auto repo = repositories_.get_repository(repository);
  if (!repo.ok()) return common::fail(repo.error());
  std::vector<std::string> names;
  auto r = Sql::query(
      repositories_.db(),
      "SELECT t.name FROM codecommit_template_associations a JOIN codecommit_approval_rule_templates t "
      "ON t.id = a.template_id WHERE a.repo_id = ? ORDER BY t.name",
      [&](store::Statement& s) { s.bind(1, repo->id); },
      [&](store::Statement& s) {
        names.push_back(s.text(0));
        return true;
      });
  if (!r.ok()) return common::fail(r.error());
  return names;
}

Result<std::vector<std::string>> ApprovalTemplateEngine::repositories_for_template(
    const TemplateScope& scope, std::string_view template_name) const {
  auto tmpl = require_template(repositories_.db(), scope, template_name);
  if (!tmpl.ok()) return common::fail(tmpl.error());
  std::vector<std::string> names;
  auto r = Sql::query(
      repositories_.db(),
      "SELECT r.name FROM codecommit_template_associations a JOIN codecommit_repositories r ON r.id = a.repo_id "
      "WHERE a.template_id = ? ORDER BY r.name",
      [&](store::Statement& s) { s.bind(1, tmpl->id); },
      [&](store::Statement& s) {
        names.push_back(s.text(0));
        return true;
      });
  if (!r.ok()) return common::fail(r.error());
  return names;
}

}  // namespace codecommit
