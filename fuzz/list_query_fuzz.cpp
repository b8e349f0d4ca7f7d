// Fuzz target: query strings (list filters, sort orders, cursors, report parameters). The
// input's first line names a GET route ("GET /api/v1/contacts"; any other text picks one by its
// hash), the rest is the query string: the request target "<path>?<rest>" is decoded as the
// server decodes it (api::MakeRequest), then Query::Parse checks it against the route's
// declared parameters and the handler reads its filters (the contacts list's own parser, saved
// views, reports), as the signed-in admin.
#include <cstdint>
#include <string>
#include <vector>

#include "api_harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto& h = tandem::fuzz::Harness();
  static const auto routes = [&h] {  // the same in every harness
    std::vector<tandem::fuzz::RouteName> out;
    for (const auto& r : h.routes()) {
      if (r.method == "GET" && !r.text_params) out.push_back({r.method, r.pattern});
    }
    return out;
  }();
  const auto [line, query] =
      tandem::fuzz::SplitFirstLine({reinterpret_cast<const char*>(data), size});
  const auto& r = tandem::fuzz::PickRoute(routes, line);
  h.Send("GET", tandem::fuzz::Target(r.pattern) + "?" + std::string(query), "", h.token(), "");
  return 0;
}
