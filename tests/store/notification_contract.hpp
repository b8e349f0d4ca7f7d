// The store contract for notifications: the outbox and its cursors. Included by
// store_contract.hpp inside its namespace (it uses the StoreContractTest fixture there).
#pragma once

inline core::OutboxMessage Message(std::string type, std::string payload, Instant at,
                                   std::optional<Id> contact = std::nullopt,
                                   std::optional<Id> user = std::nullopt) {
  core::OutboxMessage m;
  m.event_type = std::move(type);
  m.payload = std::move(payload);
  m.created_at = at;
  m.contact_id = contact;
  m.user_id = user;
  return m;
}

TEST_P(StoreContractTest, OutboxListenerHearsOnlyCommittedAppends) {
  int heard = 0;
  store_->SetOutboxListener([&heard] { ++heard; });
  ASSERT_TRUE(W([&](Tx& tx) { return tx.outbox().Append(Message("contact.mql", "{}", At(1))); }));
  EXPECT_EQ(heard, 1);
  // A write without an outbox message, and a rolled-back one with it, are not heard.
  ASSERT_TRUE(W([&](Tx& tx) { return tx.outbox().GetCursor("notifications"); }));
  auto rolled_back = store_->Write([](Tx& tx) -> Result<void> {
    TANDEM_TRY(tx.outbox().Append(Message("contact.mql", "{}", At(2))));
    return core::Fail(core::Error::Invalid("x", "roll back"));
  });
  EXPECT_FALSE(rolled_back);
  EXPECT_EQ(heard, 1);
  // Two messages in one transaction: heard once, after the commit (the listener may write).
  ASSERT_TRUE(W([&](Tx& tx) -> Result<Id> {
    TANDEM_TRY(tx.outbox().Append(Message("lead.assigned", "{}", At(3))));
    return tx.outbox().Append(Message("sla.breached", "{}", At(3)));
  }));
  EXPECT_EQ(heard, 2);
  store_->SetOutboxListener([&] {
    ++heard;
    (void)store_->Write([](Tx& tx) { return tx.outbox().SetCursor("notifications", 0); });
  });
  ASSERT_TRUE(W([&](Tx& tx) { return tx.outbox().Append(Message("contact.mql", "{}", At(4))); }));
  EXPECT_EQ(heard, 3);
  store_->SetOutboxListener({});
  ASSERT_TRUE(W([&](Tx& tx) { return tx.outbox().Append(Message("contact.mql", "{}", At(5))); }));
  EXPECT_EQ(heard, 3);
}

TEST_P(StoreContractTest, OutboxKeepsMessagesInOrderWithEveryField) {
  const std::string tricky_payload = "{\"name\":\"O'Brien \\\"Ünïcödé\\\" 名前\",\"n\":1}";
  auto a = W([&](Tx& tx) {
    return tx.outbox().Append(Message("contact.mql", tricky_payload, At(1), 42, 7));
  });
  ASSERT_TRUE(a) << a.error().message;
  auto b = W([&](Tx& tx) { return tx.outbox().Append(Message("lead.assigned", "{}", At(2))); });
  ASSERT_TRUE(b);
  auto c = W([&](Tx& tx) { return tx.outbox().Append(Message("sla.breached", "{}", At(3))); });
  ASSERT_TRUE(c);
  EXPECT_GT(*a, 0);
  EXPECT_LT(*a, *b);
  EXPECT_LT(*b, *c);

  auto all = R([&](Tx& tx) { return tx.outbox().ListAfter(0, 10); });
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ(IdsOf(*all), (std::vector<Id>{*a, *b, *c}));
  const auto& m = (*all)[0];
  EXPECT_EQ(m.event_type, "contact.mql");
  EXPECT_EQ(m.payload, tricky_payload);
  EXPECT_EQ(m.contact_id, std::optional<Id>(42));
  EXPECT_EQ(m.user_id, std::optional<Id>(7));
  EXPECT_EQ(m.created_at, At(1));
  EXPECT_FALSE((*all)[1].contact_id);
  EXPECT_FALSE((*all)[1].user_id);

  auto after_a = R([&](Tx& tx) { return tx.outbox().ListAfter(*a, 1); });
  ASSERT_TRUE(after_a);
  EXPECT_EQ(IdsOf(*after_a), (std::vector<Id>{*b}));
  auto none = R([&](Tx& tx) { return tx.outbox().ListAfter(*c, 10); });
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

TEST_P(StoreContractTest, OutboxRefusesPayloadsThatAreNotJsonAndEmptyTypes) {
  EXPECT_ERROR(W([&](Tx& tx) { return tx.outbox().Append(Message("contact.mql", "{oops", kT0)); }),
               ErrorCode::kInvalidArgument, "payload");
  EXPECT_ERROR(W([&](Tx& tx) { return tx.outbox().Append(Message("", "{}", kT0)); }),
               ErrorCode::kInvalidArgument, "event_type");
  auto all = R([&](Tx& tx) { return tx.outbox().ListAfter(0, 10); });
  ASSERT_TRUE(all);
  EXPECT_TRUE(all->empty());
}

TEST_P(StoreContractTest, OutboxMessageRollsBackWithItsTransaction) {
  auto failed = store_->Write([&](Tx& tx) -> Result<void> {
    TANDEM_TRY(tx.outbox().Append(Message("contact.mql", "{}", kT0)));
    return core::Fail(core::Error::Invalid("x", "the change failed"));
  });
  ASSERT_FALSE(failed);
  auto all = R([&](Tx& tx) { return tx.outbox().ListAfter(0, 10); });
  ASSERT_TRUE(all);
  EXPECT_TRUE(all->empty());
}

TEST_P(StoreContractTest, OutboxCursorsStartAtZeroAndMove) {
  auto start = R([&](Tx& tx) { return tx.outbox().GetCursor("dispatcher"); });
  ASSERT_TRUE(start);
  EXPECT_EQ(*start, 0);
  ASSERT_TRUE(W([&](Tx& tx) { return tx.outbox().SetCursor("dispatcher", 5); }));
  ASSERT_TRUE(W([&](Tx& tx) { return tx.outbox().SetCursor("other", 2); }));
  ASSERT_TRUE(W([&](Tx& tx) { return tx.outbox().SetCursor("dispatcher", 9); }));
  auto moved = R([&](Tx& tx) { return tx.outbox().GetCursor("dispatcher"); });
  ASSERT_TRUE(moved);
  EXPECT_EQ(*moved, 9);
  auto other = R([&](Tx& tx) { return tx.outbox().GetCursor("other"); });
  ASSERT_TRUE(other);
  EXPECT_EQ(*other, 2);
}
