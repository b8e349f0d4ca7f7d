// Fuzz target: every JSON request body of the API. The input's first line names the route
// ("POST /api/v1/contacts"; any other text picks one by its hash), the rest is the body, sent
// as the signed-in admin with Content-Type: application/json through Api::Handle: the strict
// JSON reader, the route's Schema (Body::Parse, api/schema.cpp), then the handler and the
// services with whatever passed. Routes that read their body themselves (event batches,
// raw_body) are included.
//
// With TANDEM_FUZZ_WRITE_SEEDS=DIR, the program writes one seed per route into DIR (a body
// with every field of the route's schema, from its declaration) and exits: how
// fuzz/corpus/api_json/ was made; run it again when routes are added.
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "api_harness.hpp"

namespace {

namespace json = boost::json;
using tandem::api::Field;
using tandem::api::Kind;
using tandem::api::Route;
using tandem::api::Schema;

std::vector<const Route*> BodyRoutes(const tandem::fuzz::ApiHarness& h) {
  std::vector<const Route*> out;  // valid while `h` lives
  for (const auto& r : h.routes()) {
    if (!r.body || r.text_params || r.body_type != "application/json") continue;
    out.push_back(&r);
  }
  return out;
}

json::value Example(const Field& f);

json::object ExampleObject(const Schema& s) {
  json::object o;
  for (const auto& f : s.fields) o[f.name] = Example(f);
  return o;
}

json::value Example(const Field& f) {
  switch (f.kind) {
    case Kind::kString:
      // Strings that pass the handlers' own checks, so the seeds reach past them.
      if (f.name.find("email") != std::string::npos) return "ann@globex.example";
      if (f.name.find("url") != std::string::npos) return "https://hooks.acme.example/tandem";
      if (f.name.find("domain") != std::string::npos) return "globex.example";
      if (f.name.find("origin") != std::string::npos) return "https://www.acme.example";
      return "text";
    case Kind::kId: return 1;
    case Kind::kInteger: return f.max > f.min ? f.min : 1;
    case Kind::kBoolean: return true;
    case Kind::kInstant: return "2026-11-26T09:30:00Z";
    case Kind::kDate: return "2026-11-26";
    case Kind::kEnum: return f.values.empty() ? json::value("x") : json::value(f.values[0]);
    case Kind::kEnumList: {
      json::array a;
      if (!f.values.empty()) a.emplace_back(f.values[0]);
      return a;
    }
    case Kind::kMoney: return 12500.5;
    case Kind::kStringMap: return json::object{{"team_size", "50"}};
    case Kind::kNumber: return 1.5;
    case Kind::kStringList: return json::array{"a", "b"};
    case Kind::kNested: return f.nested ? json::value(ExampleObject(*f.nested)) : json::object{};
    case Kind::kNestedList:
      return f.nested ? json::value(json::array{ExampleObject(*f.nested)}) : json::array{};
    case Kind::kNumberMap: return json::object{{"a", 1.0}};
    case Kind::kIdList: return json::array{1};
    case Kind::kObject:
    case Kind::kList: break;
  }
  return nullptr;
}

void WriteSeeds(const std::string& dir) {
  tandem::fuzz::ApiHarness h;
  for (const Route* r : BodyRoutes(h)) {
    std::string name = r->method + r->pattern;
    for (char& c : name) {
      if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    }
    std::ofstream(dir + "/" + name) << r->method << " " << r->pattern << "\n"
                                    << tandem::api::WriteJson(ExampleObject(*r->body));
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (const char* dir = std::getenv("TANDEM_FUZZ_WRITE_SEEDS")) {
    WriteSeeds(dir);
    std::exit(0);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto& h = tandem::fuzz::Harness();
  static const auto routes = [&h] {  // the same in every harness
    std::vector<tandem::fuzz::RouteName> out;
    for (const Route* r : BodyRoutes(h)) out.push_back({r->method, r->pattern});
    return out;
  }();
  const auto [line, body] =
      tandem::fuzz::SplitFirstLine({reinterpret_cast<const char*>(data), size});
  const auto& r = tandem::fuzz::PickRoute(routes, line);
  h.Send(r.method, tandem::fuzz::Target(r.pattern), std::string(body), h.token());
  return 0;
}
