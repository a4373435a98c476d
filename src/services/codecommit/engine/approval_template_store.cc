// Template rows, the rules a template's name, description and content follow, and the template
// change event.
#include <ctime>

#include "services/codecommit/engine/approval_template_store.h"

namespace codecommit {
namespace {

constexpr size_t kMaxNameLength = 100;
constexpr size_t kMaxDescriptionLength = 1000;
constexpr size_t kMaxContentLength = 3000;
constexpr size_t kMaxDestinationReferences = 100;

// Characters, not bytes, as AWS counts them.
size_t utf8_length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

bool name_character(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
         c == '-' || c == ' ';
}

// "Wed Nov 06 19:02:14 UTC 2019", as the template events carry their dates.
std::string event_date(common::TimePoint t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a %b %d %H:%M:%S UTC %Y", &tm);
  return buf;
}

ApprovalRuleTemplate decode(const store::Statement& s) {
  ApprovalRuleTemplate t;
  t.id = s.text(0);
  t.name = s.text(1);
  t.description = s.text(2);
  t.content = s.text(3);
  t.content_sha256 = rule_content_sha256(t.content);
  t.last_modified_user = s.text(4);
  t.created = common::from_epoch_seconds(s.real(5));
  t.modified = common::from_epoch_seconds(s.real(6));
  return t;
}

}  // namespace

Result<std::optional<ApprovalRuleTemplate>> read_template(store::Db& db, const TemplateScope& scope,
                                                          std::string_view name) {
  std::optional<ApprovalRuleTemplate> out;
  auto r = Sql::query(
      db,
      "SELECT id, name, description, content, last_modified_user, created, modified "
      "FROM codecommit_approval_rule_templates WHERE account = ? AND region = ? AND name = ?",
      [&](store::Statement& s) { s.bind(1, scope.account).bind(2, scope.region).bind(3, name); },
      [&](store::Statement& s) {
        out = decode(s);
        return false;
      });
  if (!r.ok()) return common::fail(r.error());
  return out;
}

Result<ApprovalRuleTemplate> require_template(store::Db& db, const TemplateScope& scope, std::string_view name) {
  auto found = read_template(db, scope, name);
  if (!found.ok()) return common::fail(found.error());
  if (!*found) {
    return common::fail(error(Errc::ApprovalRuleTemplateDoesNotExist,
                              "The specified approval rule template does not exist: " + std::string(name)));
  }
  return std::move(**found);
}

Status check_template_name(std::string_view name) {
  bool ok = !name.empty() && name.size() <= kMaxNameLength;
  for (char c : name) ok = ok && name_character(c);
  if (ok && name.size() >= 4 && name.substr(name.size() - 4) == ".git") ok = false;
  if (!ok) {
    return common::fail(error(Errc::InvalidApprovalRuleTemplateName,
                              "The name of the approval rule template is not valid. Template names must be between 1 "
                              "and 100 valid characters in length."));
  }
  return common::ok();
}

Status check_template_description(std::string_view description) {
  if (utf8_length(description) > kMaxDescriptionLength) {
    return common::fail(error(Errc::InvalidApprovalRuleTemplateDescription,
                              "The description for the approval rule template is not valid because it exceeds the "
                              "maximum characters allowed for a description."));
  }
  return common::ok();
}

Status check_template_content(std::string_view content) {
  if (content.empty()) {
    return common::fail(error(Errc::ApprovalRuleTemplateContentRequired,
                              "The content for the approval rule template is empty. You must provide some content for "
                              "an approval rule template."));
  }
  if (utf8_length(content) > kMaxContentLength) {
    return common::fail(error(Errc::InvalidApprovalRuleTemplateContent,
                              "The content of the approval rule template is not valid. It exceeds 3000 characters."));
  }
  auto parsed = parse_approval_rule_content(content, /*for_template=*/true);
  if (!parsed.ok()) return common::fail(parsed.error());
  if (parsed->destination_references.size() > kMaxDestinationReferences) {
    return common::fail(error(Errc::InvalidApprovalRuleTemplateContent,
                              "The content of the approval rule template is not valid. A template can name at most 100 "
                              "destination references."));
  }
  return common::ok();
}

Status append_template_event(events::Bus& bus, const TemplateScope& scope, const ApprovalRuleTemplate& tmpl,
                             std::string_view event_name, const std::vector<Repository>& repositories,
                             std::string_view caller_arn, std::string_view what) {
  events::Event event;
  event.source = "aws.codecommit";
  event.detail_type = "CodeCommit Approval Rule Template Change";
  event.account = scope.account;
  event.region = scope.region;
  common::Json named = common::Json::object();
  for (const auto& repo : repositories) {
    event.resources.push_back(repo.arn);
    named[repo.name] = repo.id;
  }
  event.detail = {
      {"approvalRuleTemplateContentSha256", tmpl.content_sha256},
      {"approvalRuleTemplateId", tmpl.id},
      {"approvalRuleTemplateName", tmpl.name},
      {"callerUserArn", std::string(caller_arn)},
      {"creationDate", event_date(tmpl.created)},
      {"event", std::string(event_name)},
      {"lastModifiedDate", event_date(tmpl.modified)},
      {"notificationBody", "A approval rule template event occurred in the following AWS CodeCommit account: " +
                               scope.account + ". User: " + std::string(caller_arn) + ". Additional information: " +
                               std::string(what) + " For more information, go to the AWS CodeCommit console."},
      {"repositories", std::move(named)},
  };
  if (auto r = bus.append(event); !r.ok()) return common::fail(internal_error(r.error()));
  return common::ok();
}

}  // namespace codecommit
