// Emoji reactions to comments: the values CodeCommit accepts (as emoji, short code or code
// point), one reaction per user and comment, and the listing grouped by reaction.
#include <algorithm>
#include <cctype>

#include "services/codecommit/engine/comment_store.h"

namespace codecommit {
namespace {

// The reactions CodeCommit accepts. AWS's user guide lists them (how-to-commit-comment.html
// #emoji-reaction-table) in a table we could not read; these are the ones AWS's examples name
// (thumbsup, thumbsdown, smile, confused, clap) and the usual review set. Keys follow AWS's
// reactionCounts example ("THUMBSUP": 1).
const std::vector<Reaction>& reactions_table() {
  static const std::vector<Reaction> kReactions = {
      {"THUMBSUP", "\xF0\x9F\x91\x8D", ":thumbsup:", "U+1F44D"},
      {"THUMBSDOWN", "\xF0\x9F\x91\x8E", ":thumbsdown:", "U+1F44E"},
      {"SMILE", "\xF0\x9F\x98\x84", ":smile:", "U+1F604"},
      {"LAUGHING", "\xF0\x9F\x98\x86", ":laughing:", "U+1F606"},
      {"CONFUSED", "\xF0\x9F\x98\x95", ":confused:", "U+1F615"},
      {"HEART", "\xE2\x9D\xA4", ":heart:", "U+2764"},
      {"CLAP", "\xF0\x9F\x91\x8F", ":clap:", "U+1F44F"},
      {"TADA", "\xF0\x9F\x8E\x89", ":tada:", "U+1F389"},
      {"ROCKET", "\xF0\x9F\x9A\x80", ":rocket:", "U+1F680"},
      {"EYES", "\xF0\x9F\x91\x80", ":eyes:", "U+1F440"},
  };
  return kReactions;
}

constexpr std::string_view kVariationSelector = "\xEF\xB8\x8F";  // U+FE0F, as in "❤️"

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool removes(std::string_view value) { return value.empty() || upper(value) == "NONE"; }

}  // namespace

std::optional<Reaction> find_reaction(std::string_view value) {
  if (value.size() > kVariationSelector.size() &&
      value.substr(value.size() - kVariationSelector.size()) == kVariationSelector) {
    value.remove_suffix(kVariationSelector.size());
  }
  std::string name = upper(value);
  if (name.size() > 2 && name.front() == ':' && name.back() == ':') name = name.substr(1, name.size() - 2);
  for (const auto& reaction : reactions_table()) {
    if (value == reaction.emoji || name == reaction.key || name == upper(reaction.unicode)) return reaction;
  }
  return std::nullopt;
}

std::optional<Reaction> reaction_by_key(std::string_view key) {
  for (const auto& reaction : reactions_table()) {
    if (reaction.key == key) return reaction;
  }
  return std::nullopt;
}

Status CommentEngine::put_reaction(const std::string& account, const std::string& region, std::string_view id,
                                   std::string_view value, std::string_view caller_arn) {
  if (auto r = check_comment_id(id); !r.ok()) return r;
  std::optional<Reaction> reaction;
  if (!removes(value)) {
    reaction = find_reaction(value);
    if (!reaction) {
      return common::fail(
          error(Errc::InvalidReactionValue, "The value of the reaction is not valid: " + std::string(value)));
    }
  }
  store::Db& db = repositories_.db();
  {
    store::Transaction tx(db, store::Transaction::Mode::Write);
    if (!tx.ok()) return common::fail(internal_error(tx.error()));
    auto row = read_comment(db, account, region, id);
    if (!row.ok()) return common::fail(row.error());
    if (!*row) return common::fail(comment_not_found(id));
    if ((*row)->comment.deleted) {
      return common::fail(error(Errc::CommentDeleted,
                                "This comment has already been deleted. You cannot edit or "
                                "delete a deleted comment."));
    }
    auto bind_key = [&](store::Statement& s) { s.bind(1, id).bind(2, caller_arn); };
    auto had =
        Sql::exists(db, "SELECT 1 FROM codecommit_comment_reactions WHERE comment_id = ? AND user_arn = ?", bind_key);
    if (!had.ok()) return common::fail(had.error());
    if (!reaction) {
      auto r =
          Sql::execute(db, "DELETE FROM codecommit_comment_reactions WHERE comment_id = ? AND user_arn = ?", bind_key);
      if (!r.ok()) return r;
    } else {
      auto r = Sql::execute(db,
                            "INSERT INTO codecommit_comment_reactions (comment_id, user_arn, reaction, created) "
                            "VALUES (?, ?, ?, ?) ON CONFLICT (comment_id, user_arn) DO UPDATE SET "
                            "reaction = excluded.reaction, created = excluded.created",
                            [&](store::Statement& s) {
                              s.bind(1, id).bind(2, caller_arn).bind(3, reaction->key);
                              s.bind(4, common::to_epoch_seconds(repositories_.clock().now()));
                            });
      if (!r.ok()) return r;
      auto repo = read_repository_by_id(db, repositories_.data_dir(), (*row)->subject.repository_id);
      if (!repo.ok()) return common::fail(repo.error());
      if (*repo) {
        auto event = append_reaction_event(repositories_.bus(), **repo, id, *reaction, *had, caller_arn);
        if (!event.ok()) return event;
      }
    }
    if (auto r = Sql::commit(tx); !r.ok()) return r;
  }
  repositories_.bus().notify();
  return common::ok();
}

Result<std::vector<ReactionUsers>> CommentEngine::reactions(const std::string& account, const std::string& region,
                                                            std::string_view id, std::string_view user_arn) const {
  if (auto r = check_comment_id(id); !r.ok()) return common::fail(r.error());
  if (!user_arn.empty() && user_arn.rfind("arn:", 0) != 0) {
    return common::fail(
        error(Errc::InvalidReactionUserArn, "The Amazon Resource Name (ARN) of the user or identity is not valid."));
  }
  store::Db& db = repositories_.db();
  auto row = read_comment(db, account, region, id);
  if (!row.ok()) return common::fail(row.error());
  if (!*row) return common::fail(comment_not_found(id));
  if ((*row)->comment.deleted) {
    return common::fail(error(Errc::CommentDeleted, "This comment has already been deleted."));
  }
  std::vector<ReactionUsers> out;
  auto r = Sql::query(
      db, "SELECT user_arn, reaction FROM codecommit_comment_reactions WHERE comment_id = ? ORDER BY created",
      [&](store::Statement& s) { s.bind(1, id); },
      [&](store::Statement& s) {
        std::string user = s.text(0);
        if (!user_arn.empty() && user != user_arn) return true;
        auto reaction = reaction_by_key(s.text(1));
        if (!reaction) return true;
        auto group = std::find_if(out.begin(), out.end(),
                                  [&](const ReactionUsers& g) { return g.reaction.key == reaction->key; });
        if (group == out.end()) group = out.insert(out.end(), ReactionUsers{*reaction, {}});
        group->users.push_back(std::move(user));
        return true;
      });
  if (!r.ok()) return common::fail(r.error());
  return out;
}

}  // namespace codecommit
