#include "services/codecommit/api/api.h"

namespace codecommit::api {

void register_templates(Registrar&) {}

}  // namespace codecommit::api
