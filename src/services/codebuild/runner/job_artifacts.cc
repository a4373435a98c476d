// UPLOAD_ARTIFACTS: the buildspec's artifacts, selected from the source directory, zipped (or
// not: packaging NONE) into the project's S3 location, as the service role.
#include <filesystem>
#include <fstream>

#include "common/checksum.h"
#include "services/codebuild/buildspec/agent_log.h"
#include "services/codebuild/buildspec/artifacts.h"
#include "services/codebuild/buildspec/zip_writer.h"
#include "services/codebuild/runner/build_job.h"

namespace codebuild::runner {
namespace {

constexpr const char* kUploadArtifacts = "UPLOAD_ARTIFACTS";

std::string hex(const std::string& raw) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : raw) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

struct FileDigests {
  std::string sha256;
  std::string md5;
};

FileDigests digests_of(const std::string& path) {
  common::Checksum sha(common::ChecksumAlgorithm::SHA256);
  common::Checksum md5(common::ChecksumAlgorithm::MD5);
  std::ifstream in(path, std::ios::binary);
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    sha.update(buf, static_cast<size_t>(in.gcount()));
    md5.update(buf, static_cast<size_t>(in.gcount()));
  }
  return FileDigests{hex(sha.digest()), hex(md5.digest())};
}

std::string join_key(const std::vector<std::string>& parts) {
  std::string key;
  for (const auto& p : parts) {
    std::string_view part = p;
    while (!part.empty() && part.front() == '/') part.remove_prefix(1);
    while (!part.empty() && part.back() == '/') part.remove_suffix(1);
    if (part.empty()) continue;
    if (!key.empty()) key += '/';
    key += part;
  }
  return key;
}

}  // namespace

// One artifact: `spec` selected from the source directory into `target` (the project's
// artifacts or one of its secondaryArtifacts); what BatchGetBuilds reports, or the phase error.
common::Result<common::Json, buildspec::PhaseError> BuildRun::upload_artifact(const common::Json& target,
                                                                              const buildspec::ArtifactSpec& spec,
                                                                              const std::string& identifier) {
  std::vector<std::string> lines;
  auto files = buildspec::select_artifacts(host_src_, spec, &lines);
  log_.agent(lines);
  if (!files.ok()) return common::fail(files.error());
  // The name: the project's, or the buildspec's (shell-expanded) when the project allows it.
  std::string name = str(target, "name");
  for (const auto& [id, expanded] : outcome_.artifact_names) {
    if (id == identifier && target.value("overrideArtifactName", false) && !expanded.empty()) name = expanded;
  }
  if (name.empty()) name = identifier.empty() ? ref_.id.substr(0, ref_.id.find(':')) : identifier;
  std::string bucket = str(target, "location");
  std::vector<std::string> parts{str(target, "path")};
  if (str(target, "namespaceType") == "BUILD_ID") parts.push_back(uuid_);
  parts.push_back(name);
  std::string key = join_key(parts);
  common::Json reported{{"location", "arn:aws:s3:::" + bucket + "/" + key}};
  if (!identifier.empty()) reported["artifactIdentifier"] = identifier;
  if (str(target, "packaging") == "ZIP") {
    std::string archive = host_hakobu_ + "/artifact-" + std::to_string(++archives_) + ".zip";
    if (auto w = buildspec::write_zip(archive, *files); !w.ok()) {
      return common::fail(buildspec::PhaseError{"CLIENT_ERROR", "cannot write the artifact zip: " + w.error().message});
    }
    auto put = deps_.host.put_object(credentials_, ref_.region, bucket, key, archive, "application/zip");
    if (!put.ok()) return common::fail(buildspec::PhaseError{put.error().status_code, put.error().message});
    FileDigests d = digests_of(archive);
    reported["sha256sum"] = d.sha256;
    reported["md5sum"] = d.md5;
    return reported;
  }
  for (const auto& f : *files) {
    std::string object = join_key({key, f.archive_path});
    auto put = deps_.host.put_object(credentials_, ref_.region, bucket, object, f.source_path, "");
    if (!put.ok()) return common::fail(buildspec::PhaseError{put.error().status_code, put.error().message});
  }
  return reported;
}

std::optional<Failure> BuildRun::upload_artifacts() {
  std::optional<buildspec::PhaseError> error;
  BuildFacts facts;
  const common::Json& target = build_.value("artifacts", common::Json::object());
  if (str(target, "type") == "S3") {
    if (!spec_.artifacts) {
      error = buildspec::PhaseError{"CLIENT_ERROR", "no artifact definitions found in the buildspec"};
    } else if (auto r = upload_artifact(target, spec_.artifacts->primary, ""); !r.ok()) {
      error = r.error();
    } else {
      facts.artifacts = *r;
    }
  }
  // Secondary artifacts: each of the project's S3 secondaryArtifacts whose identifier the
  // buildspec's secondary-artifacts defines.
  common::Json secondary = common::Json::array();
  for (const auto& t : build_.value("secondaryArtifacts", common::Json::array())) {
    if (error) break;
    std::string id = str(t, "artifactIdentifier");
    if (str(t, "type") != "S3" || !spec_.artifacts) continue;
    const buildspec::ArtifactSpec* spec = nullptr;
    for (const auto& [name, s] : spec_.artifacts->secondary) {
      if (name == id) spec = &s;
    }
    if (spec == nullptr) {
      error = buildspec::PhaseError{"CLIENT_ERROR", "no secondary artifact definition found for " + id};
      break;
    }
    if (auto r = upload_artifact(t, *spec, id); !r.ok()) {
      error = r.error();
    } else {
      secondary.push_back(*r);
    }
  }
  if (!secondary.empty()) facts.secondary_artifacts = secondary;
  if (facts.artifacts || facts.secondary_artifacts) (void)deps_.engine.update_build(ref_, facts);
  log_.agent(buildspec::phase_end_messages(kUploadArtifacts, error ? &*error : nullptr));
  if (error) return Failure{"FAILED", "FAILED", error->code, error->message};
  complete("SUCCEEDED", "", "", "FINALIZING");
  return std::nullopt;
}

}  // namespace codebuild::runner
