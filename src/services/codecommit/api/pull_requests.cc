#include "services/codecommit/api/api.h"

namespace codecommit::api {

void register_pull_requests(Registrar&) {}

}  // namespace codecommit::api
