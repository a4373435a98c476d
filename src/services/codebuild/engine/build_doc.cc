#include "services/codebuild/engine/build_doc.h"

#include <ctime>

namespace codebuild {
namespace {

// AWS's events print times as "Sep 1, 2017 4:12:29 PM" (UTC).
std::string event_time(double epoch) {
  std::time_t t = static_cast<std::time_t>(epoch);
  std::tm tm{};
  gmtime_r(&t, &tm);
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  int hour = tm.tm_hour % 12 == 0 ? 12 : tm.tm_hour % 12;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s %d, %d %d:%02d:%02d %s", kMonths[tm.tm_mon], tm.tm_mday, tm.tm_year + 1900, hour,
                tm.tm_min, tm.tm_sec, tm.tm_hour < 12 ? "AM" : "PM");
  return buf;
}

std::string text(const Json& doc, const char* member) {
  auto it = doc.find(member);
  return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// additional-information of AWS's CodeBuild events: the build in the events' own spelling.
Json additional_information(const Json& build) {
  Json info = Json::object();
  info["build-complete"] = build.value("buildComplete", false);
  info["initiator"] = text(build, "initiator");
  info["build-start-time"] = event_time(build.value("startTime", 0.0));
  info["timeout-in-minutes"] = build.value("timeoutInMinutes", 60);
  info["queued-timeout-in-minutes"] = build.value("queuedTimeoutInMinutes", 480);
  if (build.contains("source")) info["source"] = build["source"];
  if (build.contains("sourceVersion")) info["source-version"] = build["sourceVersion"];
  if (build.contains("environment")) info["environment"] = build["environment"];
  if (build.contains("artifacts")) info["artifact"] = build["artifacts"];
  if (auto logs = build.find("logs"); logs != build.end()) {
    info["logs"] = Json{{"group-name", text(*logs, "groupName")},
                        {"stream-name", text(*logs, "streamName")},
                        {"deep-link", text(*logs, "deepLink")}};
  }
  Json phases = Json::array();
  for (const auto& phase : build.value("phases", Json::array())) {
    Json p = {{"phase-type", text(phase, "phaseType")}};
    if (phase.contains("phaseStatus")) p["phase-status"] = phase["phaseStatus"];
    if (phase.contains("startTime")) p["start-time"] = event_time(phase["startTime"].get<double>());
    if (phase.contains("endTime")) p["end-time"] = event_time(phase["endTime"].get<double>());
    if (phase.contains("durationInSeconds")) p["duration-in-seconds"] = phase["durationInSeconds"];
    if (phase.contains("contexts")) p["phase-context"] = phase["contexts"];
    phases.push_back(std::move(p));
  }
  info["phases"] = std::move(phases);
  return info;
}

events::Event base_event(const Json& build, const char* detail_type) {
  events::Event event;
  event.source = "aws.codebuild";
  event.detail_type = detail_type;
  std::string arn = text(build, "arn");
  // arn:aws:codebuild:<region>:<account>:build/...
  auto field = [&](int n) {
    size_t start = 0;
    for (int i = 0; i < n && start != std::string::npos; ++i) start = arn.find(':', start) + 1;
    return arn.substr(start, arn.find(':', start) - start);
  };
  event.region = field(3);
  event.account = field(4);
  event.resources = {arn};
  return event;
}

// "[: ]" is how AWS prints an empty context list in these events; else the contexts as
// "[statusCode: message]" items.
std::string context_text(const Json& contexts) {
  if (!contexts.is_array() || contexts.empty()) return "[: ]";
  std::string out = "[";
  for (size_t i = 0; i < contexts.size(); ++i) {
    if (i) out += ", ";
    out += text(contexts[i], "statusCode") + ": " + text(contexts[i], "message");
  }
  return out + "]";
}

}  // namespace

void open_phase(Json& build, const std::string& type, double now) {
  build["phases"].push_back(Json{{"phaseType", type}, {"startTime", now}});
  build["currentPhase"] = type;
}

bool close_phase(Json& build, const std::string& status, const Json& contexts, double now,
                 std::vector<events::Event>& out) {
  Json& phases = build["phases"];
  if (!phases.is_array() || phases.empty() || phases.back().contains("endTime")) return false;
  Json& phase = phases.back();
  if (text(phase, "phaseType") == "COMPLETED") return false;
  double start = phase.value("startTime", now);
  phase["phaseStatus"] = status;
  phase["endTime"] = now;
  phase["durationInSeconds"] = static_cast<int64_t>(now - start);
  if (contexts.is_array() && !contexts.empty()) phase["contexts"] = contexts;

  events::Event event = base_event(build, "CodeBuild Build Phase Change");
  event.detail = {{"completed-phase", text(phase, "phaseType")},
                  {"project-name", text(build, "projectName")},
                  {"build-id", text(build, "arn")},
                  {"completed-phase-context", context_text(contexts)},
                  {"additional-information", additional_information(build)},
                  {"completed-phase-status", status},
                  {"completed-phase-duration-seconds", phase["durationInSeconds"]},
                  {"version", "1"},
                  {"completed-phase-start", event_time(start)},
                  {"completed-phase-end", event_time(now)}};
  out.push_back(std::move(event));
  return true;
}

void complete_build(Json& build, const std::string& build_status, const std::string& phase_status, const Json& contexts,
                    double now, std::vector<events::Event>& out) {
  close_phase(build, phase_status, contexts, now, out);
  build["phases"].push_back(Json{{"phaseType", "COMPLETED"}, {"startTime", now}});
  build["currentPhase"] = "COMPLETED";
  build["buildStatus"] = build_status;
  build["buildComplete"] = true;
  build["endTime"] = now;
  out.push_back(state_change_event(build));
}

events::Event state_change_event(const Json& build) {
  events::Event event = base_event(build, "CodeBuild Build State Change");
  event.detail = {{"build-status", text(build, "buildStatus")},
                  {"project-name", text(build, "projectName")},
                  {"build-id", text(build, "arn")},
                  {"additional-information", additional_information(build)},
                  {"current-phase", text(build, "currentPhase")},
                  {"current-phase-context", "[]"},
                  {"version", "1"}};
  return event;
}

}  // namespace codebuild
