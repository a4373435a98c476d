// The engine's SQL: store::Sql with store errors turned into codebuild::Error (Internal).
#pragma once

#include "services/codebuild/engine/codebuild_engine.h"
#include "store/sql.h"

namespace codebuild {

inline Error internal_error(const common::Error& e) { return error(Errc::Internal, e.message); }

using Sql = store::Sql<&internal_error>;

}  // namespace codebuild
