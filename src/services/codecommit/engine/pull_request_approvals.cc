// Approval rules on a pull request (its own and those its repository's templates gave it),
// approvals and overrides (both per revision: a new revision starts without them), and the
// evaluation of the rules against the approvals.
#include <algorithm>

#include "common/ids.h"
#include "services/codecommit/engine/pull_request_internal.h"

namespace codecommit {
namespace {

constexpr size_t kMaxRules = 30;
constexpr size_t kMaxApprovals = 200;
constexpr size_t kMaxRuleNameLength = 100;

double to_column(common::TimePoint t) { return common::to_epoch_seconds(t); }

Error already_closed(const PullRequest& pr) {
  return error(Errc::PullRequestAlreadyClosed, "The pull request is closed. Pull request ID: " + pr.id);
}

// Letters, numbers, periods, spaces, underscores and dashes, 1-100 characters, not ending in .git.
Status check_rule_name(std::string_view name) {
  bool ok = !name.empty() && name.size() <= kMaxRuleNameLength;
  for (char c : name) {
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == ' ' ||
                c == '_' || c == '-');
  }
  if (ok && name.size() >= 4 && name.substr(name.size() - 4) == ".git") ok = false;
  if (!ok) return common::fail(error(Errc::InvalidApprovalRuleName, "The name for the approval rule is not valid."));
  return common::ok();
}

Error rule_not_found(std::string_view name) {
  return error(Errc::ApprovalRuleDoesNotExist, "The approval rule does not exist: " + std::string(name));
}

const PullRequestApprovalRule* find_rule(const PullRequest& pr, std::string_view name) {
  for (const auto& rule : pr.rules) {
    if (rule.name == name) return &rule;
  }
  return nullptr;
}

PullRequestChange rule_change(const char* type, const char* bus_event, const PullRequestApprovalRule& rule) {
  return PullRequestChange{
      type,
      "approvalRuleEventMetadata",
      {{"approvalRuleName", rule.name}, {"approvalRuleId", rule.id}, {"approvalRuleContent", rule.content}},
      bus_event,
      {{"approvalRuleContentSha256", rule.content_sha256},
       {"approvalRuleId", rule.id},
       {"approvalRuleName", rule.name}}};
}

// Runs `body` in a write transaction, then tells the bus.
template <class Body>
Status in_write_transaction(CodeCommitEngine& repositories, Body&& body) {
  store::Db& db = repositories.db();
  {
    store::Transaction tx(db, store::Transaction::Mode::Write);
    if (!tx.ok()) return common::fail(internal_error(tx.error()));
    if (auto r = body(db); !r.ok()) return r;
    if (auto r = Sql::commit(tx); !r.ok()) return r;
  }
  repositories.bus().notify();
  return common::ok();
}

Result<std::vector<std::string>> approvers(store::Db& db, const PullRequest& pr, std::string_view revision_id) {
  std::vector<std::string> out;
  auto r = Sql::query(
      db,
      "SELECT user_arn FROM codecommit_pull_request_approvals WHERE account = ? AND region = ? AND "
      "pull_request_id = ? AND revision_id = ? ORDER BY approved, user_arn",
      [&](store::Statement& s) {
        s.bind(1, pr.account).bind(2, pr.region).bind(3, pull_request_number(pr)).bind(4, revision_id);
      },
      [&](store::Statement& s) {
        out.push_back(s.text(0));
        return true;
      });
  if (!r.ok()) return common::fail(r.error());
  return out;
}

Result<std::optional<std::string>> overrider(store::Db& db, const PullRequest& pr, std::string_view revision_id) {
  std::optional<std::string> out;
  auto r = Sql::query(
      db,
      "SELECT overrider FROM codecommit_pull_request_overrides WHERE account = ? AND region = ? AND "
      "pull_request_id = ? AND revision_id = ?",
      [&](store::Statement& s) {
        s.bind(1, pr.account).bind(2, pr.region).bind(3, pull_request_number(pr)).bind(4, revision_id);
      },
      [&](store::Statement& s) {
        out = s.text(0);
        return false;
      });
  if (!r.ok()) return common::fail(r.error());
  return out;
}

// InvalidRevisionId unless `revision_id` is one of the pull request's; RevisionNotCurrent when
// `current_only` and it is an older one.
Status check_revision(store::Db& db, const PullRequest& pr, std::string_view revision_id, bool current_only) {
  if (revision_id.empty()) {
    return common::fail(error(Errc::RevisionIdRequired, "A revision ID is required, but was not provided."));
  }
  auto known = is_revision_of(db, pr, revision_id);
  if (!known.ok()) return common::fail(known.error());
  if (!*known) {
    return common::fail(
        error(Errc::InvalidRevisionId, "The revision ID is not valid. Use GetPullRequest to determine the value."));
  }
  if (current_only && revision_id != pr.revision_id) {
    return common::fail(error(Errc::RevisionNotCurrent,
                              "The revision ID provided in the request does not match the current revision ID. Use "
                              "GetPullRequest to retrieve the current revision ID."));
  }
  return common::ok();
}

}  // namespace

Result<PullRequestApprovalRule> PullRequestEngine::create_rule(const PullRequestKey& key, std::string name,
                                                               std::string content, std::string_view caller_arn) {
  if (auto r = check_rule_name(name); !r.ok()) return common::fail(r.error());
  auto parsed = parse_approval_rule_content(content, /*for_template=*/false);
  if (!parsed.ok()) return common::fail(parsed.error());
  Lock lock(*this);
  auto pr = require_locked(key);
  if (!pr.ok()) return common::fail(pr.error());
  if (pr->status != kOpen) return common::fail(already_closed(*pr));
  if (find_rule(*pr, name) != nullptr) {
    return common::fail(
        error(Errc::ApprovalRuleNameAlreadyExists, "An approval rule with that name already exists: " + name));
  }
  if (pr->rules.size() >= kMaxRules) {
    return common::fail(error(Errc::NumberOfRulesExceeded,
                              "The approval rule cannot be added. The pull request has "
                              "the maximum number of approval rules associated with it."));
  }
  common::TimePoint now = repositories_.clock().now();
  PullRequestApprovalRule rule{common::uuid4(),
                               std::move(name),
                               content,
                               rule_content_sha256(content),
                               now,
                               now,
                               std::string(caller_arn),
                               "",
                               ""};
  auto done = in_write_transaction(repositories_, [&](store::Db& db) -> Status {
    auto r = Sql::execute(db,
                          "INSERT INTO codecommit_pull_request_rules (account, region, pull_request_id, name, id, "
                          "content, content_sha256, created, modified, modified_by, template_id, template_name) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', '')",
                          [&](store::Statement& s) {
                            s.bind(1, pr->account).bind(2, pr->region).bind(3, pull_request_number(*pr));
                            s.bind(4, rule.name).bind(5, rule.id).bind(6, rule.content).bind(7, rule.content_sha256);
                            s.bind(8, to_column(now)).bind(9, to_column(now)).bind(10, rule.last_modified_user);
                          });
    if (!r.ok()) return r;
    return record_change(repositories_, *pr, caller_arn,
                         rule_change("PULL_REQUEST_APPROVAL_RULE_CREATED", "pullRequestApprovalRuleCreated", rule));
  });
  if (!done.ok()) return common::fail(done.error());
  return rule;
}

Result<PullRequestApprovalRule> PullRequestEngine::update_rule(const PullRequestKey& key, std::string_view name,
                                                               std::string_view existing_sha256, std::string content,
                                                               std::string_view caller_arn) {
  auto parsed = parse_approval_rule_content(content, /*for_template=*/false);
  if (!parsed.ok()) return common::fail(parsed.error());
  Lock lock(*this);
  auto pr = require_locked(key);
  if (!pr.ok()) return common::fail(pr.error());
  if (pr->status != kOpen) return common::fail(already_closed(*pr));
  const PullRequestApprovalRule* existing = find_rule(*pr, name);
  if (existing == nullptr) return common::fail(rule_not_found(name));
  if (!existing->template_id.empty()) {
    return common::fail(error(Errc::CannotModifyApprovalRuleFromTemplate,
                              "The approval rule cannot be modified for the pull request because it was created by an "
                              "approval rule template and applied to the pull request automatically."));
  }
  if (!existing_sha256.empty() && existing_sha256 != existing->content_sha256) {
    return common::fail(
        error(Errc::InvalidRuleContentSha256, "The SHA-256 hash signature for the rule content is not valid."));
  }
  PullRequestApprovalRule rule = *existing;
  rule.content = std::move(content);
  rule.content_sha256 = rule_content_sha256(rule.content);
  rule.modified = repositories_.clock().now();
  rule.last_modified_user = std::string(caller_arn);
  auto done = in_write_transaction(repositories_, [&](store::Db& db) -> Status {
    auto r = Sql::execute(db,
                          "UPDATE codecommit_pull_request_rules SET content = ?, content_sha256 = ?, modified = ?, "
                          "modified_by = ? WHERE account = ? AND region = ? AND pull_request_id = ? AND name = ?",
                          [&](store::Statement& s) {
                            s.bind(1, rule.content).bind(2, rule.content_sha256).bind(3, to_column(rule.modified));
                            s.bind(4, rule.last_modified_user).bind(5, pr->account).bind(6, pr->region);
                            s.bind(7, pull_request_number(*pr)).bind(8, rule.name);
                          });
    if (!r.ok()) return r;
    return record_change(repositories_, *pr, caller_arn,
                         rule_change("PULL_REQUEST_APPROVAL_RULE_UPDATED", "pullRequestApprovalRuleUpdated", rule));
  });
  if (!done.ok()) return common::fail(done.error());
  return rule;
}

Result<std::string> PullRequestEngine::delete_rule(const PullRequestKey& key, std::string_view name,
                                                   std::string_view caller_arn) {
  Lock lock(*this);
  auto pr = require_locked(key);
  if (!pr.ok()) return common::fail(pr.error());
  if (pr->status != kOpen) return common::fail(already_closed(*pr));
  const PullRequestApprovalRule* existing = find_rule(*pr, name);
  if (existing == nullptr) return std::string();  // AWS answers an unknown name with an empty id
  if (!existing->template_id.empty()) {
    return common::fail(error(Errc::CannotDeleteApprovalRuleFromTemplate,
                              "The approval rule cannot be deleted from the pull request because it was created by an "
                              "approval rule template and applied to the pull request automatically."));
  }
  PullRequestApprovalRule rule = *existing;
  auto done = in_write_transaction(repositories_, [&](store::Db& db) -> Status {
    auto r = Sql::execute(db,
                          "DELETE FROM codecommit_pull_request_rules WHERE account = ? AND region = ? AND "
                          "pull_request_id = ? AND name = ?",
                          [&](store::Statement& s) {
                            s.bind(1, pr->account).bind(2, pr->region).bind(3, pull_request_number(*pr));
                            s.bind(4, rule.name);
                          });
    if (!r.ok()) return r;
    return record_change(repositories_, *pr, caller_arn,
                         rule_change("PULL_REQUEST_APPROVAL_RULE_DELETED", "pullRequestApprovalRuleDeleted", rule));
  });
  if (!done.ok()) return common::fail(done.error());
  return rule.id;
}

Status PullRequestEngine::update_approval_state(const PullRequestKey& key, std::string_view revision_id, bool approve,
                                                std::string_view caller_arn) {
  Lock lock(*this);
  auto pr = require_locked(key);
  if (!pr.ok()) return common::fail(pr.error());
  store::Db& db = repositories_.db();
  if (auto r = check_revision(db, *pr, revision_id, /*current_only=*/true); !r.ok()) return r;
  if (pr->status != kOpen) return common::fail(already_closed(*pr));
  if (caller_arn == pr->author_arn) {
    return common::fail(error(Errc::PullRequestCannotBeApprovedByAuthor,
                              "The approval cannot be applied because the user approving the pull request matches "
                              "the user who created the pull request. You cannot approve a pull request that you "
                              "created."));
  }
  auto current = approvers(db, *pr, revision_id);
  if (!current.ok()) return common::fail(current.error());
  bool approved = std::find(current->begin(), current->end(), caller_arn) != current->end();
  if (approved == approve) return common::ok();  // nothing changes, nothing to record
  if (approve && current->size() >= kMaxApprovals) {
    return common::fail(error(Errc::MaximumNumberOfApprovalsExceeded,
                              "The number of approvals required for the approval rule exceeds the maximum number "
                              "allowed."));
  }
  const char* state = approve ? "APPROVE" : "REVOKE";
  return in_write_transaction(repositories_, [&](store::Db& db) -> Status {
    auto bind_key = [&](store::Statement& s) {
      s.bind(1, pr->account).bind(2, pr->region).bind(3, pull_request_number(*pr)).bind(4, revision_id);
      s.bind(5, caller_arn);
    };
    // REVOKE is not stored: it removes the approval.
    auto r = approve ? Sql::execute(db,
                                    "INSERT INTO codecommit_pull_request_approvals (account, region, pull_request_id, "
                                    "revision_id, user_arn, approved) VALUES (?, ?, ?, ?, ?, ?)",
                                    [&](store::Statement& s) {
                                      bind_key(s);
                                      s.bind(6, to_column(repositories_.clock().now()));
                                    })
                     : Sql::execute(db,
                                    "DELETE FROM codecommit_pull_request_approvals WHERE account = ? AND region = ? "
                                    "AND pull_request_id = ? AND revision_id = ? AND user_arn = ?",
                                    bind_key);
    if (!r.ok()) return r;
    PullRequestChange change{"PULL_REQUEST_APPROVAL_STATE_CHANGED",
                             "approvalStateChangedEventMetadata",
                             {{"revisionId", pr->revision_id}, {"approvalStatus", state}},
                             "pullRequestApprovalStateChanged",
                             {{"approvalStatus", state}}};
    return record_change(repositories_, *pr, caller_arn, change);
  });
}

Result<std::vector<std::string>> PullRequestEngine::approvals(const PullRequestKey& key,
                                                              std::string_view revision_id) const {
  Lock lock(*this);
  auto pr = require_locked(key);
  if (!pr.ok()) return common::fail(pr.error());
  store::Db& db = repositories_.db();
  if (auto r = check_revision(db, *pr, revision_id, /*current_only=*/false); !r.ok()) return common::fail(r.error());
  return approvers(db, *pr, revision_id);
}

Result<ApprovalEvaluation> evaluate_rules(store::Db& db, const PullRequest& pr, std::string_view revision_id) {
  auto approved_by = approvers(db, pr, revision_id);
  if (!approved_by.ok()) return common::fail(approved_by.error());
  auto overridden = overrider(db, pr, revision_id);
  if (!overridden.ok()) return common::fail(overridden.error());
  ApprovalEvaluation evaluation;
  evaluation.overridden = overridden->has_value();
  for (const auto& rule : pr.rules) {
    auto content = parse_approval_rule_content(rule.content, !rule.template_id.empty());
    bool satisfied = content.ok() && rule_satisfied(*content, *approved_by);
    (satisfied ? evaluation.satisfied : evaluation.not_satisfied).push_back(rule.name);
  }
  evaluation.approved = evaluation.not_satisfied.empty();
  return evaluation;
}

Result<ApprovalEvaluation> PullRequestEngine::evaluate(const PullRequestKey& key, std::string_view revision_id) const {
  Lock lock(*this);
  auto pr = require_locked(key);
  if (!pr.ok()) return common::fail(pr.error());
  store::Db& db = repositories_.db();
  if (auto r = check_revision(db, *pr, revision_id, /*current_only=*/true); !r.ok()) return common::fail(r.error());
  return evaluate_rules(db, *pr, revision_id);
}

Status PullRequestEngine::override_rules(const PullRequestKey& key, std::string_view revision_id, bool override_rules,
                                         std::string_view caller_arn) {
  Lock lock(*this);
  auto pr = require_locked(key);
  if (!pr.ok()) return common::fail(pr.error());
  store::Db& db = repositories_.db();
  if (auto r = check_revision(db, *pr, revision_id, /*current_only=*/true); !r.ok()) return r;
  if (pr->status != kOpen) return common::fail(already_closed(*pr));
  auto current = overrider(db, *pr, revision_id);
  if (!current.ok()) return common::fail(current.error());
  if (override_rules && current->has_value()) {
    return common::fail(
        error(Errc::OverrideAlreadySet, "The pull request has already had its approval rules set to override."));
  }
  if (!override_rules && !current->has_value()) return common::ok();  // REVOKE is not stored
  const char* status = override_rules ? "OVERRIDE" : "REVOKE";
  return in_write_transaction(repositories_, [&](store::Db& db) -> Status {
    auto bind_key = [&](store::Statement& s) {
      s.bind(1, pr->account).bind(2, pr->region).bind(3, pull_request_number(*pr)).bind(4, revision_id);
    };
    auto r = override_rules ? Sql::execute(db,
                                           "INSERT INTO codecommit_pull_request_overrides (account, region, "
                                           "pull_request_id, revision_id, overrider) VALUES (?, ?, ?, ?, ?)",
                                           [&](store::Statement& s) {
                                             bind_key(s);
                                             s.bind(5, caller_arn);
                                           })
                            : Sql::execute(db,
                                           "DELETE FROM codecommit_pull_request_overrides WHERE account = ? AND "
                                           "region = ? AND pull_request_id = ? AND revision_id = ?",
                                           bind_key);
    if (!r.ok()) return r;
    PullRequestChange change{"PULL_REQUEST_APPROVAL_RULE_OVERRIDDEN",
                             "approvalRuleOverriddenEventMetadata",
                             {{"revisionId", pr->revision_id}, {"overrideStatus", status}},
                             "pullRequestApprovalRuleOverridden",
                             {{"overrideStatus", status}}};
    return record_change(repositories_, *pr, caller_arn, change);
  });
}

Result<OverrideState> PullRequestEngine::override_state(const PullRequestKey& key, std::string_view revision_id) const {
  Lock lock(*this);
  auto pr = require_locked(key);
  if (!pr.ok()) return common::fail(pr.error());
  store::Db& db = repositories_.db();
  if (auto r = check_revision(db, *pr, revision_id, /*current_only=*/false); !r.ok()) return common::fail(r.error());
  auto current = overrider(db, *pr, revision_id);
  if (!current.ok()) return common::fail(current.error());
  return OverrideState{current->has_value(), current->value_or("")};
}

}  // namespace codecommit
