// The `tandem` executable: everything is in the CLI library so tests can drive it.
#include <iostream>

#include "cli/cli.hpp"

int main(int argc, char** argv) { return tandem::cli::Run(argc, argv, std::cin, std::cout, std::cerr); }
