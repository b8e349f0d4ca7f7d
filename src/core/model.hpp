// Tandem's CRM records as plain values: contacts, companies, users, teams, activities, deals.
//
// These are domain values, not storage rows or API documents: the store maps them to tables,
// the API to JSON. Ids are positive 64-bit integers given by the store; 0 means "not stored
// yet". Money is kept in minor units (cents) with an ISO 4217 currency code.
// Validation lives beside the types (model.cpp); it never touches I/O.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/lifecycle.hpp"
#include "core/time.hpp"

namespace tandem::core {

using Id = std::int64_t;

// Contact and company properties beyond the built-in ones (imports, personas).
using CustomFields = std::map<std::string, std::string>;

// ---------------------------------------------------------------------------------------------
// Enumerations, each with one text codec used at every edge (API, SQL CHECK, CLI).

enum class Role : std::uint8_t { kAdmin, kManager, kMarketing, kSales };
std::string_view ToString(Role r);
std::optional<Role> RoleFromString(std::string_view text);

enum class TeamFunction : std::uint8_t { kMarketing, kSales, kRevenue };
std::string_view ToString(TeamFunction f);
std::optional<TeamFunction> TeamFunctionFromString(std::string_view text);

enum class ActivityType : std::uint8_t { kCall, kEmail, kMeeting, kNote };
std::string_view ToString(ActivityType t);
std::optional<ActivityType> ActivityTypeFromString(std::string_view text);

enum class DealStage : std::uint8_t { kOpen, kWon, kLost };
std::string_view ToString(DealStage s);
std::optional<DealStage> DealStageFromString(std::string_view text);

// ---------------------------------------------------------------------------------------------
// Records.

struct Contact {
  Id id = 0;
  std::string email;  // normalised: trimmed, no spaces, lower case; unique among contacts
  std::string first_name;
  std::string last_name;
  std::string phone;
  std::string title;
  std::optional<Id> company_id;
  std::optional<Id> owner_id;  // the user who owns the relationship
  Stage stage = Stage::kLead;
  Instant stage_entered_at{};
  std::string source;    // original source: "organic_search", "paid_social", "event", ...
  std::string campaign;  // original campaign, when known
  std::string country;   // ISO 3166-1 alpha-2, upper case, or empty
  CustomFields custom;
  Instant created_at{};
  Instant updated_at{};
};

struct Company {
  Id id = 0;
  std::string name;
  std::string domain;  // lower case, no scheme: "acme.example"
  std::string industry;
  std::optional<std::int64_t> employees;
  std::string country;
  std::optional<Id> owner_id;
  CustomFields custom;
  Instant created_at{};
  Instant updated_at{};
};

struct User {
  Id id = 0;
  std::string email;
  std::string name;
  Role role = Role::kSales;
  std::optional<Id> team_id;
  bool active = true;
  Instant created_at{};
  Instant updated_at{};
};

struct Team {
  Id id = 0;
  std::string name;
  TeamFunction function = TeamFunction::kSales;
  std::optional<Id> manager_id;
  std::string region;  // a territory label ("EMEA", "North America"); routing uses it later
  Instant created_at{};
  Instant updated_at{};
};

struct Activity {
  Id id = 0;
  ActivityType type = ActivityType::kNote;
  std::optional<Id> contact_id;
  std::optional<Id> deal_id;
  Id owner_id = 0;  // the user who did it
  Instant occurred_at{};
  std::string subject;
  std::string outcome;  // "connected", "no_answer", "left_voicemail", "replied", ... free text
  std::string body;
  std::optional<std::int64_t> duration_minutes;
  Instant created_at{};
  Instant updated_at{};
};

struct Deal {
  Id id = 0;
  std::string title;
  std::optional<Id> contact_id;
  std::optional<Id> company_id;
  std::optional<Id> owner_id;
  std::int64_t amount_minor = 0;  // cents
  std::string currency = "EUR";
  DealStage stage = DealStage::kOpen;
  std::optional<Date> expected_close;
  std::optional<Instant> closed_at;  // set when the deal is won or lost
  std::string lost_reason;           // required when lost
  Instant created_at{};
  Instant updated_at{};
};

// ---------------------------------------------------------------------------------------------
// Validation and normalisation. Each returns kInvalidArgument naming the field.

// Trims, removes every space, lower-cases, then checks the shape local@domain.tld.
Result<std::string> NormalizeEmail(std::string_view raw);
// Upper-cases and checks a two-letter country code; empty stays empty.
Result<std::string> NormalizeCountry(std::string_view raw, std::string_view field = "country");
// Three upper-case letters.
Result<std::string> NormalizeCurrency(std::string_view raw);
// Lower-cases; strips a scheme, "www." and a path.
Result<std::string> NormalizeDomain(std::string_view raw);

// Whether `text` is well-formed UTF-8 without control characters (tab and newlines allowed
// when `multiline`). Overlong forms, surrogates and code points past U+10FFFF are refused.
bool IsCleanText(std::string_view text, bool multiline = false);

// Whole-record checks (lengths, required fields, cross-field rules). Normalising fields is
// done by the caller before, with the functions above.
Result<void> Validate(const Contact& c);
Result<void> Validate(const Company& c);
Result<void> Validate(const User& u);
Result<void> Validate(const Team& t);
Result<void> Validate(const Activity& a);
Result<void> Validate(const Deal& d);

// The longest text Tandem keeps in a short field (names, titles) and in a long one (notes).
inline constexpr std::size_t kShortTextMax = 256;
inline constexpr std::size_t kLongTextMax = 65536;
inline constexpr std::size_t kMaxCustomFields = 200;

// A lossless text form of custom fields for storage ("k=v" lines with \\, \n and = escaped).
std::string EncodeCustomFields(const CustomFields& fields);
CustomFields DecodeCustomFields(std::string_view text);

}  // namespace tandem::core
