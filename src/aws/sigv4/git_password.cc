// CodeCommit git-over-HTTPS passwords, as `aws codecommit credential-helper` makes them
// (awscli/customizations/codecommit.py): a hand-built canonical request with method GIT and an
// empty payload line, and a string to sign whose timestamp has no trailing 'Z'.
#include <chrono>

#include "aws/sigv4/internal.h"
#include "aws/sigv4/sigv4.h"

namespace sigv4 {
namespace {

constexpr auto kMaxSkew = std::chrono::minutes(15);
constexpr size_t kStampSize = 15;  // yyyymmddThhmmss
constexpr std::string_view kService = "codecommit";

// The helper signs the URL's host, which never carries the port.
std::string_view strip_port(std::string_view host) {
  size_t colon = host.rfind(':');
  if (colon == std::string_view::npos || host.find(']', colon) != std::string_view::npos) {
    return host;
  }
  return host.substr(0, colon);
}

// `stamp` is "yyyymmddThhmmss". Fills the canonical request and string to sign; returns the
// hex signature.
std::string git_signature(std::string_view secret, std::string_view region, std::string_view host,
                          std::string_view path, std::string_view stamp, std::string& canonical, std::string& to_sign) {
  canonical.clear();
  canonical.append("GIT\n");
  if (path.empty() || path.front() != '/') {
    canonical += '/';  // git hands the helper "v1/repos/x"; the helper signs the URL path
  }
  canonical.append(path).append("\n\nhost:").append(strip_port(host)).append("\n\nhost\n");

  std::string_view date = stamp.substr(0, 8);
  to_sign.clear();
  to_sign.append(kAlgorithm).append("\n").append(stamp).append("\n");
  internal::append_scope(to_sign, date, region, kService);
  to_sign.append("\n").append(common::sha256_hex(canonical));
  return sign(derive_signing_key(secret, date, region, kService), to_sign);
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_lower_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f'); }

// ^\d{8}T\d{6}Z[0-9a-f]{64}$
bool well_formed(std::string_view password) {
  if (password.size() != kStampSize + 1 + 64 || password[8] != 'T' || password[kStampSize] != 'Z') {
    return false;
  }
  for (size_t i = 0; i < kStampSize; ++i) {
    if (i != 8 && !is_digit(password[i])) {
      return false;
    }
  }
  for (size_t i = kStampSize + 1; i < password.size(); ++i) {
    if (!is_lower_hex(password[i])) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string git_password(std::string_view secret_access_key, std::string_view region, std::string_view host,
                         std::string_view path, common::TimePoint t) {
  std::string stamp = common::format_amz_date(t);  // with the Z, which the password keeps
  std::string canonical, to_sign;
  std::string signature = git_signature(secret_access_key, region, host, path,
                                        std::string_view(stamp).substr(0, kStampSize), canonical, to_sign);
  return stamp + signature;
}

VerifyResult verify_git_password(std::string_view password, std::string_view secret_access_key, std::string_view region,
                                 std::string_view host, std::string_view path, common::TimePoint now) {
  VerifyResult result;
  std::optional<common::TimePoint> time;
  if (well_formed(password)) {
    time = internal::parse_amz_date(password.substr(0, kStampSize + 1));
  }
  if (!time) {
    result.status = VerifyStatus::BadDate;
    result.message = "Malformed CodeCommit git password";
    return result;
  }
  std::string_view stamp = password.substr(0, kStampSize + 1);
  if (now - *time > kMaxSkew || *time - now > kMaxSkew) {
    result.status = VerifyStatus::Skewed;
    result.message = "Git password timestamp " + std::string(stamp) + " is more than 15 minutes away from " +
                     common::format_amz_date(now);
    return result;
  }
  std::string signature = git_signature(secret_access_key, region, host, path, stamp.substr(0, kStampSize),
                                        result.canonical_request, result.string_to_sign);
  if (common::constant_time_equals(signature, password.substr(kStampSize + 1))) {
    result.status = VerifyStatus::Ok;
  } else {
    result.status = VerifyStatus::SignatureMismatch;
    result.message = "Invalid CodeCommit git password";
  }
  return result;
}

}  // namespace sigv4
