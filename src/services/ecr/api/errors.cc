// ecr::Errc -> ECR's exceptions (src/gen/ecr/errors.h). Messages about repositories and
// their policies are AWS's wording, built here from the repository the request named; the
// rest carry the engine's message (or the handler's, when the handler knows better).
#include "gen/ecr/errors.h"
#include "services/ecr/api/api.h"

namespace ecr::api {

std::string repository_not_found_message(const RepoRef& ref) {
  return "The repository with name '" + ref.name + "' does not exist in the registry with id '" + ref.account + "'";
}

aws::AwsError invalid_parameter(std::string message) { return errors::InvalidParameterException(std::move(message)); }

aws::AwsError to_aws_error(const Error& error, const RepoRef& ref) {
  const std::string& name = ref.name;
  const std::string& registry = ref.account;
  switch (error.code) {
    case Errc::RepositoryNotFound: return errors::RepositoryNotFoundException(repository_not_found_message(ref));
    case Errc::RepositoryAlreadyExists:
      return errors::RepositoryAlreadyExistsException("The repository with name '" + name +
                                                      "' already exists in the registry with id '" + registry + "'");
    case Errc::RepositoryNotEmpty:
      return errors::RepositoryNotEmptyException("The repository with name '" + name + "' in registry with id '" +
                                                 registry + "' cannot be deleted because it still contains images");
    case Errc::PolicyNotFound:
      return errors::RepositoryPolicyNotFoundException(
          "Repository policy does not exist for the repository with name '" + name + "' in the registry with id '" +
          registry + "'");
    case Errc::LifecyclePolicyNotFound:
      return errors::LifecyclePolicyNotFoundException("Lifecycle policy does not exist for the repository with name '" +
                                                      name + "' in the registry with id '" + registry + "'");
    case Errc::ImageNotFound: return errors::ImageNotFoundException(error.message);
    case Errc::ImageReferenced: return invalid_parameter(error.message);
    case Errc::ImageAlreadyExists: return errors::ImageAlreadyExistsException(error.message);
    case Errc::ImageTagAlreadyExists: return errors::ImageTagAlreadyExistsException(error.message);
    case Errc::ImageDigestMismatch: return errors::ImageDigestDoesNotMatchException(error.message);
    case Errc::ManifestInvalid: return invalid_parameter(error.message);
    case Errc::ManifestBlobUnknown: return errors::LayersNotFoundException(error.message);
    case Errc::BlobUnknown: return errors::LayersNotFoundException(error.message);
    case Errc::UploadUnknown: return errors::UploadNotFoundException(error.message);
    case Errc::UploadInvalid: return errors::InvalidLayerPartException(error.message);
    case Errc::DigestInvalid: return errors::InvalidLayerException(error.message);
    case Errc::SizeInvalid: return errors::InvalidLayerException(error.message);
    case Errc::LayerAlreadyExists: return errors::LayerAlreadyExistsException(error.message);
    case Errc::LayerPartTooSmall: return errors::LayerPartTooSmallException(error.message);
    case Errc::InvalidParameter: return invalid_parameter(error.message);
    case Errc::InvalidTagParameter: return errors::InvalidTagParameterException(error.message);
    case Errc::TooManyTags: return errors::TooManyTagsException(error.message);
    case Errc::LimitExceeded: return errors::LimitExceededException(error.message);
    case Errc::Internal: return errors::ServerException(error.message);
  }
  return errors::ServerException(error.message);
}

}  // namespace ecr::api
