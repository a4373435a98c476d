// Helpers shared by the engine's .cc files.
#pragma once

#include <string>

#include "common/result.h"
#include "services/iam/model/types.h"
#include "store/db.h"

// Evaluates a Result/Status expression and returns its error from the enclosing function.
#define IAM_TRY(expr)                                          \
  do {                                                         \
    auto iam_try_result_ = (expr);                             \
    if (!iam_try_result_.ok()) {                               \
      return common::fail(std::move(iam_try_result_).error()); \
    }                                                          \
  } while (false)

#define IAM_CONCAT_INNER(a, b) a##b
#define IAM_CONCAT(a, b) IAM_CONCAT_INNER(a, b)
// `auto var = *expr;` or return expr's error.
#define IAM_ASSIGN(var, expr) IAM_ASSIGN_IMPL(IAM_CONCAT(iam_assign_, __LINE__), var, expr)
#define IAM_ASSIGN_IMPL(tmp, var, expr)          \
  auto tmp = (expr);                             \
  if (!tmp.ok()) {                               \
    return common::fail(std::move(tmp).error()); \
  }                                              \
  auto var = std::move(*tmp)

// Opens a write transaction named `tx` or returns its error.
#define IAM_WRITE_TX(tx)                                       \
  store::Transaction tx(db_, store::Transaction::Mode::Write); \
  if (!tx.ok()) {                                              \
    return common::fail(tx.error());                           \
  }

namespace iam::internal {

inline common::Error not_found(std::string message) {
  return common::make_error(common::ErrorKind::NotFound, std::move(message));
}
inline common::Error already_exists(std::string message) {
  return common::make_error(common::ErrorKind::AlreadyExists, std::move(message));
}
inline common::Error conflict(std::string message) {
  return common::make_error(common::ErrorKind::Conflict, std::move(message));
}
inline common::Error limit_exceeded(std::string message) {
  return common::make_error(common::ErrorKind::LimitExceeded, std::move(message));
}
inline common::Error invalid(std::string message) {
  return common::make_error(common::ErrorKind::InvalidArgument, std::move(message));
}

inline std::string user_not_found(const std::string& name) {
  return "The user with name " + name + " cannot be found.";
}
inline std::string role_not_found(const std::string& name) {
  return "The role with name " + name + " cannot be found.";
}

// The stored name (its case as created) of a user or role, or NotFound. In role_ops.cc.
common::Result<std::string> require_owner(store::Db& db, const std::string& account, const Owner& owner);

}  // namespace iam::internal
