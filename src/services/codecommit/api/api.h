// What CodeCommit's handlers share: the engine and options, how a request names its
// repository, the wire shapes several operations return, and the one mapping from
// codecommit::Error to CodeCommit's exceptions. register.cc binds the handlers.
#pragma once

#include <string>

#include "aws/dispatch/operation_table.h"
#include "aws/protocol/aws_error.h"
#include "services/codecommit/api/register.h"

namespace codecommit::api {

using dispatch::HandlerResult;
using dispatch::RequestContext;
using Json = common::Json;

struct Api {
  Api(CodeCommitEngine& e, ApiOptions o) : engine(e), options(std::move(o)) {}
  CodeCommitEngine& engine;
  ApiOptions options;
};

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
