// The pieces the analytics benchmarks share: CPU and wall clocks, the median of runs, and the
// sqlite3 shell run on a query file as the hand-written reference.
#pragma once

#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

namespace tandem::bench {

inline double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// CPU of this process, and of the child processes waited for (the sqlite3 shell), in ms.
inline double CpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

inline double ChildCpuMs() {
  rusage u{};
  getrusage(RUSAGE_CHILDREN, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e3 +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e3;
}

template <class F>
double TimeMs(F f) {
  const auto t0 = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

// Runs `sql` through the sqlite3 shell on `db`, read-only, from the query file `file`; returns
// the wall time in ms (process start included) and the shell's output in `output`.
inline double Shell(const std::string& db, const std::string& sql, std::string* output,
                    const std::string& file) {
  std::ofstream(file) << sql;
  const std::string cmd = "sqlite3 -readonly '" + db + "' < " + file;
  std::string out;
  const double ms = TimeMs([&] {
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) return;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    pclose(p);
  });
  if (output) *output = out;
  return ms;
}

}  // namespace tandem::bench
