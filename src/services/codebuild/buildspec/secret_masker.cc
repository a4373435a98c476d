#include "services/codebuild/buildspec/secret_masker.h"

#include <algorithm>

namespace buildspec {

SecretMasker::SecretMasker(std::vector<std::string> secrets, std::string mask) : mask_(std::move(mask)) {
  for (auto& s : secrets) {
    if (!s.empty()) secrets_.push_back(std::move(s));
  }
  std::sort(secrets_.begin(), secrets_.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
  secrets_.erase(std::unique(secrets_.begin(), secrets_.end()), secrets_.end());
}

std::string SecretMasker::feed(std::string_view chunk) {
  if (secrets_.empty()) return std::string(chunk);
  pending_.append(chunk);
  return scan(false);
}

std::string SecretMasker::finish() {
  std::string out = scan(true);
  pending_.clear();
  return out;
}

std::string SecretMasker::scan(bool at_end) {
  std::string out;
  const std::string_view text(pending_);
  size_t i = 0;
  while (i < text.size()) {
    const std::string_view rest = text.substr(i);
    size_t matched = 0;
    bool could_grow = false;  // a longer secret matches what we have so far
    for (const std::string& secret : secrets_) {
      if (rest.size() >= secret.size()) {
        if (rest.compare(0, secret.size(), secret) == 0) {
          matched = secret.size();
          break;  // longest first: nothing longer can still match here
        }
      } else if (!at_end && secret.compare(0, rest.size(), rest) == 0) {
        could_grow = true;
      }
    }
    if (could_grow) break;  // wait for more bytes: a (longer) secret may still match at i
    if (matched > 0) {
      out += mask_;
      i += matched;
    } else {
      out += text[i];
      ++i;
    }
  }
  pending_.erase(0, i);
  return out;
}

}  // namespace buildspec
