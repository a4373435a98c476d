// Statement matching and the per-policy decision (explicit Deny > Allow > NotApplicable).
#include <string>
#include <string_view>

#include "policy/internal.h"
#include "policy/policy.h"

namespace policy {
namespace {

constexpr std::string_view kVariablesVersion = "2012-10-17";

bool action_matches(const Statement& statement, std::string_view action) {
  bool listed = false;
  for (const auto& pattern : statement.actions) {
    if (wildcard_match(pattern, action, true)) {
      listed = true;
      break;
    }
  }
  return listed != statement.not_action;
}

bool resource_matches(const Statement& statement, const EvalContext& context, bool variables, std::string& scratch) {
  // No Resource element: the policy is attached to the resource (ECR repository policies).
  if (!statement.has_resource && statement.resources.empty()) {
    return true;
  }
  bool listed = false;
  for (const auto& written : statement.resources) {
    std::string_view pattern = written;
    bool escaped = false;
    if (variables) {
      internal::Resolution resolution = internal::substitute(written, context, true, scratch);
      if (resolution == internal::Resolution::Unresolved) {
        continue;  // a missing variable makes this pattern match nothing
      }
      if (resolution == internal::Resolution::Substituted) {
        pattern = scratch;
        escaped = true;
      }
    }
    if (internal::pattern_match(pattern, context.resource, false, escaped)) {
      listed = true;
      break;
    }
  }
  return listed != statement.not_resource;
}

bool principal_applies(const Statement& statement, const EvalContext& context) {
  if (statement.principal && !internal::principal_matches(*statement.principal, context)) {
    return false;
  }
  return !(statement.not_principal && internal::principal_matches(*statement.not_principal, context));
}

bool statement_applies(const Statement& statement, const EvalContext& context, PolicyKind kind, bool variables,
                       std::string& scratch) {
  if (!action_matches(statement, context.action)) {
    return false;
  }
  // A trust policy's resource is the role itself.
  if (kind != PolicyKind::Trust && !resource_matches(statement, context, variables, scratch)) {
    return false;
  }
  if (kind != PolicyKind::Identity && !principal_applies(statement, context)) {
    return false;
  }
  for (const auto& condition : statement.conditions) {
    if (!internal::condition_matches(condition, context, variables)) {
      return false;
    }
  }
  return true;
}

}  // namespace

Decision evaluate(const Policy& policy, const EvalContext& context, PolicyKind kind) {
  bool variables = policy.version == kVariablesVersion;
  std::string scratch;
  bool allowed = false;
  for (const auto& statement : policy.statements) {
    // Once allowed, only a Deny can change the answer.
    if (allowed && statement.effect == Effect::Allow) {
      continue;
    }
    if (!statement_applies(statement, context, kind, variables, scratch)) {
      continue;
    }
    if (statement.effect == Effect::Deny) {
      return Decision::Deny;
    }
    allowed = true;
  }
  return allowed ? Decision::Allow : Decision::NotApplicable;
}

}  // namespace policy
