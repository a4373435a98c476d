#include "services/ecr/engine/auth_token.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/crypto.h"
#include "common/json.h"
#include "store/atomic_file.h"

namespace ecr {
namespace {

constexpr std::string_view kPrefix = "hk1.";
constexpr size_t kKeyBytes = 32;

std::string base64url(std::string_view data) {
  std::string s = common::base64_encode(data);
  for (char& c : s) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  while (!s.empty() && s.back() == '=') s.pop_back();
  return s;
}

bool base64url_decode(std::string_view in, std::string& out) {
  std::string s(in);
  for (char& c : s) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  while (s.size() % 4 != 0) s.push_back('=');
  return common::base64_decode(s, out);
}

}  // namespace

common::Result<TokenIssuer> TokenIssuer::open(const std::string& key_path) {
  std::ifstream in(key_path, std::ios::binary);
  if (in) {
    std::stringstream buffer;
    buffer << in.rdbuf();
    std::string key = buffer.str();
    if (key.size() == kKeyBytes) return TokenIssuer(std::move(key));
  }
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(key_path).parent_path(), ec);
  if (ec) return common::fail(common::make_error(common::ErrorKind::Internal, "cannot create " + key_path));
  std::string key = common::random_bytes(kKeyBytes);
  auto file = store::AtomicFile::create(key_path + ".tmp." + std::to_string(::getpid()));
  if (!file.ok()) return common::fail(file.error());
  ::chmod(file->temp_path().c_str(), 0600);
  if (auto r = file->write(key); !r.ok()) return common::fail(r.error());
  if (auto r = file->publish(key_path); !r.ok()) return common::fail(r.error());
  return TokenIssuer(std::move(key));
}

std::string TokenIssuer::password(const TokenClaims& claims) const {
  common::Json body = {{"k", claims.access_key_id}, {"t", claims.session_token}, {"x", claims.expires_epoch}};
  std::string signed_part = std::string(kPrefix) + base64url(body.dump());
  auto mac = common::hmac_sha256(key_, signed_part);
  return signed_part + "." + base64url(common::as_string_view(mac));
}

std::string TokenIssuer::authorization_token(const TokenClaims& claims) const {
  return common::base64_encode("AWS:" + password(claims));
}

std::optional<TokenClaims> TokenIssuer::verify(std::string_view password) const {
  if (password.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  size_t dot = password.rfind('.');
  if (dot == std::string_view::npos || dot < kPrefix.size()) return std::nullopt;
  std::string_view signed_part = password.substr(0, dot);
  auto mac = common::hmac_sha256(key_, signed_part);
  if (!common::constant_time_equals(base64url(common::as_string_view(mac)), password.substr(dot + 1))) {
    return std::nullopt;
  }
  std::string json;
  if (!base64url_decode(signed_part.substr(kPrefix.size()), json)) return std::nullopt;
  auto body = common::Json::parse(json, nullptr, false);
  if (!body.is_object()) return std::nullopt;
  auto k = body.find("k");
  auto t = body.find("t");
  auto x = body.find("x");
  if (k == body.end() || !k->is_string() || t == body.end() || !t->is_string() || x == body.end() ||
      !x->is_number_integer()) {
    return std::nullopt;
  }
  return TokenClaims{k->get<std::string>(), t->get<std::string>(), x->get<int64_t>()};
}

}  // namespace ecr
