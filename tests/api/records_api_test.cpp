// /api/v1/companies, /api/v1/deals and /api/v1/activities through Api::Handle.
#include "api_fixture.hpp"

namespace tandem::api::apitest {
namespace {

class RecordsApiTest : public ApiTest {
 protected:
  std::vector<core::Id> Ids(const std::string& token, const std::string& target) {
    auto r = As(token, "GET", target);
    EXPECT_EQ(r.status(), 200) << target << " " << r;
    std::vector<core::Id> out;
    if (r.status() == 200) {
      for (const auto& item : r.items()) out.push_back(item.at("id").as_int64());
    }
    return out;
  }
  std::string ContactStage(core::Id id) {
    return As(manager_, "GET", "/api/v1/contacts/" + std::to_string(id)).Str("stage");
  }
};

using V = std::vector<core::Id>;

TEST_F(RecordsApiTest, CompaniesCrudFiltersAndSorts) {
  auto created = As(rep1_, "POST", "/api/v1/companies",
                    R"({"name":"Acme","domain":"https://www.Acme.example/about","industry":"saas",
                        "employees":120,"country":"de"})");
  ASSERT_EQ(created.status(), 201) << created;
  const auto acme = created.Int("id");
  EXPECT_EQ(created.Header("Location"), "/api/v1/companies/" + std::to_string(acme));
  EXPECT_EQ(created.Str("domain"), "acme.example");
  EXPECT_EQ(created.Int("employees"), 120);
  EXPECT_EQ(created.Int("owner_id"), rep1_id_);  // a rep's company is theirs
  clock_.Advance(1s);
  const auto bolt =
      Create(manager_, "/api/v1/companies", {{"name", "Bolt"}, {"industry", "retail"}});

  EXPECT_EQ(Ids(rep2_, "/api/v1/companies"), (V{acme, bolt}));
  EXPECT_EQ(Ids(rep2_, "/api/v1/companies?sort=-name"), (V{bolt, acme}));
  EXPECT_EQ(Ids(rep2_, "/api/v1/companies?sort=-created_at"), (V{bolt, acme}));
  EXPECT_EQ(Ids(rep2_, "/api/v1/companies?industry=retail"), V{bolt});
  EXPECT_EQ(Ids(rep2_, "/api/v1/companies?country=DE"), V{acme});
  EXPECT_EQ(Ids(rep2_, "/api/v1/companies?owner_id=" + std::to_string(rep1_id_)), V{acme});
  EXPECT_EQ(Ids(rep2_, "/api/v1/companies?q=bo"), V{bolt});

  const std::string path = "/api/v1/companies/" + std::to_string(acme);
  auto patched = As(rep1_, "PATCH", path, R"({"employees":null,"industry":"fintech"})");
  ASSERT_EQ(patched.status(), 200) << patched;
  EXPECT_TRUE(patched.body.at("employees").is_null());
  EXPECT_EQ(patched.Str("industry"), "fintech");
  EXPECT_EQ(As(rep2_, "PATCH", path, R"({"name":"Mine now"})").status(), 403);
  EXPECT_EQ(As(rep1_, "PATCH", path, R"({"employees":-1})").ErrorField(), "employees");
  EXPECT_EQ(As(rep1_, "PATCH", path, R"({"employees":"many"})").ErrorField(), "employees");
  EXPECT_EQ(As(rep1_, "POST", "/api/v1/companies", R"({"domain":"x.example"})").ErrorField(),
            "name");
  EXPECT_EQ(As(rep1_, "DELETE", path).status(), 204);
  EXPECT_EQ(As(rep1_, "GET", path).status(), 404);
}

TEST_F(RecordsApiTest, DealCreatedMakesTheContactAnOpportunityAndWonACustomer) {
  const auto contact = NewContact("buyer@x.example", {{"stage", "sql"}, {"owner_id", rep1_id_}});
  auto deal = As(rep1_, "POST", "/api/v1/deals",
                 R"({"title":"Pilot","contact_id":)" + std::to_string(contact) +
                     R"(,"amount":12500.5,"currency":"eur","expected_close":"2027-03-31"})");
  ASSERT_EQ(deal.status(), 201) << deal;
  EXPECT_EQ(deal.raw.body.find("\"amount\":12500.5,"), deal.raw.body.find("\"amount\""))
      << deal.raw.body;
  EXPECT_EQ(deal.body.at("amount").as_double(), 12500.5);
  EXPECT_EQ(deal.Str("currency"), "EUR");
  EXPECT_EQ(deal.Str("stage"), "open");
  EXPECT_EQ(deal.Str("expected_close"), "2027-03-31");
  EXPECT_TRUE(deal.body.at("closed_at").is_null());
  EXPECT_EQ(deal.Int("owner_id"), rep1_id_);
  EXPECT_EQ(ContactStage(contact), "opportunity");

  const std::string path = "/api/v1/deals/" + std::to_string(deal.Int("id"));
  clock_.Advance(2h);
  auto won = As(rep1_, "PATCH", path, R"({"stage":"won","amount":13000})");
  ASSERT_EQ(won.status(), 200) << won;
  EXPECT_EQ(won.body.at("amount").as_int64(), 13000);
  EXPECT_EQ(won.Str("closed_at"), core::FormatInstant(kT0 + 2h));
  EXPECT_EQ(ContactStage(contact), "customer");

  auto history = As(manager_, "GET", "/api/v1/contacts/" + std::to_string(contact) + "/history");
  ASSERT_EQ(history.items().size(), 3u);
  EXPECT_EQ(S(history.items()[1].at("cause")), "deal_created");
  EXPECT_EQ(S(history.items()[2].at("cause")), "deal_won");
  auto timeline = As(manager_, "GET", "/api/v1/contacts/" + std::to_string(contact) + "/timeline");
  ASSERT_EQ(timeline.status(), 200);
  bool has_deal = false;
  for (const auto& item : timeline.items()) has_deal |= S(item.at("kind")) == "deal";
  EXPECT_TRUE(has_deal);
}

TEST_F(RecordsApiTest, DealMoneyAndStagesAreChecked) {
  auto post = [&](const std::string& body) { return As(manager_, "POST", "/api/v1/deals", body); };
  EXPECT_EQ(post(R"({"title":"x","amount":1.005})").ErrorField(), "amount");
  EXPECT_EQ(post(R"({"title":"x","amount":-10})").ErrorField(), "amount");
  EXPECT_EQ(post(R"({"title":"x","amount":1e15})").ErrorField(), "amount");
  EXPECT_EQ(post(R"({"title":"x","amount":"100"})").ErrorField(), "amount");
  EXPECT_EQ(post(R"({"title":"x"})").ErrorField(), "amount");
  EXPECT_EQ(post(R"({"title":"x","amount":1,"stage":"pending"})").ErrorField(), "stage");
  EXPECT_EQ(post(R"({"title":"x","amount":1,"expected_close":"31/03/2027"})").ErrorField(),
            "expected_close");
  EXPECT_EQ(post(R"({"title":"x","amount":1,"currency":"euro"})").ErrorField(), "currency");
  auto ok = post(R"({"title":"x","amount":0.29})");
  ASSERT_EQ(ok.status(), 201) << ok;
  EXPECT_EQ(ok.raw.body.find("\"amount\":0.29,") != std::string::npos, true) << ok.raw.body;
  const std::string path = "/api/v1/deals/" + std::to_string(ok.Int("id"));
  auto lost = As(manager_, "PATCH", path, R"({"stage":"lost"})");
  EXPECT_EQ(lost.status(), 400) << lost;
  EXPECT_EQ(lost.ErrorField(), "lost_reason");
  EXPECT_EQ(As(manager_, "PATCH", path, R"({"stage":"lost","lost_reason":"budget"})").status(),
            200);
  EXPECT_EQ(As(marketer_, "POST", "/api/v1/deals", R"({"title":"y","amount":1})").status(), 403);
}

TEST_F(RecordsApiTest, DealListsFilterAndSort) {
  const auto c = NewContact("d@x.example");
  const auto small = Create(manager_, "/api/v1/deals",
                            {{"title", "small"},
                             {"amount", 100},
                             {"contact_id", c},
                             {"expected_close", "2027-01-15"},
                             {"owner_id", rep1_id_}});
  clock_.Advance(1s);
  const auto big =
      Create(manager_, "/api/v1/deals",
             {{"title", "big"}, {"amount", 9000.99}, {"expected_close", "2027-02-15"}});
  clock_.Advance(1s);
  const auto mid = Create(manager_, "/api/v1/deals", {{"title", "mid"}, {"amount", 500}});
  As(manager_, "PATCH", "/api/v1/deals/" + std::to_string(mid), R"({"stage":"won"})");

  EXPECT_EQ(Ids(rep2_, "/api/v1/deals"), (V{mid, big, small}));
  EXPECT_EQ(Ids(rep2_, "/api/v1/deals?sort=amount"), (V{small, mid, big}));
  EXPECT_EQ(Ids(rep2_, "/api/v1/deals?sort=-amount"), (V{big, mid, small}));
  EXPECT_EQ(Ids(rep2_, "/api/v1/deals?stage=won"), V{mid});
  EXPECT_EQ(Ids(rep2_, "/api/v1/deals?contact_id=" + std::to_string(c)), V{small});
  EXPECT_EQ(Ids(rep2_, "/api/v1/deals?owner_id=" + std::to_string(rep1_id_)), V{small});
  EXPECT_EQ(Ids(rep2_, "/api/v1/deals?close_from=2027-02-01&close_to=2027-12-31"), V{big});
  EXPECT_EQ(Ids(rep2_, "/api/v1/deals?sort=expected_close&close_to=2027-12-31"), (V{small, big}));
  EXPECT_EQ(As(rep2_, "GET", "/api/v1/deals?close_from=2027-02-30").ErrorField(), "close_from");

  // Walk the amount order page by page.
  auto first = As(rep2_, "GET", "/api/v1/deals?sort=amount&limit=2");
  ASSERT_EQ(first.items().size(), 2u);
  auto second =
      As(rep2_, "GET", "/api/v1/deals?sort=amount&limit=2&cursor=" + first.Str("next_cursor"));
  ASSERT_EQ(second.status(), 200) << second;
  ASSERT_EQ(second.items().size(), 1u);
  EXPECT_EQ(second.items()[0].at("id").as_int64(), big);
}

TEST_F(RecordsApiTest, ActivitiesCrudFiltersAndOwnership) {
  const auto c = NewContact("act@x.example");
  auto created = As(marketer_, "POST", "/api/v1/activities",
                    R"({"type":"email","contact_id":)" + std::to_string(c) +
                        R"(,"subject":"Welcome","occurred_at":"2026-09-21T12:00:00+01:00"})");
  ASSERT_EQ(created.status(), 201) << created;
  const auto email = created.Int("id");
  EXPECT_EQ(created.Int("owner_id"), marketer_id_);
  EXPECT_EQ(created.Str("occurred_at"), "2026-09-21T11:00:00.000Z");  // before kT0
  EXPECT_TRUE(created.body.at("duration_minutes").is_null());
  const auto call = Create(rep1_, "/api/v1/activities",
                           {{"type", "call"}, {"contact_id", c}, {"duration_minutes", 15}});
  EXPECT_EQ(As(rep1_, "GET", "/api/v1/activities/" + std::to_string(call)).Str("occurred_at"),
            core::FormatInstant(kT0));

  EXPECT_EQ(Ids(manager_, "/api/v1/activities"), (V{call, email}));
  EXPECT_EQ(Ids(manager_, "/api/v1/activities?sort=occurred_at"), (V{email, call}));
  EXPECT_EQ(Ids(manager_, "/api/v1/activities?type=call"), V{call});
  EXPECT_EQ(Ids(manager_, "/api/v1/activities?owner_id=" + std::to_string(marketer_id_)), V{email});
  EXPECT_EQ(Ids(manager_, "/api/v1/activities?contact_id=" + std::to_string(c) +
                              "&from=2026-09-21T11:00:00.001Z"),
            V{call});
  EXPECT_EQ(As(manager_, "GET", "/api/v1/activities?type=fax").ErrorField(), "type");

  const std::string path = "/api/v1/activities/" + std::to_string(email);
  EXPECT_EQ(As(rep1_, "PATCH", path, R"({"subject":"hijack"})").status(), 403);
  auto patched = As(marketer_, "PATCH", path, R"({"outcome":"replied","duration_minutes":5})");
  ASSERT_EQ(patched.status(), 200) << patched;
  EXPECT_EQ(patched.Str("outcome"), "replied");
  EXPECT_EQ(As(marketer_, "PATCH", path, R"({"contact_id":3})").ErrorField(), "contact_id");
  EXPECT_EQ(As(marketer_, "POST", "/api/v1/activities", R"({"subject":"no type"})").ErrorField(),
            "type");
  EXPECT_EQ(As(marketer_, "DELETE", path).status(), 204);
  EXPECT_EQ(As(marketer_, "GET", path).status(), 404);
}

}  // namespace
}  // namespace tandem::api::apitest
