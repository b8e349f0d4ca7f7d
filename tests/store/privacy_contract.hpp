// The privacy part of the store contract (included by store_contract.hpp inside the suite):
// consents, the export of every record naming a contact, erasure to a tombstone that keeps the
// funnel's and attribution's counts, and the purge of old events.
#pragma once

class PrivacyContractTest : public StoreContractTest {
 protected:
  static core::Consent NewConsent(Id contact, const std::string& purpose, Instant at) {
    core::Consent c;
    c.contact_id = contact;
    c.purpose = purpose;
    c.text = "I agree to " + purpose + ".";
    c.source = core::ConsentSource::kApi;
    c.given_at = at;
    return c;
  }

  Id AddEvent(Id contact, const std::string& event_id, Instant at, const std::string& campaign = "",
              const std::string& email = "") {
    core::Event e;
    e.event_id = event_id;
    e.type = campaign.empty() ? "page_view" : "email_click";
    e.occurred_at = at;
    e.received_at = at;
    e.email = email;
    e.anonymous_id = email.empty() ? "anon-" + event_id : "";
    e.contact_id = contact;
    e.utm_campaign = campaign;
    e.utm_source = campaign.empty() ? "" : "newsletter";
    e.properties = R"({"path":"/pricing"})";
    auto id = W([&](Tx& tx) { return tx.events().Append(e); });
    EXPECT_TRUE(id && *id) << (id ? "replay" : id.error().message);
    return id && *id ? **id : 0;
  }

  // A contact who went lead -> mql -> sql with a won deal, events, a consent, an identity, an
  // activity, a form post, an outbox message, a notification and audited changes.
  Id AddPerson(const std::string& email, const std::string& first, Id owner) {
    Contact c = NewContact(email, At(0));
    c.first_name = first;
    c.last_name = "Person";
    c.phone = "+49 30 1234";
    c.title = "CTO";
    c.owner_id = owner;
    c.campaign = "spring";
    c.source = "newsletter";
    c.custom = {{"shoe_size", "44"}};
    c.stage = Stage::kSql;
    const Id id = AddContact(c);
    EXPECT_TRUE(W([&](Tx& tx) -> Result<bool> {
      std::optional<Stage> from;
      std::int64_t t = 0;
      for (Stage to : {Stage::kLead, Stage::kMql, Stage::kSql}) {
        core::StageChange ch;
        ch.contact_id = id;
        ch.from = from;
        ch.to = to;
        ch.at = At(t += 3'600'000);
        ch.actor = core::Actor::System("test");
        TANDEM_TRY(tx.stages().Append(ch));
        from = to;
      }
      TANDEM_TRY(tx.identities().Link(IdentityKind::kAnonymous, "anon-" + email, id, At(1)));
      TANDEM_TRY(store::PrivacyOf(tx).InsertConsent(NewConsent(id, "newsletter", At(2))));
      Deal d;
      d.title = first + " Person's deal";
      d.contact_id = id;
      d.amount_minor = 500'000;
      d.stage = core::DealStage::kWon;
      d.closed_at = At(50'000'000);
      d.created_at = d.updated_at = At(40'000'000);
      TANDEM_TRY(tx.deals().Insert(d));
      Activity a;
      a.type = core::ActivityType::kCall;
      a.contact_id = id;
      a.owner_id = owner;
      a.occurred_at = At(5);
      a.subject = "Call with " + first;
      a.outcome = "connected";
      a.body = first + " wants a demo";
      a.created_at = a.updated_at = At(5);
      TANDEM_TRY(tx.activities().Insert(a));
      core::OutboxMessage m;
      m.event_type = "lead.assigned";
      m.contact_id = id;
      m.payload = R"({"email":")" + email + R"("})";
      m.created_at = At(6);
      TANDEM_TRY(tx.outbox().Append(m));
      core::AuditEntry e;
      e.at = At(7);
      e.actor = core::Actor::System("test");
      e.entity = "contact";
      e.entity_id = id;
      e.action = AuditAction::kUpdate;
      e.changes = {{"first_name", "", first}, {"stage", "lead", "mql"}};
      TANDEM_TRY(tx.audit().Append(e));
      return true;
    }));
    AddEvent(id, email + "-1", At(10), "", email);
    AddEvent(id, email + "-2", At(20), "spring");
    return id;
  }

  std::vector<core::FunnelCounts> Funnel() {
    core::FunnelQuery q;
    q.from = At(-1'000'000);
    q.to = At(1'000'000'000);
    auto f = R([&](Tx& tx) { return tx.analytics().Funnel(q); });
    EXPECT_TRUE(f) << f.error().message;
    return f.value_or(std::vector<core::FunnelCounts>{});
  }

  std::vector<core::DealTouches> Touches() {
    core::AttributionQuery q;
    q.from = At(-1'000'000);
    q.to = At(1'000'000'000);
    auto t = R([&](Tx& tx) { return tx.feedback().DealTouches(q); });
    EXPECT_TRUE(t) << t.error().message;
    return t.value_or(std::vector<core::DealTouches>{});
  }

  const core::RecordTable* TableOf(const core::PersonalRecords& r, const std::string& name) {
    for (const auto& t : r.tables) {
      if (t.table == name) return &t;
    }
    return nullptr;
  }
};

TEST_P(PrivacyContractTest, ConsentsRoundTripWithdrawOnceAndFollowMerges) {
  const Id user = AddUser("rep@example.com");
  const Id keep = AddContact(NewContact("keep@example.com"));
  const Id other = AddContact(NewContact("other@example.com"));
  core::Consent c = NewConsent(other, kTricky, At(1));
  c.source = core::ConsentSource::kImport;
  c.import_job_id = 7;
  c.import_row = 12;
  auto first = W([&](Tx& tx) { return store::PrivacyOf(tx).InsertConsent(c); });
  ASSERT_TRUE(first) << first.error().message;
  core::Consent f = NewConsent(other, "webinar", At(2));
  f.source = core::ConsentSource::kForm;
  f.form_id = 3;
  f.submission_id = 4;
  f.recorded_by = user;
  auto second = W([&](Tx& tx) { return store::PrivacyOf(tx).InsertConsent(f); });
  ASSERT_TRUE(second);
  EXPECT_GT(*second, *first);

  auto list = R([&](Tx& tx) { return store::PrivacyOf(tx).ListConsents(other); });
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].id, *first);
  EXPECT_EQ((*list)[0].purpose, kTricky);
  EXPECT_EQ((*list)[0].text, c.text);
  EXPECT_EQ((*list)[0].source, core::ConsentSource::kImport);
  EXPECT_EQ((*list)[0].import_job_id, 7);
  EXPECT_EQ((*list)[0].import_row, 12);
  EXPECT_FALSE((*list)[0].form_id);
  EXPECT_EQ((*list)[0].given_at, At(1));
  EXPECT_FALSE((*list)[0].withdrawn_at);
  EXPECT_EQ((*list)[1].form_id, 3);
  EXPECT_EQ((*list)[1].submission_id, 4);
  EXPECT_EQ((*list)[1].recorded_by, user);

  ASSERT_TRUE(W([&](Tx& tx) -> Result<bool> {
    TANDEM_TRY(store::PrivacyOf(tx).WithdrawConsent(*first, At(9), user));
    return true;
  }));
  EXPECT_ERROR(W([&](Tx& tx) -> Result<bool> {
                 TANDEM_TRY(store::PrivacyOf(tx).WithdrawConsent(*first, At(10), std::nullopt));
                 return true;
               }),
               ErrorCode::kFailedPrecondition, "");
  EXPECT_ERROR(
      W([&](Tx& tx) -> Result<bool> {
        TANDEM_TRY(store::PrivacyOf(tx).WithdrawConsent(*second + 100, At(10), std::nullopt));
        return true;
      }),
      ErrorCode::kNotFound, "");
  auto got = R([&](Tx& tx) { return store::PrivacyOf(tx).GetConsent(*first); });
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->withdrawn_at, At(9));  // the first stamp stays
  EXPECT_EQ((*got)->withdrawn_by, user);

  ASSERT_TRUE(W([&](Tx& tx) -> Result<bool> {
    TANDEM_TRY(tx.identities().MoveRecords(other, keep));
    TANDEM_TRY(tx.contacts().Delete(other));
    return true;
  }));
  auto moved = R([&](Tx& tx) { return store::PrivacyOf(tx).ListConsents(keep); });
  ASSERT_TRUE(moved);
  EXPECT_EQ(moved->size(), 2u);
  EXPECT_ERROR(
      W([&](Tx& tx) { return store::PrivacyOf(tx).InsertConsent(NewConsent(other, "x", At(1))); }),
      ErrorCode::kInvalidArgument, "contact_id");
}

// The export lists every table with a contact_id column: a table added later without being
// added to the export fails here.
TEST_P(PrivacyContractTest, ExportCoversEveryTableNamingAContactAndOnlyTheirRows) {
  const Id rep = AddUser("rep@example.com");
  const Id ann = AddPerson("ann@example.com", "Ann", rep);
  AddPerson("bob@example.com", "Bob", rep);

  auto records = R([&](Tx& tx) { return store::PrivacyOf(tx).Export(ann); });
  ASSERT_TRUE(records) << records.error().message;
  auto naming = R([&](Tx& tx) { return store::PrivacyOf(tx).TablesNamingContacts(); });
  ASSERT_TRUE(naming);
  EXPECT_GE(naming->size(), 10u);
  for (const std::string& table : *naming) {
    EXPECT_NE(TableOf(*records, table), nullptr)
        << "table " << table << " has a contact_id column but is not exported";
  }
  auto rows = [&](const std::string& table) {
    const auto* t = TableOf(*records, table);
    return t == nullptr ? std::size_t{0} : t->rows.size();
  };
  EXPECT_EQ(rows("events"), 2u);
  EXPECT_EQ(rows("identities"), 1u);
  EXPECT_EQ(rows("consents"), 1u);
  EXPECT_EQ(rows("stage_history"), 3u);
  EXPECT_EQ(rows("deals"), 1u);
  EXPECT_EQ(rows("activities"), 1u);
  EXPECT_EQ(rows("outbox"), 1u);
  EXPECT_EQ(rows("audit_log"), 1u);
  EXPECT_EQ(rows("audit_changes"), 2u);
  // Values as stored, under their column names.
  const auto* events = TableOf(*records, "events");
  ASSERT_NE(events, nullptr);
  const auto col = std::find(events->columns.begin(), events->columns.end(), "email");
  ASSERT_NE(col, events->columns.end());
  const auto i = static_cast<std::size_t>(col - events->columns.begin());
  EXPECT_EQ(std::get<std::string>(events->rows[0][i]), "ann@example.com");
  for (const auto& row : events->rows) {
    const auto c = std::find(events->columns.begin(), events->columns.end(), "contact_id");
    EXPECT_EQ(std::get<std::int64_t>(row[c - events->columns.begin()]), ann);
  }
}

TEST_P(PrivacyContractTest, EraseLeavesATombstoneThatKeepsFunnelAndAttributionCounts) {
  const Id rep = AddUser("rep@example.com");
  const Id ann = AddPerson("ann@example.com", "Annabel", rep);
  const Id bob = AddPerson("bob@example.com", "Bob", rep);
  const auto funnel_before = Funnel();
  const auto touches_before = Touches();
  ASSERT_EQ(touches_before.size(), 2u);

  auto n = W([&](Tx& tx) { return store::PrivacyOf(tx).Erase(ann, At(100)); });
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(n->events_deleted, 1);
  EXPECT_EQ(n->events_kept_anonymous, 1);
  EXPECT_EQ(n->identities, 1);
  EXPECT_EQ(n->consents, 1);
  EXPECT_EQ(n->activities, 1);
  EXPECT_EQ(n->deals, 1);
  EXPECT_EQ(n->outbox_messages, 1);
  EXPECT_EQ(n->audit_changes, 1);  // first_name; the stage change is not personal

  // The tombstone.
  auto tomb = GetContact(ann);
  ASSERT_TRUE(tomb);
  EXPECT_EQ(tomb->email, core::TombstoneEmail(ann));
  EXPECT_EQ(tomb->first_name, "");
  EXPECT_EQ(tomb->last_name, "");
  EXPECT_EQ(tomb->phone, "");
  EXPECT_EQ(tomb->title, "");
  EXPECT_TRUE(tomb->custom.empty());
  EXPECT_EQ(tomb->stage, Stage::kSql);
  EXPECT_EQ(tomb->campaign, "spring");
  EXPECT_TRUE(*R([&](Tx& tx) { return store::PrivacyOf(tx).IsErased(ann); }));
  EXPECT_FALSE(*R([&](Tx& tx) { return store::PrivacyOf(tx).IsErased(bob); }));

  // Gone from lookups, the list and search.
  auto by_email = R([&](Tx& tx) { return tx.contacts().FindByEmail("ann@example.com"); });
  ASSERT_TRUE(by_email);
  EXPECT_FALSE(*by_email);
  auto reach = R([&](Tx& tx) { return tx.identities().FindContactByEmail("ann@example.com"); });
  ASSERT_TRUE(reach);
  EXPECT_FALSE(*reach);
  auto anon = R([&](Tx& tx) {
    return tx.identities().Find(IdentityKind::kAnonymous, "anon-ann@example.com");
  });
  ASSERT_TRUE(anon);
  EXPECT_FALSE(*anon);
  core::ContactQuery all;
  all.page.limit = 50;
  EXPECT_EQ(WalkContacts(all), std::vector<Id>{bob});
  core::ContactQuery search;
  search.text = "Annabel";
  EXPECT_TRUE(WalkContacts(search).empty());
  search.text = "erased";
  EXPECT_TRUE(WalkContacts(search).empty());

  // What is left of the records.
  auto events = R([&](Tx& tx) { return tx.events().ListForContact(ann, 10); });
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].email, "");
  EXPECT_EQ((*events)[0].properties, "{}");
  EXPECT_EQ((*events)[0].utm_campaign, "spring");
  EXPECT_EQ((*events)[0].event_id.rfind("erased-", 0), 0u);
  auto consents = R([&](Tx& tx) { return store::PrivacyOf(tx).ListConsents(ann); });
  ASSERT_TRUE(consents);
  EXPECT_TRUE(consents->empty());
  auto history = R([&](Tx& tx) { return tx.stages().ListForContact(ann); });
  ASSERT_TRUE(history);
  EXPECT_EQ(history->size(), 3u);
  auto records = R([&](Tx& tx) { return store::PrivacyOf(tx).Export(ann); });
  ASSERT_TRUE(records);
  for (const auto& t : records->tables) {
    for (const auto& row : t.rows) {
      for (const auto& v : row) {
        if (const auto* s = std::get_if<std::string>(&v)) {
          EXPECT_EQ(s->find("Annabel"), std::string::npos) << t.table << ": " << *s;
          EXPECT_EQ(s->find("ann@example.com"), std::string::npos) << t.table << ": " << *s;
        }
      }
    }
  }
  auto outbox = R([&](Tx& tx) { return tx.outbox().ListAfter(0, 10); });
  ASSERT_TRUE(outbox);
  ASSERT_EQ(outbox->size(), 2u);
  EXPECT_EQ((*outbox)[0].payload.find("ann@"), std::string::npos);
  EXPECT_NE((*outbox)[1].payload.find("bob@"), std::string::npos);

  // Bob untouched.
  auto bob_now = GetContact(bob);
  ASSERT_TRUE(bob_now);
  EXPECT_EQ(bob_now->first_name, "Bob");
  auto bob_events = R([&](Tx& tx) { return tx.events().CountForContact(bob); });
  EXPECT_EQ(*bob_events, 2);

  // The counts.
  const auto funnel_after = Funnel();
  ASSERT_EQ(funnel_after.size(), funnel_before.size());
  for (std::size_t i = 0; i < funnel_after.size(); ++i) {
    EXPECT_EQ(funnel_after[i].reached, funnel_before[i].reached);
    EXPECT_EQ(funnel_after[i].base, funnel_before[i].base);
    EXPECT_EQ(funnel_after[i].passed, funnel_before[i].passed);
  }
  const auto touches_after = Touches();
  ASSERT_EQ(touches_after.size(), touches_before.size());
  for (std::size_t i = 0; i < touches_after.size(); ++i) {
    EXPECT_EQ(touches_after[i].amount_minor, touches_before[i].amount_minor);
    ASSERT_EQ(touches_after[i].touches.size(), touches_before[i].touches.size());
    for (std::size_t j = 0; j < touches_after[i].touches.size(); ++j) {
      EXPECT_EQ(touches_after[i].touches[j].key, touches_before[i].touches[j].key);
    }
  }
  auto counts = R([&](Tx& tx) { return tx.contacts().CountByStage(); });
  ASSERT_TRUE(counts);
  ASSERT_EQ(counts->size(), 1u);
  EXPECT_EQ((*counts)[0].second, 2);

  EXPECT_ERROR(W([&](Tx& tx) { return store::PrivacyOf(tx).Erase(ann, At(200)); }),
               ErrorCode::kFailedPrecondition, "");
  EXPECT_ERROR(W([&](Tx& tx) { return store::PrivacyOf(tx).Erase(bob + 100, At(200)); }),
               ErrorCode::kNotFound, "");
  // The email is free again: the person may come back as a new contact.
  EXPECT_GT(AddContact(NewContact("ann@example.com")), bob);
}

TEST_P(PrivacyContractTest, EventPurgeCountsAndDeletesOnlyOlderEventsInBatches) {
  const Id c = AddContact(NewContact("ann@example.com"));
  for (int i = 0; i < 7; ++i) AddEvent(c, "e" + std::to_string(i), At(i * 1000));
  auto count = R([&](Tx& tx) { return store::PrivacyOf(tx).CountEventsBefore(At(5000)); });
  ASSERT_TRUE(count);
  EXPECT_EQ(*count, 5);
  auto first = W([&](Tx& tx) { return store::PrivacyOf(tx).DeleteEventsBefore(At(5000), 3); });
  ASSERT_TRUE(first);
  EXPECT_EQ(*first, 3);
  auto second = W([&](Tx& tx) { return store::PrivacyOf(tx).DeleteEventsBefore(At(5000), 3); });
  ASSERT_TRUE(second);
  EXPECT_EQ(*second, 2);
  auto left = R([&](Tx& tx) { return tx.events().ListForContact(c, 10); });
  ASSERT_TRUE(left);
  ASSERT_EQ(left->size(), 2u);
  EXPECT_EQ((*left)[1].occurred_at, At(5000));  // the cutoff itself stays
  EXPECT_ERROR(W([&](Tx& tx) { return store::PrivacyOf(tx).DeleteEventsBefore(At(5000), 0); }),
               ErrorCode::kInvalidArgument, "limit");
}
