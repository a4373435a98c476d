// CodeBuild's agent lines, for the parts of the log the runner writes itself (the
// DOWNLOAD_SOURCE phase before the driver starts, UPLOAD_ARTIFACTS after it ends). The driver
// prints the same format for the command phases. Observed in AWS build logs:
//   [Container] 2025/04/21 14:15:47.524510 Phase complete: DOWNLOAD_SOURCE State: SUCCEEDED
//   [Container] 2025/04/21 14:15:47.524526 Phase context status code:  Message:
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "services/codebuild/buildspec/buildspec.h"

namespace buildspec {

// "[Container] 2024/01/02 03:04:05.123456 <message>\n", UTC with microseconds.
std::string agent_line(common::TimePoint time, std::string_view message);

// The two lines that close a phase: "Phase complete: <PHASE> State: SUCCEEDED|FAILED" and
// "Phase context status code: <code> Message: <message>" (both empty on success).
std::vector<std::string> phase_end_messages(std::string_view phase_type, const PhaseError* error);

// DOWNLOAD_SOURCE up to reading the buildspec: "Running on CodeBuild On-demand", ...,
// "CODEBUILD_SRC_DIR=<src>", "YAML location is <path>".
std::vector<std::string> download_source_start_messages(std::string_view src_dir, std::string_view yaml_location);

// The rest of a successful DOWNLOAD_SOURCE once the buildspec parsed: environment processing,
// runtime and cache notes, "Phases found in YAML: N" with each phase's command count, and the
// phase's closing lines.
std::vector<std::string> download_source_end_messages(const Buildspec& spec, std::string_view src_dir);

}  // namespace buildspec
