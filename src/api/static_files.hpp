// The dashboard's static files, served from a folder (internal to src/api).
//
// GET and HEAD only. "/" is index.html; a path whose last segment has no extension and names
// no file is also index.html, so the dashboard's client-side routes survive a reload. Paths
// with "." or ".." segments, backslashes or NUL bytes, and files that resolve outside the
// folder (through symbolic links), are not found. HTML gets a Content-Security-Policy allowing
// only same-origin scripts, styles, images and API calls; files under /assets/ (names carry a
// content hash) may be cached for a year, everything else is revalidated.
// Thread-safety: const, safe from any thread.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "api/http.hpp"

namespace tandem::api {

class StaticFiles {
 public:
  explicit StaticFiles(std::string root);

  // Nothing when the folder does not hold the file (nor index.html for a route-like path).
  std::optional<Response> Serve(const Request& request) const;

 private:
  std::optional<Response> File(const std::filesystem::path& path, bool head) const;

  std::filesystem::path root_;
};

inline constexpr const char* kHtmlCsp =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

}  // namespace tandem::api
