// ECR's schema (module "ecr" in schema_migrations).
#pragma once

#include <vector>

#include "store/db.h"

namespace ecr {

const std::vector<store::Migration>& migrations();

}  // namespace ecr
