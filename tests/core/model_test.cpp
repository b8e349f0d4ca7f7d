#include "core/model.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <random>
#include <string>
#include <vector>

namespace tandem::core {
namespace {

using namespace std::string_literals;

// Asserts that `r` failed with kInvalidArgument on `field`.
template <class R>
::testing::AssertionResult InvalidOn(const R& r, std::string_view field) {
  if (r) return ::testing::AssertionFailure() << "succeeded; expected an error on " << field;
  if (r.error().code != ErrorCode::kInvalidArgument) {
    return ::testing::AssertionFailure()
           << "code " << ToString(r.error().code) << ": " << r.error().message;
  }
  if (r.error().field != field) {
    return ::testing::AssertionFailure() << "field '" << r.error().field << "' ("
                                         << r.error().message << "), expected '" << field << "'";
  }
  return ::testing::AssertionSuccess();
}

// ----- enumerations --------------------------------------------------------------------------

TEST(ModelCodecTest, RoleRoundTripsAndRejectsUnknown) {
  for (Role r : {Role::kAdmin, Role::kManager, Role::kMarketing, Role::kSales}) {
    EXPECT_EQ(RoleFromString(ToString(r)), r);
  }
  EXPECT_EQ(ToString(Role::kMarketing), "marketing");
  EXPECT_EQ(RoleFromString("Admin"), std::nullopt);
  EXPECT_EQ(RoleFromString(""), std::nullopt);
}

TEST(ModelCodecTest, TeamFunctionRoundTripsAndRejectsUnknown) {
  for (TeamFunction f : {TeamFunction::kMarketing, TeamFunction::kSales, TeamFunction::kRevenue}) {
    EXPECT_EQ(TeamFunctionFromString(ToString(f)), f);
  }
  EXPECT_EQ(ToString(TeamFunction::kRevenue), "revenue");
  EXPECT_EQ(TeamFunctionFromString("ops"), std::nullopt);
}

TEST(ModelCodecTest, ActivityTypeRoundTripsAndRejectsUnknown) {
  for (ActivityType t :
       {ActivityType::kCall, ActivityType::kEmail, ActivityType::kMeeting, ActivityType::kNote}) {
    EXPECT_EQ(ActivityTypeFromString(ToString(t)), t);
  }
  EXPECT_EQ(ToString(ActivityType::kMeeting), "meeting");
  EXPECT_EQ(ActivityTypeFromString("sms"), std::nullopt);
}

TEST(ModelCodecTest, DealStageRoundTripsAndRejectsUnknown) {
  for (DealStage s : {DealStage::kOpen, DealStage::kWon, DealStage::kLost}) {
    EXPECT_EQ(DealStageFromString(ToString(s)), s);
  }
  EXPECT_EQ(ToString(DealStage::kLost), "lost");
  EXPECT_EQ(DealStageFromString("closed"), std::nullopt);
}

// ----- NormalizeEmail ------------------------------------------------------------------------

TEST(NormalizeEmailTest, TrimsRemovesSpacesAndLowerCases) {
  EXPECT_EQ(NormalizeEmail(" John.Doe @Example.COM ").value(), "john.doe@example.com");
  EXPECT_EQ(NormalizeEmail("\tJANE@example.com\r\n").value(), "jane@example.com");
  EXPECT_EQ(NormalizeEmail("a b@c d.e f").value(), "ab@cd.ef");
}

TEST(NormalizeEmailTest, AcceptsOrdinaryAddresses) {
  for (std::string s : {"a@b.co", "o'brien+tag@example.co.uk", "first_last@sub-domain.example.com",
                        "x.y-z@mail.example", "!#$%&'*+/=?^_`{|}~-@example.com", "123@456.78"}) {
    auto r = NormalizeEmail(s);
    ASSERT_TRUE(r) << s << ": " << r.error().message;
    EXPECT_EQ(*r, s);
  }
}

TEST(NormalizeEmailTest, IsIdempotent) {
  auto once = NormalizeEmail("  Mixed.Case@Example.ORG");
  ASSERT_TRUE(once);
  EXPECT_EQ(NormalizeEmail(*once).value(), *once);
}

TEST(NormalizeEmailTest, RequiresAnAddress) {
  EXPECT_TRUE(InvalidOn(NormalizeEmail(""), "email"));
  EXPECT_TRUE(InvalidOn(NormalizeEmail("   \t"), "email"));
  EXPECT_EQ(NormalizeEmail("").error().message, "is required");
}

TEST(NormalizeEmailTest, RejectsMalformedShapes) {
  for (std::string s : {
           "john",
           "john.example.com",
           "@example.com",
           "john@",
           "john@example",
           "john@@example.com",
           "jo@hn@example.com",
           "john@example.",
           "john@.com",
           "john@example..com",
           "john@-example.com",
           "john@.example.com",
           "jo(hn)@example.com",
           "jo\"hn@example.com",
           "jo,hn@example.com",
           "john@exa_mple.com",
           "john@exam!ple.com",
           "john@example.com/",
           "<john@example.com>",
       }) {
    EXPECT_TRUE(InvalidOn(NormalizeEmail(s), "email")) << "'" << s << "'";
  }
}

TEST(NormalizeEmailTest, EnforcesLengthLimits) {
  const std::string domain = std::string(185, 'd') + ".com";  // 189 bytes
  const std::string local64(64, 'l');
  EXPECT_TRUE(NormalizeEmail(local64 + "@example.com"));
  EXPECT_TRUE(InvalidOn(NormalizeEmail(local64 + "l@example.com"), "email"));
  ASSERT_EQ((local64 + "@" + domain).size(), 254u);
  EXPECT_TRUE(NormalizeEmail(local64 + "@" + domain));
  EXPECT_TRUE(InvalidOn(NormalizeEmail(local64 + "@d" + domain), "email"));
  // The limit applies after spaces are removed.
  EXPECT_TRUE(NormalizeEmail("   " + local64 + "@" + domain + "   "));
}

TEST(NormalizeEmailTest, AcceptsUtf8) {
  auto r = NormalizeEmail("J\xC3\xB6rg@M\xC3\xBCnchen.example");  // Jörg@München.example
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(*r, "j\xC3\xB6rg@m\xC3\xBCnchen.example");
  EXPECT_TRUE(NormalizeEmail("\xE7\x94\xB0\xE4\xB8\xAD@example.jp"));  // 田中
  EXPECT_TRUE(NormalizeEmail("x\xF0\x9F\x98\x80@example.com"));        // an emoji
}

TEST(NormalizeEmailTest, RejectsInvalidUtf8) {
  for (std::string s : {
           "\xFF@example.com"s,
           "jo\xC3@example.com"s,                // truncated two-byte sequence
           "john@example.co\xC3"s,               // truncated at the very end
           "jo\x80hn@example.com"s,              // lone continuation byte
           "jo\xE2\x82@example.com"s,            // truncated three-byte sequence
           "jo\xC0\xAFhn@example.com"s,          // overlong '/'
           "jo\xC1\xBFhn@example.com"s,          // overlong
           "jo\xE0\x80\xAFhn@example.com"s,      // overlong three-byte '/'
           "jo\xED\xA0\x80hn@example.com"s,      // UTF-16 surrogate half
           "jo\xF4\x90\x80\x80hn@example.com"s,  // beyond U+10FFFF
           "jo\xF5\x80\x80\x80hn@example.com"s,  // invalid lead byte
       }) {
    EXPECT_TRUE(InvalidOn(NormalizeEmail(s), "email")) << ::testing::PrintToString(s);
  }
}

TEST(NormalizeEmailTest, RejectsControlCharacters) {
  for (std::string s : {"jo\x01hn@example.com"s, "john@exam\x7Fple.com"s, "jo\0hn@example.com"s,
                        "john\x1B@example.com"s, "jo\xC0\x80hn@example.com"s /*overlong NUL*/}) {
    EXPECT_TRUE(InvalidOn(NormalizeEmail(s), "email")) << ::testing::PrintToString(s);
  }
}

// ----- NormalizeCountry / NormalizeCurrency / NormalizeDomain --------------------------------

TEST(NormalizeCountryTest, UpperCasesTwoLetterCodes) {
  EXPECT_EQ(NormalizeCountry("fr").value(), "FR");
  EXPECT_EQ(NormalizeCountry(" De ").value(), "DE");
  EXPECT_EQ(NormalizeCountry("US").value(), "US");
}

TEST(NormalizeCountryTest, EmptyStaysEmpty) {
  EXPECT_EQ(NormalizeCountry("").value(), "");
  EXPECT_EQ(NormalizeCountry("  ").value(), "");
}

TEST(NormalizeCountryTest, RejectsAnythingButTwoLetters) {
  for (std::string s :
       {"F"s, "FRA"s, "France"s, "F1"s, "12"s, "F-"s, "\xC3\xA9"s /*é*/, "\xC3\xA9X"s}) {
    EXPECT_TRUE(InvalidOn(NormalizeCountry(s), "country")) << s;
  }
}

TEST(NormalizeCountryTest, NamesTheFieldItWasGiven) {
  EXPECT_TRUE(InvalidOn(NormalizeCountry("XYZ", "billing_country"), "billing_country"));
}

TEST(NormalizeCurrencyTest, UpperCasesThreeLetterCodes) {
  EXPECT_EQ(NormalizeCurrency("eur").value(), "EUR");
  EXPECT_EQ(NormalizeCurrency("Usd").value(), "USD");
  EXPECT_EQ(NormalizeCurrency("GBP").value(), "GBP");
}

TEST(NormalizeCurrencyTest, RejectsAnythingButThreeLetters) {
  for (std::string s : {"", "EU", "EURO", "E1R", "EU$", " EU", "\xE2\x82\xAC" /*€*/}) {
    EXPECT_TRUE(InvalidOn(NormalizeCurrency(s), "currency")) << s;
  }
}

TEST(NormalizeDomainTest, LowerCasesAndStripsSchemeWwwAndPath) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"Acme.Example", "acme.example"},
      {"https://www.acme.example/about?x=1", "acme.example"},
      {"http://acme.example", "acme.example"},
      {"WWW.ACME.EXAMPLE", "acme.example"},
      {"acme.example/path/to", "acme.example"},
      {"acme.example?q=1", "acme.example"},
      {"acme.example#top", "acme.example"},
      {"  sub.acme.example  ", "sub.acme.example"},
      {"m\xC3\xBCnchen.example", "m\xC3\xBCnchen.example"},
  };
  for (const auto& [in, want] : cases) {
    auto r = NormalizeDomain(in);
    ASSERT_TRUE(r) << in << ": " << r.error().message;
    EXPECT_EQ(*r, want) << in;
  }
}

TEST(NormalizeDomainTest, EmptyStaysEmpty) {
  EXPECT_EQ(NormalizeDomain("").value(), "");
}

TEST(NormalizeDomainTest, RejectsWhatIsNotADomain) {
  for (std::string s :
       {"localhost"s, ".acme.example"s, "acme.example."s, "acme_corp.example"s,
        "acme.example:8080"s, "user@acme.example"s, std::string(250, 'a') + ".com"}) {
    EXPECT_TRUE(InvalidOn(NormalizeDomain(s), "domain")) << s;
  }
}

// ----- Validate ------------------------------------------------------------------------------

Contact ValidContact() {
  Contact c;
  c.email = "john.doe@example.com";
  c.first_name = "John";
  c.last_name = "Doe";
  c.phone = "+33 1 23 45 67 89";
  c.title = "CTO";
  c.company_id = 3;
  c.owner_id = 4;
  c.source = "organic_search";
  c.campaign = "spring";
  c.country = "FR";
  c.custom = {{"industry_code", "62.01"}};
  return c;
}

Company ValidCompany() {
  Company c;
  c.name = "Acme";
  c.domain = "acme.example";
  c.industry = "Software";
  c.employees = 120;
  c.country = "DE";
  c.owner_id = 4;
  return c;
}

User ValidUser() {
  User u;
  u.email = "rep@acme.example";
  u.name = "Rep One";
  u.role = Role::kSales;
  u.team_id = 2;
  return u;
}

Team ValidTeam() {
  Team t;
  t.name = "EMEA Sales";
  t.function = TeamFunction::kSales;
  t.manager_id = 1;
  t.region = "EMEA";
  return t;
}

Activity ValidActivity() {
  Activity a;
  a.type = ActivityType::kCall;
  a.contact_id = 5;
  a.owner_id = 4;
  a.subject = "Discovery call";
  a.outcome = "connected";
  a.body = "Talked about\nbudget and timing.\r\n\tNext: demo.";
  a.duration_minutes = 30;
  return a;
}

Deal ValidDeal() {
  Deal d;
  d.title = "Acme - 50 seats";
  d.contact_id = 5;
  d.company_id = 3;
  d.owner_id = 4;
  d.amount_minor = 1'250'000;
  d.currency = "EUR";
  return d;
}

template <class T>
struct Rule {
  std::string name;
  std::function<void(T&)> mutate;
  std::string field;  // empty: the mutated record is still valid
};

template <class T>
void CheckRules(T (*make)(), const std::vector<Rule<T>>& rules) {
  ASSERT_TRUE(Validate(make())) << Validate(make()).error().message;
  for (const auto& rule : rules) {
    T record = make();
    rule.mutate(record);
    auto r = Validate(record);
    if (rule.field.empty()) {
      EXPECT_TRUE(r) << rule.name << ": " << (r ? "" : r.error().field + " " + r.error().message);
    } else {
      EXPECT_TRUE(InvalidOn(r, rule.field)) << rule.name;
    }
  }
}

const std::string kBadUtf8 = "caf\xC3";
const std::string kControl = "a\x07z";

TEST(ValidateTest, ContactRules) {
  CheckRules<Contact>(
      ValidContact,
      {
          {"email required", [](Contact& c) { c.email.clear(); }, "email"},
          {"email shape", [](Contact& c) { c.email = "nobody"; }, "email"},
          {"email loosely typed is still valid", [](Contact& c) { c.email = " A@B.CO "; }, ""},
          {"names optional",
           [](Contact& c) {
             c.first_name.clear();
             c.last_name.clear();
             c.phone.clear();
             c.title.clear();
             c.source.clear();
             c.campaign.clear();
             c.country.clear();
             c.company_id.reset();
             c.owner_id.reset();
             c.custom.clear();
           },
           ""},
          {"first_name 256", [](Contact& c) { c.first_name = std::string(256, 'x'); }, ""},
          {"first_name 257", [](Contact& c) { c.first_name = std::string(257, 'x'); },
           "first_name"},
          {"first_name utf8", [](Contact& c) { c.first_name = "Fran\xC3\xA7oise"; }, ""},
          {"first_name bad utf8", [](Contact& c) { c.first_name = kBadUtf8; }, "first_name"},
          {"first_name newline", [](Contact& c) { c.first_name = "Jo\nhn"; }, "first_name"},
          {"first_name tab", [](Contact& c) { c.first_name = "Jo\thn"; }, "first_name"},
          {"first_name overlong NUL", [](Contact& c) { c.first_name = "Jo\xC0\x80hn"; },
           "first_name"},
          {"first_name surrogate", [](Contact& c) { c.first_name = "Jo\xED\xB0\x80"; },
           "first_name"},
          {"first_name four-byte", [](Contact& c) { c.first_name = "Jo \xF0\x9F\x98\x80"; }, ""},
          {"last_name 257", [](Contact& c) { c.last_name = std::string(257, 'x'); }, "last_name"},
          {"last_name control", [](Contact& c) { c.last_name = kControl; }, "last_name"},
          {"phone 64", [](Contact& c) { c.phone = std::string(64, '1'); }, ""},
          {"phone 65", [](Contact& c) { c.phone = std::string(65, '1'); }, "phone"},
          {"title 257", [](Contact& c) { c.title = std::string(257, 't'); }, "title"},
          {"title DEL", [](Contact& c) { c.title = "CT\x7F"; }, "title"},
          {"source 128", [](Contact& c) { c.source = std::string(128, 's'); }, ""},
          {"source 129", [](Contact& c) { c.source = std::string(129, 's'); }, "source"},
          {"campaign 257", [](Contact& c) { c.campaign = std::string(257, 'c'); }, "campaign"},
          {"campaign bad utf8", [](Contact& c) { c.campaign = kBadUtf8; }, "campaign"},
          {"country lower is fine", [](Contact& c) { c.country = "fr"; }, ""},
          {"country three letters", [](Contact& c) { c.country = "FRA"; }, "country"},
          {"company_id zero", [](Contact& c) { c.company_id = 0; }, "company_id"},
          {"company_id negative", [](Contact& c) { c.company_id = -3; }, "company_id"},
          {"owner_id zero", [](Contact& c) { c.owner_id = 0; }, "owner_id"},
          {"custom empty key", [](Contact& c) { c.custom[""] = "v"; }, "custom"},
          {"custom key 128", [](Contact& c) { c.custom[std::string(128, 'k')] = "v"; }, ""},
          {"custom key 129", [](Contact& c) { c.custom[std::string(129, 'k')] = "v"; },
           "custom." + std::string(129, 'k')},
          {"custom key newline", [](Contact& c) { c.custom["a\nb"] = "v"; }, "custom.a\nb"},
          {"custom value multiline", [](Contact& c) { c.custom["notes"] = "l1\nl2\r\n\tl3"; }, ""},
          {"custom value 4096", [](Contact& c) { c.custom["k"] = std::string(4096, 'v'); }, ""},
          {"custom value 4097", [](Contact& c) { c.custom["k"] = std::string(4097, 'v'); },
           "custom.k"},
          {"custom value control", [](Contact& c) { c.custom["k"] = "a\x01"; }, "custom.k"},
          {"custom value bad utf8", [](Contact& c) { c.custom["k"] = kBadUtf8; }, "custom.k"},
          {"custom 200 fields",
           [](Contact& c) {
             c.custom.clear();
             for (int i = 0; i < 200; ++i) c.custom["f" + std::to_string(i)] = "v";
           },
           ""},
          {"custom 201 fields",
           [](Contact& c) {
             c.custom.clear();
             for (int i = 0; i < 201; ++i) c.custom["f" + std::to_string(i)] = "v";
           },
           "custom"},
      });
}

TEST(ValidateTest, CompanyRules) {
  CheckRules<Company>(
      ValidCompany,
      {
          {"name required", [](Company& c) { c.name.clear(); }, "name"},
          {"name 256", [](Company& c) { c.name = std::string(256, 'n'); }, ""},
          {"name 257", [](Company& c) { c.name = std::string(257, 'n'); }, "name"},
          {"name control", [](Company& c) { c.name = kControl; }, "name"},
          {"domain optional", [](Company& c) { c.domain.clear(); }, ""},
          {"domain with scheme is fine", [](Company& c) { c.domain = "https://acme.example"; }, ""},
          {"domain no dot", [](Company& c) { c.domain = "acme"; }, "domain"},
          {"industry 128", [](Company& c) { c.industry = std::string(128, 'i'); }, ""},
          {"industry 129", [](Company& c) { c.industry = std::string(129, 'i'); }, "industry"},
          {"employees zero", [](Company& c) { c.employees = 0; }, ""},
          {"employees unset", [](Company& c) { c.employees.reset(); }, ""},
          {"employees negative", [](Company& c) { c.employees = -1; }, "employees"},
          {"country bad", [](Company& c) { c.country = "Germany"; }, "country"},
          {"owner_id zero", [](Company& c) { c.owner_id = 0; }, "owner_id"},
          {"custom empty key", [](Company& c) { c.custom[""] = "x"; }, "custom"},
          {"custom value control", [](Company& c) { c.custom["k"] = "\x02"; }, "custom.k"},
      });
}

TEST(ValidateTest, UserRules) {
  CheckRules<User>(ValidUser,
                   {
                       {"email required", [](User& u) { u.email.clear(); }, "email"},
                       {"email shape", [](User& u) { u.email = "rep@acme"; }, "email"},
                       {"name required", [](User& u) { u.name.clear(); }, "name"},
                       {"name 257", [](User& u) { u.name = std::string(257, 'n'); }, "name"},
                       {"name bad utf8", [](User& u) { u.name = kBadUtf8; }, "name"},
                       {"team optional", [](User& u) { u.team_id.reset(); }, ""},
                       {"team_id zero", [](User& u) { u.team_id = 0; }, "team_id"},
                   });
}

TEST(ValidateTest, TeamRules) {
  CheckRules<Team>(ValidTeam,
                   {
                       {"name required", [](Team& t) { t.name.clear(); }, "name"},
                       {"name 257", [](Team& t) { t.name = std::string(257, 'n'); }, "name"},
                       {"region optional", [](Team& t) { t.region.clear(); }, ""},
                       {"region 128", [](Team& t) { t.region = std::string(128, 'r'); }, ""},
                       {"region 129", [](Team& t) { t.region = std::string(129, 'r'); }, "region"},
                       {"region control", [](Team& t) { t.region = kControl; }, "region"},
                       {"manager optional", [](Team& t) { t.manager_id.reset(); }, ""},
                       {"manager_id negative", [](Team& t) { t.manager_id = -1; }, "manager_id"},
                   });
}

TEST(ValidateTest, ActivityRules) {
  CheckRules<Activity>(
      ValidActivity,
      {
          {"needs contact or deal",
           [](Activity& a) {
             a.contact_id.reset();
             a.deal_id.reset();
           },
           "contact_id"},
          {"deal alone is enough",
           [](Activity& a) {
             a.contact_id.reset();
             a.deal_id = 8;
           },
           ""},
          {"contact_id zero", [](Activity& a) { a.contact_id = 0; }, "contact_id"},
          {"deal_id zero", [](Activity& a) { a.deal_id = 0; }, "deal_id"},
          {"owner required", [](Activity& a) { a.owner_id = 0; }, "owner_id"},
          {"owner negative", [](Activity& a) { a.owner_id = -2; }, "owner_id"},
          {"subject 257", [](Activity& a) { a.subject = std::string(257, 's'); }, "subject"},
          {"subject newline", [](Activity& a) { a.subject = "a\nb"; }, "subject"},
          {"outcome 128", [](Activity& a) { a.outcome = std::string(128, 'o'); }, ""},
          {"outcome 129", [](Activity& a) { a.outcome = std::string(129, 'o'); }, "outcome"},
          {"body 65536", [](Activity& a) { a.body = std::string(65536, 'b'); }, ""},
          {"body 65537", [](Activity& a) { a.body = std::string(65537, 'b'); }, "body"},
          {"body control", [](Activity& a) { a.body = "ok\x1Fnot"; }, "body"},
          {"body bad utf8", [](Activity& a) { a.body = kBadUtf8; }, "body"},
          {"duration unset", [](Activity& a) { a.duration_minutes.reset(); }, ""},
          {"duration 0", [](Activity& a) { a.duration_minutes = 0; }, ""},
          {"duration 1440", [](Activity& a) { a.duration_minutes = 1440; }, ""},
          {"duration 1441", [](Activity& a) { a.duration_minutes = 1441; }, "duration_minutes"},
          {"duration negative", [](Activity& a) { a.duration_minutes = -1; }, "duration_minutes"},
      });
}

TEST(ValidateTest, DealRules) {
  CheckRules<Deal>(
      ValidDeal,
      {
          {"title required", [](Deal& d) { d.title.clear(); }, "title"},
          {"title 257", [](Deal& d) { d.title = std::string(257, 't'); }, "title"},
          {"links optional",
           [](Deal& d) {
             d.contact_id.reset();
             d.company_id.reset();
             d.owner_id.reset();
           },
           ""},
          {"contact_id zero", [](Deal& d) { d.contact_id = 0; }, "contact_id"},
          {"company_id zero", [](Deal& d) { d.company_id = 0; }, "company_id"},
          {"owner_id zero", [](Deal& d) { d.owner_id = 0; }, "owner_id"},
          {"amount zero", [](Deal& d) { d.amount_minor = 0; }, ""},
          {"amount negative", [](Deal& d) { d.amount_minor = -1; }, "amount"},
          {"currency lower is fine", [](Deal& d) { d.currency = "usd"; }, ""},
          {"currency bad", [](Deal& d) { d.currency = "EURO"; }, "currency"},
          {"currency empty", [](Deal& d) { d.currency.clear(); }, "currency"},
          {"won needs no reason", [](Deal& d) { d.stage = DealStage::kWon; }, ""},
          {"lost needs a reason", [](Deal& d) { d.stage = DealStage::kLost; }, "lost_reason"},
          {"lost with reason",
           [](Deal& d) {
             d.stage = DealStage::kLost;
             d.lost_reason = "budget";
           },
           ""},
          {"lost reason 257",
           [](Deal& d) {
             d.stage = DealStage::kLost;
             d.lost_reason = std::string(257, 'r');
           },
           "lost_reason"},
          {"open reason 257", [](Deal& d) { d.lost_reason = std::string(257, 'r'); },
           "lost_reason"},
          {"lost reason control",
           [](Deal& d) {
             d.stage = DealStage::kLost;
             d.lost_reason = kControl;
           },
           "lost_reason"},
      });
}

// ----- custom field codec --------------------------------------------------------------------

TEST(CustomFieldsCodecTest, EncodesAsEscapedLines) {
  CustomFields f = {{"a", "1"}, {"b=c", "x\\y\nz"}, {"empty", ""}};
  EXPECT_EQ(EncodeCustomFields(f), "a=1\nb\\=c=x\\\\y\\nz\nempty=\n");
  EXPECT_EQ(EncodeCustomFields({}), "");
}

TEST(CustomFieldsCodecTest, DecodesEscapes) {
  EXPECT_EQ(DecodeCustomFields("a=1\nb\\=c=x\\\\y\\nz\n"),
            (CustomFields{{"a", "1"}, {"b=c", "x\\y\nz"}}));
  EXPECT_EQ(DecodeCustomFields(""), CustomFields{});
  // A missing final newline still yields the last pair; '=' in a value needs no escape.
  EXPECT_EQ(DecodeCustomFields("k=v=w"), (CustomFields{{"k", "v=w"}}));
}

TEST(CustomFieldsCodecTest, RoundTripsTrickyValues) {
  const std::vector<CustomFields> samples = {
      {{"=", "="}},
      {{"\\", "\\"}},
      {{"\n", "\n"}},
      {{"\\n", "\\n"}},  // a backslash followed by the letter n, not a newline
      {{"k", "ends with backslash\\"}},
      {{"k\\", "v"}},
      {{"", ""}},
      {{"", "empty key"}},
      {{"crlf", "a\r\nb"}},
      {{"nul", "a\0b"s}},
      {{"utf8 \xC3\xA9", "\xE2\x82\xAC 12"}},
      {{"a", "1"}, {"b", "2"}, {"c", "=\\\n=\\\n"}},
  };
  for (const auto& f : samples) {
    EXPECT_EQ(DecodeCustomFields(EncodeCustomFields(f)), f)
        << ::testing::PrintToString(EncodeCustomFields(f));
  }
}

// Property: Decode(Encode(m)) == m for many maps drawn from an alphabet rich in the characters
// the format escapes. std::mt19937 with a fixed seed gives the same maps on every platform.
TEST(CustomFieldsCodecTest, RoundTripsGeneratedMaps) {
  std::mt19937 rng(20260126);
  const std::string alphabet = "=\\\nnr\r\t a=Z9\\=\n"s + "\0"s + "\xC3\xA9";
  auto text = [&](std::size_t max_len) {
    std::string s;
    const std::size_t len = rng() % (max_len + 1);
    for (std::size_t i = 0; i < len; ++i) s.push_back(alphabet[rng() % alphabet.size()]);
    return s;
  };
  for (int iter = 0; iter < 2000; ++iter) {
    CustomFields m;
    const std::size_t n = rng() % 8;
    for (std::size_t i = 0; i < n; ++i) m[text(6)] = text(12);
    const std::string encoded = EncodeCustomFields(m);
    ASSERT_EQ(DecodeCustomFields(encoded), m)
        << "iteration " << iter << ": " << ::testing::PrintToString(encoded);
    // Re-encoding the decoded map is stable too.
    ASSERT_EQ(EncodeCustomFields(DecodeCustomFields(encoded)), encoded);
  }
}

}  // namespace
}  // namespace tandem::core
