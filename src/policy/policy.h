// IAM policy language: parsing and evaluation. One evaluator decides every request of every
// service (identity policies, session policies, resource policies such as role trust
// policies, S3 bucket policies and ECR repository policies). Pure: no storage, no I/O.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/result.h"

namespace policy {

enum class Effect { Allow, Deny };

// One principal value in a Principal/NotPrincipal block: {"AWS": [...]} , {"Service": ...},
// {"Federated": ...} or the bare "*".
struct PrincipalSet {
  bool any = false;                                        // "*" or {"AWS":"*"}
  std::map<std::string, std::vector<std::string>> values;  // "AWS" -> ["arn:aws:iam::1:root", "123456789012"]
};

struct Condition {
  std::string op;                   // full operator as written, e.g. "ForAnyValue:StringLike", "StringEqualsIfExists"
  std::string key;                  // as written; matched case-insensitively
  std::vector<std::string> values;  // all values rendered as strings ("true", "10")
};

struct Statement {
  std::string sid;
  Effect effect = Effect::Allow;
  std::vector<std::string> actions;  // Action, or NotAction when not_action
  bool not_action = false;
  std::vector<std::string> resources;  // Resource, or NotResource when not_resource; empty = none given
  bool not_resource = false;
  bool has_resource = false;
  std::optional<PrincipalSet> principal;      // Principal
  std::optional<PrincipalSet> not_principal;  // NotPrincipal
  std::vector<Condition> conditions;
};

struct Policy {
  std::string version;  // "2012-10-17" | "2008-10-17" ("" = absent: no ${} variables)
  std::vector<Statement> statements;
};

enum class PolicyKind {
  Identity,  // user/role/session policies: no Principal allowed; Action and Resource required
  Resource,  // bucket/repository policies: Principal required
  Trust,     // role trust policies: Principal required, no Resource
};

// Parses and validates a policy document. Errors carry IAM's MalformedPolicyDocument text
// ("Syntax errors in policy.", "Policy document should not specify a principal.",
// "Missing required field Principal", "Policy statement must contain resources.", ...).
common::Result<Policy> parse(std::string_view document, PolicyKind kind);

// The request as the evaluator sees it.
struct EvalContext {
  std::string action;    // "ssm:GetParameter" (matched case-insensitively)
  std::string resource;  // ARN or "*"
  // Principal of the caller (for Principal blocks in resource/trust policies):
  std::string principal_arn;       // arn:aws:iam::1:user/x, arn:aws:sts::1:assumed-role/r/s, arn:aws:iam::1:root
  std::string principal_account;   // "111111111111"
  std::string principal_role_arn;  // for assumed-role sessions: the role's ARN (policies name roles, not sessions)
  std::string service_principal;   // "codebuild.amazonaws.com" when a service is the caller
  // Condition keys, lower-cased names ("aws:sourceip", "codecommit:references"), each with
  // one or more values. Policy variables ${aws:username} etc. are resolved from here too.
  std::map<std::string, std::vector<std::string>> keys;
};

enum class Decision { NotApplicable, Allow, Deny };

// Evaluates one policy: Deny if any matching statement denies; else Allow if any matching
// statement allows; else NotApplicable. For Resource/Trust kinds a statement also has to
// match the principal.
Decision evaluate(const Policy& policy, const EvalContext& context, PolicyKind kind);

// Helpers exposed for tests.
bool wildcard_match(std::string_view pattern, std::string_view value, bool case_insensitive);
bool arn_like(std::string_view pattern, std::string_view arn);

}  // namespace policy
