// Images: manifest puts (validation, references, tag immutability, PUSH events), reads,
// listings, deletes, tag and catalog pages, referrers.
#include <map>

#include "common/log.h"
#include "oci/digest.h"
#include "oci/manifest.h"
#include "services/ecr/engine/image_rows.h"
#include "services/ecr/engine/internal.h"
#include "services/ecr/engine/sql.h"

namespace ecr {
namespace {

constexpr auto kPullRecordInterval = std::chrono::seconds(60);

// Layers a registry never holds (their bytes are elsewhere, at the descriptor's urls).
bool non_distributable(std::string_view media_type) {
  return media_type.find(".foreign.") != std::string_view::npos ||
         media_type.find(".nondistributable.") != std::string_view::npos;
}

// ManifestBlobUnknown naming the first blob or child manifest the repository lacks.
Status check_references(store::Db& db, int64_t repo_id, const oci::Manifest& manifest) {
  auto missing = [](const std::string& digest) { return common::fail(error(Errc::ManifestBlobUnknown, digest)); };
  if (manifest.is_index) {
    for (const auto& child : manifest.manifests) {
      auto found = Sql::exists(db, "SELECT 1 FROM ecr_images WHERE repo_id = ? AND digest = ?",
                               [&](store::Statement& s) { s.bind(1, repo_id).bind(2, child.digest); });
      if (!found.ok()) return common::fail(found.error());
      if (!*found) return missing(child.digest);
    }
    return common::ok();
  }
  std::vector<const oci::Descriptor*> blobs;
  if (manifest.config) blobs.push_back(&*manifest.config);
  for (const auto& layer : manifest.layers) {
    if (!non_distributable(layer.media_type)) blobs.push_back(&layer);
  }
  for (const oci::Descriptor* blob : blobs) {
    auto found = Sql::exists(db, "SELECT 1 FROM ecr_repo_blobs WHERE repo_id = ? AND digest = ?",
                             [&](store::Statement& s) { s.bind(1, repo_id).bind(2, blob->digest); });
    if (!found.ok()) return common::fail(found.error());
    if (!*found) return missing(blob->digest);
  }
  return common::ok();
}

Image image_of(const oci::Manifest& manifest, const PutManifestInput& input, std::string digest,
               common::TimePoint now) {
  Image image;
  image.digest = std::move(digest);
  image.manifest = input.bytes;
  image.media_type = manifest.media_type;
  if (!manifest.is_index && manifest.config) image.artifact_media_type = manifest.config->media_type;
  image.size = manifest.layers_size();
  image.pushed_at = now;
  if (manifest.subject) image.subject = manifest.subject->digest;
  image.artifact_type = manifest.artifact_type;
  return image;
}

Status insert_image(store::Db& db, int64_t repo_id, const Image& image) {
  return Sql::execute(db,
                      "INSERT INTO ecr_images (repo_id, digest, media_type, artifact_media_type, artifact_type, size, "
                      "pushed, subject, manifest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      [&](store::Statement& s) {
                        s.bind(1, repo_id).bind(2, image.digest).bind(3, image.media_type);
                        s.bind(4, image.artifact_media_type).bind(5, image.artifact_type).bind(6, image.size);
                        s.bind(7, to_column(image.pushed_at)).bind(8, image.subject).bind(9, image.manifest);
                      });
}

Status record_children(store::Db& db, int64_t repo_id, const std::string& digest, const oci::Manifest& manifest) {
  for (const auto& child : manifest.manifests) {
    auto r = Sql::execute(
        db, "INSERT OR IGNORE INTO ecr_image_children (repo_id, parent_digest, child_digest) VALUES (?, ?, ?)",
        [&](store::Statement& s) { s.bind(1, repo_id).bind(2, digest).bind(3, child.digest); });
    if (!r.ok()) return r;
  }
  return common::ok();
}

// Refusals that depend on what the repository holds: immutable tags, and PutImage's "nothing
// would change".
Status check_overwrite(store::Db& db, const Repository& repo, const PutManifestInput& input, const std::string& digest,
                       bool image_exists) {
  std::optional<std::string> tagged;
  if (!input.tag.empty()) {
    auto current = read_tag(db, repo.id, input.tag);
    if (!current.ok()) return common::fail(current.error());
    tagged = std::move(*current);
  }
  // AWS refuses an immutable tag that exists even when it names the same digest.
  if (tagged && repo.tag_immutable(input.tag)) {
    return common::fail(error(Errc::ImageTagAlreadyExists,
                              "The image tag '" + input.tag + "' already exists in the '" + repo.name +
                                  "' repository and cannot be overwritten because the repository is immutable."));
  }
  bool unchanged = input.tag.empty() ? image_exists : tagged == digest;
  if (input.put_image_api && unchanged) {
    return common::fail(error(Errc::ImageAlreadyExists, "Image with digest '" + digest + "' and tag '" + input.tag +
                                                            "' already exists in the repository with name '" +
                                                            repo.name + "' in registry with id '" + repo.account +
                                                            "'"));
  }
  return common::ok();
}

}  // namespace

Result<PutManifestOutput> EcrEngine::put_manifest(int64_t repo_id, const PutManifestInput& input) {
  auto& state = *internals_;
  auto repo = find_repository(state, repo_id);
  if (!repo.ok()) return common::fail(repo.error());
  if (!input.tag.empty() && !oci::valid_tag(input.tag)) {
    return common::fail(error(Errc::InvalidParameter,
                              "Invalid parameter at 'imageTag' failed to satisfy constraint: 'must satisfy regular "
                              "expression '[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}''"));
  }
  std::string digest = oci::sha256_digest(input.bytes);
  if (!input.expected_digest.empty() && input.expected_digest != digest) {
    return common::fail(
        error(Errc::ImageDigestMismatch,
              "Manifest digest '" + digest + "' does not match the provided digest '" + input.expected_digest + "'"));
  }
  auto manifest = oci::parse_manifest(input.bytes, input.content_type);
  if (!manifest.ok()) return common::fail(error(Errc::ManifestInvalid, manifest.error().message));

  store::Transaction tx(db_, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(internal_error(tx.error()));
  if (auto r = check_references(db_, repo_id, *manifest); !r.ok()) return common::fail(r.error());
  auto stored = read_image(db_, repo_id, digest, false);
  if (!stored.ok()) return common::fail(stored.error());
  if (auto r = check_overwrite(db_, *repo, input, digest, stored->has_value()); !r.ok()) return common::fail(r.error());

  // A re-push keeps the first push's time and media types (the bytes are the same).
  Image image = image_of(*manifest, input, digest, clock_.now());
  if (*stored) {
    image.pushed_at = (*stored)->pushed_at;
    image.last_pull = (*stored)->last_pull;
    image.media_type = (*stored)->media_type;
    image.artifact_media_type = (*stored)->artifact_media_type;
  } else {
    if (auto r = insert_image(db_, repo_id, image); !r.ok()) return common::fail(r.error());
    if (auto r = record_children(db_, repo_id, digest, *manifest); !r.ok()) return common::fail(r.error());
  }
  if (!input.tag.empty()) {
    auto r = Sql::execute(db_, "INSERT OR REPLACE INTO ecr_tags (repo_id, tag, digest, updated) VALUES (?, ?, ?, ?)",
                          [&](store::Statement& s) {
                            s.bind(1, repo_id).bind(2, input.tag).bind(3, digest).bind(4, to_column(clock_.now()));
                          });
    if (!r.ok()) return common::fail(r.error());
  }
  auto event = append_image_event(state, *repo, "PUSH", digest, input.tag, image.media_type, image.artifact_media_type);
  if (!event.ok()) return common::fail(event.error());
  auto tags = read_image_tags(db_, repo_id, digest);
  if (!tags.ok()) return common::fail(tags.error());
  image.tags = std::move(*tags);
  if (auto r = Sql::commit(tx); !r.ok()) return common::fail(r.error());
  bus_.notify();
  return PutManifestOutput{std::move(image)};
}

Result<Image> EcrEngine::get_image(int64_t repo_id, std::string_view reference) const {
  store::Transaction tx(db_, store::Transaction::Mode::Read);
  if (!tx.ok()) return common::fail(internal_error(tx.error()));
  std::string digest(reference);
  if (!oci::is_digest_reference(reference)) {
    auto tagged = read_tag(db_, repo_id, reference);
    if (!tagged.ok()) return common::fail(tagged.error());
    if (!*tagged) return common::fail(error(Errc::ImageNotFound, "Requested image not found"));
    digest = std::move(**tagged);
  }
  auto image = read_image(db_, repo_id, digest, true);
  if (!image.ok()) return common::fail(image.error());
  if (!*image) return common::fail(error(Errc::ImageNotFound, "Requested image not found"));
  auto tags = read_image_tags(db_, repo_id, digest);
  if (!tags.ok()) return common::fail(tags.error());
  (*image)->tags = std::move(*tags);
  return std::move(**image);
}

void EcrEngine::record_pull(int64_t repo_id, std::string_view digest) {
  auto& state = *internals_;
  common::TimePoint now = clock_.now();
  {
    std::string key = std::to_string(repo_id) + " " + std::string(digest);
    std::lock_guard lock(state.pulls_mutex);
    auto it = state.pulls.find(key);
    if (it != state.pulls.end() && now - it->second < kPullRecordInterval && now >= it->second) return;
    if (state.pulls.size() >= 100000) state.pulls.clear();
    state.pulls[key] = now;
  }
  store::Transaction tx(db_, store::Transaction::Mode::Write);
  auto r = tx.ok()
               ? Sql::execute(db_, "UPDATE ecr_images SET last_pull = ? WHERE repo_id = ? AND digest = ?",
                              [&](store::Statement& s) { s.bind(1, to_column(now)).bind(2, repo_id).bind(3, digest); })
               : Status(common::fail(internal_error(tx.error())));
  if (r.ok()) r = Sql::commit(tx);
  if (!r.ok()) common::log::warn("ecr: cannot record a pull of {}: {}", digest, r.error().message);
}

Result<std::vector<Image>> EcrEngine::list_images(int64_t repo_id, std::string_view tag_status) const {
  static const std::string sql = select_images(true) + "WHERE repo_id = ? ORDER BY pushed DESC, digest";
  store::Transaction tx(db_, store::Transaction::Mode::Read);
  if (!tx.ok()) return common::fail(internal_error(tx.error()));
  std::map<std::string, std::vector<std::string>> tags;
  auto r = Sql::query(
      db_, "SELECT digest, tag FROM ecr_tags WHERE repo_id = ? ORDER BY tag",
      [&](store::Statement& s) { s.bind(1, repo_id); },
      [&](store::Statement& s) {
        tags[s.text(0)].push_back(s.text(1));
        return true;
      });
  if (!r.ok()) return common::fail(r.error());
  std::vector<Image> out;
  r = Sql::query(
      db_, sql, [&](store::Statement& s) { s.bind(1, repo_id); },
      [&](store::Statement& s) {
        Image image = decode_image(s, true);
        auto it = tags.find(image.digest);
        if (it != tags.end()) image.tags = std::move(it->second);
        bool tagged = !image.tags.empty();
        if ((tag_status == "TAGGED" && !tagged) || (tag_status == "UNTAGGED" && tagged)) return true;
        out.push_back(std::move(image));
        return true;
      });
  if (!r.ok()) return common::fail(r.error());
  return out;
}

Result<DeleteOutcome> EcrEngine::delete_image(int64_t repo_id, const ImageId& id) {
  auto& state = *internals_;
  auto repo = find_repository(state, repo_id);
  if (!repo.ok()) return common::fail(repo.error());
  store::Transaction tx(db_, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(internal_error(tx.error()));
  auto outcome = delete_image_in_tx(state, *repo, id);
  if (!outcome.ok()) return common::fail(outcome.error());
  if (auto r = Sql::commit(tx); !r.ok()) return common::fail(r.error());
  bus_.notify();
  return outcome;
}

namespace {

// One page of `sql` (which selects one text column, ordered, with parameters `bind` then
// "> last" and LIMIT).
template <class Bind>
Result<std::pair<std::vector<std::string>, bool>> page(store::Db& db, std::string_view sql, Bind&& bind, int n) {
  std::vector<std::string> items;
  bool more = false;
  if (n == 0) return std::pair{items, more};
  auto r = Sql::query(db, sql, std::forward<Bind>(bind), [&](store::Statement& s) {
    if (n >= 0 && static_cast<int>(items.size()) == n) {
      more = true;
      return false;
    }
    items.push_back(s.text(0));
    return true;
  });
  if (!r.ok()) return common::fail(r.error());
  return std::pair{std::move(items), more};
}

}  // namespace

Result<TagPage> EcrEngine::list_tags(int64_t repo_id, int n, std::string_view last) const {
  auto items = page(
      db_, "SELECT tag FROM ecr_tags WHERE repo_id = ? AND tag > ? ORDER BY tag LIMIT ?",
      [&](store::Statement& s) { s.bind(1, repo_id).bind(2, last).bind(3, n < 0 ? int64_t{-1} : int64_t{n} + 1); }, n);
  if (!items.ok()) return common::fail(items.error());
  return TagPage{std::move(items->first), items->second};
}

Result<CatalogPage> EcrEngine::catalog(std::string_view account, std::string_view region, int n,
                                       std::string_view last) const {
  auto items = page(
      db_, "SELECT name FROM ecr_repositories WHERE account = ? AND region = ? AND name > ? ORDER BY name LIMIT ?",
      [&](store::Statement& s) {
        s.bind(1, account).bind(2, region).bind(3, last).bind(4, n < 0 ? int64_t{-1} : int64_t{n} + 1);
      },
      n);
  if (!items.ok()) return common::fail(items.error());
  return CatalogPage{std::move(items->first), items->second};
}

Result<std::vector<Image>> EcrEngine::referrers(int64_t repo_id, std::string_view digest,
                                                std::string_view artifact_type) const {
  static const std::string sql =
      select_images(true) + "WHERE repo_id = ? AND subject = ? AND (? = '' OR artifact_type = ?) ORDER BY digest";
  std::vector<Image> out;
  auto r = Sql::query(
      db_, sql,
      [&](store::Statement& s) { s.bind(1, repo_id).bind(2, digest).bind(3, artifact_type).bind(4, artifact_type); },
      [&](store::Statement& s) {
        out.push_back(decode_image(s, true));
        return true;
      });
  if (!r.ok()) return common::fail(r.error());
  return out;
}

}  // namespace ecr
