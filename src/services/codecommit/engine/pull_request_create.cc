// CreatePullRequest: the branches (short or full names, branches only), a client request token
// that makes a retry return the first pull request, the next id of the account and region, and
// the approval rules the repository's templates give a pull request into its destination.
#include "common/crypto.h"
#include "common/ids.h"
#include "services/codecommit/engine/pull_request_internal.h"

namespace codecommit {
namespace {

constexpr size_t kMaxTemplateRules = 25;

double to_column(common::TimePoint t) { return common::to_epoch_seconds(t); }

// "feature" or "refs/heads/feature" -> "refs/heads/feature"; tags and other refs are refused.
Result<std::string> branch_reference(const Repository& repo, std::string_view name) {
  std::string ref = name.rfind(kHeadsPrefix, 0) == 0 ? std::string(name) : std::string();
  if (ref.empty()) {
    if (name.rfind("refs/", 0) == 0) {
      return common::fail(error(Errc::ReferenceTypeNotSupported, "The specified reference is not a supported type."));
    }
    ref = std::string(kHeadsPrefix) + std::string(name);
  }
  auto valid = git_in(repo, {"check-ref-format", ref}, /*allow_failure=*/true);
  if (!valid.ok()) return common::fail(valid.error());
  if (valid->exit_code != 0 || ref.size() == kHeadsPrefix.size()) {
    return common::fail(
        error(Errc::InvalidReferenceName, "The specified reference name format is not valid: " + std::string(name)));
  }
  return ref;
}

Result<std::string> branch_tip(CodeCommitEngine& repositories, const Repository& repo, const std::string& ref) {
  auto branch = repositories.get_branch(repo, std::string_view(ref).substr(kHeadsPrefix.size()));
  if (!branch.ok()) {
    if (branch.error().code != Errc::BranchDoesNotExist) return common::fail(branch.error());
    return common::fail(error(Errc::ReferenceDoesNotExist, "The specified reference does not exist: " + ref));
  }
  return branch->commit_id;
}

// The parameters a client request token stands for.
std::string request_sha256(const Repository& repo, const NewPullRequest& request, const std::string& source,
                           const std::string& destination) {
  common::Json doc = {request.title, request.description, repo.id, source, destination};
  return common::sha256_hex(doc.dump());
}

// The approval rules the repository's templates give a pull request into `destination`.
Result<std::vector<PullRequestApprovalRule>> template_rules(const TemplateSource& templates, const Repository& repo,
                                                            const std::string& destination, std::string_view author,
                                                            common::TimePoint now) {
  std::vector<PullRequestApprovalRule> rules;
  if (!templates) return rules;
  auto associated = templates(repo);
  if (!associated.ok()) return common::fail(associated.error());
  for (const auto& t : *associated) {
    auto content = parse_approval_rule_content(t.content, /*for_template=*/true);
    if (!content.ok() || !applies_to_destination(*content, destination)) continue;
    if (rules.size() == kMaxTemplateRules) break;
    rules.push_back(PullRequestApprovalRule{common::uuid4(), t.template_name, t.content, rule_content_sha256(t.content),
                                            now, now, std::string(author), t.template_id, t.template_name});
  }
  return rules;
}

Status insert_rule(store::Db& db, const PullRequest& pr, const PullRequestApprovalRule& rule) {
  return Sql::execute(db,
                      "INSERT INTO codecommit_pull_request_rules (account, region, pull_request_id, name, id, content, "
                      "content_sha256, created, modified, modified_by, template_id, template_name) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      [&](store::Statement& s) {
                        s.bind(1, pr.account).bind(2, pr.region).bind(3, pull_request_number(pr));
                        s.bind(4, rule.name).bind(5, rule.id).bind(6, rule.content).bind(7, rule.content_sha256);
                        s.bind(8, to_column(rule.created)).bind(9, to_column(rule.modified));
                        s.bind(10, rule.last_modified_user).bind(11, rule.template_id).bind(12, rule.template_name);
                      });
}

Result<int64_t> next_id(store::Db& db, const std::string& account, const std::string& region) {
  auto bump = Sql::execute(db,
                           "INSERT INTO codecommit_pull_request_ids (account, region, last_id) VALUES (?, ?, 1) "
                           "ON CONFLICT (account, region) DO UPDATE SET last_id = last_id + 1",
                           [&](store::Statement& s) { s.bind(1, account).bind(2, region); });
  if (!bump.ok()) return common::fail(bump.error());
  int64_t id = 0;
  auto r = Sql::query(
      db, "SELECT last_id FROM codecommit_pull_request_ids WHERE account = ? AND region = ?",
      [&](store::Statement& s) { s.bind(1, account).bind(2, region); },
      [&](store::Statement& s) {
        id = s.integer(0);
        return false;
      });
  if (!r.ok()) return common::fail(r.error());
  return id;
}

Status insert_pull_request(store::Db& db, const PullRequest& pr, const std::string& request_hash) {
  const PullRequestTarget& t = pr.target;
  return Sql::execute(
      db,
      "INSERT INTO codecommit_pull_requests (account, region, id, title, description, author_arn, status, "
      "client_request_token, request_sha256, revision_id, created, last_activity, repository_id, source_ref, "
      "destination_ref, source_commit, destination_commit, merge_base, is_merged, merged_by, merge_commit, "
      "merge_option) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, '', '', '')",
      [&](store::Statement& s) {
        s.bind(1, pr.account).bind(2, pr.region).bind(3, pull_request_number(pr)).bind(4, pr.title);
        s.bind(5, pr.description).bind(6, pr.author_arn).bind(7, pr.status).bind(8, pr.client_request_token);
        s.bind(9, request_hash).bind(10, pr.revision_id).bind(11, to_column(pr.created));
        s.bind(12, to_column(pr.last_activity)).bind(13, t.repository_id).bind(14, t.source_reference);
        s.bind(15, t.destination_reference).bind(16, t.source_commit).bind(17, t.destination_commit);
        s.bind(18, t.merge_base);
      });
}

// The pull request an earlier request with `token` created: its id and the hash of its parameters.
Result<std::optional<std::pair<int64_t, std::string>>> find_token(store::Db& db, const RepoRef& where,
                                                                  std::string_view token) {
  std::optional<std::pair<int64_t, std::string>> found;
  auto r = Sql::query(
      db,
      "SELECT id, request_sha256 FROM codecommit_pull_requests WHERE account = ? AND region = ? AND "
      "client_request_token = ?",
      [&](store::Statement& s) { s.bind(1, where.account).bind(2, where.region).bind(3, token); },
      [&](store::Statement& s) {
        found.emplace(s.integer(0), s.text(1));
        return false;
      });
  if (!r.ok()) return common::fail(r.error());
  return found;
}

// The default branch as committed now, not as the caller's copy of the repository row says.
Result<std::string> default_destination(store::Db& db, const std::string& data_dir, const Repository& repo) {
  auto current = read_repository_by_id(db, data_dir, repo.id);
  if (!current.ok()) return common::fail(current.error());
  if (!*current) return common::fail(repository_not_found(repo.name));
  if ((*current)->default_branch.empty()) {
    return common::fail(error(Errc::ReferenceDoesNotExist, "The repository has no default branch."));
  }
  return std::string(kHeadsPrefix) + (*current)->default_branch;
}

// Numbers and stores `pr` (its first revision, its rules, the creation event) in one transaction.
Status insert_created(CodeCommitEngine& repositories, PullRequest& pr, const std::string& request_hash,
                      std::string_view caller_arn) {
  store::Db& db = repositories.db();
  store::Transaction tx(db, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(internal_error(tx.error()));
  auto id = next_id(db, pr.account, pr.region);
  if (!id.ok()) return common::fail(id.error());
  pr.id = std::to_string(*id);
  auto revision = add_revision(db, pr, pr.target.source_commit, pr.created);
  if (!revision.ok()) return common::fail(revision.error());
  pr.revision_id = *revision;
  if (auto r = insert_pull_request(db, pr, request_hash); !r.ok()) return r;
  for (const auto& rule : pr.rules) {
    if (auto r = insert_rule(db, pr, rule); !r.ok()) return r;
  }
  PullRequestChange change{"PULL_REQUEST_CREATED",
                           "pullRequestCreatedEventMetadata",
                           {{"repositoryName", pr.target.repository_name},
                            {"sourceCommitId", pr.target.source_commit},
                            {"destinationCommitId", pr.target.destination_commit}},
                           "pullRequestCreated"};
  if (!pr.target.merge_base.empty()) change.metadata["mergeBase"] = pr.target.merge_base;
  if (auto r = record_change(repositories, pr, caller_arn, change, pr.created); !r.ok()) return r;
  return Sql::commit(tx);
}

}  // namespace

Result<PullRequest> PullRequestEngine::create(const Repository& repo, const NewPullRequest& request,
                                              std::string_view caller_arn) {
  auto source = branch_reference(repo, request.source_reference);
  if (!source.ok()) return common::fail(source.error());
  std::string destination;
  if (!request.destination_reference.empty()) {
    auto named = branch_reference(repo, request.destination_reference);
    if (!named.ok()) return common::fail(named.error());
    destination = std::move(*named);
  }
  std::string request_hash = request_sha256(repo, request, *source, destination);
  Lock lock(*this);
  store::Db& db = repositories_.db();
  if (!request.client_request_token.empty()) {
    auto earlier = find_token(db, RepoRef{repo.account, repo.region, repo.name}, request.client_request_token);
    if (!earlier.ok()) return common::fail(earlier.error());
    if (*earlier) {
      if ((*earlier)->second != request_hash) {
        return common::fail(error(Errc::IdempotencyParameterMismatch,
                                  "The client request token is not valid. Either the token is not in a valid format, "
                                  "or the token has been used in a previous request and cannot be reused."));
      }
      return require_locked(PullRequestKey{repo.account, repo.region, std::to_string((*earlier)->first)});
    }
  }
  if (destination.empty()) {
    auto fallback = default_destination(db, repositories_.data_dir(), repo);
    if (!fallback.ok()) return common::fail(fallback.error());
    destination = std::move(*fallback);
  }
  if (*source == destination) {
    return common::fail(error(Errc::SourceAndDestinationAreSame,
                              "The source branch and destination branch for the pull request are the same. You must "
                              "specify different branches for the source and destination."));
  }
  auto source_commit = branch_tip(repositories_, repo, *source);
  if (!source_commit.ok()) return common::fail(source_commit.error());
  auto destination_commit = branch_tip(repositories_, repo, destination);
  if (!destination_commit.ok()) return common::fail(destination_commit.error());
  auto base = merges_.merge_base(repo, *source_commit, *destination_commit);
  if (!base.ok()) return common::fail(base.error());

  common::TimePoint now = repositories_.clock().now();
  PullRequest pr;
  pr.account = repo.account;
  pr.region = repo.region;
  pr.title = request.title;
  pr.description = request.description;
  pr.author_arn = std::string(caller_arn);
  pr.status = std::string(kOpen);
  pr.client_request_token = request.client_request_token;
  pr.created = pr.last_activity = now;
  PullRequestTarget& t = pr.target;
  t.repository_id = repo.id;
  t.repository_name = repo.name;
  t.source_reference = *source;
  t.destination_reference = destination;
  t.source_commit = *source_commit;
  t.destination_commit = *destination_commit;
  t.merge_base = base->value_or("");
  auto rules = template_rules(templates_, repo, destination, caller_arn, now);
  if (!rules.ok()) return common::fail(rules.error());
  pr.rules = std::move(*rules);
  if (auto r = insert_created(repositories_, pr, request_hash, caller_arn); !r.ok()) return common::fail(r.error());
  repositories_.bus().notify();
  return pr;
}

}  // namespace codecommit
