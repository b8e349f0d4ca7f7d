// POST /api/v1/contacts/bulk-assign and GET /api/v1/contacts/export.csv.
#include "api/api_fixture.hpp"
#include "app/handoff_fixture.hpp"
#include "core/csv.hpp"

namespace tandem::api::apitest {
namespace {

using app::apptest::HandoffContract;
using app::apptest::kFriday1730Paris;

class BulkApiTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    clock_.Set(kFriday1730Paris);
    admin_ = Login("admin@acme.example");
    manager_ = Login("manager@acme.example");
    marketer_ = Login("marketer@acme.example");
    rep1_ = Login("rep1@acme.example");
    rep2_ = Login("rep2@acme.example");
  }

  void Activate() {
    auto v = services_->contracts.ActivateAsOperator(HandoffContract(), std::nullopt, std::nullopt);
    ASSERT_TRUE(v) << v.error().message;
  }

  Reply Assign(const std::string& token, const json::object& body) {
    return As(token, "POST", "/api/v1/contacts/bulk-assign", WriteJson(body));
  }

  std::optional<core::Id> OwnerOf(core::Id id) {
    auto r = As(manager_, "GET", "/api/v1/contacts/" + std::to_string(id));
    if (r.body.at("owner_id").is_null()) return std::nullopt;
    return r.body.at("owner_id").as_int64();
  }

  // The lead.assigned messages in the outbox for `contact`.
  std::vector<core::OutboxMessage> Assigned(core::Id contact) {
    std::vector<core::OutboxMessage> out;
    auto r = store_->Read([&](store::Tx& tx) -> core::Result<void> {
      TANDEM_ASSIGN(auto all, tx.outbox().ListAfter(0, 1000));
      for (auto& m : all) {
        if (m.event_type == "lead.assigned" && m.contact_id == contact) out.push_back(m);
      }
      return {};
    });
    EXPECT_TRUE(r);
    return out;
  }

  // Drains a streamed export into one text, as a client would receive it.
  static std::string Drain(Reply& r, int* pieces = nullptr) {
    std::string text = r.raw.body;
    int n = 0;
    while (r.raw.stream) {
      std::string piece;
      auto more = r.raw.stream(piece);
      EXPECT_TRUE(more) << more.error().message;
      if (!more) break;
      text += piece;
      ++n;
      if (!*more) break;
    }
    if (pieces) *pieces = n;
    return text;
  }
};

TEST_F(BulkApiTest, ManagerAssignsLeadsThroughTheHandoffWithClocksAndNotification) {
  Activate();
  const core::Id lead = NewContact("lead@client.example");
  const core::Id mql = NewContact("mql@client.example");
  ASSERT_EQ(As(manager_, "POST", "/api/v1/contacts/" + std::to_string(mql) + "/stage",
               R"({"stage":"mql"})")
                .status(),
            200);
  const auto routed_to = OwnerOf(mql);
  ASSERT_TRUE(routed_to);
  const core::Id other = *routed_to == rep1_id_ ? rep2_id_ : rep1_id_;
  ASSERT_EQ(Assigned(mql).size(), 1u);

  auto r = Assign(manager_, {{"owner_id", other}, {"ids", json::array{lead, mql}}});
  ASSERT_EQ(r.status(), 200) << r;
  EXPECT_EQ(r.Int("matched"), 2);
  EXPECT_EQ(r.Int("assigned"), 2);
  EXPECT_EQ(r.Int("handed_over"), 1);
  EXPECT_EQ(OwnerOf(lead), other);
  EXPECT_EQ(OwnerOf(mql), other);

  // The lead in the handoff: the routed assignment ended as reassigned, a manual one is open
  // for the new owner with fresh clocks, and they were told.
  auto h = As(manager_, "GET", "/api/v1/contacts/" + std::to_string(mql) + "/handoff");
  ASSERT_EQ(h.status(), 200) << h;
  const auto& assignments = h.body.at("assignments").as_array();
  ASSERT_EQ(assignments.size(), 2u) << h;
  EXPECT_EQ(S(assignments[0].at("rule")), "manual");
  EXPECT_EQ(S(assignments[0].at("status")), "open");
  EXPECT_EQ(assignments[0].at("owner_id").as_int64(), other);
  EXPECT_EQ(S(assignments[1].at("status")), "reassigned");
  int open_for_new_owner = 0;
  for (const auto& c : h.body.at("clocks").as_array()) {
    if (S(c.at("state")) == "open") {
      EXPECT_EQ(c.at("owner_id").as_int64(), other) << c;
      ++open_for_new_owner;
    }
  }
  EXPECT_GT(open_for_new_owner, 0) << h;
  auto told = Assigned(mql);
  ASSERT_EQ(told.size(), 2u);
  EXPECT_EQ(told[1].user_id, other);

  // Assigning again to the same owner changes nothing.
  auto again = Assign(manager_, {{"owner_id", other}, {"ids", json::array{lead, mql}}});
  ASSERT_EQ(again.status(), 200) << again;
  EXPECT_EQ(again.Int("assigned"), 0);
  EXPECT_EQ(again.obj().at("unchanged").as_array().size(), 2u);
  EXPECT_EQ(Assigned(mql).size(), 2u);

  // Audited under the manager.
  auto audit = As(admin_, "GET", "/api/v1/audit?entity=contact&entity_id=" + std::to_string(lead));
  ASSERT_EQ(audit.status(), 200) << audit;
  ASSERT_FALSE(audit.items().empty());
  EXPECT_EQ(audit.items()[0].at("actor").at("user_id").as_int64(), manager_id_) << audit;
}

TEST_F(BulkApiTest, AFilterAssignsEveryMatchingContactAndTooManyAssignNone) {
  for (int i = 0; i < 3; ++i)
    NewContact("w" + std::to_string(i) + "@x.example", {{"source", "webinar"}});
  const core::Id kept = NewContact("ads@x.example", {{"source", "ads"}});
  auto r = Assign(manager_, {{"owner_id", rep2_id_}, {"filter", "source=webinar&owner=none"}});
  ASSERT_EQ(r.status(), 200) << r;
  EXPECT_EQ(r.Int("matched"), 3);
  EXPECT_EQ(r.Int("assigned"), 3);
  EXPECT_EQ(r.Int("handed_over"), 0);
  EXPECT_EQ(OwnerOf(kept), std::nullopt);
  auto mine = As(rep2_, "GET", "/api/v1/contacts?owner=me");
  EXPECT_EQ(mine.items().size(), 3u);

  // More than the limit match: refused before anything changes.
  std::vector<core::Contact> many(app::kMaxBulkAssign);
  for (std::size_t i = 0; i < many.size(); ++i) {
    many[i].email = "bulk" + std::to_string(i) + "@y.example";
    many[i].source = "fair";
    many[i].created_at = many[i].updated_at = many[i].stage_entered_at = kT0;
  }
  ASSERT_TRUE(store_->Write([&](store::Tx& tx) { return tx.contacts().InsertMany(many); }));
  auto ok = Assign(manager_, {{"owner_id", rep1_id_}, {"filter", "source=fair"}});
  ASSERT_EQ(ok.status(), 200) << ok;
  EXPECT_EQ(ok.Int("matched"), app::kMaxBulkAssign);
  NewContact("one-more@y.example", {{"source", "fair"}});
  auto too_many = Assign(manager_, {{"owner_id", rep2_id_}, {"filter", "source=fair"}});
  EXPECT_EQ(too_many.status(), 422) << too_many;
  EXPECT_EQ(too_many.ErrorField(), "filter");
  auto still = As(rep2_, "GET", "/api/v1/contacts?owner=me");
  EXPECT_EQ(still.items().size(), 3u);
}

TEST_F(BulkApiTest, RolesDecideWhoAssignsWhatAndBadRequestsNameTheirField) {
  const core::Id free = NewContact("free@x.example");
  const core::Id owned = NewContact("owned@x.example", {{"owner_id", rep1_id_}});
  auto rep = Assign(rep1_, {{"owner_id", rep2_id_}, {"ids", json::array{owned}}});
  EXPECT_EQ(rep.status(), 403) << rep;
  auto marketing_free = Assign(marketer_, {{"owner_id", rep2_id_}, {"ids", json::array{free}}});
  EXPECT_EQ(marketing_free.status(), 200) << marketing_free;
  // Marketing may not take a lead from its owner, and then nothing of the batch is assigned.
  const core::Id free2 = NewContact("free2@x.example");
  auto mixed = Assign(marketer_, {{"owner_id", rep2_id_}, {"ids", json::array{free2, owned}}});
  EXPECT_EQ(mixed.status(), 403) << mixed;
  EXPECT_EQ(OwnerOf(free2), std::nullopt);
  EXPECT_EQ(OwnerOf(owned), rep1_id_);

  struct Case {
    json::object body;
    int status;
    std::string field;
  };
  const std::vector<Case> cases = {
      {{{"ids", json::array{free}}}, 400, "owner_id"},
      {{{"owner_id", rep2_id_}}, 400, "ids"},
      {{{"owner_id", rep2_id_}, {"ids", json::array{free}}, {"filter", ""}}, 400, "filter"},
      {{{"owner_id", rep2_id_}, {"ids", json::array{}}}, 400, "ids"},
      {{{"owner_id", rep2_id_}, {"ids", json::array{free, free}}}, 400, "ids"},
      {{{"owner_id", rep2_id_}, {"ids", json::array{0}}}, 400, "ids"},
      {{{"owner_id", rep2_id_}, {"ids", json::array{"1"}}}, 400, "ids"},
      {{{"owner_id", rep2_id_}, {"ids", json::array{free + 1000}}}, 400, "ids"},
      {{{"owner_id", 9999}, {"ids", json::array{free}}}, 400, "owner_id"},
      {{{"owner_id", rep2_id_}, {"filter", "stage=nonsense"}}, 400, "filter"},
      {{{"owner_id", rep2_id_}, {"filter", "limit=5"}}, 400, "filter"},
  };
  for (const auto& c : cases) {
    auto r = Assign(manager_, c.body);
    EXPECT_EQ(r.status(), c.status) << WriteJson(c.body) << " -> " << r;
    if (r.status() >= 400) EXPECT_EQ(r.ErrorField(), c.field) << WriteJson(c.body) << " -> " << r;
  }
  json::array too_many;
  for (int i = 1; i <= 1001; ++i) too_many.push_back(i);
  auto big = Assign(manager_, {{"owner_id", rep2_id_}, {"ids", too_many}});
  EXPECT_EQ(big.status(), 400);
  EXPECT_EQ(big.ErrorField(), "ids");

  // A deactivated user takes no leads.
  ASSERT_EQ(As(admin_, "PATCH", "/api/v1/users/" + std::to_string(rep2_id_), R"({"active":false})")
                .status(),
            200);
  auto inactive = Assign(manager_, {{"owner_id", rep2_id_}, {"ids", json::array{free2}}});
  EXPECT_EQ(inactive.status(), 400) << inactive;
  EXPECT_EQ(inactive.ErrorField(), "owner_id");
}

TEST_F(BulkApiTest, ExportStreamsEveryMatchingContactAsRfc4180CsvAndIsAudited) {
  std::vector<core::Contact> many(1203);
  for (std::size_t i = 0; i < many.size(); ++i) {
    many[i].email = "c" + std::to_string(i) + "@z.example";
    many[i].first_name = i == 7 ? "Smith, \"Jo\"" : "First";
    many[i].source = i % 2 == 0 ? "even" : "odd";
    many[i].owner_id = i == 8 ? std::optional<core::Id>(rep1_id_) : std::nullopt;
    many[i].created_at = many[i].updated_at = many[i].stage_entered_at =
        kT0 + std::chrono::seconds(i);
  }
  ASSERT_TRUE(store_->Write([&](store::Tx& tx) { return tx.contacts().InsertMany(many); }));
  auto r = As(marketer_, "GET", "/api/v1/contacts/export.csv?source=even&sort=created_at");
  ASSERT_EQ(r.status(), 200) << r;
  EXPECT_EQ(r.Header("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_EQ(r.Header("Content-Disposition"), "attachment; filename=\"contacts-2026-11-27.csv\"");
  ASSERT_TRUE(r.raw.stream);
  int pieces = 0;
  const std::string text = Drain(r, &pieces);
  EXPECT_EQ(pieces, 2);  // 602 rows in pages of 500: one store read per piece
  std::vector<std::vector<std::string>> rows;
  core::csv::Reader reader;
  auto sink = [&](const core::csv::Record& rec) -> core::Result<void> {
    rows.emplace_back(rec.fields.begin(), rec.fields.end());
    return {};
  };
  ASSERT_TRUE(reader.Feed(text, sink));
  ASSERT_TRUE(reader.Finish(sink));
  ASSERT_EQ(rows.size(), 1u + 602u);
  EXPECT_EQ(rows[0][0], "id");
  EXPECT_EQ(rows[0][1], "email");
  EXPECT_EQ(rows[0][8], "owner_email");
  EXPECT_EQ(rows[1][1], "c0@z.example");
  EXPECT_EQ(rows[602][1], "c1202@z.example");
  EXPECT_EQ(rows[5][1], "c8@z.example");
  EXPECT_EQ(rows[5][8], "rep1@acme.example");
  EXPECT_NE(text.find("\r\n"), std::string::npos);

  auto audit = As(admin_, "GET", "/api/v1/audit?entity=contacts_export");
  ASSERT_EQ(audit.status(), 200) << audit;
  ASSERT_EQ(audit.items().size(), 1u);
  EXPECT_EQ(audit.items()[0].at("actor").at("user_id").as_int64(), marketer_id_) << audit;

  EXPECT_EQ(As(marketer_, "GET", "/api/v1/contacts/export.csv?stage=bogus").status(), 400);
  EXPECT_EQ(As(marketer_, "GET", "/api/v1/contacts/export.csv?limit=5").status(), 400);
  EXPECT_EQ(Send("GET", "/api/v1/contacts/export.csv").status(), 401);
  auto empty = As(marketer_, "GET", "/api/v1/contacts/export.csv?source=none-such");
  ASSERT_EQ(empty.status(), 200);
  EXPECT_EQ(Drain(empty).find("c0@"), std::string::npos);
}

}  // namespace
}  // namespace tandem::api::apitest
