// What PullRequestEngine's .cc files share: the lock every change takes, reading pull request
// rows, and recording an event (a DescribePullRequestEvents row and a "CodeCommit Pull Request
// State Change" on the bus) inside the caller's write transaction. pull_requests.cc has the
// schema and the simple changes, pull_request_create.cc creation, pull_request_records.cc rows and
// events, pull_request_refresh.cc the refresh from git and the bus watcher,
// pull_request_approvals.cc the rules and approvals, pull_request_merge.cc the merges.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "services/codecommit/engine/internal.h"
#include "services/codecommit/engine/pull_requests.h"

namespace codecommit {

inline constexpr std::string_view kOpen = "OPEN";
inline constexpr std::string_view kClosed = "CLOSED";
inline constexpr std::string_view kHeadsPrefix = "refs/heads/";

// The engine whose lock this thread holds (nullptr when none): the bus calls its subscribers on
// the notifying thread, and a thread that notifies while holding the lock (a merge through
// MergeEngine, or our own events) must not wait for it again.
inline thread_local const PullRequestEngine* pull_request_lock_holder = nullptr;

class PullRequestEngine::Lock {
 public:
  explicit Lock(const PullRequestEngine& engine) : engine_(engine), lock_(engine.mutex_) {
    previous_ = pull_request_lock_holder;
    pull_request_lock_holder = &engine_;
  }
  ~Lock() { pull_request_lock_holder = previous_; }
  Lock(const Lock&) = delete;
  Lock& operator=(const Lock&) = delete;

 private:
  const PullRequestEngine& engine_;
  std::unique_lock<std::mutex> lock_;
  const PullRequestEngine* previous_ = nullptr;
};

// "1", "42": decimal, as AWS's ids are (InvalidPullRequestId otherwise).
Result<int64_t> parse_pull_request_id(std::string_view id);
Error pull_request_not_found(std::string_view id);

// The pull request row with its rules; nullopt when absent or its repository was deleted.
Result<std::optional<PullRequest>> read_pull_request(store::Db& db, const std::string& account,
                                                     const std::string& region, int64_t id);

// Whether `revision_id` is one of the pull request's revisions.
Result<bool> is_revision_of(store::Db& db, const PullRequest& pr, std::string_view revision_id);
// Records a new revision for `source_commit`; returns its id.
Result<std::string> add_revision(store::Db& db, const PullRequest& pr, std::string_view source_commit,
                                 common::TimePoint now);

// What one change records: the DescribePullRequestEvents row (`type`, `metadata_member`:
// `metadata`) and the bus event (`bus_event`, AWS's detail fields of `pr` as it is after the
// change, plus `extra_detail`). Either half may be left out (empty type / bus_event).
struct PullRequestChange {
  std::string type;
  std::string metadata_member;
  common::Json metadata = common::Json::object();
  std::string bus_event;
  common::Json extra_detail = common::Json::object();
};

// Inside the caller's write transaction: the event row, the bus event and lastActivityDate (also
// set in `pr`), all at `at` (zero = the clock's now).
Status record_change(CodeCommitEngine& repositories, PullRequest& pr, std::string_view actor,
                     const PullRequestChange& change, common::TimePoint at = {});

int64_t pull_request_number(const PullRequest& pr);

// The pull request's approval rules against the approvals and override of `revision_id`.
Result<ApprovalEvaluation> evaluate_rules(store::Db& db, const PullRequest& pr, std::string_view revision_id);

// MergeMetadata as DescribePullRequestEvents and the API show it.
common::Json merge_metadata_json(const PullRequestTarget& target);

}  // namespace codecommit
