#include "core/form.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "core/event.hpp"

namespace tandem::core {
namespace {

constexpr std::string_view kProperties[] = {"email", "first_name", "last_name", "company",
                                            "title", "phone",      "country"};

std::string Trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IsInputName(std::string_view n) {
  if (n.empty() || n.size() > 64 || !std::isalpha(static_cast<unsigned char>(n[0]))) return false;
  return std::all_of(n.begin(), n.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
  });
}

bool IsCustomKey(std::string_view k) {
  return !k.empty() && k.size() <= 64 && std::all_of(k.begin(), k.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

bool IsProperty(std::string_view p) {
  if (p.rfind("custom.", 0) == 0) return IsCustomKey(p.substr(7));
  return std::find(std::begin(kProperties), std::end(kProperties), p) != std::end(kProperties);
}

Result<void> CheckText(const std::string& field, const std::string& text, std::size_t max,
                       bool required = false, bool multiline = false) {
  if (required && text.empty()) return Fail(Error::Invalid(field, "is required"));
  if (text.size() > max) {
    return Fail(Error::Invalid(field, "is longer than " + std::to_string(max) + " bytes"));
  }
  if (!IsCleanText(text, multiline)) {
    return Fail(Error::Invalid(field, "must be UTF-8 text without control characters"));
  }
  return {};
}

Result<void> NormalizeOrigins(std::vector<std::string>& origins, bool required) {
  if (origins.size() > kMaxAllowedOrigins) {
    return Fail(Error::Invalid("allowed_origins",
                               "holds at most " + std::to_string(kMaxAllowedOrigins) + " origins"));
  }
  if (required && origins.empty()) {
    return Fail(Error::Invalid("allowed_origins", "needs at least one origin (or \"*\")"));
  }
  std::set<std::string> seen;
  for (std::size_t i = 0; i < origins.size(); ++i) {
    const std::string field = "allowed_origins[" + std::to_string(i) + "]";
    auto o = NormalizeOrigin(origins[i]);
    if (!o) {
      return Fail(Error::Invalid(
          field,
          "must be an origin such as https://www.example.com (scheme, host, optional "
          "port; no path) or \"*\""));
    }
    if (!seen.insert(*o).second) return Fail(Error::Invalid(field, "is listed twice"));
    origins[i] = std::move(*o);
  }
  if (seen.count("*") != 0 && origins.size() > 1) {
    return Fail(Error::Invalid("allowed_origins", "\"*\" must be the only entry"));
  }
  return {};
}

bool Truthy(std::string_view v) {
  const std::string l = Lower(Trim(v));
  return l == "on" || l == "true" || l == "1" || l == "yes";
}

}  // namespace

CustomFields FormAnswers::Values() const {
  CustomFields out;
  auto put = [&out](const char* k, const std::string& v) {
    if (!v.empty()) out[k] = v;
  };
  put("email", email);
  put("first_name", first_name);
  put("last_name", last_name);
  put("company", company);
  put("title", title);
  put("phone", phone);
  put("country", country);
  for (const auto& [k, v] : custom) {
    if (!v.empty()) out["custom." + k] = v;
  }
  return out;
}

bool IsValidPublicId(std::string_view id) {
  return id.size() >= 16 && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
         });
}

std::optional<std::string> NormalizeOrigin(std::string_view text) {
  std::string t = Trim(text);
  if (t == "*") return t;
  if (!t.empty() && t.back() == '/') t.pop_back();
  auto url = OriginOfUrl(t);
  // An origin is a URL with nothing after the authority.
  if (!url || url->size() != t.size()) return std::nullopt;
  return url;
}

std::optional<std::string> OriginOfUrl(std::string_view url) {
  const std::string lower = Lower(url);
  std::size_t start = 0;
  if (lower.rfind("https://", 0) == 0) {
    start = 8;
  } else if (lower.rfind("http://", 0) == 0) {
    start = 7;
  } else {
    return std::nullopt;
  }
  std::size_t end = lower.find_first_of("/?#", start);
  if (end == std::string::npos) end = lower.size();
  const std::string_view authority(lower.data() + start, end - start);
  if (authority.empty() || authority.size() > 253 + 6) return std::nullopt;
  // No user info, no spaces; host of letters, digits, '-', '.', or an IPv6 literal.
  std::string_view host = authority;
  std::string_view port;
  if (host.front() == '[') {
    const auto close = host.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    port = host.substr(close + 1);
    host = host.substr(0, close + 1);
    if (!std::all_of(host.begin() + 1, host.end() - 1, [](char c) {
          return std::isxdigit(static_cast<unsigned char>(c)) || c == ':';
        })) {
      return std::nullopt;
    }
  } else {
    const auto colon = host.find(':');
    if (colon != std::string_view::npos) {
      port = host.substr(colon);
      host = host.substr(0, colon);
    }
    if (host.empty() || host.front() == '.' || host.front() == '-' ||
        !std::all_of(host.begin(), host.end(), [](char c) {
          return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.';
        })) {
      return std::nullopt;
    }
  }
  if (!port.empty()) {
    if (port.front() != ':' || port.size() < 2 || port.size() > 6) return std::nullopt;
    int n = 0;
    for (char c : port.substr(1)) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
      n = n * 10 + (c - '0');
    }
    if (n < 1 || n > 65535) return std::nullopt;
  }
  return lower.substr(0, end);
}

bool OriginAllowed(const std::vector<std::string>& allowed, std::string_view origin) {
  if (std::find(allowed.begin(), allowed.end(), "*") != allowed.end()) return true;
  auto o = NormalizeOrigin(origin);
  return o && std::find(allowed.begin(), allowed.end(), *o) != allowed.end();
}

Result<void> NormalizeForm(Form& f) {
  f.name = Trim(f.name);
  TANDEM_TRY(CheckText("name", f.name, kShortTextMax, true));
  if (!IsValidPublicId(f.public_id)) {
    return Fail(Error::Invalid("public_id", "must be 16-64 characters of A-Z, a-z, 0-9, _ or -"));
  }
  if (f.fields.empty() || f.fields.size() > kMaxFormFields) {
    return Fail(Error::Invalid(
        "fields", "needs 1 to " + std::to_string(kMaxFormFields) + " fields, one of them email"));
  }
  std::set<std::string> names, properties;
  for (std::size_t i = 0; i < f.fields.size(); ++i) {
    FormField& field = f.fields[i];
    const std::string at = "fields[" + std::to_string(i) + "]";
    field.name = Trim(field.name);
    field.property = Lower(Trim(field.property));
    if (!IsInputName(field.name)) {
      return Fail(Error::Invalid(at + ".name",
                                 "must be 1-64 characters of letters, digits, '_', '.' or '-', "
                                 "starting with a letter"));
    }
    if (field.name == kConsentInput || field.name == kRedirectInput) {
      return Fail(Error::Invalid(at + ".name", "'" + field.name + "' is reserved"));
    }
    if (!names.insert(field.name).second) {
      return Fail(Error::Invalid(at + ".name", "'" + field.name + "' is used twice"));
    }
    if (!IsProperty(field.property)) {
      return Fail(Error::Invalid(at + ".property",
                                 "must be email, first_name, last_name, company, title, phone, "
                                 "country or custom.<key> (key: a-z, 0-9, _)"));
    }
    if (!properties.insert(field.property).second) {
      return Fail(Error::Invalid(at + ".property", "'" + field.property + "' is mapped twice"));
    }
    if (field.property == "email") field.required = true;
  }
  if (properties.count("email") == 0) {
    return Fail(Error::Invalid("fields", "a form needs a field mapped to email"));
  }
  f.consent_text = Trim(f.consent_text);
  TANDEM_TRY(CheckText("consent_text", f.consent_text, 4096, false, true));
  if (f.consent_required && f.consent_text.empty()) {
    return Fail(Error::Invalid("consent_text", "is required when consent is required"));
  }
  for (auto [name, value] :
       {std::pair{"utm_source", &f.utm_source}, std::pair{"utm_medium", &f.utm_medium},
        std::pair{"utm_campaign", &f.utm_campaign}}) {
    *value = Trim(*value);
    TANDEM_TRY(CheckText(name, *value, kMaxUtmBytes));
  }
  TANDEM_TRY(NormalizeOrigins(f.allowed_origins, false));
  f.redirect_url = Trim(f.redirect_url);
  TANDEM_TRY(CheckText("redirect_url", f.redirect_url, 2048));
  if (!f.redirect_url.empty() && !OriginOfUrl(f.redirect_url)) {
    return Fail(Error::Invalid("redirect_url", "must be an absolute http or https URL"));
  }
  return {};
}

Result<void> NormalizeSite(TrackerSite& s) {
  s.name = Trim(s.name);
  TANDEM_TRY(CheckText("name", s.name, kShortTextMax, true));
  if (!IsValidPublicId(s.public_key)) {
    return Fail(Error::Invalid("public_key", "must be 16-64 characters of A-Z, a-z, 0-9, _ or -"));
  }
  return NormalizeOrigins(s.allowed_origins, true);
}

Result<FormAnswers> MapFormPost(const Form& f,
                                const std::vector<std::pair<std::string, std::string>>& inputs) {
  if (inputs.size() > kMaxFormInputs) {
    return Fail(
        Error::Invalid("", "a post holds at most " + std::to_string(kMaxFormInputs) + " inputs"));
  }
  FormAnswers a;
  // A bot is answered as a person would be whatever else it posted: nothing else is checked.
  for (const auto& [name, value] : inputs) {
    if (name == kHoneypotInput && !Trim(value).empty()) a.honeypot = true;
    if (name == kRedirectInput) a.redirect = Trim(value);
  }
  if (a.honeypot) return a;
  std::set<std::string> given;
  for (const auto& [name, value] : inputs) {
    if (name == kHoneypotInput) continue;
    if (!IsCleanText(name) || !IsCleanText(value, true)) {
      return Fail(Error::Invalid(IsCleanText(name) ? name : std::string(),
                                 "must be UTF-8 text without control characters"));
    }
    if (value.size() > kMaxFormValueBytes) {
      return Fail(
          Error::Invalid(name, "is longer than " + std::to_string(kMaxFormValueBytes) + " bytes"));
    }
    if (name == kAnonymousIdInput) {
      // A malformed visitor id (a tampered cookie) loses the history join, not the lead.
      if (IsValidAnonymousId(value)) a.anonymous_id = value;
      continue;
    }
    if (name == kRedirectInput) {
      a.redirect = Trim(value);
      continue;
    }
    if (name == kConsentInput) {
      a.consent_given = a.consent_given || Truthy(value);
      continue;
    }
    const auto field = std::find_if(f.fields.begin(), f.fields.end(),
                                    [&n = name](const FormField& x) { return x.name == n; });
    if (field == f.fields.end()) continue;
    if (!given.insert(name).second) return Fail(Error::Invalid(name, "is given twice"));
    std::string v = Trim(value);
    const std::string& p = field->property;
    if (p == "email") {
      if (v.empty()) continue;  // reported as missing below
      auto email = NormalizeEmail(v);
      if (!email) return Fail(Error::Invalid(name, email.error().message));
      a.email = std::move(*email);
    } else if (p == "country") {
      if (v.empty()) continue;
      auto country = NormalizeCountry(v, name);
      if (!country) return Fail(country.error());
      a.country = std::move(*country);
    } else {
      const std::size_t max = p == "phone" ? 64 : kShortTextMax;
      if (p.rfind("custom.", 0) != 0 && v.size() > max) {
        return Fail(Error::Invalid(name, "is longer than " + std::to_string(max) + " bytes"));
      }
      if (p.rfind("custom.", 0) == 0) {
        a.custom[p.substr(7)] = std::move(v);
      } else if (p == "first_name") {
        a.first_name = std::move(v);
      } else if (p == "last_name") {
        a.last_name = std::move(v);
      } else if (p == "company") {
        a.company = std::move(v);
      } else if (p == "title") {
        a.title = std::move(v);
      } else if (p == "phone") {
        a.phone = std::move(v);
      }
    }
  }
  for (const auto& field : f.fields) {
    if (!field.required) continue;
    const bool empty =
        field.property == "email" ? a.email.empty() : !a.Values().count(field.property);
    if (empty) return Fail(Error::Invalid(field.name, "is required"));
  }
  if (f.consent_text.empty()) {
    a.consent_given = false;  // nothing was asked
  } else if (f.consent_required && !a.consent_given) {
    return Fail(
        Error::Invalid(std::string(kConsentInput), "consent is required: " + f.consent_text));
  }
  return a;
}

bool ApplyAnswers(const FormAnswers& a, Contact& c) {
  bool changed = false;
  auto set = [&changed](std::string& target, const std::string& value) {
    if (!value.empty() && target != value) {
      target = value;
      changed = true;
    }
  };
  set(c.first_name, a.first_name);
  set(c.last_name, a.last_name);
  set(c.title, a.title);
  set(c.phone, a.phone);
  set(c.country, a.country);
  if (!a.company.empty()) set(c.custom["company"], a.company);
  for (const auto& [k, v] : a.custom) {
    if (!v.empty()) set(c.custom[k], v);
  }
  return changed;
}

std::string RedirectTarget(const Form& f, std::string_view posted_redirect) {
  if (!posted_redirect.empty()) {
    auto origin = OriginOfUrl(posted_redirect);
    if (origin && IsCleanText(posted_redirect) && posted_redirect.size() <= 2048 &&
        std::find(f.allowed_origins.begin(), f.allowed_origins.end(), *origin) !=
            f.allowed_origins.end()) {
      return std::string(posted_redirect);
    }
  }
  return f.redirect_url;
}

FieldList Fields(const Form& f) {
  std::string fields, origins;
  for (const auto& x : f.fields) {
    if (!fields.empty()) fields += ", ";
    fields += x.name + "=" + x.property + (x.required ? " (required)" : "");
  }
  for (const auto& o : f.allowed_origins) origins += (origins.empty() ? "" : " ") + o;
  return {{"public_id", f.public_id},
          {"name", f.name},
          {"fields", fields},
          {"consent_text", f.consent_text},
          {"consent_required", f.consent_required ? "true" : "false"},
          {"utm_source", f.utm_source},
          {"utm_medium", f.utm_medium},
          {"utm_campaign", f.utm_campaign},
          {"allowed_origins", origins},
          {"redirect_url", f.redirect_url},
          {"archived", f.archived ? "true" : "false"}};
}

FieldList Fields(const TrackerSite& s) {
  std::string origins;
  for (const auto& o : s.allowed_origins) origins += (origins.empty() ? "" : " ") + o;
  return {{"public_key", s.public_key},
          {"name", s.name},
          {"allowed_origins", origins},
          {"archived", s.archived ? "true" : "false"}};
}

}  // namespace tandem::core
