#include "services/codebuild/buildspec/driver_protocol.h"

#include <charconv>

namespace buildspec {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::vector<std::string> split_fields(std::string_view line) {
  std::vector<std::string> fields;
  size_t start = 0;
  while (true) {
    const size_t tab = line.find('\t', start);
    fields.push_back(decode_field(line.substr(start, tab == std::string_view::npos ? tab : tab - start)));
    if (tab == std::string_view::npos) break;
    start = tab + 1;
  }
  return fields;
}

std::optional<int64_t> to_int(const std::string& text) {
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

const char* kind_name(RecordKind kind, bool unset) {
  switch (kind) {
    case RecordKind::Start: return "start";
    case RecordKind::PhaseStart: return "phase-start";
    case RecordKind::Command: return "command";
    case RecordKind::PhaseEnd: return "phase-end";
    case RecordKind::PhaseRetry: return "phase-retry";
    case RecordKind::Variable: return unset ? "variable-unset" : "variable";
    case RecordKind::ArtifactName: return "artifact-name";
    case RecordKind::BuildEnd: return "build-end";
  }
  return "start";
}

}  // namespace

std::string encode_field(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (char c : raw) {
    switch (c) {
      case '%': out += "%25"; break;
      case '\t': out += "%09"; break;
      case '\n': out += "%0A"; break;
      case '\r': out += "%0D"; break;
      default: out += c;
    }
  }
  return out;
}

std::string decode_field(std::string_view encoded) {
  std::string out;
  out.reserve(encoded.size());
  for (size_t i = 0; i < encoded.size(); ++i) {
    if (encoded[i] == '%' && i + 2 < encoded.size() && hex_digit(encoded[i + 1]) >= 0 &&
        hex_digit(encoded[i + 2]) >= 0) {
      out += static_cast<char>(hex_digit(encoded[i + 1]) * 16 + hex_digit(encoded[i + 2]));
      i += 2;
    } else {
      out += encoded[i];
    }
  }
  return out;
}

std::string format_record(const ProgressRecord& r) {
  const bool unset = r.kind == RecordKind::Variable && !r.value;
  std::vector<std::string> fields;
  switch (r.kind) {
    case RecordKind::Start: fields = {std::to_string(r.version), std::to_string(r.time_ms)}; break;
    case RecordKind::PhaseStart:
    case RecordKind::PhaseRetry: fields = {r.phase, std::to_string(r.attempt), std::to_string(r.time_ms)}; break;
    case RecordKind::Command: fields = {r.phase, std::to_string(r.time_ms), r.message}; break;
    case RecordKind::PhaseEnd:
      fields = {r.phase, std::to_string(r.attempt), std::to_string(r.time_ms), r.status, r.code, r.message};
      break;
    case RecordKind::Variable:
      fields = {r.name};
      if (r.value) fields.push_back(*r.value);
      break;
    case RecordKind::ArtifactName: fields = {r.name, r.value.value_or("")}; break;
    case RecordKind::BuildEnd: fields = {r.status, std::to_string(r.time_ms), r.next}; break;
  }
  std::string line = kind_name(r.kind, unset);
  for (const auto& f : fields) {
    line += '\t';
    line += encode_field(f);
  }
  return line;
}

std::optional<ProgressRecord> parse_record(std::string_view line) {
  const std::vector<std::string> f = split_fields(line);
  const std::string& type = f[0];
  ProgressRecord r;
  auto need = [&](size_t n) { return f.size() == n + 1; };
  auto time_at = [&](size_t i) -> bool {
    auto t = to_int(f[i]);
    if (!t) return false;
    r.time_ms = *t;
    return true;
  };
  auto attempt_at = [&](size_t i) -> bool {
    auto a = to_int(f[i]);
    if (!a || *a < 1) return false;
    r.attempt = static_cast<int>(*a);
    return true;
  };
  if (type == "start" && need(2)) {
    r.kind = RecordKind::Start;
    auto v = to_int(f[1]);
    if (!v || !time_at(2)) return std::nullopt;
    r.version = static_cast<int>(*v);
  } else if ((type == "phase-start" || type == "phase-retry") && need(3)) {
    r.kind = type == "phase-start" ? RecordKind::PhaseStart : RecordKind::PhaseRetry;
    r.phase = f[1];
    if (!attempt_at(2) || !time_at(3)) return std::nullopt;
  } else if (type == "command" && need(3)) {
    r.kind = RecordKind::Command;
    r.phase = f[1];
    r.message = f[3];
    if (!time_at(2)) return std::nullopt;
  } else if (type == "phase-end" && need(6)) {
    r.kind = RecordKind::PhaseEnd;
    r.phase = f[1];
    r.status = f[4];
    r.code = f[5];
    r.message = f[6];
    if (!attempt_at(2) || !time_at(3)) return std::nullopt;
  } else if (type == "variable" && need(2)) {
    r.kind = RecordKind::Variable;
    r.name = f[1];
    r.value = f[2];
  } else if (type == "variable-unset" && need(1)) {
    r.kind = RecordKind::Variable;
    r.name = f[1];
  } else if (type == "artifact-name" && need(2)) {
    r.kind = RecordKind::ArtifactName;
    r.name = f[1];
    r.value = f[2];
  } else if (type == "build-end" && need(3)) {
    r.kind = RecordKind::BuildEnd;
    r.status = f[1];
    r.next = f[3];
    if (!time_at(2)) return std::nullopt;
  } else {
    return std::nullopt;
  }
  return r;
}

std::vector<ProgressRecord> ProgressParser::feed(std::string_view bytes) {
  std::vector<ProgressRecord> records;
  pending_.append(bytes);
  size_t start = 0;
  while (true) {
    const size_t newline = pending_.find('\n', start);
    if (newline == std::string::npos) break;
    const std::string_view line(pending_.data() + start, newline - start);
    if (auto record = parse_record(line)) {
      records.push_back(std::move(*record));
    } else if (!line.empty()) {
      errors_.emplace_back(line);
    }
    start = newline + 1;
  }
  pending_.erase(0, start);
  return records;
}

void ProgressParser::finish() {
  if (!pending_.empty()) errors_.push_back(pending_);
  pending_.clear();
}

void ProgressTracker::apply(const ProgressRecord& r) {
  DriverOutcome& o = outcome_;
  switch (r.kind) {
    case RecordKind::Start: o.started = true; break;
    case RecordKind::PhaseStart: {
      PhaseProgress phase;
      phase.phase = r.phase;
      phase.attempt = r.attempt;
      phase.start_ms = r.time_ms;
      o.phases.push_back(std::move(phase));
      o.current_phase = r.phase;
      break;
    }
    case RecordKind::PhaseEnd:
      for (auto it = o.phases.rbegin(); it != o.phases.rend(); ++it) {
        if (it->phase == r.phase && it->attempt == r.attempt && !it->end_ms) {
          it->end_ms = r.time_ms;
          it->status = r.status;
          it->code = r.code;
          it->message = r.message;
          break;
        }
      }
      break;
    case RecordKind::Variable: o.exported_variables.emplace_back(r.name, r.value); break;
    case RecordKind::ArtifactName: o.artifact_names.emplace_back(r.name, r.value.value_or("")); break;
    case RecordKind::BuildEnd:
      o.finished = true;
      o.status = r.status;
      o.next = r.next;
      o.end_ms = r.time_ms;
      break;
    case RecordKind::Command:
    case RecordKind::PhaseRetry: break;
  }
}

}  // namespace buildspec
