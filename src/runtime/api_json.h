// The Docker Engine API's JSON <-> runtime/types.h (pure; unit-tested against bodies captured
// from podman 4.3). Missing or null members read as empty: podman and Docker differ in which
// members they send.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/result.h"
#include "runtime/types.h"

namespace runtime {

// The body of POST /containers/create. AutoRemove is always false: hakobu reads the exit code
// and logs after exit and removes the container itself.
nlohmann::json container_create_body(const ContainerSpec& spec);

ContainerInfo parse_container_inspect(const nlohmann::json& body);
std::vector<ContainerSummary> parse_container_list(const nlohmann::json& body);
WaitResult parse_wait(const nlohmann::json& body);
ImageInfo parse_image_inspect(const nlohmann::json& body);
std::vector<ImageSummary> parse_image_list(const nlohmann::json& body);
EngineVersion parse_version(const nlohmann::json& body);

// An answer's JSON; Unavailable (the engine misbehaves) when it is not JSON.
common::Result<nlohmann::json> parse_body(const std::string& body, std::string_view what);

// The `filters` query value of the list calls: {"label":["k=v",...]} ("k" alone: has the label).
std::string label_filter(const std::vector<std::string>& labels);

// The message of an engine error body ({"message":...}, podman adds "cause"); the raw text when
// it is not JSON.
std::string error_message(const std::string& body);
std::string error_cause(const std::string& body);

}  // namespace runtime
