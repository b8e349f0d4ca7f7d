// The `tandem` command line: serve, migrate, user, apikey, demo, import contacts.
//
// `Run` parses arguments and runs one subcommand, reading secrets (passwords) from `in`,
// writing results to `out` and diagnostics to `err`; it returns the process exit code
// (0 success, 1 failure of the work, 2 bad usage). Tests call it in-process.
#pragma once

#include <istream>
#include <ostream>

namespace tandem::cli {

int Run(int argc, char** argv, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace tandem::cli
