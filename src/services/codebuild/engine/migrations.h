// CodeBuild's schema (module "codebuild" in schema_migrations).
#pragma once

#include <vector>

#include "store/db.h"

namespace codebuild {

const std::vector<store::Migration>& migrations();

}  // namespace codebuild
