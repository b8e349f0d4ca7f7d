// Running an external program (the headless browser that prints the weekly pack to PDF):
// the only place Tandem spawns a process. Arguments are passed as a vector (no shell, so no
// quoting or injection); stdin, stdout and stderr are /dev/null except that stderr may go to a
// file for diagnostics.
// Thread-safety: RunProgram may be called from several threads at once.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace tandem::base {

struct ProgramRun {
  int exit_code = -1;      // the program's exit status, -1 when killed by a signal
  bool timed_out = false;  // killed after the timeout
};

// Whether `path` names an executable file.
bool IsExecutable(const std::string& path);

// Runs `argv[0]` (an absolute path) with `argv` and waits for it, at most `timeout` (then the
// program is killed). `stderr_file`, when not empty, receives its error output.
// kFailedPrecondition when the program is not executable; kInternal when it cannot be spawned.
core::Result<ProgramRun> RunProgram(const std::vector<std::string>& argv,
                                    std::chrono::milliseconds timeout,
                                    const std::string& stderr_file = {});

}  // namespace tandem::base
