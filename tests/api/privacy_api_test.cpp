// Privacy through the API (docs/privacy.md): consents on a contact, and the admin-only export,
// erasure and event purge, with their permissions and bad input.
#include <gtest/gtest.h>

#include "api_fixture.hpp"

namespace tandem::api {
namespace {

using apitest::ApiTest;
using apitest::kT0;
using apitest::S;
namespace json = boost::json;

class PrivacyApiTest : public ApiTest {
 protected:
  std::string Consents(core::Id contact) {
    return "/api/v1/contacts/" + std::to_string(contact) + "/consents";
  }

  void AddEvent(core::Id contact, const std::string& id, const std::string& campaign) {
    ASSERT_TRUE(store_->Write([&](store::Tx& tx) -> core::Result<void> {
      core::Event e;
      e.event_id = id;
      e.type = "page_view";
      e.occurred_at = kT0 - std::chrono::hours(1);
      e.received_at = e.occurred_at;
      e.email = "ann@example.com";
      e.contact_id = contact;
      e.utm_campaign = campaign;
      e.properties = R"({"path":"/pricing"})";
      TANDEM_TRY(tx.events().Append(e));
      return {};
    }));
  }

  std::string ApiKey(const std::string& scopes) {
    auto r =
        As(admin_, "POST", "/api/v1/api-keys", R"({"name":"privacy","scopes":[)" + scopes + "]}");
    EXPECT_EQ(r.status(), 201) << r;
    return r.status() == 201 ? r.Str("secret") : std::string();
  }
};

TEST_F(PrivacyApiTest, ConsentsAreRecordedListedAndWithdrawn) {
  const core::Id c = NewContact("ann@example.com");
  auto made = As(manager_, "POST", Consents(c),
                 R"({"purpose":"newsletter","text":"Send me the newsletter."})");
  ASSERT_EQ(made.status(), 201) << made;
  EXPECT_EQ(made.Str("source"), "user");
  EXPECT_EQ(made.Int("recorded_by"), manager_id_);
  EXPECT_EQ(made.Str("given_at"), core::FormatInstant(kT0));
  EXPECT_TRUE(made.obj().at("withdrawn_at").is_null());
  const core::Id id = made.Int("id");

  const std::string key = ApiKey(R"("write")");
  auto by_key =
      As(key, "POST", Consents(c), R"({"purpose":"events","given_at":"2026-09-01T10:00:00Z"})");
  ASSERT_EQ(by_key.status(), 201) << by_key;
  EXPECT_EQ(by_key.Str("source"), "api");
  EXPECT_EQ(by_key.Str("given_at"), "2026-09-01T10:00:00.000Z");

  // Bad input names the field; a rep does not change a contact they do not own.
  EXPECT_EQ(As(manager_, "POST", Consents(c), R"({"text":"x"})").ErrorField(), "purpose");
  EXPECT_EQ(As(manager_, "POST", Consents(c), R"({"purpose":""})").ErrorField(), "purpose");
  EXPECT_EQ(As(manager_, "POST", Consents(c), R"({"purpose":"a","colour":"red"})").ErrorField(),
            "colour");
  EXPECT_EQ(As(rep1_, "POST", Consents(c), R"({"purpose":"a"})").status(), 403);
  EXPECT_EQ(As(manager_, "POST", Consents(c + 100), R"({"purpose":"a"})").status(), 404);

  auto list = As(rep1_, "GET", Consents(c));
  ASSERT_EQ(list.status(), 200) << list;
  ASSERT_EQ(list.items().size(), 2u);
  EXPECT_EQ(S(list.items()[0].at("purpose")), "newsletter");

  clock_.Advance(std::chrono::minutes(1));
  const std::string withdraw = Consents(c) + "/" + std::to_string(id) + "/withdraw";
  auto w = As(manager_, "POST", withdraw);
  ASSERT_EQ(w.status(), 200) << w;
  EXPECT_EQ(w.Str("withdrawn_at"), core::FormatInstant(kT0 + std::chrono::minutes(1)));
  EXPECT_EQ(As(manager_, "POST", withdraw).status(), 422);
  const core::Id other = NewContact("bob@example.com");
  EXPECT_EQ(As(manager_, "POST", Consents(other) + "/" + std::to_string(id) + "/withdraw").status(),
            404);
}

TEST_F(PrivacyApiTest, ExportEraseAndPurgeAreForAdminsOnly) {
  const core::Id c = NewContact("ann@example.com");
  std::string key_without_admin = ApiKey(R"("read","write")");
  for (const std::string* token : {&manager_, &marketer_, &rep1_, &key_without_admin}) {
    EXPECT_EQ(As(*token, "GET", "/api/v1/privacy/export?email=ann%40example.com").status(), 403);
    EXPECT_EQ(As(*token, "POST", "/api/v1/privacy/erasures",
                 R"({"email":"ann@example.com","confirm":"ann@example.com"})")
                  .status(),
              403);
    EXPECT_EQ(As(*token, "POST", "/api/v1/privacy/event-purges", R"({"months":12})").status(), 403);
  }
  EXPECT_EQ(Send("GET", "/api/v1/privacy/export?email=ann%40example.com").status(), 401);
  // Nothing changed.
  EXPECT_EQ(As(manager_, "GET", "/api/v1/contacts/" + std::to_string(c)).Str("email"),
            "ann@example.com");
  const std::string admin_key = ApiKey(R"("admin")");
  EXPECT_EQ(As(admin_key, "GET", "/api/v1/privacy/export?email=ann%40example.com").status(), 200);
}

TEST_F(PrivacyApiTest, ExportHoldsEverythingAndErasureLeavesNothingToFind) {
  const core::Id c = NewContact("ann@example.com",
                                json::object{{"first_name", "Annabel"}, {"campaign", "spring"}});
  const core::Id bob = NewContact("bob@example.com");
  AddEvent(c, "e1", "");
  AddEvent(c, "e2", "spring");
  ASSERT_EQ(As(manager_, "POST", Consents(c), R"({"purpose":"newsletter"})").status(), 201);

  EXPECT_EQ(As(admin_, "GET", "/api/v1/privacy/export").ErrorField(), "email");
  EXPECT_EQ(As(admin_, "GET", "/api/v1/privacy/export?email=ann").ErrorField(), "email");
  auto none = As(admin_, "GET", "/api/v1/privacy/export?email=nobody%40example.com");
  EXPECT_EQ(none.status(), 404) << none;

  auto doc = As(admin_, "GET", "/api/v1/privacy/export?email=ANN%40example.com");
  ASSERT_EQ(doc.status(), 200) << doc;
  EXPECT_EQ(doc.Str("email"), "ann@example.com");
  EXPECT_EQ(S(doc.obj().at("contact").at("first_name")), "Annabel");
  EXPECT_EQ(doc.obj().at("consents").as_array().size(), 1u);
  const auto& records = doc.obj().at("records").as_object();
  ASSERT_TRUE(records.contains("events"));
  const auto& events = records.at("events").as_array();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(S(events[0].at("occurred_at")), core::FormatInstant(kT0 - std::chrono::hours(1)));
  EXPECT_EQ(S(events[0].at("properties").at("path")), "/pricing");  // JSON stays JSON
  EXPECT_TRUE(records.contains("stage_history"));
  EXPECT_EQ(records.at("stage_history").as_array().size(), 1u);
  EXPECT_TRUE(records.contains("audit_log"));

  const std::string erase = "/api/v1/privacy/erasures";
  EXPECT_EQ(As(admin_, "POST", erase, R"({"email":"ann@example.com"})").ErrorField(), "confirm");
  EXPECT_EQ(As(admin_, "POST", erase, R"({"email":"ann@example.com","confirm":"bob@example.com"})")
                .ErrorField(),
            "confirm");
  EXPECT_EQ(As(admin_, "POST", erase, R"({"confirm":"ann@example.com"})").ErrorField(), "email");
  EXPECT_EQ(As(admin_, "POST", erase, R"({"email":"ann@","confirm":"ann@"})").ErrorField(),
            "email");
  auto done =
      As(admin_, "POST", erase, R"({"email":"ann@example.com","confirm":"ann@example.com"})");
  ASSERT_EQ(done.status(), 200) << done;
  EXPECT_EQ(done.Int("contact_id"), c);
  EXPECT_EQ(done.Int("events_deleted"), 1);
  EXPECT_EQ(done.Int("events_kept_anonymous"), 1);
  EXPECT_EQ(done.Int("consents"), 1);
  EXPECT_EQ(done.raw.body.find("ann@"), std::string::npos);

  auto again =
      As(admin_, "POST", erase, R"({"email":"ann@example.com","confirm":"ann@example.com"})");
  EXPECT_EQ(again.status(), 404) << again;
  EXPECT_NE(again.ErrorMessage().find("nothing is held"), std::string::npos);
  EXPECT_EQ(As(admin_, "GET", "/api/v1/privacy/export?email=ann%40example.com").status(), 404);
  auto list = As(manager_, "GET", "/api/v1/contacts");
  ASSERT_EQ(list.items().size(), 1u);
  EXPECT_EQ(list.items()[0].at("id").as_int64(), bob);
  EXPECT_TRUE(As(manager_, "GET", "/api/v1/contacts?q=Annabel").items().empty());
  EXPECT_EQ(As(manager_, "GET", Consents(c)).status(), 404);

  // The audit log names the erasure and the export by contact id, with no personal data.
  auto audit = As(admin_, "GET", "/api/v1/audit?entity=privacy_erasure");
  ASSERT_EQ(audit.status(), 200) << audit;
  ASSERT_EQ(audit.items().size(), 1u);
  EXPECT_EQ(audit.items()[0].at("entity_id").as_int64(), c);
  auto all = As(admin_, "GET", "/api/v1/audit?limit=500");
  EXPECT_EQ(all.raw.body.find("Annabel"), std::string::npos);
  EXPECT_EQ(all.raw.body.find("ann@example.com"), std::string::npos);
}

TEST_F(PrivacyApiTest, EventPurgeCountsOnADryRun) {
  const core::Id c = NewContact("ann@example.com");
  AddEvent(c, "old", "");
  clock_.Advance(std::chrono::days(400));
  admin_ = Login("admin@acme.example");  // the sessions of 400 days ago expired
  manager_ = Login("manager@acme.example");
  auto dry = As(admin_, "POST", "/api/v1/privacy/event-purges", R"({"months":12,"dry_run":true})");
  ASSERT_EQ(dry.status(), 200) << dry;
  EXPECT_EQ(dry.Int("events"), 1);
  EXPECT_TRUE(dry.obj().at("dry_run").as_bool());
  EXPECT_EQ(As(admin_, "POST", "/api/v1/privacy/event-purges", R"({"months":0})").ErrorField(),
            "months");
  EXPECT_EQ(As(admin_, "POST", "/api/v1/privacy/event-purges", R"({})").ErrorField(), "months");
  auto run = As(admin_, "POST", "/api/v1/privacy/event-purges", R"({"months":12})");
  ASSERT_EQ(run.status(), 200) << run;
  EXPECT_EQ(run.Int("events"), 1);
  EXPECT_TRUE(
      As(manager_, "GET", "/api/v1/contacts/" + std::to_string(c) + "/events").items().empty());
}

}  // namespace
}  // namespace tandem::api
