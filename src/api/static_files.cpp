#include "api/static_files.hpp"

#include <fstream>
#include <iterator>
#include <system_error>
#include <vector>

namespace tandem::api {
namespace fs = std::filesystem;

namespace {

constexpr std::uintmax_t kMaxFileBytes = 64ull << 20;

std::string ContentType(const fs::path& p) {
  const std::string ext = p.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json" || ext == ".map") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".jpg" || ext == ".jpeg") return "image/jpeg";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".woff") return "font/woff";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

bool Inside(const fs::path& root, const fs::path& p) {
  auto r = root.begin();
  auto i = p.begin();
  for (; r != root.end(); ++r, ++i) {
    if (i == p.end() || *r != *i) return false;
  }
  return true;
}

}  // namespace

StaticFiles::StaticFiles(std::string root) {
  std::error_code ec;
  root_ = fs::canonical(root, ec);
  if (ec) root_ = fs::path(root).lexically_normal();
}

std::optional<Response> StaticFiles::File(const fs::path& path, bool head) const {
  std::error_code ec;
  const fs::path real = fs::canonical(path, ec);
  if (ec || !Inside(root_, real) || !fs::is_regular_file(real, ec)) return std::nullopt;
  const auto size = fs::file_size(real, ec);
  if (ec || size > kMaxFileBytes) return std::nullopt;
  std::ifstream in(real, std::ios::binary);
  if (!in) return std::nullopt;
  std::string body;
  if (!head) body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  Response r = Response::Text(200, std::move(body), ContentType(real));
  const bool asset = Inside(root_ / "assets", real);
  r.headers.emplace_back("Cache-Control",
                         asset ? "public, max-age=31536000, immutable" : "no-cache");
  r.headers.emplace_back("Content-Security-Policy", kHtmlCsp);
  return r;
}

std::optional<Response> StaticFiles::Serve(const Request& request) const {
  const bool head = request.method == "HEAD";
  if ((request.method != "GET" && !head) || root_.empty()) return std::nullopt;
  const std::string& path = request.path;
  if (path.empty() || path[0] != '/') return std::nullopt;
  if (path.find('\\') != std::string::npos || path.find('\0') != std::string::npos) {
    return std::nullopt;
  }
  fs::path file = root_;
  std::string last;
  std::size_t start = 1;
  while (start <= path.size()) {
    std::size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    const std::string segment = path.substr(start, slash - start);
    if (segment == "." || segment == "..") return std::nullopt;
    if (!segment.empty()) file /= segment;
    last = segment;
    start = slash + 1;
  }
  if (last.empty()) return File(root_ / "index.html", head);
  if (auto r = File(file, head)) return r;
  if (last.find('.') == std::string::npos) return File(root_ / "index.html", head);
  return std::nullopt;
}

}  // namespace tandem::api
