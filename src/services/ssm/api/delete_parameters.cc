#include "services/ssm/api/errors.h"
#include "services/ssm/api/handlers.h"
#include "services/ssm/api/wire.h"

namespace ssm::api {

// Missing names are reported in InvalidParameters, never raised.
HandlerResult delete_parameters(SsmEngine& engine, RequestContext& context, const Json& input) {
  auto result = engine.delete_parameters(scope_of(context), string_list(input, "Names"));
  if (!result.ok()) return common::fail(to_aws_error(result.error()));
  return Json{{"DeletedParameters", json_list(result->deleted)}, {"InvalidParameters", json_list(result->invalid)}};
}

}  // namespace ssm::api
