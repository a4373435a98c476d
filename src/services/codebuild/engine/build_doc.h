// Steps on a Build document shared by the API-side and runner-side build methods: phases and
// the events AWS publishes about them.
#pragma once

#include <string>
#include <vector>

#include "common/clock.h"
#include "events/bus.h"
#include "services/codebuild/engine/codebuild_engine.h"

namespace codebuild {

// Opens phase `type` at `now` (phaseType and startTime only, as AWS shows a running phase) and
// makes it currentPhase.
void open_phase(Json& build, const std::string& type, double now);
// Closes the open (last) phase, if any, with `status` and `contexts`; appends its
// "CodeBuild Build Phase Change" event. False when no phase was open.
bool close_phase(Json& build, const std::string& status, const Json& contexts, double now,
                 std::vector<events::Event>& out);
// Finishes the build: closes the open phase, adds COMPLETED, sets buildStatus, buildComplete,
// endTime; appends the phase and "CodeBuild Build State Change" events.
void complete_build(Json& build, const std::string& build_status, const std::string& phase_status, const Json& contexts,
                    double now, std::vector<events::Event>& out);
// A "CodeBuild Build State Change" event for the build as it is now.
events::Event state_change_event(const Json& build);

}  // namespace codebuild
