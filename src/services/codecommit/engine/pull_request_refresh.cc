// Keeping open pull requests in step with their branches. A pull request is refreshed whenever
// it is read or changed, and whenever the bus reports a change of a branch it names ("CodeCommit
// Repository State Change" from a push, an API commit or a merge), so its events carry the
// caller who moved the branch. A moved source is a new revision; a source that is now part of the
// destination is merged (and the pull request closed); a deleted branch closes it.
#include <algorithm>

#include "common/log.h"
#include "services/codecommit/engine/pull_request_internal.h"

namespace codecommit {
namespace {

// The branch's tip; "" when the branch is gone.
Result<std::string> tip_or_empty(CodeCommitEngine& repositories, const Repository& repo, const std::string& ref) {
  auto branch = repositories.get_branch(repo, std::string_view(ref).substr(kHeadsPrefix.size()));
  if (branch.ok()) return branch->commit_id;
  if (branch.error().code == Errc::BranchDoesNotExist) return std::string();
  return common::fail(branch.error());
}

Status update_targets(store::Db& db, const PullRequest& pr) {
  const PullRequestTarget& t = pr.target;
  return Sql::execute(db,
                      "UPDATE codecommit_pull_requests SET status = ?, revision_id = ?, source_commit = ?, "
                      "destination_commit = ?, merge_base = ?, is_merged = ?, merged_by = ?, merge_commit = ?, "
                      "merge_option = ? WHERE account = ? AND region = ? AND id = ?",
                      [&](store::Statement& s) {
                        s.bind(1, pr.status).bind(2, pr.revision_id).bind(3, t.source_commit);
                        s.bind(4, t.destination_commit).bind(5, t.merge_base).bind(6, t.is_merged);
                        s.bind(7, t.merged_by).bind(8, t.merge_commit).bind(9, t.merge_option);
                        s.bind(10, pr.account).bind(11, pr.region).bind(12, pull_request_number(pr));
                      });
}

PullRequestChange closed_change() {
  return PullRequestChange{"PULL_REQUEST_STATUS_CHANGED",
                           "pullRequestStatusChangedEventMetadata",
                           {{"pullRequestStatus", kClosed}},
                           "pullRequestStatusChanged"};
}

PullRequestChange merged_change(const PullRequest& pr) {
  return PullRequestChange{"PULL_REQUEST_MERGE_STATE_CHANGED",
                           "pullRequestMergedStateChangedEventMetadata",
                           {{"repositoryName", pr.target.repository_name},
                            {"destinationReference", pr.target.destination_reference},
                            {"mergeMetadata", merge_metadata_json(pr.target)}},
                           "pullRequestMergeStatusUpdated"};
}

}  // namespace

common::Json merge_metadata_json(const PullRequestTarget& target) {
  common::Json out = {{"isMerged", target.is_merged}};
  if (!target.merged_by.empty()) out["mergedBy"] = target.merged_by;
  if (!target.merge_commit.empty()) out["mergeCommitId"] = target.merge_commit;
  if (!target.merge_option.empty()) out["mergeOption"] = target.merge_option;
  return out;
}

Result<std::optional<PullRequest>> PullRequestEngine::refresh_locked(int64_t id, const std::string& account,
                                                                     const std::string& region, std::string_view actor,
                                                                     std::string_view merge_option) const {
  store::Db& db = repositories_.db();
  auto read = read_pull_request(db, account, region, id);
  if (!read.ok() || !*read || (*read)->status != kOpen) return read;
  PullRequest& pr = **read;
  auto repo = read_repository_by_id(db, repositories_.data_dir(), pr.target.repository_id);
  if (!repo.ok()) return common::fail(repo.error());
  if (!*repo) return read;
  auto source = tip_or_empty(repositories_, **repo, pr.target.source_reference);
  if (!source.ok()) return common::fail(source.error());
  auto destination = tip_or_empty(repositories_, **repo, pr.target.destination_reference);
  if (!destination.ok()) return common::fail(destination.error());
  bool gone = source->empty() || destination->empty();
  bool source_moved = !gone && *source != pr.target.source_commit;
  if (!gone && !source_moved && *destination == pr.target.destination_commit) return read;

  bool merged = false;
  if (!gone) {
    auto base = merges_.merge_base(**repo, *source, *destination);
    if (!base.ok()) return common::fail(base.error());
    auto ancestor = merges_.is_ancestor(**repo, *source, *destination);
    if (!ancestor.ok()) return common::fail(ancestor.error());
    merged = *ancestor;
    pr.target.merge_base = base->value_or("");
    pr.target.destination_commit = *destination;
  }
  {
    store::Transaction tx(db, store::Transaction::Mode::Write);
    if (!tx.ok()) return common::fail(internal_error(tx.error()));
    if (source_moved) {
      std::string before = pr.target.source_commit;
      auto revision = add_revision(db, pr, *source, repositories_.clock().now());
      if (!revision.ok()) return common::fail(revision.error());
      pr.revision_id = *revision;
      pr.target.source_commit = *source;
      PullRequestChange change{
          "PULL_REQUEST_SOURCE_REFERENCE_UPDATED",
          "pullRequestSourceReferenceUpdatedEventMetadata",
          {{"repositoryName", pr.target.repository_name}, {"beforeCommitId", before}, {"afterCommitId", *source}},
          "pullRequestSourceBranchUpdated"};
      if (!pr.target.merge_base.empty()) change.metadata["mergeBase"] = pr.target.merge_base;
      if (auto r = record_change(repositories_, pr, actor, change); !r.ok()) return common::fail(r.error());
    }
    if (gone || merged) pr.status = std::string(kClosed);
    if (merged) {
      pr.target.is_merged = true;
      pr.target.merged_by = std::string(actor);
      pr.target.merge_commit = *destination;
      pr.target.merge_option = std::string(merge_option);
    }
    if (auto r = update_targets(db, pr); !r.ok()) return common::fail(r.error());
    if (gone || merged) {
      auto change = merged ? merged_change(pr) : closed_change();
      if (auto r = record_change(repositories_, pr, actor, change); !r.ok()) return common::fail(r.error());
    }
    if (auto r = Sql::commit(tx); !r.ok()) return common::fail(r.error());
  }
  repositories_.bus().notify();
  return read_pull_request(db, account, region, id);
}

namespace {

// The open pull requests of the repository whose source or destination is `ref`.
Result<std::vector<int64_t>> open_on_branch(store::Db& db, const events::Event& event, const std::string& repository_id,
                                            const std::string& ref) {
  std::vector<int64_t> ids;
  auto r = Sql::query(
      db,
      "SELECT id FROM codecommit_pull_requests WHERE account = ? AND region = ? AND repository_id = ? AND "
      "status = 'OPEN' AND (source_ref = ? OR destination_ref = ?) ORDER BY id",
      [&](store::Statement& s) {
        s.bind(1, event.account).bind(2, event.region).bind(3, repository_id).bind(4, ref).bind(5, ref);
      },
      [&](store::Statement& s) {
        ids.push_back(s.integer(0));
        return true;
      });
  if (!r.ok()) return common::fail(r.error());
  return ids;
}

std::string detail_text(const common::Json& detail, const char* member) {
  auto it = detail.find(member);
  return it != detail.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

namespace {

// Whether the event at `seq` is still the one with `id` (a reset restarts the log's numbering).
bool still_there(const events::Bus& bus, int64_t seq, const std::string& id) {
  if (seq <= 0 || id.empty()) return true;
  events::ReadQuery query;
  query.after_seq = seq - 1;
  query.limit = 1;
  auto read = bus.read(query);
  return read.ok() && !read->empty() && read->front().seq == seq && read->front().id == id;
}

}  // namespace

void PullRequestEngine::watch_locked() const {
  if (watch_cursor_ < 0) return;
  events::Bus& bus = repositories_.bus();
  int64_t last = bus.last_seq();
  if (last < watch_cursor_ || !still_there(bus, watch_cursor_, watch_cursor_id_)) {
    watch_cursor_ = 0;  // the log was reset
    watch_cursor_id_.clear();
  }
  constexpr size_t kBatch = 500;
  while (true) {
    events::ReadQuery query;
    query.after_seq = watch_cursor_;
    query.limit = kBatch;
    query.source = "aws.codecommit";
    query.detail_type = "CodeCommit Repository State Change";
    auto read = bus.read(query);
    if (!read.ok()) {
      common::log::warn("codecommit: pull requests cannot read the event bus: {}", read.error().message);
      return;
    }
    for (const auto& event : *read) {
      watch_cursor_ = event.seq;
      watch_cursor_id_ = event.id;
      apply_ref_event(event);
    }
    if (read->size() < kBatch) break;
  }
  if (last > watch_cursor_) {
    // Past events of other kinds too, remembering the last one's id.
    events::ReadQuery query;
    query.after_seq = last - 1;
    query.limit = 1;
    auto read = bus.read(query);
    if (read.ok() && !read->empty()) {
      watch_cursor_ = read->front().seq;
      watch_cursor_id_ = read->front().id;
    }
  }
}

void PullRequestEngine::apply_ref_event(const events::Event& event) const {
  if (detail_text(event.detail, "referenceType") != "branch") return;
  std::string ref = detail_text(event.detail, "referenceFullName");
  auto ids = open_on_branch(repositories_.db(), event, detail_text(event.detail, "repositoryId"), ref);
  if (!ids.ok()) {
    common::log::warn("codecommit: pull requests on {}: {}", ref, ids.error().message);
    return;
  }
  for (int64_t id : *ids) {
    auto r = refresh_locked(id, event.account, event.region, detail_text(event.detail, "callerUserArn"),
                            detail_text(event.detail, "mergeOption"));
    if (!r.ok()) common::log::warn("codecommit: refreshing pull request {}: {}", id, r.error().message);
  }
}

void PullRequestEngine::on_bus_notify() const {
  // This thread notified while changing pull requests (or merging one): it applies what the bus
  // reported itself once the change is recorded.
  if (pull_request_lock_holder == this) return;
  Lock lock(*this);
  watch_locked();
}

}  // namespace codecommit
