// Names of ECR things: repository ARNs, repository URIs and the registry host, and how a
// registry request's host and path name (account, region, repository).
//
// The URI scheme (AWS's is <account>.dkr.ecr.<region>.amazonaws.com/<name>): hakobu serves
// every account's registry on its own port, so the account goes into the path:
//   <host>/<account>/<name>             a repository in the server's default region
//   <host>/<account>/<region>/<name>    a repository in another region
// where <host> is --registry-host if given, else the Host the API call came to (so the URI is
// reachable the way the client reached hakobu: localhost:4566, 127.0.0.1:4566...). A request
// whose Host is AWS-shaped (<account>.dkr.ecr.<region>.<anything>) names account and region
// by its host instead, and the whole path is the repository name.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ecr {

std::string repository_arn(std::string_view region, std::string_view account, std::string_view name);
// Parses arn:aws:ecr:<region>:<account>:repository/<name>.
struct ArnParts {
  std::string region;
  std::string account;
  std::string name;
};
std::optional<ArnParts> parse_repository_arn(std::string_view arn);

// AWS's repository name rule (2-256 chars, lower case, '/' namespaces).
bool valid_repository_name(std::string_view name);

std::string repository_uri(std::string_view host, std::string_view account, std::string_view region,
                           std::string_view default_region, std::string_view name);

// Where a registry request goes: from its Host header and the <name> part of /v2/<name>/...
struct RegistryTarget {
  std::string account;
  std::string region;
  std::string name;
};
// nullopt when the path form lacks a 12-digit account component (NAME_INVALID / NAME_UNKNOWN).
std::optional<RegistryTarget> resolve_registry_target(std::string_view host_header, std::string_view path_name,
                                                      std::string_view default_region);

// A region name as AWS spells them (us-east-1, ap-northeast-1, us-gov-west-1...).
bool looks_like_region(std::string_view text);

}  // namespace ecr
