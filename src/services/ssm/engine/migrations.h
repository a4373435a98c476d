// Schema of the "ssm" module, applied by store::Db::migrate in order.
#pragma once

#include <vector>

#include "store/db.h"

namespace ssm {

const std::vector<store::Migration>& migrations();

}  // namespace ssm
