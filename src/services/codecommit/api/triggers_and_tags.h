// The operations register_triggers_and_tags (triggers.cc) adds from the other files of its
// family: tags, the encryption key and file history.
#pragma once

#include "services/codecommit/api/api.h"

namespace codecommit::api {

void register_tags(Registrar& registrar);            // tags.cc
void register_encryption_key(Registrar& registrar);  // encryption_key.cc
void register_file_history(Registrar& registrar);    // file_history.cc

}  // namespace codecommit::api
