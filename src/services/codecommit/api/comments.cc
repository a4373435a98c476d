#include "services/codecommit/api/api.h"

namespace codecommit::api {

void register_comments(Registrar&) {}

}  // namespace codecommit::api
