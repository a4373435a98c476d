// JUnit XML -> test cases (expat). The format has no schema everyone follows: JUnit, Surefire,
// pytest and others agree on <testsuite name> / <testcase name classname time> and the
// <failure> / <error> / <skipped> children, which is what CodeBuild reads too.
#include <expat.h>

#include <cmath>
#include <cstdlib>
#include <cstring>

#include "services/codebuild/engine/reports.h"

namespace codebuild {
namespace {

struct JunitState {
  std::string raw_path;
  std::vector<std::string> suites;  // enclosing <testsuite> names
  std::vector<TestCaseResult> cases;
  bool in_case = false;
  TestCaseResult current;
  std::string outcome_element;  // "failure" | "error" | "skipped" while inside one
  std::string outcome_text;
  std::string outcome_message;
  int depth_in_case = 0;
};

const char* attribute(const XML_Char** attrs, const char* name) {
  for (int i = 0; attrs[i] != nullptr; i += 2) {
    if (std::strcmp(attrs[i], name) == 0) return attrs[i + 1];
  }
  return nullptr;
}

// "0.123" seconds -> nanoseconds; anything else (absent, "", "abc") is 0. Some tools write
// "1,234.5" for long runs: the thousands separators are dropped.
int64_t nanoseconds(const char* seconds) {
  if (seconds == nullptr) return 0;
  std::string text;
  for (const char* p = seconds; *p != '\0'; ++p) {
    if (*p != ',') text += *p;
  }
  char* end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || !std::isfinite(value) || value < 0) return 0;
  return static_cast<int64_t>(std::llround(value * 1e9));
}

// Outcomes by severity: an <error> wins over a <failure>, both over <skipped>.
int severity(const std::string& status) {
  if (status == "ERROR") return 3;
  if (status == "FAILED") return 2;
  if (status == "SKIPPED") return 1;
  return 0;
}

std::string trimmed(const std::string& text) {
  size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  size_t end = text.find_last_not_of(" \t\r\n");
  return text.substr(begin, end - begin + 1);
}

void XMLCALL on_start(void* data, const XML_Char* name, const XML_Char** attrs) {
  auto* state = static_cast<JunitState*>(data);
  std::string element = name;
  if (state->in_case) {
    ++state->depth_in_case;
    if (state->depth_in_case == 1 && (element == "failure" || element == "error" || element == "skipped")) {
      state->outcome_element = element;
      state->outcome_text.clear();
      const char* message = attribute(attrs, "message");
      state->outcome_message = message ? message : "";
    }
    return;
  }
  if (element == "testsuite") {
    const char* suite = attribute(attrs, "name");
    state->suites.push_back(suite ? suite : "");
  } else if (element == "testcase") {
    state->in_case = true;
    state->depth_in_case = 0;
    state->current = TestCaseResult{};
    const char* case_name = attribute(attrs, "name");
    const char* classname = attribute(attrs, "classname");
    state->current.name = case_name ? case_name : "";
    state->current.suite_name = state->suites.empty() ? "" : state->suites.back();
    state->current.prefix = classname && *classname ? classname : state->current.suite_name;
    state->current.status = "SUCCEEDED";
    state->current.duration_ns = nanoseconds(attribute(attrs, "time"));
    state->current.raw_path = state->raw_path;
  }
}

void end_outcome(JunitState& state) {
  static const std::pair<const char*, const char*> kStatuses[] = {
      {"failure", "FAILED"}, {"error", "ERROR"}, {"skipped", "SKIPPED"}};
  std::string status;
  for (const auto& [element, value] : kStatuses) {
    if (state.outcome_element == element) status = value;
  }
  if (severity(status) > severity(state.current.status)) {
    state.current.status = status;
    std::string text = trimmed(state.outcome_text);
    std::string message = state.outcome_message;
    if (!text.empty() && text != message) message += message.empty() ? text : "\n" + text;
    state.current.message = message;
  }
  state.outcome_element.clear();
}

void XMLCALL on_end(void* data, const XML_Char* name) {
  auto* state = static_cast<JunitState*>(data);
  std::string element = name;
  if (state->in_case) {
    if (state->depth_in_case == 0) {  // </testcase>
      state->cases.push_back(std::move(state->current));
      state->in_case = false;
      return;
    }
    if (state->depth_in_case == 1 && !state->outcome_element.empty()) end_outcome(*state);
    --state->depth_in_case;
    return;
  }
  if (element == "testsuite" && !state->suites.empty()) state->suites.pop_back();
}

void XMLCALL on_text(void* data, const XML_Char* text, int length) {
  auto* state = static_cast<JunitState*>(data);
  if (state->in_case && !state->outcome_element.empty()) state->outcome_text.append(text, static_cast<size_t>(length));
}

}  // namespace

common::Result<std::vector<TestCaseResult>, std::string> parse_junit_xml(std::string_view xml,
                                                                         const std::string& raw_path) {
  XML_Parser parser = XML_ParserCreate(nullptr);
  if (parser == nullptr) return common::fail(std::string("out of memory"));
  JunitState state;
  state.raw_path = raw_path;
  XML_SetUserData(parser, &state);
  XML_SetElementHandler(parser, on_start, on_end);
  XML_SetCharacterDataHandler(parser, on_text);
  bool parsed = XML_Parse(parser, xml.data(), static_cast<int>(xml.size()), 1) == XML_STATUS_OK;
  std::string message;
  if (!parsed) {
    message = std::string(XML_ErrorString(XML_GetErrorCode(parser))) + " at line " +
              std::to_string(XML_GetCurrentLineNumber(parser));
  }
  XML_ParserFree(parser);
  if (!parsed) return common::fail(std::move(message));
  return std::move(state.cases);
}

}  // namespace codebuild
