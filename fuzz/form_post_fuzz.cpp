// Fuzz target: public web form posts (POST /f/{form_id}, docs/capture.md), without credentials,
// with no Origin header (a server-side post). The input is the body: sent as
// application/x-www-form-urlencoded (percent-decoding, '+' as space, then core::MapFormPost onto
// the form's fields: email, first_name, company, custom.team_size), or as application/json when
// it starts with '{'. Posts that pass create or update contacts and events in the store.
#include <cstdint>
#include <string>

#include "api_harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto& h = tandem::fuzz::Harness();
  std::string body(reinterpret_cast<const char*>(data), size);
  const bool json = !body.empty() && body[0] == '{';
  h.Send("POST", "/f/" + h.form_public_id(), std::move(body), "", json ? "json" : "form");
  return 0;
}
