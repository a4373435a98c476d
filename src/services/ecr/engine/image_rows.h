// How images are read from their rows (shared by images.cc, image_rows.cc, lifecycle_runs.cc).
#pragma once

#include <string>

#include "services/ecr/engine/ecr_engine.h"
#include "store/db.h"

namespace ecr {

// "SELECT <image columns> FROM ecr_images " (+ ", manifest" when `with_manifest`): append the
// WHERE clause.
std::string select_images(bool with_manifest);
// A row of select_images (tags not filled).
Image decode_image(const store::Statement& s, bool with_manifest);

}  // namespace ecr
