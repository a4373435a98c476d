// Masks secret values in the build log. AWS hides parameter-store and secrets-manager values
// and access key ids from CodeBuild logs, by exact match: a transformed secret (base64,
// reversed) shows. The runner masks the driver's stdout here, on the way to CloudWatch Logs,
// rather than inside the container: the runner already holds the values, and a filter process
// in the container would hold the log pipe open for background jobs (dockerd &) and change what
// commands see on their stdout.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace buildspec {

class SecretMasker {
 public:
  // Empty values are ignored. Where two secrets could match at one position, the longest wins.
  explicit SecretMasker(std::vector<std::string> secrets, std::string mask = "***");

  // The masked text that can be emitted now; a tail that may be the start of a secret split
  // across chunks is held back until the next feed() or finish().
  std::string feed(std::string_view chunk);
  // The held-back tail, masked.
  std::string finish();
  bool empty() const { return secrets_.empty(); }

 private:
  std::string scan(bool at_end);

  std::vector<std::string> secrets_;  // longest first
  std::string mask_;
  std::string pending_;
};

}  // namespace buildspec
