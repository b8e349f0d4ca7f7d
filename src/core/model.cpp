#include "core/model.hpp"

#include <algorithm>
#include <cctype>

namespace tandem::core {
namespace {

template <class E, std::size_t N>
std::optional<E> FromTable(std::string_view text,
                           const std::pair<E, std::string_view> (&table)[N]) {
  for (const auto& [e, name] : table) {
    if (name == text) return e;
  }
  return std::nullopt;
}

template <class E, std::size_t N>
std::string_view ToTable(E e, const std::pair<E, std::string_view> (&table)[N]) {
  for (const auto& [v, name] : table) {
    if (v == e) return name;
  }
  return table[0].second;
}

constexpr std::pair<Role, std::string_view> kRoles[] = {{Role::kAdmin, "admin"},
                                                        {Role::kManager, "manager"},
                                                        {Role::kMarketing, "marketing"},
                                                        {Role::kSales, "sales"}};
constexpr std::pair<TeamFunction, std::string_view> kFunctions[] = {
    {TeamFunction::kMarketing, "marketing"},
    {TeamFunction::kSales, "sales"},
    {TeamFunction::kRevenue, "revenue"}};
constexpr std::pair<ActivityType, std::string_view> kActivityTypes[] = {
    {ActivityType::kCall, "call"},
    {ActivityType::kEmail, "email"},
    {ActivityType::kMeeting, "meeting"},
    {ActivityType::kNote, "note"}};
constexpr std::pair<DealStage, std::string_view> kDealStages[] = {
    {DealStage::kOpen, "open"}, {DealStage::kWon, "won"}, {DealStage::kLost, "lost"}};

bool IsSpace(unsigned char c) {
  return std::isspace(c) != 0;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Checks that text is well-formed UTF-8 and has no control characters other than tab and
// newline. Overlong forms, UTF-16 surrogates and code points past U+10FFFF are ill-formed
// (RFC 3629); rejecting overlong forms also stops "\xC0\x80" from smuggling a NUL through.
bool CleanText(std::string_view s, bool allow_newlines) {
  std::size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c < 0x20 || c == 0x7f) {
        if (!(allow_newlines && (c == '\n' || c == '\r' || c == '\t'))) return false;
      }
      ++i;
      continue;
    }
    int extra = (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xe ? 2 : (c >> 3) == 0x1e ? 3 : -1;
    if (extra < 0) return false;
    if (i + static_cast<std::size_t>(extra) >= s.size()) return false;
    char32_t cp = c & (0x3f >> extra);
    for (int k = 1; k <= extra; ++k) {
      unsigned char cc = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
      if ((cc >> 6) != 0x2) return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    constexpr char32_t kMinForLength[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMinForLength[extra] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      return false;
    }
    i += static_cast<std::size_t>(extra) + 1;
  }
  return true;
}

}  // namespace

bool IsCleanText(std::string_view text, bool multiline) {
  return CleanText(text, multiline);
}

namespace {

Result<void> CheckText(std::string_view field, std::string_view value, std::size_t max,
                       bool required = false, bool multiline = false) {
  if (required && value.empty()) return Fail(Error::Invalid(std::string(field), "is required"));
  if (value.size() > max) {
    return Fail(
        Error::Invalid(std::string(field), "is longer than " + std::to_string(max) + " bytes"));
  }
  if (!CleanText(value, multiline)) {
    return Fail(
        Error::Invalid(std::string(field), "must be UTF-8 text without control characters"));
  }
  return {};
}

Result<void> CheckId(std::string_view field, const std::optional<Id>& id) {
  if (id && *id <= 0) return Fail(Error::Invalid(std::string(field), "must be a positive id"));
  return {};
}

Result<void> CheckCustom(const CustomFields& custom) {
  if (custom.size() > kMaxCustomFields) {
    return Fail(
        Error::Invalid("custom", "has more than " + std::to_string(kMaxCustomFields) + " fields"));
  }
  for (const auto& [k, v] : custom) {
    if (k.empty()) return Fail(Error::Invalid("custom", "field names must not be empty"));
    if (auto r = CheckText("custom." + k, k, 128); !r) return r;
    if (auto r = CheckText("custom." + k, v, 4096, false, true); !r) return r;
  }
  return {};
}

}  // namespace

std::string_view ToString(Role r) {
  return ToTable(r, kRoles);
}
std::optional<Role> RoleFromString(std::string_view t) {
  return FromTable(t, kRoles);
}
std::string_view ToString(TeamFunction f) {
  return ToTable(f, kFunctions);
}
std::optional<TeamFunction> TeamFunctionFromString(std::string_view t) {
  return FromTable(t, kFunctions);
}
std::string_view ToString(ActivityType t) {
  return ToTable(t, kActivityTypes);
}
std::optional<ActivityType> ActivityTypeFromString(std::string_view t) {
  return FromTable(t, kActivityTypes);
}
std::string_view ToString(DealStage s) {
  return ToTable(s, kDealStages);
}
std::optional<DealStage> DealStageFromString(std::string_view t) {
  return FromTable(t, kDealStages);
}

Result<std::string> NormalizeEmail(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (char c : raw) {
    if (!IsSpace(static_cast<unsigned char>(c))) out.push_back(c);
  }
  out = Lower(out);
  if (out.empty()) return Fail(Error::Invalid("email", "is required"));
  if (out.size() > 254) return Fail(Error::Invalid("email", "is longer than 254 characters"));
  auto at = out.find('@');
  if (at == std::string::npos || at == 0 || out.find('@', at + 1) != std::string::npos) {
    return Fail(Error::Invalid("email", "must look like name@example.com"));
  }
  std::string_view local(out.data(), at);
  std::string_view domain(out.data() + at + 1, out.size() - at - 1);
  if (local.size() > 64) return Fail(Error::Invalid("email", "local part is too long"));
  auto dot = domain.rfind('.');
  if (domain.empty() || dot == std::string_view::npos || dot == 0 || dot + 1 >= domain.size() ||
      domain.find("..") != std::string_view::npos || domain.front() == '-' ||
      domain.front() == '.') {
    return Fail(Error::Invalid("email", "must look like name@example.com"));
  }
  static constexpr std::string_view kLocalExtra = "!#$%&'*+/=?^_`{|}~.-";
  for (char c : local) {
    unsigned char u = static_cast<unsigned char>(c);
    if (!(std::isalnum(u) || kLocalExtra.find(c) != std::string_view::npos || u >= 0x80)) {
      return Fail(Error::Invalid("email", "has a character not allowed in an address"));
    }
  }
  for (char c : domain) {
    unsigned char u = static_cast<unsigned char>(c);
    if (!(std::isalnum(u) || c == '-' || c == '.' || u >= 0x80)) {
      return Fail(Error::Invalid("email", "has a character not allowed in a domain"));
    }
  }
  if (!CleanText(out, false)) return Fail(Error::Invalid("email", "must be UTF-8 text"));
  return out;
}

Result<std::string> NormalizeCountry(std::string_view raw, std::string_view field) {
  std::string out;
  for (char c : raw) {
    if (!IsSpace(static_cast<unsigned char>(c))) {
      out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    }
  }
  if (out.empty()) return out;
  if (out.size() != 2 || !std::isalpha(static_cast<unsigned char>(out[0])) ||
      !std::isalpha(static_cast<unsigned char>(out[1]))) {
    return Fail(Error::Invalid(std::string(field), "must be a two-letter ISO 3166 country code"));
  }
  return out;
}

Result<std::string> NormalizeCurrency(std::string_view raw) {
  std::string out;
  for (char c : raw) out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  if (out.size() != 3 ||
      !std::all_of(out.begin(), out.end(), [](unsigned char c) { return c >= 'A' && c <= 'Z'; })) {
    return Fail(Error::Invalid("currency", "must be a three-letter ISO 4217 code such as EUR"));
  }
  return out;
}

Result<std::string> NormalizeDomain(std::string_view raw) {
  std::string s = Lower(raw);
  s.erase(std::remove_if(s.begin(), s.end(), [](unsigned char c) { return IsSpace(c); }), s.end());
  if (auto p = s.find("://"); p != std::string::npos) s = s.substr(p + 3);
  if (auto p = s.find_first_of("/?#"); p != std::string::npos) s.resize(p);
  if (s.rfind("www.", 0) == 0) s = s.substr(4);
  if (s.empty()) return s;
  if (s.size() > 253 || s.find('.') == std::string::npos || s.front() == '.' || s.back() == '.' ||
      !std::all_of(s.begin(), s.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '-' || c == '.' || c >= 0x80;
      })) {
    return Fail(Error::Invalid("domain", "must be a domain name such as acme.example"));
  }
  return s;
}

Result<void> Validate(const Contact& c) {
  TANDEM_TRY(NormalizeEmail(c.email));
  TANDEM_TRY(CheckText("first_name", c.first_name, kShortTextMax));
  TANDEM_TRY(CheckText("last_name", c.last_name, kShortTextMax));
  TANDEM_TRY(CheckText("phone", c.phone, 64));
  TANDEM_TRY(CheckText("title", c.title, kShortTextMax));
  TANDEM_TRY(CheckText("source", c.source, 128));
  TANDEM_TRY(CheckText("campaign", c.campaign, kShortTextMax));
  TANDEM_TRY(NormalizeCountry(c.country));
  TANDEM_TRY(CheckId("company_id", c.company_id));
  TANDEM_TRY(CheckId("owner_id", c.owner_id));
  TANDEM_TRY(CheckCustom(c.custom));
  return {};
}

Result<void> Validate(const Company& c) {
  TANDEM_TRY(CheckText("name", c.name, kShortTextMax, /*required=*/true));
  TANDEM_TRY(NormalizeDomain(c.domain));
  TANDEM_TRY(CheckText("industry", c.industry, 128));
  if (c.employees && *c.employees < 0) {
    return Fail(Error::Invalid("employees", "must not be negative"));
  }
  TANDEM_TRY(NormalizeCountry(c.country));
  TANDEM_TRY(CheckId("owner_id", c.owner_id));
  TANDEM_TRY(CheckCustom(c.custom));
  return {};
}

Result<void> Validate(const User& u) {
  TANDEM_TRY(NormalizeEmail(u.email));
  TANDEM_TRY(CheckText("name", u.name, kShortTextMax, /*required=*/true));
  TANDEM_TRY(CheckId("team_id", u.team_id));
  return {};
}

Result<void> Validate(const Team& t) {
  TANDEM_TRY(CheckText("name", t.name, kShortTextMax, /*required=*/true));
  TANDEM_TRY(CheckText("region", t.region, 128));
  TANDEM_TRY(CheckId("manager_id", t.manager_id));
  return {};
}

Result<void> Validate(const Activity& a) {
  if (!a.contact_id && !a.deal_id) {
    return Fail(Error::Invalid("contact_id", "an activity needs a contact_id or a deal_id"));
  }
  TANDEM_TRY(CheckId("contact_id", a.contact_id));
  TANDEM_TRY(CheckId("deal_id", a.deal_id));
  if (a.owner_id <= 0) return Fail(Error::Invalid("owner_id", "must be a positive id"));
  TANDEM_TRY(CheckText("subject", a.subject, kShortTextMax));
  TANDEM_TRY(CheckText("outcome", a.outcome, 128));
  TANDEM_TRY(CheckText("body", a.body, kLongTextMax, false, /*multiline=*/true));
  if (a.duration_minutes && (*a.duration_minutes < 0 || *a.duration_minutes > 24 * 60)) {
    return Fail(Error::Invalid("duration_minutes", "must be between 0 and 1440"));
  }
  return {};
}

Result<void> Validate(const Deal& d) {
  TANDEM_TRY(CheckText("title", d.title, kShortTextMax, /*required=*/true));
  TANDEM_TRY(CheckId("contact_id", d.contact_id));
  TANDEM_TRY(CheckId("company_id", d.company_id));
  TANDEM_TRY(CheckId("owner_id", d.owner_id));
  if (d.amount_minor < 0) return Fail(Error::Invalid("amount", "must not be negative"));
  TANDEM_TRY(NormalizeCurrency(d.currency));
  if (d.stage == DealStage::kLost) {
    TANDEM_TRY(CheckText("lost_reason", d.lost_reason, kShortTextMax, /*required=*/true));
  } else {
    TANDEM_TRY(CheckText("lost_reason", d.lost_reason, kShortTextMax));
  }
  return {};
}

std::string EncodeCustomFields(const CustomFields& fields) {
  std::string out;
  auto put = [&out](std::string_view s) {
    for (char c : s) {
      if (c == '\\' || c == '=') {
        out.push_back('\\');
        out.push_back(c);
      } else if (c == '\n') {
        out += "\\n";
      } else {
        out.push_back(c);
      }
    }
  };
  for (const auto& [k, v] : fields) {
    put(k);
    out.push_back('=');
    put(v);
    out.push_back('\n');
  }
  return out;
}

CustomFields DecodeCustomFields(std::string_view text) {
  CustomFields out;
  std::string key, value;
  std::string* cur = &key;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\\' && i + 1 < text.size()) {
      char n = text[++i];
      cur->push_back(n == 'n' ? '\n' : n);
    } else if (c == '=' && cur == &key) {
      cur = &value;
    } else if (c == '\n') {
      out[key] = value;
      key.clear();
      value.clear();
      cur = &key;
    } else {
      cur->push_back(c);
    }
  }
  if (!key.empty()) out[key] = value;
  return out;
}

}  // namespace tandem::core
