#include "core/contact_import.hpp"

#include "core/import_mapping.hpp"
#include "core/privacy.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace tandem::core::imports {

using namespace std::chrono;

namespace {

struct Alias {
  std::string_view name;  // lower case
  Field field;
  std::string_view custom = {};
};

// Names every export uses in some form.
constexpr Alias kCommon[] = {
    {"email", Field::kEmail},           {"e-mail", Field::kEmail},
    {"email address", Field::kEmail},   {"first name", Field::kFirstName},
    {"last name", Field::kLastName},    {"name", Field::kFullName},
    {"full name", Field::kFullName},    {"phone", Field::kPhone},
    {"phone number", Field::kPhone},    {"title", Field::kTitle},
    {"job title", Field::kTitle},       {"company", Field::kCompany},
    {"company name", Field::kCompany},  {"owner", Field::kOwner},
    {"country", Field::kCountry},       {"source", Field::kSource},
    {"lead source", Field::kSource},    {"campaign", Field::kCampaign},
    {"lifecycle stage", Field::kStage}, {"stage", Field::kStage},
    {"created", Field::kCreatedAt},     {"created at", Field::kCreatedAt},
    {"create date", Field::kCreatedAt}, {"created date", Field::kCreatedAt},
    {"consent", Field::kConsent},
};

constexpr Alias kHubSpot[] = {
    {"record id", Field::kExternalId},
    {"contact id", Field::kExternalId},
    {"hs_object_id", Field::kExternalId},
    {"firstname", Field::kFirstName},
    {"lastname", Field::kLastName},
    {"phone", Field::kPhone},
    {"jobtitle", Field::kTitle},
    {"contact owner", Field::kOwner},
    {"hubspot_owner_id", Field::kOwner},
    {"associated company", Field::kCompany},
    {"lifecyclestage", Field::kStage},
    {"lead status", Field::kLeadStatus},
    {"hs_lead_status", Field::kLeadStatus},
    {"createdate", Field::kCreatedAt},
    {"country/region", Field::kCountry},
    {"original source", Field::kSource},
    {"hs_analytics_source", Field::kSource},
    {"original source drill-down 2", Field::kCampaign},
    {"became a lead date", Field::kBecameLead},
    {"hs_lifecyclestage_lead_date", Field::kBecameLead},
    {"became a marketing qualified lead date", Field::kBecameMql},
    {"hs_lifecyclestage_marketingqualifiedlead_date", Field::kBecameMql},
    {"became a sales qualified lead date", Field::kBecameSql},
    {"hs_lifecyclestage_salesqualifiedlead_date", Field::kBecameSql},
    {"became an opportunity date", Field::kBecameOpportunity},
    {"hs_lifecyclestage_opportunity_date", Field::kBecameOpportunity},
    {"became a customer date", Field::kBecameCustomer},
    {"hs_lifecyclestage_customer_date", Field::kBecameCustomer},
    {"hubspot score", Field::kCustom, "hubspot_score"},
    {"marketing contact status", Field::kCustom, "marketing_contact_status"},
};

constexpr Alias kSalesforce[] = {
    {"id", Field::kExternalId},
    {"firstname", Field::kFirstName},
    {"lastname", Field::kLastName},
    {"company / account", Field::kCompany},
    {"leadsource", Field::kSource},
    {"status", Field::kLeadStatus},
    {"lead status", Field::kLeadStatus},
    {"ownerid", Field::kOwner},
    {"lead owner", Field::kOwner},
    {"isconverted", Field::kIsConverted},
    {"converted", Field::kIsConverted},
    {"converteddate", Field::kConvertedAt},
    {"converted date", Field::kConvertedAt},
    {"createddate", Field::kCreatedAt},
    {"mobilephone", Field::kPhone},
    {"industry", Field::kCustom, "industry"},
    {"rating", Field::kCustom, "rating"},
};

constexpr Alias kPipedrive[] = {
    {"person - name", Field::kFullName},
    {"contact person", Field::kFullName},
    {"person - first name", Field::kFirstName},
    {"person - last name", Field::kLastName},
    {"person - email", Field::kEmail},
    {"person - email (work)", Field::kEmail},
    {"person - email (home)", Field::kEmail},
    {"person - email (other)", Field::kEmail},
    {"person - phone", Field::kPhone},
    {"person - phone (work)", Field::kPhone},
    {"person - phone (mobile)", Field::kPhone},
    {"person - phone (home)", Field::kPhone},
    {"person - job title", Field::kTitle},
    {"organization - name", Field::kCompany},
    {"organization", Field::kCompany},
    {"person - owner", Field::kOwner},
    {"deal - owner", Field::kOwner},
    {"person - person created", Field::kCreatedAt},
    {"deal - deal created", Field::kCreatedAt},
    {"deal - status", Field::kDealStatus},
    {"deal - status (open/won/lost)", Field::kDealStatus},
    {"deal - won time", Field::kDealWonAt},
    {"deal - lost time", Field::kDealLostAt},
    {"deal - lost reason", Field::kDealLostReason},
    {"deal - title", Field::kCustom, "deal_title"},
    {"deal - value", Field::kCustom, "deal_value"},
    {"deal - currency of value", Field::kCustom, "deal_currency"},
    {"deal - currency", Field::kCustom, "deal_currency"},
    {"deal - stage", Field::kCustom, "deal_stage"},
    {"deal - expected close date", Field::kCustom, "deal_expected_close"},
    {"deal - probability", Field::kCustom, "deal_probability"},
    {"person - label", Field::kCustom, "label"},
};

struct FieldCode {
  Field field;
  std::string_view code;
};
constexpr FieldCode kFieldCodes[] = {
    {Field::kIgnore, "ignore"},
    {Field::kExternalId, "external_id"},
    {Field::kEmail, "email"},
    {Field::kFirstName, "first_name"},
    {Field::kLastName, "last_name"},
    {Field::kFullName, "full_name"},
    {Field::kPhone, "phone"},
    {Field::kTitle, "title"},
    {Field::kCompany, "company"},
    {Field::kOwner, "owner"},
    {Field::kStage, "stage"},
    {Field::kLeadStatus, "lead_status"},
    {Field::kSource, "source"},
    {Field::kCampaign, "campaign"},
    {Field::kCountry, "country"},
    {Field::kCreatedAt, "created_at"},
    {Field::kBecameLead, "became_lead_at"},
    {Field::kBecameMql, "became_mql_at"},
    {Field::kBecameSal, "became_sal_at"},
    {Field::kBecameSql, "became_sql_at"},
    {Field::kBecameOpportunity, "became_opportunity_at"},
    {Field::kBecameCustomer, "became_customer_at"},
    {Field::kIsConverted, "is_converted"},
    {Field::kConvertedAt, "converted_at"},
    {Field::kDealStatus, "deal_status"},
    {Field::kDealWonAt, "deal_won_at"},
    {Field::kDealLostAt, "deal_lost_at"},
    {Field::kDealLostReason, "deal_lost_reason"},
    {Field::kConsent, "consent"},
    {Field::kCustom, "custom"},
};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

template <std::size_t N>
const Alias* Find(const Alias (&table)[N], std::string_view lower) {
  for (const Alias& a : table) {
    if (a.name == lower) return &a;
  }
  return nullptr;
}

const Alias* FindFor(Preset p, std::string_view lower) {
  const Alias* a = nullptr;
  switch (p) {
    case Preset::kHubSpot: a = Find(kHubSpot, lower); break;
    case Preset::kSalesforce: a = Find(kSalesforce, lower); break;
    case Preset::kPipedrive: a = Find(kPipedrive, lower); break;
    case Preset::kGeneric: break;
  }
  return a ? a : Find(kCommon, lower);
}

template <std::size_t N>
int CountMatches(const Alias (&table)[N], const std::vector<std::string>& lower_headers) {
  int n = 0;
  for (const auto& h : lower_headers) n += Find(table, h) != nullptr;
  return n;
}

bool IsDateField(Field f) {
  switch (f) {
    case Field::kCreatedAt:
    case Field::kBecameLead:
    case Field::kBecameMql:
    case Field::kBecameSal:
    case Field::kBecameSql:
    case Field::kBecameOpportunity:
    case Field::kBecameCustomer:
    case Field::kConvertedAt:
    case Field::kDealWonAt:
    case Field::kDealLostAt: return true;
    default: return false;
  }
}

// Reads 1+ digits; false when none.
bool Number(std::string_view s, std::size_t& pos, int max_digits, int& out) {
  std::size_t start = pos;
  int v = 0;
  while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9' &&
         pos - start < static_cast<std::size_t>(max_digits)) {
    v = v * 10 + (s[pos] - '0');
    ++pos;
  }
  out = v;
  return pos > start;
}

std::optional<Instant> MakeInstant(int y, int m, int d, int hh, int mm, int ss) {
  year_month_day ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || hh > 23 || mm > 59 || ss > 60) return std::nullopt;
  return Instant{sys_days{ymd}} + hours{hh} + minutes{mm} + seconds{ss};
}

// " H:MM[:SS][ AM|PM]" after a date; true when the rest is empty or a valid time.
bool ParseTime(std::string_view s, std::size_t pos, int& hh, int& mm, int& ss) {
  hh = mm = ss = 0;
  if (pos == s.size()) return true;
  if (s[pos] != ' ' && s[pos] != 'T') return false;
  while (pos < s.size() && (s[pos] == ' ' || s[pos] == 'T')) ++pos;
  if (!Number(s, pos, 2, hh) || pos >= s.size() || s[pos] != ':') return false;
  ++pos;
  std::size_t before = pos;
  if (!Number(s, pos, 2, mm) || pos - before != 2) return false;
  if (pos < s.size() && s[pos] == ':') {
    ++pos;
    before = pos;
    if (!Number(s, pos, 2, ss) || pos - before != 2) return false;
  }
  while (pos < s.size() && s[pos] == ' ') ++pos;
  if (pos == s.size()) return hh <= 23;
  std::string ampm = Lower(s.substr(pos));
  if (ampm != "am" && ampm != "pm") return false;
  if (hh < 1 || hh > 12) return false;
  if (ampm == "am" && hh == 12) hh = 0;
  if (ampm == "pm" && hh != 12) hh += 12;
  return true;
}

// The first address of a cell that may hold several ("a@x.example, b@y.example").
std::string_view FirstOfList(std::string_view s) {
  auto cut = s.find_first_of(",;");
  return Trim(cut == std::string_view::npos ? s : s.substr(0, cut));
}

std::string SourceCode(std::string_view raw) {
  // "Organic Search" and "ORGANIC_SEARCH" both become "organic_search".
  std::string out;
  for (char c : raw) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == ' ' || c == '-') {
      if (!out.empty() && out.back() != '_') out.push_back('_');
    } else {
      out.push_back(static_cast<char>(std::tolower(u)));
    }
  }
  return out;
}

std::optional<bool> Truthy(std::string_view v) {
  std::string l = Lower(Trim(v));
  if (l == "true" || l == "1" || l == "yes" || l == "y") return true;
  if (l == "false" || l == "0" || l == "no" || l == "n" || l.empty()) return false;
  return std::nullopt;
}

int PathRank(Stage s) {
  switch (s) {
    case Stage::kVisitor: return 0;
    case Stage::kLead: return 1;
    case Stage::kMql: return 2;
    case Stage::kSal: return 3;
    case Stage::kSql: return 4;
    case Stage::kOpportunity: return 5;
    case Stage::kCustomer: return 6;
    default: return -1;
  }
}

}  // namespace

std::string_view ToString(Field f) {
  for (const auto& fc : kFieldCodes) {
    if (fc.field == f) return fc.code;
  }
  return "ignore";
}

std::optional<ColumnTarget> TargetFromString(std::string_view text) {
  const std::string_view trimmed = Trim(text);
  std::string l = Lower(trimmed);
  if (l.rfind("custom:", 0) == 0) {
    std::string name(Trim(std::string_view(l).substr(7)));
    if (name.empty()) return std::nullopt;
    return ColumnTarget{Field::kCustom, name, {}};
  }
  if (l.rfind("consent:", 0) == 0) {
    std::string purpose(Trim(trimmed.substr(8)));
    if (purpose.empty() || purpose.size() > kMaxConsentPurpose) return std::nullopt;
    return ColumnTarget{Field::kConsent, {}, purpose};
  }
  for (const auto& fc : kFieldCodes) {
    if (fc.code == l && fc.field != Field::kCustom) return ColumnTarget{fc.field, {}, {}};
  }
  return std::nullopt;
}

std::string_view ToString(Preset p) {
  switch (p) {
    case Preset::kGeneric: return "generic";
    case Preset::kHubSpot: return "hubspot";
    case Preset::kSalesforce: return "salesforce";
    case Preset::kPipedrive: return "pipedrive";
  }
  return "generic";
}

std::optional<Preset> PresetFromString(std::string_view text) {
  for (Preset p : {Preset::kGeneric, Preset::kHubSpot, Preset::kSalesforce, Preset::kPipedrive}) {
    if (ToString(p) == text) return p;
  }
  return std::nullopt;
}

std::string_view ToString(DateOrder o) {
  return o == DateOrder::kDayFirst ? "dmy" : "mdy";
}

std::optional<DateOrder> DateOrderFromString(std::string_view text) {
  if (text == "mdy") return DateOrder::kMonthFirst;
  if (text == "dmy") return DateOrder::kDayFirst;
  return std::nullopt;
}

std::string FoldKey(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == ' ' || c == '_' || c == '-' || c == '/' || c == '\t') continue;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

Result<Mapping> MapColumns(const std::vector<std::string_view>& header,
                           std::optional<Preset> preset, const MappingOverrides& overrides,
                           std::vector<bool>* overridden) {
  Mapping m;
  std::vector<std::string> lower;
  for (auto h : header) {
    m.headers.emplace_back(Trim(h));
    lower.push_back(Lower(Trim(h)));
  }
  if (!preset) preset = overrides.preset;
  if (preset) {
    m.preset = *preset;
  } else {
    const std::array<std::pair<Preset, int>, 3> scores = {{
        {Preset::kHubSpot, CountMatches(kHubSpot, lower)},
        {Preset::kSalesforce, CountMatches(kSalesforce, lower)},
        {Preset::kPipedrive, CountMatches(kPipedrive, lower)},
    }};
    int best = 0;
    bool tie = false;
    for (const auto& [p, score] : scores) {
      if (score > best) {
        best = score;
        m.preset = p;
        tie = false;
      } else if (score == best && score > 0) {
        tie = true;
      }
    }
    if (tie || best == 0) m.preset = Preset::kGeneric;
    m.preset_detected = true;
  }
  m.date_order = overrides.date_order.value_or(DateOrder::kMonthFirst);

  std::map<std::string, ColumnTarget> by_header;
  for (const auto& [h, target] : overrides.columns) {
    by_header[Lower(Trim(h))] = target;
    if (std::find(lower.begin(), lower.end(), Lower(Trim(h))) == lower.end()) {
      return Fail(Error::Invalid(
          "mapping", "the mapping names a column \"" + h + "\" that the file does not have"));
    }
  }
  for (std::size_t i = 0; i < lower.size(); ++i) {
    ColumnTarget t;
    bool named = false;
    if (auto it = by_header.find(lower[i]); it != by_header.end()) {
      t = it->second;
      named = true;
    } else if (const Alias* a = FindFor(m.preset, lower[i])) {
      t = ColumnTarget{a->field, std::string(a->custom), {}};
    }
    if (t.field == Field::kIgnore && !lower[i].empty()) m.unmapped.push_back(m.headers[i]);
    m.columns.push_back(std::move(t));
    if (overridden) overridden->push_back(named);
  }
  for (const auto& [k, v] : overrides.owners) m.owners[Lower(Trim(k))] = v;
  for (const auto& [k, v] : overrides.stages) m.stages[FoldKey(k)] = v;
  return m;
}

bool HasEmailColumn(const Mapping& m) {
  return std::any_of(m.columns.begin(), m.columns.end(),
                     [](const ColumnTarget& t) { return t.field == Field::kEmail; });
}

std::string TargetCode(const ColumnTarget& t) {
  if (t.field == Field::kCustom) return "custom:" + t.custom_name;
  if (t.field == Field::kConsent && !t.purpose.empty()) return "consent:" + t.purpose;
  return std::string(ToString(t.field));
}

std::vector<std::string> TargetCodes() {
  std::vector<std::string> out;
  for (int f = static_cast<int>(Field::kIgnore); f < static_cast<int>(Field::kCustom); ++f) {
    out.emplace_back(ToString(static_cast<Field>(f)));
  }
  return out;
}

Result<Mapping> BuildMapping(const std::vector<std::string_view>& header,
                             std::optional<Preset> preset, const MappingOverrides& overrides) {
  TANDEM_ASSIGN(Mapping m, MapColumns(header, preset, overrides));
  if (!HasEmailColumn(m)) {
    std::string seen;
    for (std::size_t i = 0; i < m.headers.size() && i < 12; ++i) {
      seen += (i ? ", " : "") + m.headers[i];
    }
    return Fail(
        Error::Invalid("mapping", "no column gives the email (headers: " + seen +
                                      "); name it in the mapping file's [columns] as \"email\""));
  }
  return m;
}

std::optional<Instant> ParseImportDate(std::string_view raw, DateOrder order) {
  std::string_view s = Trim(raw);
  if (s.empty()) return std::nullopt;
  if (s.size() >= 10 && s[4] == '-') return ParseInstant(s);
  if (std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    std::int64_t v = 0;
    for (char c : s) v = v * 10 + (c - '0');
    if (s.size() == 13) return FromMillis(v);
    if (s.size() == 10) return FromMillis(v * 1000);
    return std::nullopt;
  }
  std::size_t pos = 0;
  int a = 0, b = 0, c = 0;
  std::size_t a_start = pos;
  if (!Number(s, pos, 4, a) || pos >= s.size()) return std::nullopt;
  const std::size_t a_len = pos - a_start;
  const char sep = s[pos];
  if (sep != '/' && sep != '.') return std::nullopt;
  ++pos;
  if (!Number(s, pos, 2, b) || pos >= s.size() || s[pos] != sep) return std::nullopt;
  ++pos;
  std::size_t c_start = pos;
  if (!Number(s, pos, 4, c)) return std::nullopt;
  const std::size_t c_len = pos - c_start;
  int y = 0, m = 0, d = 0;
  if (a_len == 4 && sep == '/') {
    y = a, m = b, d = c;
    if (c_len > 2) return std::nullopt;
  } else {
    if (a_len > 2 || c_len != 4) return std::nullopt;
    y = c;
    bool day_first = sep == '.' || order == DateOrder::kDayFirst;
    if (sep == '/') {
      if (a > 12) day_first = true;
      if (b > 12) day_first = false;
    }
    m = day_first ? b : a;
    d = day_first ? a : b;
  }
  int hh = 0, mm = 0, ss = 0;
  if (!ParseTime(s, pos, hh, mm, ss)) return std::nullopt;
  return MakeInstant(y, m, d, hh, mm, ss);
}

std::optional<Stage> StageFromImportValue(std::string_view value, const Mapping& mapping) {
  const std::string key = FoldKey(value);
  if (auto it = mapping.stages.find(key); it != mapping.stages.end()) return it->second;
  if (auto s = StageFromString(key)) return s;
  static const std::pair<std::string_view, Stage> kKnown[] = {
      // HubSpot lifecycle stages, labels and internal names folded alike.
      {"subscriber", Stage::kLead},
      {"other", Stage::kLead},
      {"marketingqualifiedlead", Stage::kMql},
      {"salesacceptedlead", Stage::kSal},
      {"salesqualifiedlead", Stage::kSql},
      {"evangelist", Stage::kCustomer},
      // Salesforce lead statuses (the default picklist).
      {"opennotcontacted", Stage::kLead},
      {"new", Stage::kLead},
      {"open", Stage::kLead},
      {"workingcontacted", Stage::kSal},
      {"working", Stage::kSal},
      {"contacted", Stage::kSal},
      {"qualified", Stage::kSql},
      {"closedconverted", Stage::kOpportunity},
      {"converted", Stage::kOpportunity},
      {"closednotconverted", Stage::kDisqualified},
      {"unqualified", Stage::kDisqualified},
      // Pipedrive deal statuses.
      {"won", Stage::kCustomer},
      {"lost", Stage::kRecycled},
  };
  for (const auto& [k, s] : kKnown) {
    if (k == key) return s;
  }
  return std::nullopt;
}

std::optional<ImportedContact> ConvertRow(const Mapping& mapping,
                                          const std::vector<std::string_view>& cells,
                                          std::vector<CellError>& errors) {
  const std::size_t errors_before = errors.size();
  ImportedContact out;
  Contact& c = out.contact;
  std::string full_name;
  std::string lead_status;
  int lead_status_column = -1;
  std::optional<Instant> converted_at;
  bool converted = false;
  std::string deal_status;
  int deal_status_column = -1;
  std::optional<Instant> won_at, lost_at;
  std::string lost_reason;
  int email_column = -1;
  std::string raw_email;

  auto fill = [&](std::string& target, std::string_view value, int column) {
    if (target.empty()) {
      target = std::string(value);
      out.filled_columns.push_back(column);
    }
  };
  const std::size_t n = std::min(cells.size(), mapping.columns.size());
  for (std::size_t i = 0; i < n; ++i) {
    const ColumnTarget& t = mapping.columns[i];
    if (t.field == Field::kIgnore) continue;
    const std::string_view v = Trim(cells[i]);
    if (v.empty()) continue;
    const int col = static_cast<int>(i);
    std::optional<Instant> date;
    if (IsDateField(t.field)) {
      date = ParseImportDate(v, mapping.date_order);
      if (!date) {
        errors.push_back({col, "\"" + std::string(v.substr(0, 40)) + "\" is not a date"});
        continue;
      }
    }
    switch (t.field) {
      case Field::kIgnore: break;
      case Field::kExternalId: fill(c.custom["external_id"], v, col); break;
      case Field::kEmail:
        if (raw_email.empty()) {
          raw_email = std::string(FirstOfList(v));
          email_column = col;
        }
        break;
      case Field::kFirstName: fill(c.first_name, v, col); break;
      case Field::kLastName: fill(c.last_name, v, col); break;
      case Field::kFullName: fill(full_name, v, col); break;
      case Field::kPhone: fill(c.phone, FirstOfList(v), col); break;
      case Field::kTitle: fill(c.title, v, col); break;
      case Field::kCompany: fill(out.company_name, v, col); break;
      case Field::kOwner:
        if (out.owner.empty()) {
          out.owner = std::string(v);
          out.owner_column = col;
        }
        break;
      case Field::kStage: {
        if (out.stage) break;
        auto s = StageFromImportValue(v, mapping);
        if (!s) {
          errors.push_back({col, "unknown lifecycle stage \"" + std::string(v.substr(0, 60)) +
                                     "\"; map it in the mapping file's [stages]"});
          break;
        }
        out.stage = s;
        if (RequiresReason(*s)) out.stage_reason = "imported as " + std::string(v);
        break;
      }
      case Field::kLeadStatus:
        if (lead_status.empty()) {
          lead_status = std::string(v);
          lead_status_column = col;
          c.custom["lead_status"] = lead_status;
        }
        break;
      case Field::kSource:
        if (c.source.empty()) {
          c.source = SourceCode(v);
          out.filled_columns.push_back(col);
        }
        break;
      case Field::kCampaign: fill(c.campaign, v, col); break;
      case Field::kCountry:
        if (v.size() == 2) {
          auto country = NormalizeCountry(v);
          if (!country) {
            errors.push_back({col, country.error().message});
          } else {
            fill(c.country, *country, col);
          }
        } else {
          fill(c.custom["country_name"], v, col);
        }
        break;
      case Field::kCreatedAt:
        if (!out.created_at) out.created_at = date;
        break;
      case Field::kBecameLead: out.milestones.emplace_back(Stage::kLead, *date); break;
      case Field::kBecameMql: out.milestones.emplace_back(Stage::kMql, *date); break;
      case Field::kBecameSal: out.milestones.emplace_back(Stage::kSal, *date); break;
      case Field::kBecameSql: out.milestones.emplace_back(Stage::kSql, *date); break;
      case Field::kBecameOpportunity:
        out.milestones.emplace_back(Stage::kOpportunity, *date);
        break;
      case Field::kBecameCustomer: out.milestones.emplace_back(Stage::kCustomer, *date); break;
      case Field::kIsConverted: {
        auto b = Truthy(v);
        if (!b) {
          errors.push_back({col, "\"" + std::string(v.substr(0, 40)) + "\" is not true or false"});
        } else {
          converted = *b;
        }
        break;
      }
      case Field::kConvertedAt: converted_at = date; break;
      case Field::kDealStatus:
        deal_status = std::string(v);
        deal_status_column = col;
        break;
      case Field::kDealWonAt: won_at = date; break;
      case Field::kDealLostAt: lost_at = date; break;
      case Field::kDealLostReason: lost_reason = std::string(v); break;
      case Field::kConsent: {
        auto given = ParseConsentCell(v);
        if (!given) {
          errors.push_back({col, given.error().message});
        } else if (*given) {
          out.consents.push_back(
              {col, t.purpose.empty() ? std::string(kDefaultConsentPurpose) : t.purpose});
        }
        break;
      }
      case Field::kCustom: fill(c.custom[t.custom_name], v, col); break;
    }
  }

  if (raw_email.empty()) {
    errors.push_back({email_column, "email is required"});
  } else {
    auto email = NormalizeEmail(raw_email);
    if (!email) {
      errors.push_back({email_column, "\"" + raw_email.substr(0, 80) +
                                          "\" is not an email: " + email.error().message});
    } else {
      c.email = *email;
    }
  }
  if (!full_name.empty() && c.first_name.empty() && c.last_name.empty()) {
    auto space = full_name.rfind(' ');
    if (space == std::string::npos) {
      c.first_name = full_name;
    } else {
      c.first_name = std::string(Trim(std::string_view(full_name).substr(0, space)));
      c.last_name = std::string(Trim(std::string_view(full_name).substr(space + 1)));
    }
  }
  // Statuses that stand for a stage when the file gives none.
  if (!out.stage && !lead_status.empty() && mapping.preset == Preset::kSalesforce) {
    out.stage = StageFromImportValue(lead_status, mapping);
    if (out.stage && RequiresReason(*out.stage)) out.stage_reason = "imported as " + lead_status;
    (void)lead_status_column;
  }
  if (converted) {
    if (converted_at || out.created_at) {
      out.milestones.emplace_back(Stage::kOpportunity,
                                  converted_at ? *converted_at : *out.created_at);
    }
    if (!out.stage || PathRank(*out.stage) < PathRank(Stage::kOpportunity)) {
      out.stage = Stage::kOpportunity;
      out.stage_reason.clear();
    }
  }
  if (!deal_status.empty()) {
    const std::string key = FoldKey(deal_status);
    if (key == "open") {
      if (!out.stage) out.stage = Stage::kOpportunity;
    } else if (key == "won") {
      out.stage = Stage::kCustomer;
      if (won_at) out.milestones.emplace_back(Stage::kCustomer, *won_at);
    } else if (key == "lost") {
      out.stage = Stage::kRecycled;
      out.stage_reason = lost_reason.empty() ? "deal lost" : "deal lost: " + lost_reason;
      if (lost_at) out.milestones.emplace_back(Stage::kRecycled, *lost_at);
    } else {
      errors.push_back({deal_status_column, "deal status \"" + deal_status.substr(0, 40) +
                                                "\" is not open, won or lost"});
    }
    if (key == "won" || key == "lost") {
      // A won or lost deal was an opportunity first (from its creation when known).
      if (out.created_at) out.milestones.emplace_back(Stage::kOpportunity, *out.created_at);
    }
  }
  // Checks of the record itself (lengths, control characters), reported on their column.
  if (errors.size() == errors_before) {
    if (auto v = Validate(c); !v) errors.push_back({-1, v.error().field + " " + v.error().message});
  }
  if (errors.size() != errors_before) return std::nullopt;
  std::stable_sort(out.milestones.begin(), out.milestones.end(), [](const auto& a, const auto& b) {
    int ra = PathRank(a.first), rb = PathRank(b.first);
    if (ra < 0) ra = 100;  // side exits after the main path
    if (rb < 0) rb = 100;
    return ra < rb;
  });
  return out;
}

bool MergeInto(Contact& stored, const ImportedContact& imported) {
  const Contact& in = imported.contact;
  bool changed = false;
  auto take = [&](std::string& to, const std::string& from) {
    if (!from.empty() && to != from) {
      to = from;
      changed = true;
    }
  };
  take(stored.first_name, in.first_name);
  take(stored.last_name, in.last_name);
  take(stored.phone, in.phone);
  take(stored.title, in.title);
  take(stored.source, in.source);
  take(stored.campaign, in.campaign);
  take(stored.country, in.country);
  for (const auto& [k, v] : in.custom) {
    if (v.empty()) continue;
    auto& slot = stored.custom[k];
    if (slot != v) {
      slot = v;
      changed = true;
    }
  }
  return changed;
}

StagePlan PlanStages(const ImportedContact& imported, std::optional<Stage> current,
                     Instant current_at, Instant now, const Actor& actor) {
  // The path the file describes: dated milestones, then the file's stage.
  std::vector<std::pair<Stage, Instant>> path = imported.milestones;
  const Instant origin = imported.created_at.value_or(now);
  if (imported.stage) {
    const Stage s = *imported.stage;
    const int rank = PathRank(s);
    bool covered = false;
    for (const auto& step : path) {
      covered = covered || (rank >= 0 ? PathRank(step.first) >= rank : step.first == s);
    }
    if (!covered) path.emplace_back(s, path.empty() ? origin : path.back().second);
  }
  if (path.empty()) path.emplace_back(Stage::kLead, origin);

  StagePlan plan;
  std::optional<Stage> running = current;
  Instant last = current ? current_at : Instant::min();
  for (const auto& [stage, at_raw] : path) {
    if (running && (*running == stage || !IsAllowedTransition(*running, stage))) continue;
    const Instant at = std::max(at_raw, last);
    StageChange ch;
    ch.from = running;
    ch.to = stage;
    ch.at = at;
    ch.actor = actor;
    ch.cause = "import";
    if (RequiresReason(stage)) {
      ch.reason = imported.stage_reason.empty() ? "imported" : imported.stage_reason;
    }
    plan.changes.push_back(std::move(ch));
    running = stage;
    last = at;
  }
  if (plan.changes.empty()) {
    plan.stage = current.value_or(Stage::kLead);
    plan.entered_at = current_at;
  } else {
    plan.stage = plan.changes.back().to;
    plan.entered_at = plan.changes.back().at;
  }
  return plan;
}

std::string_view ToString(JobStatus s) {
  switch (s) {
    case JobStatus::kQueued: return "queued";
    case JobStatus::kRunning: return "running";
    case JobStatus::kSucceeded: return "succeeded";
    case JobStatus::kFailed: return "failed";
  }
  return "failed";
}

std::optional<JobStatus> JobStatusFromString(std::string_view text) {
  for (JobStatus s :
       {JobStatus::kQueued, JobStatus::kRunning, JobStatus::kSucceeded, JobStatus::kFailed}) {
    if (ToString(s) == text) return s;
  }
  return std::nullopt;
}

}  // namespace tandem::core::imports
