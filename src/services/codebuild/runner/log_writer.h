// The build's log: bytes from the driver (and the runner's own agent lines) go through the
// SecretMasker, are cut into lines and appended to the build's CloudWatch Logs stream as they
// arrive, so `aws logs tail --follow` shows a build while it runs. Thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "services/codebuild/buildspec/secret_masker.h"
#include "services/logs/engine/logs_engine.h"

namespace codebuild::runner {

class LogWriter {
 public:
  // `stream` nullopt: CloudWatch Logs is disabled for the build (logsConfig); lines are dropped.
  LogWriter(logs::LogsEngine& logs, std::optional<logs::StreamRef> stream, const common::Clock& clock);

  // From now on these values are masked (a tail still held back is masked with the old set).
  void set_secrets(std::vector<std::string> secrets);
  // Output as it arrives, any chunking.
  void write(std::string_view bytes);
  // One agent line: "[Container] <time> <message>".
  void agent(std::string_view message);
  void agent(const std::vector<std::string>& messages);
  // Emits what is held back (a partial last line, a possible secret prefix).
  void flush();
  // The first append error, if any (the build goes on: its log is best effort, as on AWS).
  std::string error() const;

 private:
  void emit_locked(std::string text, bool final);

  logs::LogsEngine& logs_;
  std::optional<logs::StreamRef> stream_;
  const common::Clock& clock_;
  mutable std::mutex mutex_;
  std::unique_ptr<buildspec::SecretMasker> masker_;
  std::string partial_;  // masked text after the last newline
  std::string error_;
};

}  // namespace codebuild::runner
