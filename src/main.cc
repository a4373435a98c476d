// hakobu: AWS's delivery-pipeline services on one machine. Composition lives in app/.
#include "app/server_command.h"

int main(int argc, char** argv) { return app::run_main(argc, argv); }
