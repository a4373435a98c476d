// Pull request rows as PullRequest values, revisions, and what every change records: a
// DescribePullRequestEvents row and a "CodeCommit Pull Request State Change" event with AWS's
// detail fields, both in the caller's write transaction.
#include <ctime>

#include "common/crypto.h"
#include "common/ids.h"
#include "services/codecommit/engine/pull_request_internal.h"

namespace codecommit {
namespace {

double to_column(common::TimePoint t) { return common::to_epoch_seconds(t); }

constexpr std::string_view kSelect =
    "SELECT p.id, p.title, p.description, p.author_arn, p.status, p.client_request_token, p.revision_id, p.created, "
    "p.last_activity, p.repository_id, r.name, p.source_ref, p.destination_ref, p.source_commit, "
    "p.destination_commit, p.merge_base, p.is_merged, p.merged_by, p.merge_commit, p.merge_option "
    "FROM codecommit_pull_requests p JOIN codecommit_repositories r ON r.id = p.repository_id "
    "WHERE p.account = ? AND p.region = ? AND p.id = ?";

PullRequest decode(const store::Statement& s, const std::string& account, const std::string& region) {
  PullRequest pr;
  pr.id = std::to_string(s.integer(0));
  pr.account = account;
  pr.region = region;
  pr.title = s.text(1);
  pr.description = s.text(2);
  pr.author_arn = s.text(3);
  pr.status = s.text(4);
  pr.client_request_token = s.text(5);
  pr.revision_id = s.text(6);
  pr.created = common::from_epoch_seconds(s.real(7));
  pr.last_activity = common::from_epoch_seconds(s.real(8));
  PullRequestTarget& t = pr.target;
  t.repository_id = s.text(9);
  t.repository_name = s.text(10);
  t.source_reference = s.text(11);
  t.destination_reference = s.text(12);
  t.source_commit = s.text(13);
  t.destination_commit = s.text(14);
  t.merge_base = s.text(15);
  t.is_merged = s.integer(16) != 0;
  t.merged_by = s.text(17);
  t.merge_commit = s.text(18);
  t.merge_option = s.text(19);
  return pr;
}

Status read_rules(store::Db& db, PullRequest& pr) {
  return Sql::query(
      db,
      "SELECT id, name, content, content_sha256, created, modified, modified_by, template_id, template_name "
      "FROM codecommit_pull_request_rules WHERE account = ? AND region = ? AND pull_request_id = ? "
      "ORDER BY created, name",
      [&](store::Statement& s) { s.bind(1, pr.account).bind(2, pr.region).bind(3, pull_request_number(pr)); },
      [&](store::Statement& s) {
        pr.rules.push_back(
            PullRequestApprovalRule{s.text(0), s.text(1), s.text(2), s.text(3), common::from_epoch_seconds(s.real(4)),
                                    common::from_epoch_seconds(s.real(5)), s.text(6), s.text(7), s.text(8)});
        return true;
      });
}

// "Wed Nov 06 19:10:58 UTC 2019": how CodeCommit's events write dates.
std::string event_date(common::TimePoint t) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char out[64];
  size_t n = std::strftime(out, sizeof out, "%a %b %d %H:%M:%S UTC %Y", &tm);
  return std::string(out, n);
}

std::string console_url(const PullRequest& pr) {
  return "https://" + pr.region + ".console.aws.amazon.com/codesuite/codecommit/repositories/" +
         pr.target.repository_name + "/pull-requests/" + pr.id + "?region=" + pr.region;
}

std::string notification_body(const PullRequest& pr, std::string_view actor, std::string_view event) {
  std::string body =
      "A pull request event occurred in the following AWS CodeCommit repository: " + pr.target.repository_name +
      ". User: " + std::string(actor) + ". Event: " + (event == "pullRequestCreated" ? "Created" : "Updated") +
      ". Pull request: " + pr.id + ".";
  if (event == "pullRequestStatusChanged") body += " The pull request status has been updated. The status is closed.";
  if (event == "pullRequestMergeStatusUpdated") {
    body += " The pull request merge status has been updated. The status is merged.";
  }
  if (event == "pullRequestSourceBranchUpdated") {
    body += " The pull request was updated with one or more commits to the source branch: " +
            pr.target.source_reference.substr(kHeadsPrefix.size()) + ".";
  }
  return body + " For more information, go to the AWS CodeCommit console " + console_url(pr);
}

// AWS's detail of a "CodeCommit Pull Request State Change" event (monitoring-events in the
// CodeCommit user guide): the pull request as it is after the change.
common::Json bus_detail(const PullRequest& pr, std::string_view actor, const PullRequestChange& change,
                        common::TimePoint now) {
  common::Json detail = {
      {"author", pr.author_arn},
      {"creationDate", event_date(pr.created)},
      {"destinationCommit", pr.target.destination_commit},
      {"destinationReference", pr.target.destination_reference},
      {"event", change.bus_event},
      {"isMerged", pr.target.is_merged ? "True" : "False"},
      {"lastModifiedDate", event_date(now)},
      {"notificationBody", notification_body(pr, actor, change.bus_event)},
      {"pullRequestId", pr.id},
      {"pullRequestStatus", pr.status == kOpen ? "Open" : "Closed"},
      {"repositoryNames", common::Json::array({pr.target.repository_name})},
      {"revisionId", pr.revision_id},
      {"sourceCommit", pr.target.source_commit},
      {"sourceReference", pr.target.source_reference},
      {"title", pr.title},
  };
  if (!actor.empty()) detail["callerUserArn"] = std::string(actor);
  if (!pr.description.empty()) detail["description"] = pr.description;
  if (pr.target.is_merged && !pr.target.merge_option.empty()) detail["mergeOption"] = pr.target.merge_option;
  for (const auto& [key, value] : change.extra_detail.items()) detail[key] = value;
  return detail;
}

}  // namespace

Result<std::optional<PullRequest>> read_pull_request(store::Db& db, const std::string& account,
                                                     const std::string& region, int64_t id) {
  std::optional<PullRequest> out;
  auto r = Sql::query(
      db, kSelect, [&](store::Statement& s) { s.bind(1, account).bind(2, region).bind(3, id); },
      [&](store::Statement& s) {
        out = decode(s, account, region);
        return false;
      });
  if (!r.ok()) return common::fail(r.error());
  if (out) {
    if (auto rules = read_rules(db, *out); !rules.ok()) return common::fail(rules.error());
  }
  return out;
}

Result<bool> is_revision_of(store::Db& db, const PullRequest& pr, std::string_view revision_id) {
  return Sql::exists(db,
                     "SELECT 1 FROM codecommit_pull_request_revisions WHERE account = ? AND region = ? AND "
                     "pull_request_id = ? AND revision_id = ?",
                     [&](store::Statement& s) {
                       s.bind(1, pr.account).bind(2, pr.region).bind(3, pull_request_number(pr)).bind(4, revision_id);
                     });
}

Result<std::string> add_revision(store::Db& db, const PullRequest& pr, std::string_view source_commit,
                                 common::TimePoint now) {
  // Opaque, unique per revision (AWS's look like 64 hex digits).
  std::string revision = common::sha256_hex(common::uuid4());
  auto r = Sql::execute(db,
                        "INSERT INTO codecommit_pull_request_revisions (account, region, pull_request_id, revision_id, "
                        "source_commit, created) VALUES (?, ?, ?, ?, ?, ?)",
                        [&](store::Statement& s) {
                          s.bind(1, pr.account).bind(2, pr.region).bind(3, pull_request_number(pr));
                          s.bind(4, revision).bind(5, source_commit).bind(6, to_column(now));
                        });
  if (!r.ok()) return common::fail(r.error());
  return revision;
}

Status record_change(CodeCommitEngine& repositories, PullRequest& pr, std::string_view actor,
                     const PullRequestChange& change, common::TimePoint at) {
  store::Db& db = repositories.db();
  common::TimePoint now = at == common::TimePoint{} ? repositories.clock().now() : at;
  pr.last_activity = now;
  int64_t number = pull_request_number(pr);
  if (!change.type.empty()) {
    auto r = Sql::execute(db,
                          "INSERT INTO codecommit_pull_request_events (account, region, pull_request_id, type, date, "
                          "actor, metadata_member, metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                          [&](store::Statement& s) {
                            s.bind(1, pr.account).bind(2, pr.region).bind(3, number).bind(4, change.type);
                            s.bind(5, to_column(now)).bind(6, actor).bind(7, change.metadata_member);
                            s.bind(8, change.metadata.dump());
                          });
    if (!r.ok()) return r;
  }
  auto touched = Sql::execute(
      db, "UPDATE codecommit_pull_requests SET last_activity = ? WHERE account = ? AND region = ? AND id = ?",
      [&](store::Statement& s) { s.bind(1, to_column(now)).bind(2, pr.account).bind(3, pr.region).bind(4, number); });
  if (!touched.ok()) return touched;
  if (change.bus_event.empty()) return common::ok();
  events::Event event;
  event.source = "aws.codecommit";
  event.detail_type = "CodeCommit Pull Request State Change";
  event.account = pr.account;
  event.region = pr.region;
  event.resources = {repository_arn(pr.region, pr.account, pr.target.repository_name)};
  event.detail = bus_detail(pr, actor, change, now);
  if (auto r = repositories.bus().append(event); !r.ok()) return common::fail(internal_error(r.error()));
  return common::ok();
}

}  // namespace codecommit
