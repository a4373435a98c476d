// Pull requests: the schema, reads, title, description and status changes, and the event log
// DescribePullRequestEvents reads (creation is in pull_request_create.cc).
#include "services/codecommit/engine/pull_requests.h"

#include <charconv>

#include "common/crypto.h"
#include "common/ids.h"
#include "services/codecommit/engine/pull_request_internal.h"

namespace codecommit {
namespace {

// Times are REAL epoch seconds. Pull request ids count per account and region
// (codecommit_pull_request_ids), as AWS's do. A pull request names its repository by id, so a
// rename follows it and a deleted repository hides it.
const std::vector<store::Migration>& migrations() {
  static const std::vector<store::Migration> kMigrations = {
      {1, R"sql(
CREATE TABLE codecommit_pull_request_ids (
  account TEXT NOT NULL,
  region TEXT NOT NULL,
  last_id INTEGER NOT NULL,
  PRIMARY KEY (account, region)
) WITHOUT ROWID;
CREATE TABLE codecommit_pull_requests (
  account TEXT NOT NULL,
  region TEXT NOT NULL,
  id INTEGER NOT NULL,
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  author_arn TEXT NOT NULL,
  status TEXT NOT NULL,
  client_request_token TEXT NOT NULL,
  request_sha256 TEXT NOT NULL,
  revision_id TEXT NOT NULL,
  created REAL NOT NULL,
  last_activity REAL NOT NULL,
  repository_id TEXT NOT NULL,
  source_ref TEXT NOT NULL,
  destination_ref TEXT NOT NULL,
  source_commit TEXT NOT NULL,
  destination_commit TEXT NOT NULL,
  merge_base TEXT NOT NULL,
  is_merged INTEGER NOT NULL,
  merged_by TEXT NOT NULL,
  merge_commit TEXT NOT NULL,
  merge_option TEXT NOT NULL,
  PRIMARY KEY (account, region, id)
) WITHOUT ROWID;
CREATE INDEX codecommit_pull_requests_by_repository ON codecommit_pull_requests (repository_id, status);
CREATE INDEX codecommit_pull_requests_by_token ON codecommit_pull_requests (account, region, client_request_token);
CREATE TABLE codecommit_pull_request_revisions (
  account TEXT NOT NULL,
  region TEXT NOT NULL,
  pull_request_id INTEGER NOT NULL,
  revision_id TEXT NOT NULL,
  source_commit TEXT NOT NULL,
  created REAL NOT NULL,
  PRIMARY KEY (account, region, pull_request_id, revision_id)
) WITHOUT ROWID;
CREATE TABLE codecommit_pull_request_rules (
  account TEXT NOT NULL,
  region TEXT NOT NULL,
  pull_request_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  id TEXT NOT NULL,
  content TEXT NOT NULL,
  content_sha256 TEXT NOT NULL,
  created REAL NOT NULL,
  modified REAL NOT NULL,
  modified_by TEXT NOT NULL,
  template_id TEXT NOT NULL,
  template_name TEXT NOT NULL,
  PRIMARY KEY (account, region, pull_request_id, name)
) WITHOUT ROWID;
CREATE TABLE codecommit_pull_request_approvals (
  account TEXT NOT NULL,
  region TEXT NOT NULL,
  pull_request_id INTEGER NOT NULL,
  revision_id TEXT NOT NULL,
  user_arn TEXT NOT NULL,
  approved REAL NOT NULL,
  PRIMARY KEY (account, region, pull_request_id, revision_id, user_arn)
) WITHOUT ROWID;
CREATE TABLE codecommit_pull_request_overrides (
  account TEXT NOT NULL,
  region TEXT NOT NULL,
  pull_request_id INTEGER NOT NULL,
  revision_id TEXT NOT NULL,
  overrider TEXT NOT NULL,
  PRIMARY KEY (account, region, pull_request_id, revision_id)
) WITHOUT ROWID;
CREATE TABLE codecommit_pull_request_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  account TEXT NOT NULL,
  region TEXT NOT NULL,
  pull_request_id INTEGER NOT NULL,
  type TEXT NOT NULL,
  date REAL NOT NULL,
  actor TEXT NOT NULL,
  metadata_member TEXT NOT NULL,
  metadata TEXT NOT NULL
);
CREATE INDEX codecommit_pull_request_events_by_pull_request
  ON codecommit_pull_request_events (account, region, pull_request_id, seq);
)sql"},
  };
  return kMigrations;
}

double to_column(common::TimePoint t) { return common::to_epoch_seconds(t); }

}  // namespace

PullRequestEngine::PullRequestEngine(CodeCommitEngine& repositories, MergeEngine& merges, TemplateSource templates)
    : repositories_(repositories), merges_(merges), templates_(std::move(templates)) {
  subscription_ = repositories_.bus().subscribe([this] { on_bus_notify(); });
}

PullRequestEngine::~PullRequestEngine() { repositories_.bus().unsubscribe(subscription_); }

common::Status<> PullRequestEngine::migrate() {
  if (auto r = repositories_.db().migrate("codecommit_pull_requests", migrations()); !r.ok()) return r;
  Lock lock(*this);
  // Changes from before this start are noticed when the pull request is next read.
  watch_cursor_ = 0;
  watch_cursor_id_.clear();
  events::ReadQuery query;
  query.after_seq = repositories_.bus().last_seq() - 1;
  query.limit = 1;
  if (auto last = repositories_.bus().read(query); last.ok() && !last->empty()) {
    watch_cursor_ = last->front().seq;
    watch_cursor_id_ = last->front().id;
  }
  return common::ok();
}

Result<int64_t> parse_pull_request_id(std::string_view id) {
  int64_t number = 0;
  auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), number);
  if (id.empty() || ec != std::errc() || end != id.data() + id.size() || number <= 0) {
    return common::fail(error(Errc::InvalidPullRequestId,
                              "The pull request ID is not valid. Make sure that you have provided the full ID and "
                              "that the pull request is in the specified repository, and then try again."));
  }
  return number;
}

Error pull_request_not_found(std::string_view id) {
  return error(Errc::PullRequestDoesNotExist,
               "The pull request ID could not be found. Make sure that you have specified the correct repository "
               "name and pull request ID, and then try again. Pull request ID: " +
                   std::string(id));
}

int64_t pull_request_number(const PullRequest& pr) {
  int64_t number = 0;
  std::from_chars(pr.id.data(), pr.id.data() + pr.id.size(), number);
  return number;
}

Result<PullRequest> PullRequestEngine::require_locked(const PullRequestKey& key) const {
  auto id = parse_pull_request_id(key.id);
  if (!id.ok()) return common::fail(id.error());
  auto pr = refresh_locked(*id, key.account, key.region, "", "");
  if (!pr.ok()) return common::fail(pr.error());
  if (!*pr) return common::fail(pull_request_not_found(key.id));
  return std::move(**pr);
}

Result<PullRequestCommentTarget> PullRequestEngine::comment_target(std::string_view account, std::string_view region,
                                                                   std::string_view id) const {
  PullRequestKey key{std::string(account), std::string(region), std::string(id)};
  std::optional<PullRequest> pr;
  // Called from inside another engine's write transaction (or while this thread holds the lock),
  // a refresh could neither open its own transaction nor take the lock: read the row as it is.
  if (sqlite3_get_autocommit(repositories_.db().handle()) == 0 || pull_request_lock_holder == this) {
    auto number = parse_pull_request_id(id);
    if (!number.ok()) return common::fail(number.error());
    auto read = read_pull_request(repositories_.db(), key.account, key.region, *number);
    if (!read.ok()) return common::fail(read.error());
    if (!*read) return common::fail(pull_request_not_found(id));
    pr = std::move(*read);
  } else {
    Lock lock(*this);
    auto read = require_locked(key);
    if (!read.ok()) return common::fail(read.error());
    pr = std::move(*read);
  }
  return PullRequestCommentTarget{pr->id, pr->target.repository_name, pr->target.destination_commit,
                                  pr->target.source_commit, pr->status};
}

Result<PullRequest> PullRequestEngine::get(const PullRequestKey& key) const {
  Lock lock(*this);
  return require_locked(key);
}

Result<std::optional<PullRequestLocation>> PullRequestEngine::location(const PullRequestKey& key) const {
  auto id = parse_pull_request_id(key.id);
  if (!id.ok()) return std::optional<PullRequestLocation>();
  auto pr = read_pull_request(repositories_.db(), key.account, key.region, *id);
  if (!pr.ok()) return common::fail(pr.error());
  if (!*pr) return std::optional<PullRequestLocation>();
  return std::optional<PullRequestLocation>(
      PullRequestLocation{(*pr)->target.repository_name, (*pr)->target.destination_reference});
}

Result<std::vector<std::string>> PullRequestEngine::list(const Repository& repo, std::string_view author_arn,
                                                         std::string_view status) const {
  Lock lock(*this);
  store::Db& db = repositories_.db();
  std::vector<int64_t> open;
  auto r = Sql::query(
      db, "SELECT id FROM codecommit_pull_requests WHERE repository_id = ? AND status = 'OPEN'",
      [&](store::Statement& s) { s.bind(1, repo.id); },
      [&](store::Statement& s) {
        open.push_back(s.integer(0));
        return true;
      });
  if (!r.ok()) return common::fail(r.error());
  for (int64_t id : open) {
    if (auto refreshed = refresh_locked(id, repo.account, repo.region, "", ""); !refreshed.ok()) {
      return common::fail(refreshed.error());
    }
  }
  std::vector<std::string> ids;
  auto listed = Sql::query(
      db,
      "SELECT id FROM codecommit_pull_requests WHERE repository_id = ? AND (? = '' OR author_arn = ?) AND "
      "(? = '' OR status = ?) ORDER BY last_activity DESC, id DESC",
      [&](store::Statement& s) {
        s.bind(1, repo.id).bind(2, author_arn).bind(3, author_arn).bind(4, status).bind(5, status);
      },
      [&](store::Statement& s) {
        ids.push_back(std::to_string(s.integer(0)));
        return true;
      });
  if (!listed.ok()) return common::fail(listed.error());
  return ids;
}

namespace {

Error already_closed(const PullRequest& pr) {
  return error(Errc::PullRequestAlreadyClosed,
               "The pull request status cannot be updated because it is already "
               "closed. Pull request ID: " +
                   pr.id);
}

// Sets one text column of an open pull request and its lastActivityDate.
Status set_column(CodeCommitEngine& repositories, const PullRequest& pr, const char* column, const std::string& value) {
  store::Db& db = repositories.db();
  store::Transaction tx(db, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(internal_error(tx.error()));
  auto r = Sql::execute(db,
                        "UPDATE codecommit_pull_requests SET " + std::string(column) +
                            " = ?, last_activity = ? WHERE account = ? AND region = ? AND id = ?",
                        [&](store::Statement& s) {
                          s.bind(1, value).bind(2, to_column(repositories.clock().now())).bind(3, pr.account);
                          s.bind(4, pr.region).bind(5, pull_request_number(pr));
                        });
  if (!r.ok()) return r;
  return Sql::commit(tx);
}

}  // namespace

Result<PullRequest> PullRequestEngine::update_title(const PullRequestKey& key, std::string title, std::string_view) {
  Lock lock(*this);
  auto pr = require_locked(key);
  if (!pr.ok()) return common::fail(pr.error());
  if (pr->status != kOpen) return common::fail(already_closed(*pr));
  if (auto r = set_column(repositories_, *pr, "title", title); !r.ok()) return common::fail(r.error());
  return require_locked(key);
}

Result<PullRequest> PullRequestEngine::update_description(const PullRequestKey& key, std::string description,
                                                          std::string_view) {
  Lock lock(*this);
  auto pr = require_locked(key);
  if (!pr.ok()) return common::fail(pr.error());
  if (pr->status != kOpen) return common::fail(already_closed(*pr));
  if (auto r = set_column(repositories_, *pr, "description", description); !r.ok()) return common::fail(r.error());
  return require_locked(key);
}

Result<PullRequest> PullRequestEngine::update_status(const PullRequestKey& key, std::string_view status,
                                                     std::string_view caller_arn) {
  if (status != kOpen && status != kClosed) {
    return common::fail(error(Errc::InvalidPullRequestStatus,
                              "The pull request status is not valid. The only valid values are OPEN and CLOSED."));
  }
  Lock lock(*this);
  auto pr = require_locked(key);
  if (!pr.ok()) return common::fail(pr.error());
  if (pr->status != kOpen || status != kClosed) {
    return common::fail(error(Errc::InvalidPullRequestStatusUpdate,
                              "The pull request status update is not valid. The only valid update is from OPEN to "
                              "CLOSED."));
  }
  store::Db& db = repositories_.db();
  {
    store::Transaction tx(db, store::Transaction::Mode::Write);
    if (!tx.ok()) return common::fail(internal_error(tx.error()));
    auto r = Sql::execute(
        db,
        "UPDATE codecommit_pull_requests SET status = 'CLOSED' WHERE account = ? AND region = ? "
        "AND id = ?",
        [&](store::Statement& s) { s.bind(1, pr->account).bind(2, pr->region).bind(3, pull_request_number(*pr)); });
    if (!r.ok()) return common::fail(r.error());
    pr->status = std::string(kClosed);
    PullRequestChange change{"PULL_REQUEST_STATUS_CHANGED",
                             "pullRequestStatusChangedEventMetadata",
                             {{"pullRequestStatus", kClosed}},
                             "pullRequestStatusChanged"};
    if (auto c = record_change(repositories_, *pr, caller_arn, change); !c.ok()) return common::fail(c.error());
    if (auto c = Sql::commit(tx); !c.ok()) return common::fail(c.error());
  }
  repositories_.bus().notify();
  return require_locked(key);
}

Result<std::vector<PullRequestEvent>> PullRequestEngine::events(const PullRequestKey& key, std::string_view type,
                                                                std::string_view actor_arn) const {
  Lock lock(*this);
  auto pr = require_locked(key);
  if (!pr.ok()) return common::fail(pr.error());
  std::vector<PullRequestEvent> out;
  auto r = Sql::query(
      repositories_.db(),
      "SELECT type, date, actor, metadata_member, metadata FROM codecommit_pull_request_events WHERE account = ? "
      "AND region = ? AND pull_request_id = ? AND (? = '' OR type = ?) AND (? = '' OR actor = ?) ORDER BY seq",
      [&](store::Statement& s) {
        s.bind(1, pr->account).bind(2, pr->region).bind(3, pull_request_number(*pr));
        s.bind(4, type).bind(5, type).bind(6, actor_arn).bind(7, actor_arn);
      },
      [&](store::Statement& s) {
        PullRequestEvent event;
        event.pull_request_id = pr->id;
        event.type = s.text(0);
        event.date = common::from_epoch_seconds(s.real(1));
        event.actor = s.text(2);
        event.metadata_member = s.text(3);
        event.metadata = common::Json::parse(s.text(4), nullptr, /*allow_exceptions=*/false);
        if (event.metadata.is_discarded()) event.metadata = common::Json::object();
        out.push_back(std::move(event));
        return true;
      });
  if (!r.ok()) return common::fail(r.error());
  return out;
}

}  // namespace codecommit
