// What CodeCommit's handlers share: the engine and options, how a request names its
// repository, the wire shapes several operations return, and the one mapping from
// codecommit::Error to CodeCommit's exceptions. register.cc binds the handlers.
#pragma once

#include <memory>
#include <string>

#include "aws/dispatch/operation_table.h"
#include "aws/protocol/aws_error.h"
#include "services/codecommit/api/register.h"

namespace codecommit::api {

using dispatch::HandlerResult;
using dispatch::RequestContext;
using Json = common::Json;

struct Api {
  Api(Engines& e, ApiOptions o) : engines(e), engine(e.repositories), options(std::move(o)) {}
  Engines& engines;
  CodeCommitEngine& engine;  // engines.repositories
  ApiOptions options;
};

// Adding operations: each family of operations has its own file with its handlers and a
// register_<family>(Registrar&) that adds them (IAM action codecommit:<name>).
using Handler = HandlerResult (*)(Api&, RequestContext&, const Json&);
struct Registrar {
  dispatch::Service& service;
  std::shared_ptr<Api> api;  // lives as long as the handlers that share it
  void add(const char* name, dispatch::AuthzFn authz, Handler handler);
};

// Authorization targets (authz.cc).
std::string repository_arn_for(const RequestContext& context, std::string_view name);
// The repository `member` names.
dispatch::AuthzFn on_repository(const char* member = "repositoryName");
// CreateRepository: the repository it will create; with tags also codecommit:TagResource.
dispatch::AuthzFn new_repository();
// BatchGetRepositories: each of repositoryNames.
dispatch::AuthzFn each_repository();
// A branch change: the repository, with codecommit:References = refs/heads/<input[member]>, so
// branch-protection policies apply to the API as they do to git push.
dispatch::AuthzFn on_branch(const char* member = "branchName");
// The repository `repository_member` names with codecommit:References = the given full refs
// (e.g. a merge's target branch); refs that are empty are left out.
dispatch::AuthzTarget repository_target(const RequestContext& context, std::string_view repository_name,
                                        std::vector<std::string> references = {});

// The families added after the repository/branch/file operations (register.cc calls each).
void register_merges(Registrar& registrar);             // merges.cc
void register_pull_requests(Registrar& registrar);      // pull_requests.cc
void register_comments(Registrar& registrar);           // comments.cc
void register_templates(Registrar& registrar);          // approval_templates.cc
void register_triggers_and_tags(Registrar& registrar);  // triggers.cc, tags.cc

std::string str(const Json& input, const char* member);
// The repository `member` names in the caller's account and the request's region.
RepoRef repo_ref(const RequestContext& context, const Json& input, const char* member = "repositoryName");

// The named repository, or RepositoryDoesNotExistException as AWS words it.
common::Result<Repository, aws::AwsError> find_repository(Api& api, const RepoRef& ref);

// RepositoryMetadata: clone URLs on --clone-host (else the request's Host).
Json repository_metadata(const Api& api, const RequestContext& context, const Repository& repository);

// Opaque continuation tokens over offsets in a listing; InvalidContinuationTokenException for
// one we did not hand out.
common::Result<size_t, aws::AwsError> page_offset(const Json& input);
std::string page_token(size_t offset);

// The CodeCommit exception for an engine error (messages name the repository as AWS's do).
// One exhaustive switch over Errc.
aws::AwsError to_aws_error(const Error& error, std::string_view repository_name);

// Handlers (repositories.cc, branches.cc, get_commit.cc)
HandlerResult create_repository(Api& api, RequestContext& context, const Json& input);
HandlerResult get_repository(Api& api, RequestContext& context, const Json& input);
HandlerResult batch_get_repositories(Api& api, RequestContext& context, const Json& input);
HandlerResult list_repositories(Api& api, RequestContext& context, const Json& input);
HandlerResult delete_repository(Api& api, RequestContext& context, const Json& input);
HandlerResult update_repository_name(Api& api, RequestContext& context, const Json& input);
HandlerResult update_repository_description(Api& api, RequestContext& context, const Json& input);
HandlerResult update_default_branch(Api& api, RequestContext& context, const Json& input);
HandlerResult create_branch(Api& api, RequestContext& context, const Json& input);
HandlerResult get_branch(Api& api, RequestContext& context, const Json& input);
HandlerResult list_branches(Api& api, RequestContext& context, const Json& input);
HandlerResult delete_branch(Api& api, RequestContext& context, const Json& input);
HandlerResult get_commit(Api& api, RequestContext& context, const Json& input);
// Files and commits (files.cc, commits.cc, differences.cc)
HandlerResult get_blob(Api& api, RequestContext& context, const Json& input);
HandlerResult get_file(Api& api, RequestContext& context, const Json& input);
HandlerResult get_folder(Api& api, RequestContext& context, const Json& input);
HandlerResult put_file(Api& api, RequestContext& context, const Json& input);
HandlerResult delete_file(Api& api, RequestContext& context, const Json& input);
HandlerResult create_commit(Api& api, RequestContext& context, const Json& input);
HandlerResult batch_get_commits(Api& api, RequestContext& context, const Json& input);
HandlerResult get_differences(Api& api, RequestContext& context, const Json& input);

}  // namespace codecommit::api
