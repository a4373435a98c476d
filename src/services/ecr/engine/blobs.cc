// Blobs: lookups, cross-repository mounts, monolithic uploads and upload sessions. A blob
// becomes visible (find_blob) only when its ecr_blobs and ecr_repo_blobs rows commit, which
// happens only after its file is durable under its final name (BlobFiles::publish).
#include "common/ids.h"
#include "oci/digest.h"
#include "services/ecr/engine/internal.h"
#include "services/ecr/engine/sql.h"

namespace ecr {
namespace {

// The hex of a sha256 digest; nullopt for anything else (sha512 is never stored).
std::optional<std::string> sha256_hex(std::string_view digest) {
  auto parsed = oci::parse_digest(digest);
  if (!parsed || parsed->algorithm != "sha256") return std::nullopt;
  return std::move(parsed->hex);
}

Error digest_invalid() { return error(Errc::DigestInvalid, "provided digest did not match uploaded content"); }
Error upload_unknown() { return error(Errc::UploadUnknown, "blob upload unknown to registry"); }
Error incomplete_body() { return error(Errc::UploadInvalid, "the request body ended before its end"); }

Status check_sha256(std::string_view digest) {
  if (sha256_hex(digest)) return common::ok();
  auto parsed = oci::parse_digest(digest);
  return common::fail(error(Errc::DigestInvalid, parsed ? "unsupported digest algorithm " + parsed->algorithm
                                                        : "invalid digest " + std::string(digest)));
}

Result<std::optional<BlobInfo>> read_blob(EngineState& state, int64_t repo_id, const std::string& digest,
                                          std::string_view hex) {
  std::optional<BlobInfo> out;
  auto r = Sql::query(
      state.db,
      "SELECT b.size FROM ecr_repo_blobs rb JOIN ecr_blobs b ON b.digest = rb.digest "
      "WHERE rb.repo_id = ? AND rb.digest = ?",
      [&](store::Statement& s) { s.bind(1, repo_id).bind(2, digest); },
      [&](store::Statement& s) {
        out = BlobInfo{digest, s.integer(0), state.files.blob_path(hex)};
        return false;
      });
  if (!r.ok()) return common::fail(r.error());
  return out;
}

Status link_blob(store::Db& db, int64_t repo_id, std::string_view digest, common::TimePoint now) {
  return Sql::execute(db, "INSERT OR IGNORE INTO ecr_repo_blobs (repo_id, digest, linked) VALUES (?, ?, ?)",
                      [&](store::Statement& s) { s.bind(1, repo_id).bind(2, digest).bind(3, to_column(now)); });
}

// Publishes the upload file `name` as blob `hex` and commits the rows that make it visible
// in the repository (and end the session `session_uuid`, when not empty).
Result<BlobInfo> publish_and_link(EngineState& state, int64_t repo_id, std::string_view name, std::string_view hex,
                                  int64_t size, std::string_view session_uuid) {
  std::string digest = "sha256:" + std::string(hex);
  std::shared_lock files_lock(state.blob_files_lock);
  if (auto r = state.files.publish(name, hex); !r.ok()) return common::fail(r.error());
  store::Transaction tx(state.db, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(internal_error(tx.error()));
  auto repo = Sql::exists(state.db, "SELECT 1 FROM ecr_repositories WHERE id = ?",
                          [&](store::Statement& s) { s.bind(1, repo_id); });
  if (!repo.ok()) return common::fail(repo.error());
  if (!*repo) return common::fail(error(Errc::RepositoryNotFound, "The repository does not exist"));
  auto r = Sql::execute(state.db, "INSERT OR IGNORE INTO ecr_blobs (digest, size) VALUES (?, ?)",
                        [&](store::Statement& s) { s.bind(1, digest).bind(2, size); });
  if (!r.ok()) return common::fail(r.error());
  if (r = link_blob(state.db, repo_id, digest, state.clock.now()); !r.ok()) return common::fail(r.error());
  if (!session_uuid.empty()) {
    r = Sql::execute(state.db, "DELETE FROM ecr_uploads WHERE uuid = ?",
                     [&](store::Statement& s) { s.bind(1, session_uuid); });
    if (!r.ok()) return common::fail(r.error());
  }
  if (r = Sql::commit(tx); !r.ok()) return common::fail(r.error());
  return BlobInfo{std::move(digest), size, state.files.blob_path(hex)};
}

// The session `uuid` of the repository: from memory, else (after a restart) from its row and
// file, without a hash.
Result<std::shared_ptr<UploadSession>> find_session(EngineState& state, int64_t repo_id, std::string_view uuid) {
  if (auto session = state.uploads.get(uuid)) {
    if (session->repo_id != repo_id) return common::fail(upload_unknown());
    return session;
  }
  auto known = Sql::exists(state.db, "SELECT 1 FROM ecr_uploads WHERE uuid = ? AND repo_id = ?",
                           [&](store::Statement& s) { s.bind(1, uuid).bind(2, repo_id); });
  if (!known.ok()) return common::fail(known.error());
  if (!*known) return common::fail(upload_unknown());
  int64_t size = state.files.upload_size(uuid);
  if (size < 0) return common::fail(upload_unknown());
  return state.uploads.add(std::make_shared<UploadSession>(std::string(uuid), repo_id, size));
}

// Appends `body` to a session whose mutex the caller holds.
Result<UploadState> append_locked(EngineState& state, UploadSession& session, const Reader& body) {
  auto appended =
      state.files.append(session.uuid, session.offset, body, session.hash_valid ? session.hash.get() : nullptr);
  if (!appended.ok() || appended->body_broken) {
    // The file is back at `offset`, but the hash may have seen part of the chunk.
    if (!appended.ok() || appended->bytes > 0) session.hash_valid = false;
    if (session.offset == 0 && !session.hash_valid) {
      session.hash = std::make_unique<common::Sha256Stream>();
      session.hash_valid = true;
    }
    if (!appended.ok()) return common::fail(appended.error());
    return common::fail(incomplete_body());
  }
  session.offset += appended->bytes;
  return UploadState{session.uuid, session.offset};
}

// Ends a session whose mutex the caller holds: its row, file and memory go.
Status end_session(EngineState& state, UploadSession& session) {
  session.gone = true;
  state.uploads.erase(session.uuid);
  state.files.remove_upload(session.uuid);
  store::Transaction tx(state.db, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(internal_error(tx.error()));
  auto r = Sql::execute(state.db, "DELETE FROM ecr_uploads WHERE uuid = ?",
                        [&](store::Statement& s) { s.bind(1, session.uuid); });
  if (!r.ok()) return r;
  return Sql::commit(tx);
}

}  // namespace

std::optional<BlobInfo> EcrEngine::find_blob(int64_t repo_id, std::string_view digest) const {
  auto hex = sha256_hex(digest);
  if (!hex) return std::nullopt;
  auto blob = read_blob(*internals_, repo_id, std::string(digest), *hex);
  if (!blob.ok()) return std::nullopt;
  return std::move(*blob);
}

std::optional<BlobInfo> EcrEngine::mount_blob(int64_t to_repo, int64_t from_repo, std::string_view digest) {
  auto hex = sha256_hex(digest);
  if (!hex) return std::nullopt;
  std::string key(digest);
  store::Transaction tx(db_, store::Transaction::Mode::Write);
  if (!tx.ok()) return std::nullopt;
  auto blob = read_blob(*internals_, from_repo, key, *hex);
  if (!blob.ok() || !*blob) return std::nullopt;
  auto target =
      Sql::exists(db_, "SELECT 1 FROM ecr_repositories WHERE id = ?", [&](store::Statement& s) { s.bind(1, to_repo); });
  if (!target.ok() || !*target) return std::nullopt;
  if (!link_blob(db_, to_repo, key, clock_.now()).ok() || !Sql::commit(tx).ok()) return std::nullopt;
  return std::move(*blob);
}

Result<BlobInfo> EcrEngine::put_blob(int64_t repo_id, std::string_view digest, const Reader& body,
                                     int64_t expected_size) {
  if (auto r = check_sha256(digest); !r.ok()) return common::fail(r.error());
  auto& state = *internals_;
  std::string name = "put-" + common::random_hex(24);
  if (auto r = state.files.create_upload(name); !r.ok()) return common::fail(r.error());
  common::Sha256Stream hash;
  auto appended = state.files.append(name, 0, body, &hash, expected_size);
  auto failed = [&](Error e) {
    state.files.remove_upload(name);
    return common::fail(std::move(e));
  };
  if (!appended.ok()) return failed(appended.error());
  if (appended->body_broken) return failed(incomplete_body());
  if (expected_size >= 0 && appended->bytes != expected_size) {
    return failed(error(Errc::SizeInvalid, "blob size " + std::to_string(appended->bytes) +
                                               " does not match the declared size " + std::to_string(expected_size)));
  }
  std::string hex = common::hex_encode(hash.finish());
  if ("sha256:" + hex != digest) return failed(digest_invalid());
  auto blob = publish_and_link(state, repo_id, name, hex, appended->bytes, "");
  if (!blob.ok()) return failed(blob.error());
  return blob;
}

Result<UploadState> EcrEngine::start_upload(int64_t repo_id) {
  auto& state = *internals_;
  if (auto repo = find_repository(state, repo_id); !repo.ok()) return common::fail(repo.error());
  std::string uuid = common::uuid4();
  if (auto r = state.files.create_upload(uuid); !r.ok()) return common::fail(r.error());
  store::Transaction tx(db_, store::Transaction::Mode::Write);
  auto inserted = tx.ok() ? Sql::execute(db_, "INSERT INTO ecr_uploads (uuid, repo_id, started) VALUES (?, ?, ?)",
                                         [&](store::Statement& s) {
                                           s.bind(1, uuid).bind(2, repo_id).bind(3, to_column(clock_.now()));
                                         })
                          : Status(common::fail(internal_error(tx.error())));
  if (inserted.ok()) inserted = Sql::commit(tx);
  if (!inserted.ok()) {
    state.files.remove_upload(uuid);
    return common::fail(inserted.error());
  }
  state.uploads.add(std::make_shared<UploadSession>(uuid, repo_id, 0));
  return UploadState{uuid, 0};
}

Result<UploadState> EcrEngine::upload_status(int64_t repo_id, std::string_view uuid) const {
  auto session = find_session(*internals_, repo_id, uuid);
  if (!session.ok()) return common::fail(session.error());
  std::lock_guard lock((*session)->mutex);
  if ((*session)->gone) return common::fail(upload_unknown());
  return UploadState{(*session)->uuid, (*session)->offset};
}

Result<UploadState> EcrEngine::append_upload(int64_t repo_id, std::string_view uuid, std::optional<int64_t> start,
                                             const Reader& body) {
  auto session = find_session(*internals_, repo_id, uuid);
  if (!session.ok()) return common::fail(session.error());
  UploadSession& s = **session;
  std::lock_guard lock(s.mutex);
  if (s.gone) return common::fail(upload_unknown());
  if (start && *start != s.offset) {
    return common::fail(error(Errc::UploadInvalid, "chunk starts at " + std::to_string(*start) +
                                                       " but the upload has " + std::to_string(s.offset) + " bytes"));
  }
  return append_locked(*internals_, s, body);
}

Result<BlobInfo> EcrEngine::complete_upload(int64_t repo_id, std::string_view uuid, std::string_view digest,
                                            const Reader* last_chunk) {
  auto& state = *internals_;
  auto session = find_session(state, repo_id, uuid);
  if (!session.ok()) return common::fail(session.error());
  UploadSession& s = **session;
  std::lock_guard lock(s.mutex);
  if (s.gone) return common::fail(upload_unknown());
  if (auto r = check_sha256(digest); !r.ok()) return common::fail(r.error());
  if (last_chunk != nullptr) {
    if (auto r = append_locked(state, s, *last_chunk); !r.ok()) return common::fail(r.error());
  }
  std::string hex;
  if (s.hash_valid) {
    hex = common::hex_encode(s.hash->finish());
    s.hash_valid = false;
  } else {
    auto rehashed = state.files.hash_upload(s.uuid);
    if (!rehashed.ok()) return common::fail(rehashed.error());
    hex = std::move(*rehashed);
  }
  if ("sha256:" + hex != digest) {
    // As Distribution does: a session whose content does not match is over.
    (void)end_session(state, s);
    return common::fail(digest_invalid());
  }
  auto blob = publish_and_link(state, repo_id, s.uuid, hex, s.offset, s.uuid);
  if (!blob.ok()) {
    (void)end_session(state, s);
    return common::fail(blob.error());
  }
  s.gone = true;
  state.uploads.erase(s.uuid);
  return blob;
}

Status EcrEngine::cancel_upload(int64_t repo_id, std::string_view uuid) {
  auto session = find_session(*internals_, repo_id, uuid);
  if (!session.ok()) return common::fail(session.error());
  std::lock_guard lock((*session)->mutex);
  if ((*session)->gone) return common::fail(upload_unknown());
  return end_session(*internals_, **session);
}

}  // namespace ecr
