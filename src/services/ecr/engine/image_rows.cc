// Image and tag rows: reads, the PUSH/DELETE events, and image deletion.
#include "services/ecr/engine/image_rows.h"

#include "services/ecr/engine/internal.h"
#include "services/ecr/engine/sql.h"

namespace ecr {

std::string select_images(bool with_manifest) {
  return std::string(
             "SELECT digest, media_type, artifact_media_type, artifact_type, size, pushed, last_pull, subject") +
         (with_manifest ? ", manifest" : "") + " FROM ecr_images ";
}

Image decode_image(const store::Statement& s, bool with_manifest) {
  Image image;
  image.digest = s.text(0);
  image.media_type = s.text(1);
  image.artifact_media_type = s.text(2);
  image.artifact_type = s.text(3);
  image.size = s.integer(4);
  image.pushed_at = time_column(s, 5);
  image.last_pull = optional_time_column(s, 6);
  image.subject = s.optional_text(7);
  if (with_manifest) image.manifest = s.text(8);
  return image;
}

Result<std::optional<Image>> read_image(store::Db& db, int64_t repo_id, std::string_view digest, bool with_manifest) {
  static const std::string with = select_images(true) + "WHERE repo_id = ? AND digest = ?";
  static const std::string without = select_images(false) + "WHERE repo_id = ? AND digest = ?";
  std::optional<Image> out;
  auto r = Sql::query(
      db, with_manifest ? with : without, [&](store::Statement& s) { s.bind(1, repo_id).bind(2, digest); },
      [&](store::Statement& s) {
        out = decode_image(s, with_manifest);
        return false;
      });
  if (!r.ok()) return common::fail(r.error());
  return out;
}

Result<std::vector<std::string>> read_image_tags(store::Db& db, int64_t repo_id, std::string_view digest) {
  std::vector<std::string> tags;
  auto r = Sql::query(
      db, "SELECT tag FROM ecr_tags WHERE repo_id = ? AND digest = ? ORDER BY tag",
      [&](store::Statement& s) { s.bind(1, repo_id).bind(2, digest); },
      [&](store::Statement& s) {
        tags.push_back(s.text(0));
        return true;
      });
  if (!r.ok()) return common::fail(r.error());
  return tags;
}

Result<std::optional<std::string>> read_tag(store::Db& db, int64_t repo_id, std::string_view tag) {
  std::optional<std::string> digest;
  auto r = Sql::query(
      db, "SELECT digest FROM ecr_tags WHERE repo_id = ? AND tag = ?",
      [&](store::Statement& s) { s.bind(1, repo_id).bind(2, tag); },
      [&](store::Statement& s) {
        digest = s.text(0);
        return false;
      });
  if (!r.ok()) return common::fail(r.error());
  return digest;
}

namespace {

Result<std::vector<std::string>> referencing_indexes(store::Db& db, int64_t repo_id, std::string_view digest) {
  std::vector<std::string> parents;
  auto r = Sql::query(
      db, "SELECT parent_digest FROM ecr_image_children WHERE repo_id = ? AND child_digest = ? ORDER BY parent_digest",
      [&](store::Statement& s) { s.bind(1, repo_id).bind(2, digest); },
      [&](store::Statement& s) {
        parents.push_back(s.text(0));
        return true;
      });
  if (!r.ok()) return common::fail(r.error());
  return parents;
}

Error image_not_found() { return error(Errc::ImageNotFound, "Requested image not found"); }

}  // namespace

Result<bool> is_referenced(store::Db& db, int64_t repo_id, std::string_view digest) {
  auto parents = referencing_indexes(db, repo_id, digest);
  if (!parents.ok()) return common::fail(parents.error());
  return !parents->empty();
}

Status append_image_event(EngineState& state, const Repository& repo, std::string_view action, std::string_view digest,
                          std::string_view tag, std::string_view media_type, std::string_view artifact_media_type) {
  events::Event event;
  event.source = "aws.ecr";
  event.detail_type = "ECR Image Action";
  event.account = repo.account;
  event.region = repo.region;
  common::Json detail = {
      {"result", "SUCCESS"}, {"repository-name", repo.name}, {"image-digest", digest}, {"action-type", action}};
  if (!tag.empty()) detail["image-tag"] = tag;
  if (!media_type.empty()) detail["manifest-media-type"] = media_type;
  if (!artifact_media_type.empty()) detail["artifact-media-type"] = artifact_media_type;
  event.detail = std::move(detail);
  if (auto r = state.bus.append(event); !r.ok()) return common::fail(internal_error(r.error()));
  return common::ok();
}

Result<DeleteOutcome> delete_image_in_tx(EngineState& state, const Repository& repo, const ImageId& id) {
  store::Db& db = state.db;
  std::string digest = id.digest;
  std::vector<std::string> removed_tags;
  bool remove_image = false;
  if (!id.tag.empty()) {
    auto tagged = read_tag(db, repo.id, id.tag);
    if (!tagged.ok()) return common::fail(tagged.error());
    if (!*tagged || (!id.digest.empty() && **tagged != id.digest)) return common::fail(image_not_found());
    digest = **tagged;
    removed_tags.push_back(id.tag);
    auto tags = read_image_tags(db, repo.id, digest);
    if (!tags.ok()) return common::fail(tags.error());
    // Its last tag takes the image along, unless an index lists it: then it stays, untagged.
    auto referenced = is_referenced(db, repo.id, digest);
    if (!referenced.ok()) return common::fail(referenced.error());
    remove_image = tags->size() == 1 && !*referenced;
  } else {
    auto parents = referencing_indexes(db, repo.id, digest);
    if (!parents.ok()) return common::fail(parents.error());
    if (!parents->empty()) {
      std::string list;
      for (const std::string& parent : *parents) list += (list.empty() ? "" : ", ") + parent;
      return common::fail(error(Errc::ImageReferenced, "Requested image referenced by manifest list: [" + list + "]"));
    }
    auto tags = read_image_tags(db, repo.id, digest);
    if (!tags.ok()) return common::fail(tags.error());
    removed_tags = std::move(*tags);
    remove_image = true;
  }
  auto image = read_image(db, repo.id, digest, false);
  if (!image.ok()) return common::fail(image.error());
  if (!*image) return common::fail(image_not_found());

  auto bind_image = [&](store::Statement& s) { s.bind(1, repo.id).bind(2, digest); };
  for (const std::string& tag : removed_tags) {
    auto r = Sql::execute(db, "DELETE FROM ecr_tags WHERE repo_id = ? AND tag = ?",
                          [&](store::Statement& s) { s.bind(1, repo.id).bind(2, tag); });
    if (!r.ok()) return common::fail(r.error());
  }
  if (remove_image) {
    auto r = Sql::execute(db, "DELETE FROM ecr_images WHERE repo_id = ? AND digest = ?", bind_image);
    if (r.ok())
      r = Sql::execute(db, "DELETE FROM ecr_image_children WHERE repo_id = ? AND parent_digest = ?", bind_image);
    if (!r.ok()) return common::fail(r.error());
  }

  DeleteOutcome out;
  const Image& img = **image;
  for (const std::string& tag : removed_tags) {
    auto r = append_image_event(state, repo, "DELETE", digest, tag, img.media_type, img.artifact_media_type);
    if (!r.ok()) return common::fail(r.error());
    out.deleted.push_back(ImageId{digest, tag});
  }
  if (removed_tags.empty()) {
    auto r = append_image_event(state, repo, "DELETE", digest, "", img.media_type, img.artifact_media_type);
    if (!r.ok()) return common::fail(r.error());
    out.deleted.push_back(ImageId{digest, ""});
  }
  return out;
}

}  // namespace ecr
