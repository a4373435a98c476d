// The driver's progress protocol: how the script (driver.h) tells the runner what happened,
// separately from the build log. The driver appends one record per line to a file the runner
// mounts (DriverOptions::progress_path); the runner feeds the bytes it reads, in any chunks, to a
// ProgressParser and folds the records into a ProgressTracker.
//
// Wire format, version 1. A record is one line ending in "\n": a type, then fields, separated
// by TAB. In every field '%', TAB, LF and CR are written %25, %09, %0A and %0D (nothing else is
// encoded; values are otherwise the raw bytes the shell had). Times are epoch milliseconds.
//
//   start          <version> <time>                        the driver began (version: 1)
//   phase-start    <PHASE> <attempt> <time>                 "Entering phase PHASE"
//   command        <PHASE> <time> <command>                 "Running command ..."
//   phase-end      <PHASE> <attempt> <time> <STATUS> <code> <message>
//                  STATUS SUCCEEDED|FAILED; code "" or COMMAND_EXECUTION_ERROR; message "" or
//                  "Error while executing command: X. Reason: exit status N"
//   phase-retry    <PHASE> <next attempt> <time>            on-failure RETRY runs the phase again
//   variable       <NAME> <value>                           env/exported-variables, after POST_BUILD
//   variable-unset <NAME>                                   an exported variable the build never set
//   artifact-name  <identifier> <name>                      artifacts name, shell-expanded
//                                                           (identifier "" = the primary artifact)
//   build-end      <STATUS> <time> <next>                   STATUS SUCCEEDED|FAILED; next
//                                                           UPLOAD_ARTIFACTS or FINALIZING
//
// PHASE is INSTALL, PRE_BUILD, BUILD or POST_BUILD. A driver that stops without build-end was
// killed (StopBuild, timeout) or crashed. Unknown record types are skipped by the parser (and
// listed in errors()), so later versions may add records.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace buildspec {

inline constexpr int kProtocolVersion = 1;

enum class RecordKind { Start, PhaseStart, Command, PhaseEnd, PhaseRetry, Variable, ArtifactName, BuildEnd };

// One record; which fields are set depends on the kind (see the table above).
struct ProgressRecord {
  RecordKind kind = RecordKind::Start;
  int64_t time_ms = 0;               // all but Variable and ArtifactName
  std::string phase;                 // PhaseStart, Command, PhaseEnd, PhaseRetry
  int attempt = 0;                   // PhaseStart, PhaseEnd, PhaseRetry (1-based)
  std::string status;                // PhaseEnd, BuildEnd: SUCCEEDED | FAILED
  std::string code;                  // PhaseEnd
  std::string message;               // PhaseEnd: context message; Command: the command
  std::string name;                  // Variable: its name; ArtifactName: the identifier
  std::optional<std::string> value;  // Variable (nullopt: unset); ArtifactName: the name
  std::string next;                  // BuildEnd: UPLOAD_ARTIFACTS | FINALIZING
  int version = 0;                   // Start
};

// Field encoding, shared with the tests (the driver does the same in shell).
std::string encode_field(std::string_view raw);
std::string decode_field(std::string_view encoded);
// The line (without "\n") the driver would write for `record`.
std::string format_record(const ProgressRecord& record);

// Incremental parser: bytes in, whole records out; a partial last line waits for the next feed.
// Lines that are not a valid record are kept in errors() and skipped.
class ProgressParser {
 public:
  std::vector<ProgressRecord> feed(std::string_view bytes);
  // At end of stream: a last line without "\n" (a driver killed mid-write) is dropped, and
  // reported as an error.
  void finish();
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  std::string pending_;
  std::vector<std::string> errors_;
};

// Parses one line (without "\n"); nullopt when malformed or of an unknown type.
std::optional<ProgressRecord> parse_record(std::string_view line);

// What the records add up to, for BatchGetBuilds and the events.
struct PhaseProgress {
  std::string phase;
  int attempt = 1;
  int64_t start_ms = 0;
  std::optional<int64_t> end_ms;  // unset while running
  std::string status;             // "" while running, then SUCCEEDED | FAILED
  std::string code;
  std::string message;
};

struct DriverOutcome {
  bool started = false;
  std::vector<PhaseProgress> phases;  // one per phase attempt, in order
  std::string current_phase;          // the phase last entered ("" before INSTALL)
  std::vector<std::pair<std::string, std::optional<std::string>>> exported_variables;
  std::vector<std::pair<std::string, std::string>> artifact_names;  // identifier ("" primary) -> name
  bool finished = false;                                            // build-end seen
  std::string status;                                               // SUCCEEDED | FAILED once finished
  std::string next;                                                 // UPLOAD_ARTIFACTS | FINALIZING once finished
  int64_t end_ms = 0;
};

class ProgressTracker {
 public:
  void apply(const ProgressRecord& record);
  void apply(const std::vector<ProgressRecord>& records) {
    for (const auto& r : records) apply(r);
  }
  const DriverOutcome& outcome() const { return outcome_; }

 private:
  DriverOutcome outcome_;
};

}  // namespace buildspec
