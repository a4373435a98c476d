#include "services/codecommit/api/api.h"

namespace codecommit::api {

void register_triggers_and_tags(Registrar&) {}

}  // namespace codecommit::api
