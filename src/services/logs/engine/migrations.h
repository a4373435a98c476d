// CloudWatch Logs' schema (module "logs" in schema_migrations).
#pragma once

#include <vector>

#include "store/db.h"

namespace logs {

const std::vector<store::Migration>& migrations();

}  // namespace logs
