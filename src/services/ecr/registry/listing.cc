// Listings: tags/list and _catalog (paginated with n/last and a Link header, as Distribution
// does) and the OCI 1.1 referrers index.
#include "common/strings.h"
#include "oci/digest.h"
#include "oci/manifest.h"
#include "services/ecr/registry/internal.h"

namespace ecr::registry {
namespace {

constexpr int kCatalogDefaultEntries = 100;  // Distribution 2.8's default page of _catalog

// `n` as Distribution 2.8 reads it: a non-negative integer, anything else means the default.
int page_size(const Call& call, int fallback) {
  const std::string* text = call.param("n");
  if (text == nullptr || text->empty() || text->size() > 9) return fallback;
  int n = 0;
  for (char c : *text) {
    if (c < '0' || c > '9') return fallback;
    n = n * 10 + (c - '0');
  }
  return n;
}

std::string param_or_empty(const Call& call, std::string_view key) {
  const std::string* value = call.param(key);
  return value != nullptr ? *value : std::string();
}

void reply_json(Call& call, const common::Json& body) {
  call.reply(200);
  call.response.set_header("Content-Type", "application/json; charset=utf-8");
  call.response.body = body.dump();
}

void link_next(Call& call, const std::string& path, const std::string& last, int n) {
  call.response.set_header(
      "Link", "<" + path + "?last=" + common::uri_encode(last) + "&n=" + std::to_string(n) + ">; rel=\"next\"");
}

common::Json names_or_null(const std::vector<std::string>& names) {
  return names.empty() ? common::Json(nullptr) : common::Json(names);
}

}  // namespace

void handle_tags(Call& call) {
  if (call.request.method != "GET") {
    call.fail(make_error("UNSUPPORTED"));
    return;
  }
  if (!call.prepare("ecr:ListImages")) return;
  int n = page_size(call, -1);
  auto page = call.deps.engine.list_tags(call.repo->id, n, param_or_empty(call, "last"));
  if (!page.ok()) {
    call.fail(page.error());
    return;
  }
  if (page->more && !page->tags.empty()) link_next(call, "/v2/" + call.route.name + "/tags/list", page->tags.back(), n);
  reply_json(call, common::Json{{"name", call.route.name}, {"tags", names_or_null(page->tags)}});
}

void handle_catalog(Call& call) {
  if (call.request.method != "GET") {
    call.fail(make_error("UNSUPPORTED"));
    return;
  }
  // The caller's own registry. On an AWS-shaped host (<account>.dkr.ecr.<region>...) names are
  // bare and the host picks the region; on hakobu's own host they are "<account>/<name>", the
  // form /v2/<name>/ takes, in the default region. (A host-form target resolves for any name.)
  std::string account = call.principal.account_id;
  std::string region = call.deps.options.default_region;
  std::string prefix = account + "/";
  bool foreign_host = false;
  if (auto by_host = resolve_registry_target(call.host(), "x", call.deps.options.default_region)) {
    region = by_host->region;
    prefix.clear();
    foreign_host = by_host->account != account;
  }
  call.target = RegistryTarget{account, region, ""};
  dispatch::AuthzRequest authz;
  authz.principal = &call.principal;
  authz.action = "ecr:DescribeRepositories";
  authz.region = region;
  authz.source_ip = call.request.remote_address;
  authz.secure_transport = call.request.secure;
  authz.resources.push_back(dispatch::AuthzResource{"*", "", std::nullopt});
  if (auto decision = call.deps.authorizer.authorize(authz); !decision.ok()) {
    call.fail(make_error("DENIED", decision.error().message));
    return;
  }
  int n = page_size(call, kCatalogDefaultEntries);
  // `last` is a name as we print them; strip our prefix for the engine.
  std::string last = param_or_empty(call, "last");
  bool past_end = false;
  if (!prefix.empty() && !last.empty()) {
    if (last.rfind(prefix, 0) == 0) {
      last = last.substr(prefix.size());
    } else {
      past_end = last > prefix;
      last.clear();
    }
  }
  std::vector<std::string> names;
  bool more = false;
  if (!foreign_host && !past_end) {
    auto page = call.deps.engine.catalog(account, region, n, last);
    if (!page.ok()) {
      call.fail(page.error());
      return;
    }
    for (const std::string& name : page->names) names.push_back(prefix + name);
    more = page->more;
  }
  if (more && !names.empty()) link_next(call, "/v2/_catalog", names.back(), n);
  reply_json(call, common::Json{{"repositories", names}});
}

void handle_referrers(Call& call) {
  if (call.request.method != "GET") {
    call.fail(make_error("UNSUPPORTED"));
    return;
  }
  if (!call.prepare("ecr:BatchGetImage")) return;
  std::optional<oci::Digest> digest = oci::parse_digest(call.route.reference);
  if (!digest) {
    call.fail(make_error("DIGEST_INVALID", "invalid digest").with_detail(call.route.reference));
    return;
  }
  std::string artifact_type = param_or_empty(call, "artifactType");
  auto images = call.deps.engine.referrers(call.repo->id, digest->str(), artifact_type);
  if (!images.ok()) {
    call.fail(images.error());
    return;
  }
  common::Json manifests = common::Json::array();
  for (const Image& image : *images) {
    common::Json d = {{"mediaType", image.media_type},
                      {"digest", image.digest},
                      {"size", static_cast<int64_t>(image.manifest.size())}};
    if (!image.artifact_type.empty()) d["artifactType"] = image.artifact_type;
    // Annotations come from the stored manifest itself (the spec's rule).
    if (auto parsed = oci::parse_manifest(image.manifest, image.media_type); parsed.ok()) {
      if (!parsed->annotations.empty()) d["annotations"] = parsed->annotations;
    }
    manifests.push_back(std::move(d));
  }
  call.reply(200);
  call.response.set_header("Content-Type", std::string(oci::kOciIndex));
  if (!artifact_type.empty()) call.response.set_header("OCI-Filters-Applied", "artifactType");
  call.response.body =
      common::Json{{"schemaVersion", 2}, {"mediaType", oci::kOciIndex}, {"manifests", manifests}}.dump();
}

}  // namespace ecr::registry
