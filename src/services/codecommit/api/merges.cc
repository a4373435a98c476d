#include "services/codecommit/api/api.h"

namespace codecommit::api {

void register_merges(Registrar&) {}

}  // namespace codecommit::api
