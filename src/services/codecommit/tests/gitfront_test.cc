// The git front's protocol pieces (routes, receive-pack command lists, the rejected-push
// report), its limits on a hung http-backend (with fake backends), and the front end to end with
// the stock git client. The CGI runner itself: src/git/tests/cgi_test.cc.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>

#include "common/crypto.h"
#include "common/temp_dir.h"
#include "events/bus.h"
#include "http/server.h"
#include "services/codecommit/gitfront/git_front.h"
#include "services/codecommit/gitfront/protocol.h"

namespace codecommit::gitfront {
namespace {

const std::string kOld(40, '0');
const std::string kNew = "1111111111111111111111111111111111111111";
const std::string kNew2 = "2222222222222222222222222222222222222222";

TEST(GitRoute, InfoRefsForBothServices) {
  auto route = parse_route("GET", "/v1/repos/my-repo/info/refs", "service=git-upload-pack");
  ASSERT_TRUE(route);
  EXPECT_EQ(route->name, "my-repo");
  EXPECT_EQ(route->remote_path, "/v1/repos/my-repo");
  EXPECT_EQ(route->suffix, "info/refs");
  EXPECT_EQ(route->service, Service::UploadPack);
  EXPECT_EQ(route->endpoint, Endpoint::InfoRefs);
  route = parse_route("GET", "/v1/repos/my-repo/info/refs", "service=git-receive-pack");
  ASSERT_TRUE(route);
  EXPECT_EQ(route->service, Service::ReceivePack);
}

TEST(GitRoute, RpcPosts) {
  auto route = parse_route("POST", "/v1/repos/r.x_1/git-upload-pack", "");
  ASSERT_TRUE(route);
  EXPECT_EQ(route->name, "r.x_1");
  EXPECT_EQ(route->service, Service::UploadPack);
  EXPECT_EQ(route->endpoint, Endpoint::Rpc);
  route = parse_route("POST", "/v1/repos/r/git-receive-pack", "");
  ASSERT_TRUE(route);
  EXPECT_EQ(route->service, Service::ReceivePack);
  EXPECT_EQ(route->suffix, "git-receive-pack");
}

TEST(GitRoute, RejectsWhatIsNotSmartHttp) {
  EXPECT_FALSE(parse_route("GET", "/v1/repos/r/info/refs", ""));  // dumb HTTP
  EXPECT_FALSE(parse_route("GET", "/v1/repos/r/info/refs", "service=git-upload-archive"));
  EXPECT_FALSE(parse_route("GET", "/v1/repos/r/git-upload-pack", ""));
  EXPECT_FALSE(parse_route("POST", "/v1/repos/r/info/refs", "service=git-upload-pack"));
  EXPECT_FALSE(parse_route("GET", "/v1/repos/r/HEAD", ""));
  EXPECT_FALSE(parse_route("GET", "/v1/repos/a/b/info/refs", "service=git-upload-pack"));
  EXPECT_FALSE(parse_route("GET", "/v1/repos//info/refs", "service=git-upload-pack"));
  EXPECT_FALSE(parse_route("GET", "/v2/repos/r/info/refs", "service=git-upload-pack"));
}

TEST(GitRoute, DecodesTheNameButSignsTheRawPath) {
  auto route = parse_route("GET", "/v1/repos/my%2Drepo/info/refs", "service=git-upload-pack");
  ASSERT_TRUE(route);
  EXPECT_EQ(route->name, "my-repo");
  EXPECT_EQ(route->remote_path, "/v1/repos/my%2Drepo");
}

TEST(PushCommands, ParsesCommandsCapabilitiesAndFlush) {
  std::string body = pkt_line(kOld + " " + kNew + " refs/heads/main" + std::string(1, '\0') +
                              " report-status side-band-64k quiet object-format=sha1 agent=git/2.39.5") +
                     pkt_line(kNew + " " + kOld + " refs/heads/old\n") +
                     pkt_line(kOld + " " + kNew2 + " refs/tags/v1") + "0000" + "PACK....";
  PushCommands push;
  size_t consumed = 0;
  ASSERT_EQ(parse_push_commands(body, push, consumed), ParseStatus::Done);
  EXPECT_EQ(body.substr(consumed), "PACK....");
  ASSERT_EQ(push.commands.size(), 3u);
  EXPECT_EQ(push.commands[0].ref, "refs/heads/main");
  EXPECT_EQ(push.commands[0].old_id, kOld);
  EXPECT_EQ(push.commands[0].new_id, kNew);
  EXPECT_EQ(push.commands[1].ref, "refs/heads/old");
  EXPECT_EQ(push.commands[1].new_id, kOld);
  EXPECT_EQ(push.commands[2].ref, "refs/tags/v1");
  EXPECT_TRUE(push.has("report-status"));
  EXPECT_TRUE(push.has("side-band-64k"));
  EXPECT_TRUE(push.has("agent=git/2.39.5"));
  EXPECT_FALSE(push.has("atomic"));
}

TEST(PushCommands, NeedsMoreUntilTheFlush) {
  std::string body = pkt_line(kOld + " " + kNew + " refs/heads/main" + std::string(1, '\0') + "report-status") + "0000";
  PushCommands push;
  size_t consumed = 0;
  for (size_t cut = 0; cut < body.size(); ++cut) {
    EXPECT_EQ(parse_push_commands(body.substr(0, cut), push, consumed), ParseStatus::NeedMore) << cut;
  }
  EXPECT_EQ(parse_push_commands(body, push, consumed), ParseStatus::Done);
  EXPECT_EQ(consumed, body.size());
}

TEST(PushCommands, SkipsShallowLines) {
  std::string body =
      pkt_line("shallow " + kNew2) + pkt_line(kOld + " " + kNew + " refs/heads/f\0report-status") + "0000";
  PushCommands push;
  size_t consumed = 0;
  ASSERT_EQ(parse_push_commands(body, push, consumed), ParseStatus::Done);
  ASSERT_EQ(push.commands.size(), 1u);
  EXPECT_EQ(push.commands[0].ref, "refs/heads/f");
}

TEST(PushCommands, MalformedInput) {
  PushCommands push;
  size_t consumed = 0;
  EXPECT_EQ(parse_push_commands("zzzz", push, consumed), ParseStatus::Malformed);
  EXPECT_EQ(parse_push_commands("0003", push, consumed), ParseStatus::Malformed);
}

TEST(PushCommands, ProbeIsAFlushAlone) {
  PushCommands push;
  size_t consumed = 0;
  EXPECT_EQ(parse_push_commands("0000", push, consumed), ParseStatus::Done);
  EXPECT_TRUE(push.commands.empty());
  EXPECT_EQ(consumed, 4u);
}

TEST(RejectedPush, SideBandReport) {
  PushCommands push;
  push.commands = {{kOld, kNew, "refs/heads/main"}, {kOld, kNew2, "refs/heads/f"}};
  push.capabilities = {"report-status", "side-band-64k"};
  std::string out = rejected_push_result(push, "denied", "User: x is not authorized");
  std::string report =
      pkt_line("unpack ok\n") + pkt_line("ng refs/heads/main denied\n") + pkt_line("ng refs/heads/f denied\n") + "0000";
  EXPECT_EQ(out, pkt_line("\2User: x is not authorized\n") + pkt_line("\1" + report) + "0000");
}

TEST(RejectedPush, PlainReportAndNoReport) {
  PushCommands push;
  push.commands = {{kOld, kNew, "refs/heads/main"}};
  push.capabilities = {"report-status-v2"};
  EXPECT_EQ(rejected_push_result(push, "denied", "msg"),
            pkt_line("unpack ok\n") + pkt_line("ng refs/heads/main denied\n") + "0000");
  push.capabilities = {};
  EXPECT_EQ(rejected_push_result(push, "denied", "msg"), "");
}

}  // namespace
}  // namespace codecommit::gitfront

// ---------------------------------------------------------------------------------------------
// End to end in one process: an http::Server running GitFront, the real engine on a temporary
// data directory, and the stock git client authenticating through `aws codecommit
// credential-helper --ignore-host-check`.

namespace codecommit {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr std::string_view kAccount = "123456789012";
constexpr std::string_view kKey = "AKIAGITFRONTTEST";
constexpr std::string_view kSecret = "gitfront/secret+key";
constexpr std::string_view kDevKey = "AKIAGITFRONTDEV";

class FakeCredentials final : public dispatch::CredentialResolver {
 public:
  common::Result<dispatch::ResolvedKey, dispatch::CredentialError> resolve(std::string_view key, std::string_view,
                                                                           int64_t) override {
    if (key != kKey && key != kDevKey) return common::fail(dispatch::CredentialError::UnknownKey);
    dispatch::ResolvedKey resolved;
    resolved.secret_access_key = std::string(kSecret);
    resolved.principal.kind = dispatch::Principal::Kind::User;
    resolved.principal.account_id = std::string(kAccount);
    resolved.principal.name = key == kKey ? "admin" : "dev";
    resolved.principal.arn = "arn:aws:iam::" + std::string(kAccount) + ":user/" + resolved.principal.name;
    resolved.principal.access_key_id = std::string(key);
    return resolved;
  }
};

// The §2.5 branch-protection policy, hard-coded for the "dev" user; records what it was asked.
class BranchProtection final : public dispatch::Authorizer {
 public:
  common::Status<aws::AwsError> authorize(const dispatch::AuthzRequest& request) override {
    std::lock_guard<std::mutex> lock(mutex_);
    asked.push_back(request);
    auto refs = request.keys.find("codecommit:references");
    if (request.principal->name == "dev" && request.action == "codecommit:GitPush" && refs != request.keys.end()) {
      for (const std::string& ref : refs->second) {
        if (ref == "refs/heads/main") {
          aws::AwsError error;
          error.code = "AccessDeniedException";
          error.status = 403;
          error.message = "User: " + request.principal->arn + " is not authorized to perform: " + request.action +
                          " on resource: " + request.resources[0].arn +
                          " with an explicit deny in an identity-based policy";
          return common::fail(error);
        }
      }
    }
    return common::ok();
  }
  std::mutex mutex_;
  std::vector<dispatch::AuthzRequest> asked;
};

struct Shell {
  int code = -1;
  std::string output;
  // The last line of output (the aws CLI v1 prints "Unknown options: --ignore-host-check" when
  // git calls the helper's `store`, which only `get` accepts; git ignores that failure).
  std::string last() const {
    std::string_view s = output;
    if (!s.empty() && s.back() == '\n') s.remove_suffix(1);
    size_t nl = s.rfind('\n');
    return std::string(nl == std::string_view::npos ? s : s.substr(nl + 1));
  }
};

class GitFrontEndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::system("command -v aws >/dev/null 2>&1 && command -v git >/dev/null 2>&1") != 0) {
      GTEST_FAIL() << "the aws CLI and git are needed";
    }
    ASSERT_TRUE(temp_.ok());
    dir_ = temp_.path();
    fs::create_directories(dir_ + "/data");
    fs::create_directories(dir_ + "/home");
    auto db = store::Db::open(dir_ + "/data/db.sqlite");
    ASSERT_TRUE(db.ok());
    db_ = std::move(*db);
    bus_ = std::make_unique<events::Bus>(*db_, clock_);
    ASSERT_TRUE(bus_->migrate().ok());
    engine_ = std::make_unique<CodeCommitEngine>(*db_, clock_, dir_ + "/data", *bus_);
    ASSERT_TRUE(engine_->migrate().ok());
    front_ = std::make_unique<GitFront>(*engine_, credentials_, authorizer_, clock_, GitFrontOptions{});
    http::ServerOptions options;
    options.port = 0;
    server_ = std::make_unique<http::Server>(options, [this](http::Request& request, http::Response& response) {
      if (GitFront::matches(request)) {
        front_->handle(request, response);
      } else {
        response.status = 404;
      }
    });
    std::string error;
    ASSERT_TRUE(server_->listen(error)) << error;
    thread_ = std::thread([this] { server_->run(); });
    std::ofstream(dir_ + "/home/.gitconfig")
        << "[user]\n\tname = Tester\n\temail = tester@example.com\n"
        << "[init]\n\tdefaultBranch = main\n"
        << "[credential]\n\thelper = \"!aws codecommit credential-helper --ignore-host-check $@\"\n"
        << "\tUseHttpPath = true\n";
    auto repo = engine_->create_repository(RepoRef{std::string(kAccount), "us-east-1", "demo"}, "", {});
    ASSERT_TRUE(repo.ok());
    repo_ = *repo;
  }

  void TearDown() override {
    if (server_) {
      server_->stop();
      thread_.join();
    }
    server_.reset();
    front_.reset();
    engine_.reset();
    bus_.reset();
    db_.reset();
  }

  std::string url(const std::string& name = "demo") const {
    return "http://127.0.0.1:" + std::to_string(server_->port()) + "/v1/repos/" + name;
  }

  // Runs a shell command with HOME at the test's .gitconfig and the given access key.
  Shell sh(const std::string& command, std::string_view key = kKey, std::string_view secret = kSecret) {
    std::string env = "cd " + dir_ + " && export HOME=" + dir_ + "/home GIT_CONFIG_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0 " +
                      "AWS_ACCESS_KEY_ID='" + std::string(key) + "' AWS_SECRET_ACCESS_KEY='" + std::string(secret) +
                      "' AWS_DEFAULT_REGION=us-east-1 AWS_SESSION_TOKEN= AWS_CONFIG_FILE=/dev/null " +
                      "AWS_SHARED_CREDENTIALS_FILE=/dev/null && ";
    std::string full = "(" + env + command + ") 2>&1";
    Shell result;
    FILE* pipe = ::popen(full.c_str(), "r");
    char buffer[4096];
    size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) result.output.append(buffer, n);
    int status = ::pclose(pipe);
    result.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
  }

  std::string ref_value(const std::string& ref) {
    auto refs = engine_->refs(repo_);
    if (!refs.ok()) return "error";
    for (const auto& [name, id] : *refs) {
      if (name == ref) return id;
    }
    return "";
  }

  std::vector<std::string> event_kinds() {
    events::ReadQuery query;
    query.source = "aws.codecommit";
    auto events = bus_->read(query);
    std::vector<std::string> kinds;
    if (!events.ok()) return kinds;
    for (const events::Event& event : *events) {
      kinds.push_back(event.detail.value("event", "") + " " + event.detail.value("referenceFullName", ""));
    }
    return kinds;
  }

  common::TempDir temp_{"gitfront-e2e"};
  std::string dir_;
  common::SystemClock clock_;
  std::unique_ptr<store::Db> db_;
  std::unique_ptr<events::Bus> bus_;
  std::unique_ptr<CodeCommitEngine> engine_;
  FakeCredentials credentials_;
  BranchProtection authorizer_;
  std::unique_ptr<GitFront> front_;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
  Repository repo_;
};

TEST_F(GitFrontEndToEnd, CloneEmptyPushCloneFetchForcePushTagsShallowDelete) {
  // Clone of the empty repository, first push creates main (the default branch).
  Shell r = sh("git clone -q " + url() +
               " work && cd work && echo one > a.txt && git add a.txt && "
               "git commit -qm one && git push -q origin main");
  ASSERT_EQ(r.code, 0) << r.output;
  std::string first = ref_value("refs/heads/main");
  EXPECT_EQ(first.size(), 40u);
  // Recorded before git saw its push complete (the answer's last chunk waits for it).
  EXPECT_EQ(event_kinds(), std::vector<std::string>{"referenceCreated refs/heads/main"});
  // A second commit, a tag, a feature branch.
  r =
      sh("cd work && echo two >> a.txt && git commit -qam two && git tag v1 && git push -q origin main v1 && "
         "git push -q origin main:feature");
  ASSERT_EQ(r.code, 0) << r.output;
  std::string second = ref_value("refs/heads/main");
  EXPECT_NE(second, first);
  EXPECT_EQ(ref_value("refs/tags/v1"), second);
  // Clone, shallow clone, fetch.
  r = sh("git clone -q " + url() + " copy && git -C copy log --oneline | wc -l");
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_EQ(r.last(), "2");
  r = sh("git clone -q --depth 1 " + url() + " shallow && git -C shallow log --oneline | wc -l");
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_EQ(r.last(), "1");
  // Force-push main back to the first commit; fetch sees it.
  r = sh("cd work && git push -q -f origin " + first + ":refs/heads/main");
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_EQ(ref_value("refs/heads/main"), first);
  r = sh("cd copy && git fetch -q origin");
  ASSERT_EQ(r.code, 0) << r.output;
  r = sh("git -C copy rev-parse origin/main");
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_EQ(r.last(), first);
  // Delete the feature branch.
  r = sh("cd work && git push -q origin --delete feature");
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_EQ(ref_value("refs/heads/feature"), "");
  std::vector<std::string> kinds = event_kinds();
  std::vector<std::string> expected = {"referenceCreated refs/heads/main", "referenceUpdated refs/heads/main",
                                       "referenceCreated refs/tags/v1",    "referenceCreated refs/heads/feature",
                                       "referenceUpdated refs/heads/main", "referenceDeleted refs/heads/feature"};
  EXPECT_EQ(kinds, expected);
}

TEST_F(GitFrontEndToEnd, LargePushStreamsThroughChunkedBodies) {
  // ~20 MB of incompressible data: git sends it chunked, the clone answer spills to a file.
  Shell r =
      sh("git init -q big && cd big && head -c 20000000 /dev/urandom > blob.bin && git add blob.bin && "
         "git commit -qm big && git push -q " +
         url() + " main && cd .. && git clone -q " + url() + " big2 && cmp big/blob.bin big2/blob.bin");
  ASSERT_EQ(r.code, 0) << r.output;
}

TEST_F(GitFrontEndToEnd, BranchProtectionDeniesMainButNotFeatureAndTellsWhy) {
  Shell r =
      sh("git init -q w && cd w && echo x > f && git add f && git commit -qm x && git push -q " + url() + " main");
  ASSERT_EQ(r.code, 0) << r.output;
  std::string main_before = ref_value("refs/heads/main");
  r = sh("cd w && echo y >> f && git commit -qam y && git push " + url() + " main:feature", kDevKey);
  EXPECT_EQ(r.code, 0) << r.output;
  EXPECT_EQ(ref_value("refs/heads/feature").size(), 40u);
  r = sh("cd w && git push " + url() + " main", kDevKey);
  EXPECT_NE(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("remote: User: arn:aws:iam::123456789012:user/dev is not authorized to perform: "
                          "codecommit:GitPush"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("[remote rejected] main -> main"), std::string::npos) << r.output;
  EXPECT_EQ(ref_value("refs/heads/main"), main_before);
  // Deleting main is the same GitPush with the key.
  r = sh("cd w && git push " + url() + " --delete main", kDevKey);
  EXPECT_NE(r.code, 0) << r.output;
  EXPECT_EQ(ref_value("refs/heads/main"), main_before);
  // The discovery request carried no key; the POST carried exactly the pushed ref.
  std::lock_guard<std::mutex> lock(authorizer_.mutex_);
  bool saw_discovery = false, saw_post = false;
  for (const dispatch::AuthzRequest& asked : authorizer_.asked) {
    if (asked.action != "codecommit:GitPush") continue;
    EXPECT_EQ(asked.resources.at(0).arn, "arn:aws:codecommit:us-east-1:123456789012:demo");
    auto refs = asked.keys.find("codecommit:references");
    if (refs == asked.keys.end()) {
      saw_discovery = true;
    } else if (refs->second == std::vector<std::string>{"refs/heads/main"}) {
      saw_post = true;
    }
  }
  EXPECT_TRUE(saw_discovery);
  EXPECT_TRUE(saw_post);
}

TEST_F(GitFrontEndToEnd, AuthenticationFailures) {
  // Wrong secret: the helper signs with it, the server answers 403.
  Shell r = sh("git ls-remote " + url(), kKey, "wrong-secret");
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.output.find("403"), std::string::npos) << r.output;
  // Unknown key.
  r = sh("git ls-remote " + url(), "AKIANOSUCHKEY", kSecret);
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.output.find("403"), std::string::npos) << r.output;
  // No credential helper at all: 401, git cannot prompt, fails.
  r = sh("git -c credential.helper= ls-remote " + url());
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.output.find("could not read Username"), std::string::npos) << r.output;
  // The right key works; a missing repository is a 404 git reports as not found.
  r = sh("git ls-remote " + url());
  EXPECT_EQ(r.code, 0) << r.output;
  r = sh("git ls-remote " + url("nope"));
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.output.find("not found"), std::string::npos) << r.output;
}

// ---------------------------------------------------------------------------------------------
// The front with fake backends (shell scripts in place of git http-backend): how its answer is
// framed, and what a hung backend gets.

class GitFrontFakeBackend : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(temp_.ok());
    dir_ = temp_.path();
    fs::create_directories(dir_ + "/data");
    auto db = store::Db::open(dir_ + "/data/db.sqlite");
    ASSERT_TRUE(db.ok());
    db_ = std::move(*db);
    bus_ = std::make_unique<events::Bus>(*db_, clock_);
    ASSERT_TRUE(bus_->migrate().ok());
    engine_ = std::make_unique<CodeCommitEngine>(*db_, clock_, dir_ + "/data", *bus_);
    ASSERT_TRUE(engine_->migrate().ok());
    ASSERT_TRUE(engine_->create_repository(RepoRef{std::string(kAccount), "us-east-1", "demo"}, "", {}).ok());
  }

  void TearDown() override {
    if (server_) {
      server_->stop();
      thread_.join();
    }
  }

  // Starts the front with `backend` (a shell script's text) as its http-backend.
  void start(const std::string& backend, std::chrono::milliseconds inactivity) {
    std::string path = dir_ + "/backend.sh";
    std::ofstream(path) << "#!/bin/sh\n" << backend;
    ::chmod(path.c_str(), 0755);
    GitFrontOptions options;
    options.git_http_backend = path;
    options.backend_inactivity_timeout = inactivity;
    options.access_log = false;
    options.verify_service_password = [](std::string_view user, std::string_view password) {
      std::optional<dispatch::Principal> principal;
      if (user == "dev-at-123456789012" && password == "pw") {
        principal.emplace();
        principal->kind = dispatch::Principal::Kind::User;
        principal->account_id = std::string(kAccount);
        principal->name = "dev";
        principal->arn = "arn:aws:iam::123456789012:user/dev";
      }
      return principal;
    };
    front_ = std::make_unique<GitFront>(*engine_, credentials_, authorizer_, clock_, options);
    http::ServerOptions server_options;
    server_options.port = 0;
    server_ = std::make_unique<http::Server>(server_options, [this](http::Request& request, http::Response& response) {
      front_->handle(request, response);
    });
    std::string error;
    ASSERT_TRUE(server_->listen(error)) << error;
    thread_ = std::thread([this] { server_->run(); });
  }

  // Sends one request and reads until the server closes or 20 s pass.
  std::string exchange(const std::string& request_line, const std::string& body = "") {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(server_->port());
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    timeval tv{20, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    std::string request = request_line + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAuthorization: Basic " +
                          common::base64_encode("dev-at-123456789012:pw") + "\r\n";
    if (!body.empty()) request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    request += "\r\n" + body;
    EXPECT_EQ(::send(fd, request.data(), request.size(), MSG_NOSIGNAL), static_cast<ssize_t>(request.size()));
    std::string data;
    char buffer[65536];
    ssize_t n;
    while ((n = ::recv(fd, buffer, sizeof buffer, 0)) > 0) data.append(buffer, static_cast<size_t>(n));
    ::close(fd);
    return data;
  }

  static double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }

  common::TempDir temp_{"gitfront-fake"};
  std::string dir_;
  common::SystemClock clock_;
  std::unique_ptr<store::Db> db_;
  std::unique_ptr<events::Bus> bus_;
  std::unique_ptr<CodeCommitEngine> engine_;
  FakeCredentials credentials_;
  BranchProtection authorizer_;
  std::unique_ptr<GitFront> front_;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
};

constexpr char kInfoRefs[] = "GET /v1/repos/demo/info/refs?service=git-upload-pack";
constexpr char kUploadPack[] = "POST /v1/repos/demo/git-upload-pack";

TEST_F(GitFrontFakeBackend, ASmallAdvertisementIsAnsweredWhole) {
  start("printf 'Content-Type: application/x-git-upload-pack-advertisement\\r\\n\\r\\nrefs'\n", 10s);
  std::string answer = exchange(kInfoRefs);
  EXPECT_EQ(answer.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << answer;
  EXPECT_NE(answer.find("Content-Length: 4\r\n"), std::string::npos) << answer;
  EXPECT_EQ(answer.substr(answer.size() - 4), "refs");
}

TEST_F(GitFrontFakeBackend, ALargeAnswerStreamsChunked) {
  // 3 MiB: more than an advertisement is buffered for.
  start(
      "printf 'Content-Type: application/x-git-upload-pack-advertisement\\r\\n\\r\\n'\n"
      "head -c 3145728 /dev/zero | tr '\\0' r\n",
      10s);
  std::string answer = exchange(kInfoRefs);
  size_t end = answer.find("\r\n\r\n");
  ASSERT_NE(end, std::string::npos) << answer.substr(0, 300);
  std::string head = answer.substr(0, end);
  EXPECT_NE(head.find("Transfer-Encoding: chunked"), std::string::npos) << head;
  EXPECT_EQ(head.find("Content-Length"), std::string::npos) << head;
  EXPECT_EQ(answer.substr(answer.size() - 5), "0\r\n\r\n");
  EXPECT_GT(answer.size(), 3145728u);
}

TEST_F(GitFrontFakeBackend, ABackendSilentBeforeItsHeadersIsKilledWith500) {
  start("exec sleep 30\n", 300ms);
  auto started = std::chrono::steady_clock::now();
  std::string answer = exchange(kInfoRefs);
  EXPECT_LT(seconds_since(started), 15.0);
  EXPECT_EQ(answer.rfind("HTTP/1.1 500 ", 0), 0u) << answer;
}

TEST_F(GitFrontFakeBackend, ABackendSilentMidAnswerIsKilledAndTheBodyBreaks) {
  start(
      "cat >/dev/null\n"
      "printf 'Content-Type: application/x-git-upload-pack-result\\r\\n\\r\\n0008NAK\\n'\n"
      "exec sleep 30\n",
      300ms);
  auto started = std::chrono::steady_clock::now();
  std::string answer = exchange(kUploadPack, "0000");
  EXPECT_LT(seconds_since(started), 15.0);
  EXPECT_EQ(answer.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << answer;
  EXPECT_NE(answer.find("Transfer-Encoding: chunked"), std::string::npos) << answer;
  EXPECT_NE(answer.find("8\r\n0008NAK\n\r\n"), std::string::npos) << answer;
  // No last chunk: git sees a broken answer, not a complete short one.
  EXPECT_EQ(answer.find("\r\n0\r\n\r\n"), std::string::npos) << answer;
}

}  // namespace
}  // namespace codecommit
