// Result<T, E>: a value or an error, for expected failures (no exceptions on request paths).
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace common {

// A small closed set of domain error classes. Engines return these; each service maps them
// to AWS error codes with an exhaustive switch (no default:), so a new kind fails to compile.
enum class ErrorKind {
  NotFound,
  AlreadyExists,
  InvalidArgument,
  FailedPrecondition,
  Conflict,
  LimitExceeded,
  PermissionDenied,
  Unavailable,
  Internal,
};

struct Error {
  ErrorKind kind = ErrorKind::Internal;
  std::string message;
};

inline Error make_error(ErrorKind kind, std::string message) { return Error{kind, std::move(message)}; }

template <class E>
struct Unexpected {
  E error;
};

template <class E>
Unexpected<std::decay_t<E>> fail(E&& error) {
  return Unexpected<std::decay_t<E>>{std::forward<E>(error)};
}

template <class T, class E = Error>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  template <class F>
  Result(Unexpected<F> error) : state_(std::in_place_index<1>, E(std::move(error.error))) {}  // NOLINT

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  E& error() & { return std::get<1>(state_); }
  const E& error() const& { return std::get<1>(state_); }
  E&& error() && { return std::get<1>(std::move(state_)); }

 private:
  std::variant<T, E> state_;
};

// Result<void>: success carries nothing.
struct Ok {};
template <class E = Error>
using Status = Result<Ok, E>;
inline Ok ok() { return Ok{}; }

}  // namespace common
