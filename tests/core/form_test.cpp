#include "core/form.hpp"

#include <gtest/gtest.h>

namespace tandem::core {
namespace {

Form Sample() {
  Form f;
  f.public_id = "f_abcdefghijklmnopqrstuv";
  f.name = " Demo request ";
  f.fields = {{"email", "email", false},
              {"first", "first_name", true},
              {"company", "company", false},
              {"country", "country", false},
              {"size", "custom.team_size", false}};
  f.allowed_origins = {"https://WWW.Example.com/", "http://localhost:8080"};
  return f;
}

using Inputs = std::vector<std::pair<std::string, std::string>>;

TEST(FormTest, NormalizeTrimsAndLowerCasesOriginsAndForcesEmailRequired) {
  Form f = Sample();
  ASSERT_TRUE(NormalizeForm(f));
  EXPECT_EQ(f.name, "Demo request");
  EXPECT_TRUE(f.fields[0].required);
  EXPECT_EQ(f.allowed_origins,
            (std::vector<std::string>{"https://www.example.com", "http://localhost:8080"}));
}

TEST(FormTest, NormalizeRefusesBadDefinitionsNamingTheField) {
  auto field_of = [](Form f) {
    auto r = NormalizeForm(f);
    EXPECT_FALSE(r);
    return r ? std::string("ok") : r.error().field;
  };
  Form f = Sample();
  f.fields.erase(f.fields.begin());
  EXPECT_EQ(field_of(f), "fields");  // no email
  f = Sample();
  f.fields[1].property = "salary";
  EXPECT_EQ(field_of(f), "fields[1].property");
  f = Sample();
  f.fields[2].name = "first";
  EXPECT_EQ(field_of(f), "fields[2].name");
  f = Sample();
  f.fields[2].name = "consent";
  EXPECT_EQ(field_of(f), "fields[2].name");
  f = Sample();
  f.allowed_origins = {"https://a.example/path"};
  EXPECT_EQ(field_of(f), "allowed_origins[0]");
  f = Sample();
  f.allowed_origins = {"*", "https://a.example"};
  EXPECT_EQ(field_of(f), "allowed_origins");
  f = Sample();
  f.redirect_url = "javascript:alert(1)";
  EXPECT_EQ(field_of(f), "redirect_url");
  f = Sample();
  f.consent_required = true;
  EXPECT_EQ(field_of(f), "consent_text");
  f = Sample();
  f.public_id = "short";
  EXPECT_EQ(field_of(f), "public_id");
}

TEST(FormTest, OriginsAreSchemeHostAndPortOnly) {
  EXPECT_EQ(NormalizeOrigin("https://A.example:8443"), "https://a.example:8443");
  EXPECT_EQ(NormalizeOrigin("*"), "*");
  EXPECT_FALSE(NormalizeOrigin("ftp://a.example"));
  EXPECT_FALSE(NormalizeOrigin("https://user@a.example"));
  EXPECT_FALSE(NormalizeOrigin("https://a.example:99999"));
  EXPECT_FALSE(NormalizeOrigin("https://a.example?x=1"));
  EXPECT_FALSE(NormalizeOrigin("null"));
  EXPECT_EQ(OriginOfUrl("https://a.example/thanks?x=1"), "https://a.example");
  EXPECT_TRUE(OriginAllowed({"https://a.example"}, "https://A.example"));
  EXPECT_FALSE(OriginAllowed({"https://a.example"}, "https://evil.example"));
  EXPECT_FALSE(OriginAllowed({"https://a.example"}, "null"));
  EXPECT_TRUE(OriginAllowed({"*"}, "null"));
}

TEST(FormTest, MapsInputsToPropertiesAndIgnoresUnknownOnes) {
  Form f = Sample();
  ASSERT_TRUE(NormalizeForm(f));
  auto a = MapFormPost(f, Inputs{{"email", " Ada@Example.COM "},
                                 {"first", "Ada"},
                                 {"company", "Analytical"},
                                 {"country", "gb"},
                                 {"size", "12"},
                                 {"submit", "Send"},
                                 {"_tandem_aid", "v1.abc"},
                                 {"redirect", "https://www.example.com/thanks"}});
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->email, "ada@example.com");
  EXPECT_EQ(a->first_name, "Ada");
  EXPECT_EQ(a->company, "Analytical");
  EXPECT_EQ(a->country, "GB");
  EXPECT_EQ(a->custom.at("team_size"), "12");
  EXPECT_EQ(a->anonymous_id, "v1.abc");
  EXPECT_FALSE(a->honeypot);
  EXPECT_EQ(RedirectTarget(f, a->redirect), "https://www.example.com/thanks");
  EXPECT_EQ(a->Values().at("custom.team_size"), "12");

  Contact c;
  c.email = "ada@example.com";
  c.first_name = "Old";
  c.title = "CTO";
  EXPECT_TRUE(ApplyAnswers(*a, c));
  EXPECT_EQ(c.first_name, "Ada");
  EXPECT_EQ(c.title, "CTO");  // not posted: kept
  EXPECT_EQ(c.custom.at("company"), "Analytical");
  EXPECT_FALSE(ApplyAnswers(*a, c));
}

TEST(FormTest, RefusesBadPostsNamingTheInput) {
  Form f = Sample();
  ASSERT_TRUE(NormalizeForm(f));
  auto field_of = [&f](Inputs in) {
    auto r = MapFormPost(f, in);
    EXPECT_FALSE(r);
    return r ? std::string("ok") : r.error().field;
  };
  EXPECT_EQ(field_of({{"first", "Ada"}}), "email");
  EXPECT_EQ(field_of({{"email", ""}, {"first", "Ada"}}), "email");
  EXPECT_EQ(field_of({{"email", "not-an-email"}, {"first", "Ada"}}), "email");
  EXPECT_EQ(field_of({{"email", "a@b.example"}}), "first");
  EXPECT_EQ(field_of({{"email", "a@b.example"}, {"first", "  "}}), "first");
  EXPECT_EQ(field_of({{"email", "a@b.example"}, {"first", "A"}, {"country", "Narnia"}}), "country");
  EXPECT_EQ(field_of({{"email", "a@b.example"}, {"first", "A"}, {"first", "B"}}), "first");
  EXPECT_EQ(field_of({{"email", "a@b.example"}, {"first", std::string(300, 'x')}}), "first");
  EXPECT_EQ(field_of({{"email", "a@b.example"}, {"first", "A\x01"}}), "first");
  EXPECT_EQ(field_of({{"email", "a@b.example"}, {"first", "\xC3\x28"}}), "first");
  Inputs many(kMaxFormInputs + 1, {"x", "y"});
  EXPECT_EQ(field_of(many), "");
}

TEST(FormTest, ConsentIsRecordedOnlyWhenAskedAndRequiredWhenSaid) {
  Form f = Sample();
  f.consent_text = "I agree to be contacted.";
  f.consent_required = true;
  ASSERT_TRUE(NormalizeForm(f));
  auto missing = MapFormPost(f, Inputs{{"email", "a@b.example"}, {"first", "A"}});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().field, "consent");
  auto given = MapFormPost(f, Inputs{{"email", "a@b.example"}, {"first", "A"}, {"consent", "on"}});
  ASSERT_TRUE(given);
  EXPECT_TRUE(given->consent_given);
  EXPECT_FALSE(MapFormPost(f, Inputs{{"email", "a@b.example"}, {"first", "A"}, {"consent", "no"}}));

  Form plain = Sample();
  ASSERT_TRUE(NormalizeForm(plain));
  auto unasked =
      MapFormPost(plain, Inputs{{"email", "a@b.example"}, {"first", "A"}, {"consent", "on"}});
  ASSERT_TRUE(unasked);
  EXPECT_FALSE(unasked->consent_given);
}

TEST(FormTest, FilledHoneypotIsFlaggedNotRefused) {
  Form f = Sample();
  ASSERT_TRUE(NormalizeForm(f));
  // Bots fill everything, often without the required inputs right: still not an error.
  auto a = MapFormPost(f, Inputs{{"email", "bot@spam.example"}, {"_hp", "http://spam"}});
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->honeypot);
  auto empty = MapFormPost(f, Inputs{{"email", "a@b.example"}, {"first", "A"}, {"_hp", ""}});
  ASSERT_TRUE(empty);
  EXPECT_FALSE(empty->honeypot);
}

TEST(FormTest, PostedRedirectOnlyToAnExplicitlyAllowedOrigin) {
  Form f = Sample();
  f.redirect_url = "https://www.example.com/default";
  ASSERT_TRUE(NormalizeForm(f));
  EXPECT_EQ(RedirectTarget(f, "https://evil.example/x"), "https://www.example.com/default");
  EXPECT_EQ(RedirectTarget(f, "http://localhost:8080/ok"), "http://localhost:8080/ok");
  EXPECT_EQ(RedirectTarget(f, ""), "https://www.example.com/default");
  f.allowed_origins = {"*"};
  EXPECT_EQ(RedirectTarget(f, "https://evil.example/x"), "https://www.example.com/default");
}

TEST(FormTest, MalformedAnonymousIdIsDroppedNotFatal) {
  Form f = Sample();
  ASSERT_TRUE(NormalizeForm(f));
  auto a = MapFormPost(f, Inputs{{"email", "a@b.example"}, {"first", "A"}, {"_tandem_aid", "x y"}});
  ASSERT_TRUE(a);
  EXPECT_EQ(a->anonymous_id, "");
}

TEST(FormTest, SiteNeedsAnOrigin) {
  TrackerSite s;
  s.public_key = "site_abcdefghijklmnopqrstuv";
  s.name = "www";
  auto r = NormalizeSite(s);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "allowed_origins");
  s.allowed_origins = {"https://www.example.com"};
  EXPECT_TRUE(NormalizeSite(s));
}

}  // namespace
}  // namespace tandem::core
