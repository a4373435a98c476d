// `hakobu server`: parse flags, compose the services, serve until killed.
#pragma once

namespace app {

int run_main(int argc, char** argv);

}  // namespace app
