// The registry front: pure parsing (routes, ranges, Accept) and the error model, then whole
// requests through RegistryFront::handle against a real EcrEngine (temporary SQLite database),
// with a fake credential resolver and a scripted authorizer.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "common/crypto.h"
#include "common/log.h"
#include "common/strings.h"
#include "common/temp_dir.h"
#include "events/bus.h"
#include "oci/digest.h"
#include "services/ecr/registry/internal.h"
#include "services/ecr/registry/registry.h"
#include "testing/fake_clock.h"

namespace ecr::registry {
namespace {

// --- routes ------------------------------------------------------------------------------

TEST(RegistryRoute, BaseAndCatalog) {
  EXPECT_EQ(parse_route("/v2/").kind, RouteKind::Base);
  EXPECT_EQ(parse_route("/v2").kind, RouteKind::Base);
  EXPECT_EQ(parse_route("/v2/_catalog").kind, RouteKind::Catalog);
  EXPECT_EQ(parse_route("/v3/").kind, RouteKind::Unknown);
  EXPECT_EQ(parse_route("/v2/x").kind, RouteKind::Unknown);
}

struct RouteCase {
  const char* path;
  RouteKind kind;
  const char* name;
  const char* reference;
};

void expect_routes(const std::vector<RouteCase>& cases) {
  for (const RouteCase& c : cases) {
    Route r = parse_route(c.path);
    EXPECT_EQ(r.kind, c.kind) << c.path;
    EXPECT_EQ(r.name, c.name) << c.path;
    EXPECT_EQ(r.reference, c.reference) << c.path;
  }
}

TEST(RegistryRoute, NamesKeepTheirSlashes) {
  expect_routes({
      {"/v2/000000000000/team/app/manifests/latest", RouteKind::Manifest, "000000000000/team/app", "latest"},
      {"/v2/000000000000/app/tags/list", RouteKind::Tags, "000000000000/app", ""},
      {"/v2/a/b/blobs/sha256:abc", RouteKind::Blob, "a/b", "sha256:abc"},
      {"/v2/a/referrers/sha256:abc", RouteKind::Referrers, "a", "sha256:abc"},
  });
}

TEST(RegistryRoute, Uploads) {
  expect_routes({
      {"/v2/a/b/blobs/uploads/", RouteKind::UploadStart, "a/b", ""},
      {"/v2/a/blobs/uploads", RouteKind::UploadStart, "a", ""},
      {"/v2/a/b/blobs/uploads/0c1d-uuid", RouteKind::Upload, "a/b", "0c1d-uuid"},
  });
}

TEST(RegistryRoute, ComponentsNamedLikeRoutesBelongToTheName) {
  // The last components decide: a repository may have a component called "manifests".
  expect_routes({
      {"/v2/a/manifests/b/manifests/v1", RouteKind::Manifest, "a/manifests/b", "v1"},
      {"/v2/x/blobs/blobs/uploads/u1", RouteKind::Upload, "x/blobs", "u1"},
  });
}

TEST(RegistryRoute, MalformedPathsNameNothing) {
  EXPECT_EQ(parse_route("/v2/manifests/latest").kind, RouteKind::Unknown);  // no name
  EXPECT_EQ(parse_route("/v2//a/manifests/latest").kind, RouteKind::Unknown);
  EXPECT_EQ(parse_route("/v2/a/manifests/").kind, RouteKind::Unknown);
  EXPECT_EQ(parse_route("/v2/a/blobs/").kind, RouteKind::Unknown);
  EXPECT_EQ(parse_route("/v2/a/tags/lists").kind, RouteKind::Unknown);
  EXPECT_EQ(parse_route("/v2/tags/list").kind, RouteKind::Unknown);
}

// --- ranges --------------------------------------------------------------------------------

// The registry reads http::parse_range as Distribution does (http/tests/range_test.cc has the
// parser's cases): a malformed range is unsatisfiable, several ranges are served whole.
TEST(RegistryRange, AsDistributionReadsIt) {
  ByteRange r;
  EXPECT_EQ(parse_range("bytes=50-1000", 100, r), RangeResult::Partial);  // clamped
  EXPECT_EQ(r.first, 50);
  EXPECT_EQ(r.length, 50);
  EXPECT_EQ(parse_range("bytes=-500", 100, r), RangeResult::Partial);
  EXPECT_EQ(r.first, 0);
  EXPECT_EQ(r.length, 100);
  for (const char* unsatisfiable : {"bytes=100-", "bytes=-0", "bytes=5-4", "items=0-1", "bytes=a-b"}) {
    EXPECT_EQ(parse_range(unsatisfiable, 100, r), RangeResult::Unsatisfiable) << unsatisfiable;
  }
  EXPECT_EQ(parse_range("bytes=0-0", 0, r), RangeResult::Unsatisfiable);
  EXPECT_EQ(parse_range("bytes=0-1,5-6", 100, r), RangeResult::Whole);  // no multipart bodies
}

TEST(RegistryContentRange, Forms) {
  auto r = parse_content_range("0-99");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->first, 0);
  EXPECT_EQ(r->second, 99);
  r = parse_content_range("bytes 100-199/*");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->first, 100);
  EXPECT_EQ(r->second, 199);
  r = parse_content_range("bytes=5-5");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->first, 5);
  EXPECT_FALSE(parse_content_range("9-5"));
  EXPECT_FALSE(parse_content_range("x-5"));
  EXPECT_FALSE(parse_content_range("5"));
  EXPECT_FALSE(parse_content_range(""));
}

TEST(RegistryAccept, AllHeadersSplitWithoutParameters) {
  http::Request request;
  request.headers.push_back({"Accept", "application/vnd.oci.image.manifest.v1+json; q=0.9, */*"});
  request.headers.push_back({"accept", "application/vnd.docker.distribution.manifest.v2+json"});
  request.headers.push_back({"Content-Type", "text/plain"});
  std::vector<std::string> expected = {"application/vnd.oci.image.manifest.v1+json", "*/*",
                                       "application/vnd.docker.distribution.manifest.v2+json"};
  EXPECT_EQ(accept_values(request), expected);
}

// --- errors --------------------------------------------------------------------------------

TEST(RegistryErrors, StatusesFollowDistribution) {
  struct Row {
    Errc errc;
    const char* code;
    int status;
  };
  const Row rows[] = {
      {Errc::RepositoryNotFound, "NAME_UNKNOWN", 404},
      {Errc::ImageNotFound, "MANIFEST_UNKNOWN", 404},
      {Errc::ImageReferenced, "DENIED", 403},
      {Errc::ImageTagAlreadyExists, "TAG_INVALID", 400},
      {Errc::InvalidParameter, "TAG_INVALID", 400},
      {Errc::ImageDigestMismatch, "DIGEST_INVALID", 400},
      {Errc::DigestInvalid, "DIGEST_INVALID", 400},
      {Errc::ManifestInvalid, "MANIFEST_INVALID", 400},
      {Errc::ManifestBlobUnknown, "MANIFEST_BLOB_UNKNOWN", 400},
      {Errc::BlobUnknown, "BLOB_UNKNOWN", 404},
      {Errc::UploadUnknown, "BLOB_UPLOAD_UNKNOWN", 404},
      {Errc::UploadInvalid, "BLOB_UPLOAD_INVALID", 400},
      {Errc::SizeInvalid, "SIZE_INVALID", 400},
      {Errc::Internal, "UNKNOWN", 500},
  };
  for (const Row& row : rows) {
    RegistryError e = from_engine(Error{row.errc, "m"});
    EXPECT_EQ(e.code, row.code);
    EXPECT_EQ(e.status, row.status) << row.code;
  }
  EXPECT_EQ(make_error("UNAUTHORIZED").status, 401);
  EXPECT_EQ(make_error("UNAUTHORIZED").message, "authentication required");
  EXPECT_EQ(make_error("UNSUPPORTED").status, 405);
}

TEST(RegistryErrors, BodyCarriesDetailOnlyWhenSet) {
  RegistryError e = from_engine(Error{Errc::ManifestBlobUnknown, "sha256:ab"});
  auto body = common::Json::parse(error_body(e));
  EXPECT_EQ(body["errors"][0]["code"], "MANIFEST_BLOB_UNKNOWN");
  EXPECT_EQ(body["errors"][0]["detail"]["digest"], "sha256:ab");
  body = common::Json::parse(error_body(make_error("DENIED", "no")));
  EXPECT_EQ(body["errors"][0]["message"], "no");
  EXPECT_FALSE(body["errors"][0].contains("detail"));
}

TEST(RegistryMatches, PathsWithoutAwsSignatures) {
  struct Case {
    const char* path;
    const char* query;
    const char* authorization;  // "" for none
    bool matches;
  };
  const Case cases[] = {
      {"/v2/", "", "", true},
      {"/v2", "", "", true},
      {"/v2x/a", "", "", false},
      // S3 path-style, bucket "v2".
      {"/v2/key", "", "AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/s3/aws4_request", false},
      {"/v2/key", "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=x&X-Amz-Signature=y", "", false},
      {"/v2/key", "AWSAccessKeyId=test&Expires=1&Signature=x", "", false},
      {"/v2/key", "X-Amz-Ecr-Token=abc", "", true},
      {"/v2/key", "", "Basic QVdTOnBhc3M=", true},
  };
  for (const Case& c : cases) {
    http::Request r;
    r.path = c.path;
    r.query = c.query;
    if (*c.authorization != '\0') r.headers.push_back({"Authorization", c.authorization});
    EXPECT_EQ(RegistryFront::matches(r), c.matches) << c.path << "?" << c.query << " " << c.authorization;
  }
}

// --- whole requests ------------------------------------------------------------------------

constexpr const char* kDev = "000000000000";
constexpr const char* kProd = "111111111111";

class FakeCredentials final : public dispatch::CredentialResolver {
 public:
  common::Result<dispatch::ResolvedKey, dispatch::CredentialError> resolve(std::string_view key, std::string_view,
                                                                           int64_t) override {
    dispatch::ResolvedKey k;
    k.secret_access_key = "secret";
    if (key == "DEVKEY") {
      k.principal.account_id = kDev;
      k.principal.arn = std::string("arn:aws:iam::") + kDev + ":root";
    } else if (key == "PRODKEY") {
      k.principal.account_id = kProd;
      k.principal.arn = std::string("arn:aws:iam::") + kProd + ":root";
    } else {
      return common::fail(dispatch::CredentialError::UnknownKey);
    }
    k.principal.access_key_id = std::string(key);
    return k;
  }
};

// Allows everything in the caller's own account, denies actions listed in `denied` and every
// cross-account call whose resource carries no policy.
class ScriptedAuthorizer final : public dispatch::Authorizer {
 public:
  common::Status<aws::AwsError> authorize(const dispatch::AuthzRequest& request) override {
    requests.push_back(request);
    bool deny = false;
    for (const auto& action : denied) deny = deny || action == request.action;
    for (const auto& resource : request.resources) {
      if (!resource.owner_account.empty() && !resource.resource_policy) deny = true;
    }
    if (deny) {
      return common::fail(
          aws::make_aws_error("AccessDeniedException", 400,
                              "User: " + request.principal->arn + " is not authorized to perform: " + request.action));
    }
    return common::ok();
  }
  std::vector<std::string> denied;
  std::vector<dispatch::AuthzRequest> requests;
};

class StringBody final : public http::BodyReader {
 public:
  explicit StringBody(std::string data, size_t step = 7) : data_(std::move(data)), step_(step) {}
  long read(char* buffer, size_t size) override {
    size_t n = std::min({size, step_, data_.size() - at_});
    std::copy_n(data_.data() + at_, n, buffer);
    at_ += n;
    return static_cast<long>(n);
  }

 private:
  std::string data_;
  size_t step_;
  size_t at_ = 0;
};

class RegistryFrontTest : public ::testing::Test {
 protected:
  void SetUp() override {
    common::log::set_level(common::log::Level::Warn);
    ASSERT_TRUE(temp_.ok());
    root_ = temp_.path();
    auto opened = store::Db::open((root_ / "state.db").string());
    ASSERT_TRUE(opened.ok());
    db_ = std::move(*opened);
    bus_ = std::make_unique<events::Bus>(*db_, clock_);
    ASSERT_TRUE(bus_->migrate().ok());
    engine_ = std::make_unique<EcrEngine>(*db_, clock_, (root_ / "data").string(), *bus_);
    ASSERT_TRUE(engine_->migrate().ok());
    front_ = std::make_unique<RegistryFront>(*engine_, credentials_, authorizer_, tokens_, clock_, RegistryOptions{});
    CreateRepositoryInput input;
    input.ref = RepoRef{kDev, "us-east-1", "team/app"};
    ASSERT_TRUE(engine_->create_repository(input).ok());
  }

  void TearDown() override {
    front_.reset();
    engine_.reset();
    bus_.reset();
    db_.reset();
  }

  std::string basic(const std::string& key, int64_t expires_in = 3600) {
    TokenClaims claims{key, "", static_cast<int64_t>(common::to_epoch_seconds(clock_.now())) + expires_in};
    return "Basic " + tokens_.authorization_token(claims);
  }

  http::Response send(const std::string& method, const std::string& target, std::string body = "",
                      std::vector<http::Header> headers = {}, const std::string& key = "DEVKEY") {
    http::Request request;
    request.method = method;
    request.target = target;
    size_t q = target.find('?');
    request.path = target.substr(0, q);
    request.query = q == std::string::npos ? "" : target.substr(q + 1);
    request.headers = std::move(headers);
    request.headers.push_back({"Host", "localhost:4566"});
    if (!key.empty()) request.headers.push_back({"Authorization", basic(key)});
    StringBody reader(body);
    if (!body.empty()) {
      request.body_reader = &reader;
      request.content_length = static_cast<int64_t>(body.size());
    }
    request.remote_address = "127.0.0.1";
    http::Response response;
    front_->handle(request, response);
    return response;
  }

  static std::string header(const http::Response& r, std::string_view name) {
    for (const auto& h : r.headers) {
      if (common::iequals(h.name, name)) return h.value;
    }
    return "";
  }
  static std::string code(const http::Response& r) {
    if (r.body.empty()) return "";
    return common::Json::parse(r.body)["errors"][0]["code"];
  }

  std::string push_blob(const std::string& data, const std::string& repo = "000000000000/team/app") {
    std::string digest = oci::sha256_digest(data);
    auto r = send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + digest, data);
    EXPECT_EQ(r.status, 201) << r.body;
    return digest;
  }

  std::string manifest_for(const std::string& config, const std::string& layer) {
    common::Json m = {
        {"schemaVersion", 2},
        {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
        {"config", {{"mediaType", "application/vnd.oci.image.config.v1+json"}, {"digest", config}, {"size", 2}}},
        {"layers", {{{"mediaType", "application/vnd.oci.image.layer.v1.tar+gzip"}, {"digest", layer}, {"size", 5}}}}};
    return m.dump();
  }

  common::TempDir temp_{"ecr-registry-test"};
  std::filesystem::path root_;
  testing_support::FakeClock clock_;
  std::unique_ptr<store::Db> db_;
  std::unique_ptr<events::Bus> bus_;
  std::unique_ptr<EcrEngine> engine_;
  FakeCredentials credentials_;
  ScriptedAuthorizer authorizer_;
  TokenIssuer tokens_{"0123456789abcdef0123456789abcdef"};
  std::unique_ptr<RegistryFront> front_;
};

TEST_F(RegistryFrontTest, PingNeedsAToken) {
  auto r = send("GET", "/v2/", "", {}, "");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(header(r, "WWW-Authenticate"), "Basic realm=\"http://localhost:4566/\",service=\"ecr.amazonaws.com\"");
  EXPECT_EQ(header(r, "Docker-Distribution-Api-Version"), "registry/2.0");
  EXPECT_EQ(code(r), "UNAUTHORIZED");
  r = send("GET", "/v2/");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "{}");
  EXPECT_EQ(header(r, "Docker-Distribution-Api-Version"), "registry/2.0");
}

TEST_F(RegistryFrontTest, ExpiredForgedAndUnknownTokensAre401) {
  http::Response r = send("GET", "/v2/", "", {{"Authorization", basic("DEVKEY", -1)}}, "");
  EXPECT_EQ(r.status, 401);
  EXPECT_NE(common::Json::parse(r.body)["errors"][0]["message"].get<std::string>().find("expired"), std::string::npos);
  TokenIssuer other("another key, another signature..");
  std::string forged = "Basic " + other.authorization_token(TokenClaims{"DEVKEY", "", 4102444800});
  EXPECT_EQ(send("GET", "/v2/", "", {{"Authorization", forged}}, "").status, 401);
  EXPECT_EQ(send("GET", "/v2/", "", {}, "NOSUCHKEY").status, 401);
  EXPECT_EQ(send("GET", "/v2/", "", {{"Authorization", "Basic " + common::base64_encode("bob:x")}}, "").status, 401);
}

TEST_F(RegistryFrontTest, UnknownNamesAndRepositories) {
  auto r = send("GET", "/v2/team/app/tags/list");  // no account component
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(code(r), "NAME_UNKNOWN");
  r = send("GET", "/v2/000000000000/Bad_Name/tags/list");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(code(r), "NAME_INVALID");
  r = send("GET", "/v2/000000000000/nope/tags/list");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(code(r), "NAME_UNKNOWN");
  EXPECT_EQ(common::Json::parse(r.body)["errors"][0]["message"], "repository '000000000000/nope' not found");
}

TEST_F(RegistryFrontTest, MonolithicUploadThenRangedReads) {
  std::string digest = push_blob("hello world");
  auto r = send("HEAD", "/v2/000000000000/team/app/blobs/" + digest);
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.head_only);
  ASSERT_EQ(r.files.size(), 1u);
  EXPECT_EQ(r.files[0].length, 11u);
  EXPECT_EQ(header(r, "Docker-Content-Digest"), digest);
  r = send("GET", "/v2/000000000000/team/app/blobs/" + digest, "", {{"Range", "bytes=6-"}});
  EXPECT_EQ(r.status, 206);
  EXPECT_EQ(header(r, "Content-Range"), "bytes 6-10/11");
  ASSERT_EQ(r.files.size(), 1u);
  EXPECT_EQ(r.files[0].offset, 6u);
  EXPECT_EQ(r.files[0].length, 5u);
  EXPECT_TRUE(r.files[0].file != nullptr);
  r = send("GET", "/v2/000000000000/team/app/blobs/" + digest, "", {{"Range", "bytes=11-"}});
  EXPECT_EQ(r.status, 416);
  EXPECT_EQ(header(r, "Content-Range"), "bytes */11");
  r = send("DELETE", "/v2/000000000000/team/app/blobs/" + digest);
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(code(r), "UNSUPPORTED");
  r = send("HEAD", "/v2/000000000000/team/app/blobs/" + oci::sha256_digest("other"));
  EXPECT_EQ(r.status, 404);
  EXPECT_TRUE(r.body.empty());
}

TEST_F(RegistryFrontTest, ChunkedUploadChecksOffsetsAndDigest) {
  auto r = send("POST", "/v2/000000000000/team/app/blobs/uploads/");
  ASSERT_EQ(r.status, 202) << r.body;
  std::string location = header(r, "Location");
  EXPECT_EQ(header(r, "Range"), "0-0");
  EXPECT_EQ(location, "/v2/000000000000/team/app/blobs/uploads/" + header(r, "Docker-Upload-UUID"));
  r = send("PATCH", location, "hello ", {{"Content-Range", "0-5"}});
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(header(r, "Range"), "0-5");
  r = send("PATCH", location, "xx", {{"Content-Range", "3-4"}});
  EXPECT_EQ(r.status, 416);
  EXPECT_EQ(header(r, "Range"), "0-5");
  r = send("GET", location);
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(header(r, "Range"), "0-5");
  r = send("PUT", location + "?digest=" + oci::sha256_digest("nope"), "world");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(code(r), "DIGEST_INVALID");
  EXPECT_EQ(send("HEAD", "/v2/000000000000/team/app/blobs/" + oci::sha256_digest("nope")).status, 404);
}

TEST_F(RegistryFrontTest, ManifestRoundTripAndNegotiation) {
  std::string config = push_blob("{}");
  std::string layer = push_blob("layer");
  std::string manifest = manifest_for(config, layer);
  std::string digest = oci::sha256_digest(manifest);
  auto r = send("PUT", "/v2/000000000000/team/app/manifests/v1", manifest,
                {{"Content-Type", "application/vnd.oci.image.manifest.v1+json"}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(header(r, "Docker-Content-Digest"), digest);
  EXPECT_EQ(header(r, "Location"), "/v2/000000000000/team/app/manifests/" + digest);

  r = send("GET", "/v2/000000000000/team/app/manifests/v1", "",
           {{"Accept", "application/vnd.oci.image.manifest.v1+json"}});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, manifest);
  EXPECT_EQ(header(r, "Content-Type"), "application/vnd.oci.image.manifest.v1+json");
  EXPECT_EQ(header(r, "ETag"), "\"" + digest + "\"");
  r = send("GET", "/v2/000000000000/team/app/manifests/v1", "",
           {{"Accept", "application/vnd.docker.distribution.manifest.v2+json"}});
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(code(r), "MANIFEST_UNKNOWN");

  r = send("GET", "/v2/000000000000/team/app/tags/list");
  EXPECT_EQ(common::Json::parse(r.body)["tags"], common::Json({"v1"}));
  r = send("DELETE", "/v2/000000000000/team/app/manifests/" + digest);
  EXPECT_EQ(r.status, 202);
  r = send("GET", "/v2/000000000000/team/app/tags/list");
  EXPECT_TRUE(common::Json::parse(r.body)["tags"].is_null());
}

TEST_F(RegistryFrontTest, ManifestWithMissingBlobIsRefused) {
  std::string config = push_blob("{}");
  std::string missing = oci::sha256_digest("missing");
  auto r = send("PUT", "/v2/000000000000/team/app/manifests/v1", manifest_for(config, missing),
                {{"Content-Type", "application/vnd.oci.image.manifest.v1+json"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(code(r), "MANIFEST_BLOB_UNKNOWN");
  EXPECT_EQ(common::Json::parse(r.body)["errors"][0]["detail"]["digest"], missing);
}

TEST_F(RegistryFrontTest, IamDenialAndCrossAccount) {
  authorizer_.denied = {"ecr:PutImage"};
  auto r = send("PUT", "/v2/000000000000/team/app/manifests/v1", "{}");
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(code(r), "DENIED");
  EXPECT_EQ(authorizer_.requests.back().resources[0].arn, "arn:aws:ecr:us-east-1:000000000000:repository/team/app");
  EXPECT_EQ(authorizer_.requests.back().resources[0].owner_account, "");

  // prod reading dev's repository: the scripted authorizer wants a policy for that.
  r = send("GET", "/v2/000000000000/team/app/tags/list", "", {}, "PRODKEY");
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(authorizer_.requests.back().resources[0].owner_account, kDev);
  ASSERT_TRUE(engine_
                  ->update_repository(RepoRef{kDev, "us-east-1", "team/app"},
                                      [](Repository& repo) -> Status {
                                        repo.policy = R"({"Version":"2012-10-17","Statement":[]})";
                                        return common::ok();
                                      })
                  .ok());
  r = send("GET", "/v2/000000000000/team/app/tags/list", "", {}, "PRODKEY");
  EXPECT_EQ(r.status, 200) << r.body;
}

TEST_F(RegistryFrontTest, CatalogPagesWithLink) {
  for (const char* name : {"a1", "b2", "c3"}) {
    CreateRepositoryInput input;
    input.ref = RepoRef{kDev, "us-east-1", name};
    ASSERT_TRUE(engine_->create_repository(input).ok());
  }
  auto r = send("GET", "/v2/_catalog?n=2");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(common::Json::parse(r.body)["repositories"], common::Json({"000000000000/a1", "000000000000/b2"}));
  EXPECT_EQ(header(r, "Link"), "</v2/_catalog?last=000000000000%2Fb2&n=2>; rel=\"next\"");
  r = send("GET", "/v2/_catalog?n=2&last=000000000000/b2");
  EXPECT_EQ(common::Json::parse(r.body)["repositories"], common::Json({"000000000000/c3", "000000000000/team/app"}));
  EXPECT_EQ(header(r, "Link"), "");
  EXPECT_EQ(authorizer_.requests.back().action, "ecr:DescribeRepositories");
  EXPECT_EQ(authorizer_.requests.back().resources[0].arn, "*");
}

}  // namespace
}  // namespace ecr::registry
