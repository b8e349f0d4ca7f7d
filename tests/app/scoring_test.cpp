// Personas (versions, sign-offs), scoring rules, fit on contact changes, events, automatic MQL,
// explanations and the background re-score, over in-memory SQLite with a FakeClock.
#include "app/scoring.hpp"

#include "app_fixture.hpp"

namespace tandem::app::apptest {
namespace {

using core::ErrorCode;

class ScoringTest : public AppTest {
 protected:
  core::Persona DataLead() {
    core::Persona p;
    p.key = "data_lead";
    p.name = "Head of Data";
    core::Criterion title;
    title.property = "contact.title";
    title.op = core::CriterionOp::kPattern;
    title.values = {"*data*"};
    title.weight = 60;
    core::Criterion country;
    country.property = "contact.country";
    country.op = core::CriterionOp::kOneOf;
    country.values = {"FR", "DE"};
    country.weight = 40;
    p.criteria = {title, country};
    return p;
  }

  PersonaView MakePersona(core::Persona p) {
    auto r = svc().personas.Create(marketer(), std::move(p));
    EXPECT_TRUE(r) << r.error().message;
    return r.value_or(PersonaView{});
  }

  core::Contact Lead(const std::string& email, const std::string& title,
                     const std::string& country) {
    core::Contact c;
    c.email = email;
    c.first_name = "F";
    c.title = title;
    c.country = country;
    auto r = svc().contacts.Create(manager(), c);
    EXPECT_TRUE(r) << r.error().message;
    return r.value_or(core::Contact{});
  }

  std::optional<core::ContactScore> ScoreOf(core::Id id) {
    std::optional<core::ContactScore> out;
    EXPECT_TRUE(store_->Read([&](store::Tx& tx) -> core::Result<void> {
      TANDEM_ASSIGN(out, tx.scoring().GetScore(id));
      return {};
    }));
    return out;
  }

  core::Result<bool> Event(core::Id contact, std::string type, core::Instant at) {
    core::Result<bool> became{false};
    auto w = store_->Write([&](store::Tx& tx) -> core::Result<void> {
      TANDEM_ASSIGN(bool b, svc().scoring.ApplyEvent(tx, contact, type, at, clock_.Now()));
      became = b;
      return {};
    });
    if (!w) return core::Fail(w.error());
    return became;
  }

  core::Team MakeTeam(const std::string& name, core::TeamFunction f, core::Id manager_id) {
    core::Team t;
    t.name = name;
    t.function = f;
    t.manager_id = manager_id;
    auto r = svc().teams.Create(admin(), t);
    EXPECT_TRUE(r) << r.error().message;
    return r.value_or(core::Team{});
  }
};

// --- Personas -----------------------------------------------------------------------------

TEST_F(ScoringTest, MarketingCreatesPersonasEveryoneReads) {
  auto v = MakePersona(DataLead());
  EXPECT_GT(v.persona.id, 0);
  EXPECT_EQ(v.persona.version, 1);
  EXPECT_FALSE(v.signed_off);
  EXPECT_TRUE(v.rescore_job);
  auto got = svc().personas.Get(rep1(), v.persona.id);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->persona.criteria.size(), 2u);
  EXPECT_TRUE(FailsWith(svc().personas.Create(rep1(), DataLead()), ErrorCode::kPermissionDenied));
  EXPECT_TRUE(
      FailsWith(svc().personas.Create(manager(), DataLead()), ErrorCode::kPermissionDenied));
  EXPECT_TRUE(
      FailsWith(svc().personas.Create(marketer(), DataLead()), ErrorCode::kAlreadyExists, "key"));
  auto list = svc().personas.List(rep2(), false);
  ASSERT_TRUE(list);
  EXPECT_EQ(list->size(), 1u);
  EXPECT_FALSE(AuditOf("persona", v.persona.id).empty());
}

TEST_F(ScoringTest, InvalidPersonaNamesTheField) {
  auto p = DataLead();
  p.criteria[1].property = "contact.shoe_size";
  EXPECT_TRUE(FailsWith(svc().personas.Create(marketer(), p), ErrorCode::kInvalidArgument,
                        "criteria[1].property"));
  p = DataLead();
  p.key = "Data Lead";
  EXPECT_TRUE(FailsWith(svc().personas.Create(marketer(), p), ErrorCode::kInvalidArgument, "key"));
}

TEST_F(ScoringTest, EveryChangeIsANewVersionWithHistory) {
  auto v = MakePersona(DataLead());
  clock_.Advance(1min);
  PersonaPatch patch;
  patch.name = "Data leader";
  auto v2 = svc().personas.Update(admin(), v.persona.id, patch);
  ASSERT_TRUE(v2) << v2.error().message;
  EXPECT_EQ(v2->persona.version, 2);
  auto archived = svc().personas.Archive(marketer(), v.persona.id);
  ASSERT_TRUE(archived);
  EXPECT_EQ(archived->persona.version, 3);
  EXPECT_TRUE(archived->persona.archived);
  auto versions = svc().personas.Versions(rep1(), v.persona.id);
  ASSERT_TRUE(versions);
  ASSERT_EQ(versions->size(), 3u);
  EXPECT_EQ((*versions)[0].persona.name, "Head of Data");
  EXPECT_EQ((*versions)[1].persona.name, "Data leader");
  EXPECT_EQ((*versions)[0].changed_by, marketer_.id);
  EXPECT_EQ((*versions)[1].changed_by, admin_.id);
  EXPECT_EQ((*versions)[1].changed_at, kT0 + 1min);
  EXPECT_TRUE(svc().personas.List(admin(), false)->empty());
  EXPECT_TRUE(
      FailsWith(svc().personas.Update(rep1(), v.persona.id, patch), ErrorCode::kPermissionDenied));
  EXPECT_TRUE(FailsWith(svc().personas.Update(marketer(), 999, patch), ErrorCode::kNotFound));
}

TEST_F(ScoringTest, HeadsOfMarketingAndSalesSignTheCurrentVersion) {
  auto v = MakePersona(DataLead());
  core::User head_mkt = MakeUser("headmkt@acme.example", core::Role::kManager);
  core::User head_sales = MakeUser("headsales@acme.example", core::Role::kManager);
  MakeTeam("Marketing", core::TeamFunction::kMarketing, head_mkt.id);
  MakeTeam("Sales EMEA", core::TeamFunction::kSales, head_sales.id);

  // A plain manager of no team, a marketer, a rep: none of them heads a team.
  EXPECT_TRUE(FailsWith(svc().personas.SignOff(manager(), v.persona.id, 1, std::nullopt, ""),
                        ErrorCode::kPermissionDenied));
  EXPECT_TRUE(FailsWith(svc().personas.SignOff(marketer(), v.persona.id, 1, std::nullopt, ""),
                        ErrorCode::kPermissionDenied));
  // The head of sales cannot sign as head of marketing.
  EXPECT_TRUE(FailsWith(svc().personas.SignOff(PrincipalOf(head_sales), v.persona.id, 1,
                                               core::SignoffCapacity::kHeadOfMarketing, ""),
                        ErrorCode::kPermissionDenied));
  // A stale version is refused.
  EXPECT_TRUE(
      FailsWith(svc().personas.SignOff(PrincipalOf(head_mkt), v.persona.id, 2, std::nullopt, ""),
                ErrorCode::kFailedPrecondition, "version"));

  auto one = svc().personas.SignOff(PrincipalOf(head_mkt), v.persona.id, 1, std::nullopt, "ok");
  ASSERT_TRUE(one) << one.error().message;
  EXPECT_FALSE(one->signed_off);
  EXPECT_TRUE(
      FailsWith(svc().personas.SignOff(PrincipalOf(head_mkt), v.persona.id, 1, std::nullopt, ""),
                ErrorCode::kAlreadyExists, "capacity"));
  auto two = svc().personas.SignOff(PrincipalOf(head_sales), v.persona.id, std::nullopt,
                                    std::nullopt, "agreed");
  ASSERT_TRUE(two) << two.error().message;
  EXPECT_TRUE(two->signed_off);
  ASSERT_EQ(two->signoffs.size(), 2u);
  EXPECT_EQ(two->signoffs[0].user_email, "headmkt@acme.example");
  EXPECT_EQ(two->signoffs[0].capacity, core::SignoffCapacity::kHeadOfMarketing);
  EXPECT_EQ(two->signoffs[1].capacity, core::SignoffCapacity::kHeadOfSales);
  EXPECT_EQ(two->signoffs[1].note, "agreed");
  EXPECT_EQ(two->signoffs[1].signed_at, kT0);

  // A new version needs new sign-offs; the old ones stay in the record.
  PersonaPatch patch;
  patch.description = "now with more detail";
  auto v2 = svc().personas.Update(marketer(), v.persona.id, patch);
  ASSERT_TRUE(v2);
  EXPECT_FALSE(v2->signed_off);
  EXPECT_EQ(v2->signoffs.size(), 2u);
}

TEST_F(ScoringTest, AdminSignsInEitherCapacityButMustSayWhich) {
  auto v = MakePersona(DataLead());
  EXPECT_TRUE(FailsWith(svc().personas.SignOff(admin(), v.persona.id, 1, std::nullopt, ""),
                        ErrorCode::kInvalidArgument, "capacity"));
  ASSERT_TRUE(
      svc().personas.SignOff(admin(), v.persona.id, 1, core::SignoffCapacity::kHeadOfSales, ""));
  auto both =
      svc().personas.SignOff(admin(), v.persona.id, 1, core::SignoffCapacity::kHeadOfMarketing, "");
  ASSERT_TRUE(both);
  EXPECT_TRUE(both->signed_off);
}

TEST_F(ScoringTest, ApiKeysCannotSignOff) {
  auto v = MakePersona(DataLead());
  core::Principal key = admin();
  key.scopes = std::vector<core::Scope>{core::Scope::kWrite};
  EXPECT_TRUE(FailsWith(
      svc().personas.SignOff(key, v.persona.id, 1, core::SignoffCapacity::kHeadOfSales, ""),
      ErrorCode::kPermissionDenied));
}

TEST_F(ScoringTest, RevenueTeamManagerHoldsBothCapacities) {
  auto v = MakePersona(DataLead());
  core::User cro = MakeUser("cro@acme.example", core::Role::kManager);
  MakeTeam("Revenue", core::TeamFunction::kRevenue, cro.id);
  EXPECT_TRUE(FailsWith(svc().personas.SignOff(PrincipalOf(cro), v.persona.id, 1, std::nullopt, ""),
                        ErrorCode::kInvalidArgument, "capacity"));
}

// --- Rules --------------------------------------------------------------------------------

TEST_F(ScoringTest, DefaultRulesUntilSomeoneStoresThem) {
  auto r = svc().scoring.GetRules(rep1());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->version, 0);
  EXPECT_EQ(r->mql.expression, "fit >= 60 and engagement >= 40");
}

TEST_F(ScoringTest, PutRulesValidatesStoresAVersionAndQueuesARescore) {
  auto rules = core::DefaultScoringRules();
  rules.mql.expression = "fit >= 50 and engagment >= 10";
  auto bad = svc().scoring.PutRules(marketer(), rules);
  ASSERT_TRUE(FailsWith(bad, ErrorCode::kFailedPrecondition, "mql.expression"));
  EXPECT_NE(bad.error().message.find("at column 15"), std::string::npos) << bad.error().message;
  EXPECT_TRUE(FailsWith(svc().scoring.PutRules(rep1(), core::DefaultScoringRules()),
                        ErrorCode::kPermissionDenied));
  EXPECT_TRUE(FailsWith(svc().scoring.PutRules(manager(), core::DefaultScoringRules()),
                        ErrorCode::kPermissionDenied));
  rules.mql.expression = "fit >= 50";
  rules.half_life_days = -3;
  EXPECT_TRUE(FailsWith(svc().scoring.PutRules(marketer(), rules), ErrorCode::kInvalidArgument,
                        "half_life_days"));
  rules.half_life_days = 7;
  auto ok = svc().scoring.PutRules(marketer(), rules);
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->rules.version, 1);
  EXPECT_EQ(ok->job.status, core::JobStatus::kQueued);
  auto back = svc().scoring.GetRules(rep1());
  EXPECT_EQ(back->version, 1);
  EXPECT_EQ(back->half_life_days, 7);
  EXPECT_EQ(back->updated_by, marketer_.id);
  EXPECT_FALSE(AuditOf("scoring_rules", 1).empty());
}

// --- Fit on contact and company changes ---------------------------------------------------

TEST_F(ScoringTest, FitIsComputedOnCreateAndUpdate) {
  MakePersona(DataLead());
  auto c = Lead("ana@acme.example", "Head of Data", "FR");
  auto s = ScoreOf(c.id);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->fit, 100);
  EXPECT_EQ(s->grade, core::Grade::kA);
  ContactPatch patch;
  patch.title = "Office manager";
  ASSERT_TRUE(svc().contacts.Update(manager(), c.id, patch));
  s = ScoreOf(c.id);
  EXPECT_EQ(s->fit, 40);
  EXPECT_EQ(s->grade, core::Grade::kC);
}

TEST_F(ScoringTest, CompanyChangeRescoresItsContacts) {
  core::Persona p;
  p.key = "saas";
  p.name = "SaaS";
  core::Criterion ind;
  ind.property = "company.industry";
  ind.op = core::CriterionOp::kEquals;
  ind.values = {"saas"};
  p.criteria = {ind};
  MakePersona(p);
  core::Company co;
  co.name = "Acme";
  co.industry = "retail";
  auto company = svc().companies.Create(manager(), co);
  ASSERT_TRUE(company);
  core::Contact c;
  c.email = "bo@acme.example";
  c.company_id = company->id;
  auto contact = svc().contacts.Create(manager(), c);
  ASSERT_TRUE(contact);
  EXPECT_EQ(ScoreOf(contact->id)->fit, 0);
  CompanyPatch patch;
  patch.industry = "SaaS";
  ASSERT_TRUE(svc().companies.Update(manager(), company->id, patch));
  EXPECT_EQ(ScoreOf(contact->id)->fit, 100);
}

// --- Events and automatic MQL -------------------------------------------------------------

TEST_F(ScoringTest, EventMakesAQualifiedLeadAnMqlInTheSameTransaction) {
  MakePersona(DataLead());
  auto c = Lead("ana@acme.example", "Head of Data", "FR");
  auto first = Event(c.id, "form_submit", kT0);
  ASSERT_TRUE(first);
  EXPECT_FALSE(*first);
  EXPECT_EQ(GetContact(c.id).stage, core::Stage::kLead);
  auto second = Event(c.id, "demo_request", kT0 + 1s);
  ASSERT_TRUE(second);
  EXPECT_TRUE(*second);
  EXPECT_EQ(GetContact(c.id).stage, core::Stage::kMql);
  auto history = HistoryOf(c.id);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[1].cause, "mql_rule");
  EXPECT_EQ(history[1].reason, "rules v0: fit >= 60 and engagement >= 40");
  EXPECT_EQ(history[1].actor.name, "system:scoring");
  // Further events keep scoring but move nothing.
  auto third = Event(c.id, "demo_request", kT0 + 2s);
  ASSERT_TRUE(third);
  EXPECT_FALSE(*third);
  EXPECT_NEAR(ScoreOf(c.id)->engagement.value, 95, 1e-3);  // 15 + 40 + 40, two seconds of decay
}

// SLA compliance counts an MQL with the quality it was handed over with: the move into mql keeps
// the grade and persona of that moment, whatever the lead is scored later; a lead created
// straight into mql takes its first score's, a manual move the score it has.
TEST_F(ScoringTest, AnMqlKeepsTheQualityItQualifiedWith) {
  auto persona = MakePersona(DataLead());
  auto c = Lead("ana@acme.example", "Head of Data", "FR");
  ASSERT_TRUE(Event(c.id, "form_submit", kT0));
  ASSERT_TRUE(Event(c.id, "demo_request", kT0 + 1s));
  ASSERT_EQ(GetContact(c.id).stage, core::Stage::kMql);
  ContactPatch patch;
  patch.title = "Office manager";
  ASSERT_TRUE(svc().contacts.Update(manager(), c.id, patch));
  EXPECT_EQ(ScoreOf(c.id)->grade, core::Grade::kC);
  auto history = HistoryOf(c.id);
  ASSERT_EQ(history.size(), 2u);
  ASSERT_TRUE(history[1].quality);
  EXPECT_EQ(history[1].quality->grade, core::Grade::kA);
  EXPECT_EQ(history[1].quality->persona_id, std::optional<core::Id>(persona.persona.id));

  core::Contact straight;
  straight.email = "max@acme.example";
  straight.title = "Data engineer";
  straight.country = "DE";
  straight.stage = core::Stage::kMql;
  auto created = svc().contacts.Create(manager(), straight);
  ASSERT_TRUE(created) << created.error().message;
  auto first = HistoryOf(created->id);
  ASSERT_EQ(first.size(), 1u);
  ASSERT_TRUE(first[0].quality) << "filled by its first score";
  EXPECT_EQ(first[0].quality->grade, core::Grade::kA);

  auto manual = Lead("joe@acme.example", "Student", "US");
  ASSERT_TRUE(svc().contacts.ChangeStage(manager(), manual.id, core::Stage::kMql, ""));
  auto moved = HistoryOf(manual.id);
  ASSERT_EQ(moved.size(), 2u);
  ASSERT_TRUE(moved[1].quality);
  EXPECT_EQ(moved[1].quality->grade, core::Grade::kD);
  EXPECT_EQ(moved[1].quality->persona_id, std::nullopt);

  std::vector<core::MqlFact> mqls;
  ASSERT_TRUE(store_->Read([&](store::Tx& tx) -> core::Result<void> {
    TANDEM_ASSIGN(mqls, tx.handoff().MqlsBetween(kT0 - 1h, clock_.Now() + 1h));
    return {};
  }));
  ASSERT_EQ(mqls.size(), 3u);
  for (const auto& m : mqls) {
    if (m.contact_id == c.id) {
      EXPECT_TRUE(m.grade_ab) << "graded A as it qualified, C now";
      EXPECT_TRUE(m.persona_match);
    }
  }
}

TEST_F(ScoringTest, UnfitLeadsStayLeadsWhateverTheirEngagement) {
  MakePersona(DataLead());
  auto c = Lead("joe@gmail.com", "Student", "US");
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(Event(c.id, "demo_request", kT0 + std::chrono::seconds(i)));
  EXPECT_EQ(GetContact(c.id).stage, core::Stage::kLead);
  EXPECT_EQ(ScoreOf(c.id)->fit, 0);
}

TEST_F(ScoringTest, RecycledContactsRequalifyOnNewEvidence) {
  MakePersona(DataLead());
  auto c = Lead("ana@acme.example", "Head of Data", "FR");
  ASSERT_TRUE(svc().contacts.ChangeStage(manager(), c.id, core::Stage::kRecycled, "not now"));
  ASSERT_TRUE(Event(c.id, "demo_request", kT0));
  EXPECT_EQ(GetContact(c.id).stage, core::Stage::kMql);
}

TEST_F(ScoringTest, LaterStagesAreNeverMovedBack) {
  MakePersona(DataLead());
  auto c = Lead("ana@acme.example", "Head of Data", "FR");
  ASSERT_TRUE(svc().contacts.ChangeStage(manager(), c.id, core::Stage::kSql, ""));
  auto r = Event(c.id, "demo_request", kT0);
  ASSERT_TRUE(r);
  EXPECT_FALSE(*r);
  EXPECT_EQ(GetContact(c.id).stage, core::Stage::kSql);
}

TEST_F(ScoringTest, EventForUnknownContactIsNotFoundAndWritesNothing) {
  EXPECT_TRUE(FailsWith(Event(999, "page_view", kT0), ErrorCode::kNotFound));
}

TEST_F(ScoringTest, MergeFoldsEngagement) {
  auto a = Lead("a@acme.example", "x", "FR");
  auto b = Lead("b@acme.example", "y", "FR");
  ASSERT_TRUE(Event(a.id, "form_submit", kT0));
  ASSERT_TRUE(Event(b.id, "email_click", kT0));
  ASSERT_TRUE(
      store_->Write([&](store::Tx& tx) { return svc().scoring.MergeScores(tx, a.id, b.id, kT0); }));
  EXPECT_DOUBLE_EQ(ScoreOf(a.id)->engagement.value, 20);
}

// --- Explanation --------------------------------------------------------------------------

TEST_F(ScoringTest, ExplainsLineByLine) {
  MakePersona(DataLead());
  auto c = Lead("ana@acme.example", "Head of Data", "US");
  ASSERT_TRUE(Event(c.id, "demo_request", kT0));
  clock_.Advance(std::chrono::hours(24 * 30));
  auto e = svc().scoring.Explain(rep1(), c.id);
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_EQ(e->fit, 60);
  EXPECT_EQ(e->grade, core::Grade::kB);
  EXPECT_EQ(e->persona_key, "data_lead");
  EXPECT_NEAR(e->engagement, 20, 1e-9);
  EXPECT_FALSE(e->qualifies);
  std::vector<std::string> texts;
  for (const auto& l : e->lines) texts.push_back(l.text);
  ASSERT_EQ(texts.size(), 7u);
  EXPECT_EQ(texts[0], "matched: contact.title pattern [*data*] (weight 60)");
  EXPECT_EQ(texts[1], "not matched: contact.country one_of [FR, DE] (weight 40)");
  EXPECT_EQ(texts[2], "best persona: Head of Data (data_lead, version 1), fit 60 of 100");
  EXPECT_EQ(texts[3], "fit 60: grade B (fit >= 60)");
  EXPECT_EQ(texts[4], "engagement at the last event (2026-09-21T14:13:20.000Z): 40");
  EXPECT_EQ(texts[5], "decay since then (half-life 30 days): -20");
  EXPECT_EQ(texts[6],
            "MQL rule does not hold: fit >= 60 and engagement >= 40 (fit 60, engagement 20, "
            "grade B, persona data_lead)");
  EXPECT_TRUE(FailsWith(svc().scoring.Explain(rep1(), 999), ErrorCode::kNotFound));
}

// --- Re-score jobs ------------------------------------------------------------------------

TEST_F(ScoringTest, RuleChangeRescoresTheBaseInBatchesWithProgress) {
  // Jobs live in the store: any service instance runs them; this one takes 2 contacts a batch.
  ScoringService runner(*store_, clock_, ScoringSettings{.job_batch = 2});
  for (int i = 0; i < 5; ++i) Lead("l" + std::to_string(i) + "@acme.example", "Data", "FR");
  auto rules = core::DefaultScoringRules();
  rules.mql.expression = "fit >= 100";
  auto put = svc().scoring.PutRules(marketer(), rules);
  ASSERT_TRUE(put);
  auto job = svc().scoring.GetJob(rep1(), put->job.id);
  ASSERT_TRUE(job);
  EXPECT_EQ(job->total, 5);
  EXPECT_EQ(job->done, 0);
  // A persona created now supersedes the rules job.
  MakePersona(DataLead());
  EXPECT_EQ(svc().scoring.GetJob(rep1(), put->job.id)->status, core::JobStatus::kSuperseded);

  auto more = runner.RunJobBatch();
  ASSERT_TRUE(more);
  EXPECT_TRUE(*more);
  std::optional<core::ScoringJob> pending;
  ASSERT_TRUE(store_->Read([&](store::Tx& tx) -> core::Result<void> {
    TANDEM_ASSIGN(pending, tx.scoring().NextPendingJob());
    return {};
  }));
  ASSERT_TRUE(pending);
  EXPECT_EQ(pending->status, core::JobStatus::kRunning);
  EXPECT_EQ(pending->done, 2);
  int batches = 1;
  while (true) {
    ++batches;
    if (!*runner.RunJobBatch()) break;
  }
  EXPECT_EQ(batches, 3);  // 2 + 2 + 1
  auto done = svc().scoring.GetJob(admin(), pending->id);
  EXPECT_EQ(done->status, core::JobStatus::kDone);
  EXPECT_EQ(done->done, 5);
  EXPECT_EQ(done->qualified, 5);  // fit 100 >= 100: the rule holds, leads become MQLs
  EXPECT_TRUE(done->finished_at);
  EXPECT_TRUE(FailsWith(svc().scoring.GetJob(admin(), 999), ErrorCode::kNotFound));
}

}  // namespace
}  // namespace tandem::app::apptest
