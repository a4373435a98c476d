#include "services/codebuild/runner/log_writer.h"

#include "services/codebuild/buildspec/agent_log.h"

namespace codebuild::runner {
namespace {

// CloudWatch Logs' limit for one event is 256 KiB including 26 bytes of overhead: a longer line
// becomes several events, as the awslogs driver does.
constexpr size_t kMaxEventBytes = 256 * 1024 - 26;

}  // namespace

LogWriter::LogWriter(logs::LogsEngine& logs, std::optional<logs::StreamRef> stream, const common::Clock& clock)
    : logs_(logs),
      stream_(std::move(stream)),
      clock_(clock),
      masker_(std::make_unique<buildspec::SecretMasker>(std::vector<std::string>{})) {}

void LogWriter::set_secrets(std::vector<std::string> secrets) {
  std::lock_guard lock(mutex_);
  std::string held = masker_->finish();
  masker_ = std::make_unique<buildspec::SecretMasker>(std::move(secrets));
  if (!held.empty()) emit_locked(std::move(held), false);
}

void LogWriter::write(std::string_view bytes) {
  std::lock_guard lock(mutex_);
  emit_locked(masker_->feed(bytes), false);
}

void LogWriter::agent(std::string_view message) {
  std::lock_guard lock(mutex_);
  emit_locked(masker_->feed(buildspec::agent_line(clock_.now(), message)), false);
}

void LogWriter::agent(const std::vector<std::string>& messages) {
  for (const auto& m : messages) agent(m);
}

void LogWriter::flush() {
  std::lock_guard lock(mutex_);
  emit_locked(masker_->finish(), true);
}

std::string LogWriter::error() const {
  std::lock_guard lock(mutex_);
  return error_;
}

void LogWriter::emit_locked(std::string text, bool final) {
  partial_ += text;
  std::vector<logs::InputEvent> events;
  int64_t now = common::to_epoch_millis(clock_.now());
  size_t start = 0;
  for (size_t nl = partial_.find('\n'); nl != std::string::npos; nl = partial_.find('\n', start)) {
    std::string_view line(partial_.data() + start, nl - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    // AWS's log keeps empty lines (the agent prints one after a command's output).
    do {
      size_t n = std::min(line.size(), kMaxEventBytes);
      events.push_back(logs::InputEvent{now, std::string(line.substr(0, n))});
      line.remove_prefix(n);
    } while (!line.empty());
    start = nl + 1;
  }
  partial_.erase(0, start);
  if ((final && !partial_.empty()) || partial_.size() >= kMaxEventBytes) {
    events.push_back(logs::InputEvent{now, partial_.substr(0, kMaxEventBytes)});
    partial_.erase(0, std::min(partial_.size(), kMaxEventBytes));
  }
  if (events.empty() || !stream_) return;
  auto r = logs_.append(*stream_, events);
  if (!r.ok() && error_.empty()) error_ = r.error().message;
}

}  // namespace codebuild::runner
