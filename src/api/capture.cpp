// The public side of web capture (docs/capture.md): POST /f/{form_id} (form posts from any
// website), OPTIONS /f/{form_id} (CORS preflight), GET /t.js (the tracker script) and
// POST /t/e (the tracker's page views and identifies). No session: a form is reached by its
// unguessable public id, the tracker by its site key, both only from their allowed origins.
#include <memory>

#include <boost/json/array.hpp>
#include <boost/url/encoding_opts.hpp>
#include <boost/url/params_view.hpp>
#include <boost/url/parse_query.hpp>

#include "api/errors.hpp"
#include "api/handlers.hpp"
#include "api/tracker_script.hpp"

namespace tandem::api {
namespace json = boost::json;

namespace {

using core::Error;
using Inputs = std::vector<std::pair<std::string, std::string>>;

constexpr std::size_t kMaxFormBody = 64u << 10;
constexpr std::size_t kMaxTrackBody = 16u << 10;
constexpr std::size_t kMaxTrackText = 4096;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The media type of a Content-Type value, lower case, without parameters.
std::string MediaType(const std::string* value) {
  if (!value) return {};
  std::string v = Lower(*value);
  v = v.substr(0, v.find(';'));
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.pop_back();
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.erase(0, 1);
  return v;
}

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

// The client's address: the TCP peer, or behind a trusted proxy the last X-Forwarded-For
// entry (the address the proxy itself saw; earlier entries are the client's to invent).
std::string ClientIp(const Request& req, bool trust_forwarded_for) {
  if (trust_forwarded_for) {
    if (const std::string* xff = req.Header("x-forwarded-for")) {
      const auto comma = xff->rfind(',');
      std::string last = Trim(comma == std::string::npos ? *xff : xff->substr(comma + 1));
      if (!last.empty() && last.size() <= 64) return last;
    }
  }
  return req.remote_ip;
}

bool WantsJson(const Request& req) {
  if (MediaType(req.Header("content-type")) == "application/json") return true;
  const std::string* accept = req.Header("accept");
  return accept && Lower(*accept).find("application/json") != std::string::npos;
}

// CORS headers for an allowed origin: the origin itself, or * when the list says so.
void AllowOrigin(Response& r, const std::vector<std::string>& allowed, const std::string* origin) {
  r.headers.emplace_back("Vary", "Origin");
  if (!origin || !core::OriginAllowed(allowed, *origin)) return;
  const bool any = allowed.size() == 1 && allowed[0] == "*";
  r.headers.emplace_back("Access-Control-Allow-Origin", any ? std::string("*") : *origin);
}

Response TooMany(std::chrono::seconds retry_after) {
  Response r =
      ErrorResponse(429, "resource_exhausted", "too many requests from this address; retry later");
  r.headers.emplace_back("Retry-After", std::to_string(retry_after.count()));
  return r;
}

Response Unprocessable(const Error& e) {
  return ErrorResponse(422, "invalid_argument", e.message, e.field);
}

// Decodes an application/x-www-form-urlencoded body ('+' is a space).
core::Result<Inputs> ParseUrlEncoded(const std::string& body) {
  Inputs out;
  if (body.empty()) return out;
  auto params = boost::urls::parse_query(body);
  if (!params) {
    return core::Fail(
        Error::Invalid("", "the body is not valid application/x-www-form-urlencoded"));
  }
  // Valid (checked above), so this constructor does not throw.
  const boost::urls::params_view decoded(body, boost::urls::encoding_opts(true));
  for (auto p : decoded) {
    if (p.key.empty() && !p.has_value) continue;
    out.emplace_back(std::string(p.key), std::string(p.value));
  }
  return out;
}

// A JSON post: one object whose values are strings, booleans or numbers.
core::Result<Inputs> ParseJsonPost(const std::string& body) {
  TANDEM_ASSIGN(auto doc, ParseJson(body));
  if (!doc.is_object()) return core::Fail(Error::Invalid("", "send one JSON object"));
  Inputs out;
  for (const auto& kv : doc.get_object()) {
    std::string key(kv.key().data(), kv.key().size());
    const json::value& v = kv.value();
    if (v.is_string()) {
      out.emplace_back(std::move(key), std::string(v.get_string()));
    } else if (v.is_bool()) {
      out.emplace_back(std::move(key), v.get_bool() ? "true" : "false");
    } else if (v.is_number()) {
      out.emplace_back(std::move(key), WriteJson(v));
    } else if (!v.is_null()) {
      return core::Fail(Error::Precondition("must be a string, a boolean or a number", key));
    }
  }
  return out;
}

struct CaptureState {
  CaptureState(const base::Clock& clock, const ApiSettings& s)
      : forms(clock, s.form_per_minute, s.form_burst),
        tracker(clock, s.track_per_minute, s.track_burst) {}
  RateLimiter forms;
  RateLimiter tracker;
};

std::string ScriptEtag() {
  // FNV-1a of the script: changes whenever the script does, stable across restarts.
  std::uint64_t h = 1469598103934665603ull;
  for (char c : TrackerScript()) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  char buf[24];
  std::snprintf(buf, sizeof buf, "\"%016llx\"", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace

void AddCaptureRoutes(RouteTable& t, const Deps& d) {
  app::FormService& forms = d.services.forms;
  base::Metrics& metrics = d.metrics;
  const bool trust_xff = d.settings.trust_forwarded_for;
  auto state = std::make_shared<CaptureState>(d.clock, d.settings);
  auto count = [&metrics](const char* name, const char* outcome) {
    metrics
        .GetCounter(name, {{"outcome", outcome}},
                    "Public web capture requests by outcome (accepted, spam, invalid, "
                    "rate_limited, forbidden_origin, ...).")
        .Add();
  };

  t.Add({.method = "POST",
         .pattern = "/f/{form_id}",
         .operation_id = "postForm",
         .summary = "Post a web form (public; application/x-www-form-urlencoded or JSON)",
         .tag = "capture",
         .access = Access::kPublic,
         .text_params = true,
         .reply = {.status = 303,
                   .content_type = "text/html",
                   .doc = "Accepted. Browser posts are redirected (303) to the form's "
                          "redirect_url, or to a posted `redirect` URL on an allowed origin, or "
                          "get a short thank-you page (200) without either. Posts with Accept: "
                          "application/json or a JSON body get 200 {\"ok\":true}. 400 invalid "
                          "UTF-8 or encoding, 403 Origin not allowed, 404 unknown form, 410 "
                          "archived form, 413 body over 64 KiB, 415 other media types, 422 a "
                          "bad field (named), 429 rate limited (Retry-After)."},
         .fn = [&forms, state, trust_xff, count](const Call& c) -> core::Result<Response> {
           constexpr const char* kMetric = "tandem_capture_form_posts_total";
           const Request& req = c.request;
           const std::string* origin = req.Header("origin");
           if (req.body.size() > kMaxFormBody) {
             count(kMetric, "too_large");
             return ErrorResponse(
                 413, "payload_too_large",
                 "a form post is at most " + std::to_string(kMaxFormBody) + " bytes");
           }
           const std::string& public_id = c.params.at(0);
           if (auto decision = state->forms.Take(public_id + "|" + ClientIp(req, trust_xff));
               !decision.allowed) {
             count(kMetric, "rate_limited");
             return TooMany(decision.retry_after);
           }
           TANDEM_ASSIGN(auto form, forms.FindPublic(public_id));
           if (!form) {
             count(kMetric, "unknown_form");
             return ErrorResponse(404, "not_found", "no such form");
           }
           if (form->archived) {
             count(kMetric, "archived_form");
             return ErrorResponse(410, "gone", "this form no longer takes posts");
           }
           if (origin && !core::OriginAllowed(form->allowed_origins, *origin)) {
             count(kMetric, "forbidden_origin");
             Response r =
                 ErrorResponse(403, "permission_denied",
                               "posts to this form are not allowed from " + *origin, "Origin");
             r.headers.emplace_back("Vary", "Origin");
             return r;
           }
           auto finish = [&](Response r) {
             AllowOrigin(r, form->allowed_origins, origin);
             return r;
           };
           if (!core::IsCleanText(req.body, true)) {
             count(kMetric, "invalid");
             return finish(
                 ErrorResponse(400, "invalid_argument", "the body is not valid UTF-8 text"));
           }
           const std::string media = MediaType(req.Header("content-type"));
           core::Result<Inputs> inputs = core::Fail(Error::Invalid("", ""));
           if (media == "application/x-www-form-urlencoded") {
             inputs = ParseUrlEncoded(req.body);
           } else if (media == "application/json") {
             inputs = ParseJsonPost(req.body);
           } else {
             count(kMetric, "unsupported_media_type");
             return finish(ErrorResponse(
                 415, "unsupported_media_type",
                 "post the form as application/x-www-form-urlencoded or application/json"));
           }
           if (!inputs) {
             count(kMetric, "invalid");
             if (inputs.error().code == core::ErrorCode::kFailedPrecondition) {
               return finish(Unprocessable(inputs.error()));
             }
             return finish(ErrorFrom(inputs.error()));
           }
           // Decoded percent-escapes may still spell ill-formed UTF-8.
           for (const auto& [k, v] : *inputs) {
             if (!core::IsCleanText(k, true) || !core::IsCleanText(v, true)) {
               bool control = false;
               for (unsigned char ch : k + v) control = control || ch < 0x20 || ch == 0x7f;
               if (control) continue;  // not an encoding problem: the form's rules name it
               count(kMetric, "invalid");
               return finish(
                   ErrorResponse(400, "invalid_argument", "the body is not valid UTF-8", k));
             }
           }
           json::object props{{"form", form->public_id}, {"form_name", form->name}};
           if (const std::string* referer = req.Header("referer");
               referer && referer->size() <= 2048 && core::IsCleanText(*referer)) {
             props["page"] = *referer;
           }
           auto result = forms.Submit(*form, *inputs, WriteJson(props));
           if (!result) {
             count(kMetric, "invalid");
             if (result.error().code == core::ErrorCode::kInvalidArgument) {
               return finish(Unprocessable(result.error()));
             }
             return core::Fail(result.error());
           }
           count(kMetric, result->spam ? "spam" : "accepted");
           // A bot that filled the honeypot gets exactly the answer a person would.
           if (WantsJson(req)) return finish(Response::Json(200, R"({"ok":true})"));
           if (!result->redirect.empty()) {
             Response r;
             r.status = 303;
             r.headers.emplace_back("Location", result->redirect);
             return finish(std::move(r));
           }
           return finish(
               Response::Text(200,
                              "<!doctype html><meta charset=\"utf-8\"><title>Thank you</title>"
                              "<p>Thank you, your message has been received.</p>\n",
                              "text/html; charset=utf-8"));
         }});

  t.Add({.method = "OPTIONS",
         .pattern = "/f/{form_id}",
         .operation_id = "preflightForm",
         .summary = "CORS preflight for a form post (public)",
         .tag = "capture",
         .access = Access::kPublic,
         .text_params = true,
         .reply = {.status = 204,
                   .doc = "Access-Control-Allow-* headers only when the Origin is one of the "
                          "form's allowed origins (the browser then blocks the post)."},
         .fn = [&forms](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto form, forms.FindPublic(c.params.at(0)));
           if (!form) return ErrorResponse(404, "not_found", "no such form");
           if (form->archived) return ErrorResponse(410, "gone", "this form no longer takes posts");
           Response r = Response::NoContent();
           const std::string* origin = c.request.Header("origin");
           AllowOrigin(r, form->allowed_origins, origin);
           if (r.Header("Access-Control-Allow-Origin")) {
             r.headers.emplace_back("Access-Control-Allow-Methods", "POST");
             r.headers.emplace_back("Access-Control-Allow-Headers", "Content-Type, Accept");
             r.headers.emplace_back("Access-Control-Max-Age", "600");
           }
           return r;
         }});

  static const std::string etag = ScriptEtag();
  t.Add({.method = "GET",
         .pattern = "/t.js",
         .operation_id = "trackerScript",
         .summary = "The tracker script a website pastes in one line (public)",
         .tag = "capture",
         .access = Access::kPublic,
         .reply = {.content_type = "text/javascript",
                   .doc = "Cached for an hour (ETag; If-None-Match answers 304)."},
         .fn = [](const Call& c) -> core::Result<Response> {
           Response r;
           if (const std::string* inm = c.request.Header("if-none-match"); inm && *inm == etag) {
             r.status = 304;
           } else {
             r = Response::Text(200, std::string(TrackerScript()),
                                "text/javascript; charset=utf-8");
           }
           r.headers.emplace_back("Cache-Control", "public, max-age=3600");
           r.headers.emplace_back("ETag", etag);
           // Loaded by other sites by design.
           r.headers.emplace_back("Cross-Origin-Resource-Policy", "cross-origin");
           return r;
         }});

  t.Add({.method = "POST",
         .pattern = "/t/e",
         .operation_id = "trackEvent",
         .summary = "A tracker event: page_view or identify, with a site key (public)",
         .tag = "capture",
         .access = Access::kPublic,
         .reply = {.status = 204,
                   .doc = "Stored. The body is one JSON object (sent as text/plain, which needs "
                          "no preflight): key, type (page_view or identify), event_id, "
                          "anonymous_id, email (identify), url, referrer, title, utm_source, "
                          "utm_medium, utm_campaign. 400 a bad field, 403 Origin missing or not "
                          "allowed for the key, 404 unknown key, 410 archived key, 413 over 16 "
                          "KiB, 429 rate limited."},
         .fn = [&forms, state, trust_xff, count](const Call& c) -> core::Result<Response> {
           constexpr const char* kMetric = "tandem_capture_tracker_events_total";
           const Request& req = c.request;
           if (req.body.size() > kMaxTrackBody) {
             count(kMetric, "too_large");
             return ErrorResponse(
                 413, "payload_too_large",
                 "a tracker event is at most " + std::to_string(kMaxTrackBody) + " bytes");
           }
           const std::string media = MediaType(req.Header("content-type"));
           if (media != "text/plain" && media != "application/json") {
             count(kMetric, "unsupported_media_type");
             return ErrorResponse(415, "unsupported_media_type",
                                  "send the event as JSON (text/plain or application/json)");
           }
           auto doc = ParseJson(req.body);
           if (!doc || !doc->is_object()) {
             count(kMetric, "invalid");
             return ErrorResponse(400, "invalid_argument",
                                  doc ? "send one JSON object" : doc.error().message);
           }
           std::string key;
           core::Event e;
           json::object props;
           for (const auto& kv : doc->get_object()) {
             const std::string name(kv.key().data(), kv.key().size());
             if (!kv.value().is_string()) {
               count(kMetric, "invalid");
               return ErrorResponse(400, "invalid_argument", "must be a string", name);
             }
             std::string v(kv.value().get_string());
             if (v.size() > kMaxTrackText) {
               count(kMetric, "invalid");
               return ErrorResponse(400, "invalid_argument", "is too long", name);
             }
             if (name == "key") {
               key = std::move(v);
             } else if (name == "type") {
               e.type = std::move(v);
             } else if (name == "event_id") {
               e.event_id = std::move(v);
             } else if (name == "anonymous_id") {
               e.anonymous_id = std::move(v);
             } else if (name == "email") {
               e.email = std::move(v);
             } else if (name == "utm_source") {
               e.utm_source = std::move(v);
             } else if (name == "utm_medium") {
               e.utm_medium = std::move(v);
             } else if (name == "utm_campaign") {
               e.utm_campaign = std::move(v);
             } else if (name == "url" || name == "referrer" || name == "title") {
               if (!v.empty()) props[name] = std::move(v);
             } else {
               count(kMetric, "invalid");
               return ErrorResponse(400, "invalid_argument", "unknown field '" + name + "'", name);
             }
           }
           if (auto decision = state->tracker.Take(key + "|" + ClientIp(req, trust_xff));
               !decision.allowed) {
             count(kMetric, "rate_limited");
             return TooMany(decision.retry_after);
           }
           TANDEM_ASSIGN(auto site, forms.FindSite(key));
           if (!site) {
             count(kMetric, "unknown_key");
             return ErrorResponse(404, "not_found", "no such site key", "key");
           }
           if (site->archived) {
             count(kMetric, "archived_key");
             return ErrorResponse(410, "gone", "this site key is archived", "key");
           }
           const std::string* origin = req.Header("origin");
           if (!origin || !core::OriginAllowed(site->allowed_origins, *origin)) {
             count(kMetric, "forbidden_origin");
             return ErrorResponse(403, "permission_denied",
                                  "this site key takes events only from its own origins", "Origin");
           }
           e.properties = WriteJson(props);
           auto report = forms.Track(*site, std::move(e));
           Response r;
           if (!report) {
             count(kMetric, "invalid");
             if (report.error().code != core::ErrorCode::kInvalidArgument) {
               return core::Fail(report.error());
             }
             r = ErrorFrom(report.error());
           } else {
             count(kMetric, "accepted");
             r = Response::NoContent();
           }
           AllowOrigin(r, site->allowed_origins, origin);
           return r;
         }});
}

}  // namespace tandem::api
