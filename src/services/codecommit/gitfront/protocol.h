// The few pieces of git's smart-HTTP protocol the front must understand itself: which route a
// request is, the ref-update commands at the start of a receive-pack request (for the
// codecommit:References condition key), and the status report that rejects a push.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace codecommit::gitfront {

enum class Service { UploadPack, ReceivePack };
enum class Endpoint { InfoRefs, Rpc };  // GET info/refs?service=..., POST git-<service>

struct Route {
  std::string name;         // repository name (percent-decoded)
  std::string remote_path;  // the raw path minus the smart-HTTP suffix: what the git password signs
  std::string suffix;       // "info/refs", "git-upload-pack", "git-receive-pack"
  Service service = Service::UploadPack;
  Endpoint endpoint = Endpoint::InfoRefs;
};

// Whether the path is under /v1/repos/ at all.
bool is_repos_path(std::string_view path);

// The smart-HTTP route for a request, or nullopt (dumb HTTP, unknown suffix, wrong method,
// missing or unknown ?service=). `path` is raw (percent-encoded).
std::optional<Route> parse_route(std::string_view method, std::string_view path, std::string_view query);

struct PushCommand {
  std::string old_id;
  std::string new_id;
  std::string ref;
};

struct PushCommands {
  std::vector<PushCommand> commands;
  std::vector<std::string> capabilities;  // from the first command line, after NUL
  bool has(std::string_view capability) const;
};

enum class ParseStatus { NeedMore, Done, Malformed };

// Parses the pkt-lines at the start of a receive-pack request up to the first flush-pkt:
// "<old> <new> <ref>\0<caps>", then "<old> <new> <ref>" lines (shallow lines skipped; a push
// certificate's command lines are read as commands). On Done, `consumed` is the byte count
// of that part. A lone flush-pkt (no commands) is git's probe before a large chunked push.
ParseStatus parse_push_commands(std::string_view data, PushCommands& out, size_t& consumed);

// One pkt-line ("%04x" + payload).
std::string pkt_line(std::string_view payload);

// A receive-pack result rejecting every command with `reason` ("ng <ref> <reason>"), preceded
// by `message` on the progress band (git prints it as "remote: ...") when the client asked for
// a side band. Empty when the client asked for no status report (the caller answers 403).
std::string rejected_push_result(const PushCommands& push, std::string_view reason, std::string_view message);

}  // namespace codecommit::gitfront
