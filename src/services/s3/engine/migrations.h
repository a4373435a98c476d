// The s3_* tables (module "s3"); see migrations.cc.
#pragma once

#include <vector>

#include "store/db.h"

namespace s3 {

const std::vector<store::Migration>& migrations();

}  // namespace s3
