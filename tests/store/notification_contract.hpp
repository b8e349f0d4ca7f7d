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

// ---------------------------------------------------------------------------------------------
// Webhook subscriptions and deliveries (WebhookRepo), in-app notifications (NotificationRepo)

inline core::WebhookSubscription Subscription(std::vector<std::string> types,
                                              std::optional<Id> by = std::nullopt) {
  core::WebhookSubscription s;
  s.url = "https://hooks.example.com/tandem?a=1&b=" + kTricky;
  s.event_types = std::move(types);
  s.secret = std::string(40, 's');
  s.description = kTricky;
  s.created_at = At(1);
  s.created_by = by;
  return s;
}

inline core::Delivery NewDelivery(const std::string& uid, Id outbox_id,
                                  std::optional<Id> subscription, Instant due) {
  core::Delivery d;
  d.uid = uid;
  d.channel = subscription ? core::DeliveryChannel::kWebhook : core::DeliveryChannel::kEmail;
  d.outbox_id = outbox_id;
  d.subscription_id = subscription;
  d.target = subscription ? "https://hooks.example.com/x" : "rep@example.com";
  d.event_type = "contact.mql";
  d.body = "{\"n\":1}";
  d.next_attempt_at = due;
  d.created_at = At(1);
  return d;
}

TEST_P(StoreContractTest, WebhookSubscriptionsRoundTripAreListedByEventTypeAndRemoved) {
  const Id ann = AddUser("ann@example.com");
  auto a = W([&](Tx& tx) {
    return tx.webhooks().Insert(
        Subscription({"lead.assigned", "contact.mql", "lead.assigned"}, ann));
  });
  ASSERT_TRUE(a) << a.error().message;
  auto inactive = Subscription({"contact.mql"});
  inactive.active = false;
  auto b = W([&](Tx& tx) { return tx.webhooks().Insert(inactive); });
  auto c = W([&](Tx& tx) { return tx.webhooks().Insert(Subscription({"contact.mql"})); });
  ASSERT_TRUE(b && c);
  EXPECT_GT(*a, 0);
  EXPECT_LT(*a, *b);
  EXPECT_LT(*b, *c);
  EXPECT_ERROR(W([&](Tx& tx) { return tx.webhooks().Insert(Subscription({}, ann + 100)); }),
               ErrorCode::kInvalidArgument, "created_by");

  auto got = R([&](Tx& tx) { return tx.webhooks().Get(*a); });
  ASSERT_TRUE(got && *got);
  const core::WebhookSubscription& s = **got;
  EXPECT_EQ(s.id, *a);
  EXPECT_EQ(s.url, "https://hooks.example.com/tandem?a=1&b=" + kTricky);
  EXPECT_EQ(s.event_types, (std::vector<std::string>{"contact.mql", "lead.assigned"}));
  EXPECT_EQ(s.secret, std::string(40, 's'));
  EXPECT_EQ(s.description, kTricky);
  EXPECT_TRUE(s.active);
  EXPECT_EQ(s.created_at, At(1));
  EXPECT_EQ(s.created_by, ann);
  EXPECT_FALSE(s.deleted_at);
  auto none = R([&](Tx& tx) { return tx.webhooks().Get(*c + 100); });
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);

  auto ids = [](const std::vector<core::WebhookSubscription>& v) {
    std::vector<Id> out;
    for (const auto& w : v) out.push_back(w.id);
    return out;
  };
  auto mql = R([&](Tx& tx) { return tx.webhooks().ListFor("contact.mql"); });
  ASSERT_TRUE(mql);
  EXPECT_EQ(ids(*mql), (std::vector<Id>{*a, *c}));  // the inactive one takes nothing
  auto assigned = R([&](Tx& tx) { return tx.webhooks().ListFor("lead.assigned"); });
  ASSERT_TRUE(assigned);
  EXPECT_EQ(ids(*assigned), (std::vector<Id>{*a}));
  ASSERT_EQ(assigned->front().event_types.size(), 2u);

  ASSERT_TRUE(W([&](Tx& tx) { return tx.webhooks().Remove(*a, At(9)); }));
  EXPECT_ERROR(W([&](Tx& tx) { return tx.webhooks().Remove(*a, At(10)); }), ErrorCode::kNotFound,
               "");
  EXPECT_ERROR(W([&](Tx& tx) { return tx.webhooks().Remove(*c + 100, At(10)); }),
               ErrorCode::kNotFound, "");
  auto removed = R([&](Tx& tx) { return tx.webhooks().Get(*a); });
  ASSERT_TRUE(removed && *removed);
  EXPECT_EQ((*removed)->deleted_at, At(9));
  auto all = R([&](Tx& tx) { return tx.webhooks().List(); });
  ASSERT_TRUE(all);
  EXPECT_EQ(ids(*all), (std::vector<Id>{*b, *c}));
  mql = R([&](Tx& tx) { return tx.webhooks().ListFor("contact.mql"); });
  ASSERT_TRUE(mql);
  EXPECT_EQ(ids(*mql), (std::vector<Id>{*c}));
}

TEST_P(StoreContractTest, DeliveriesRoundTripAndAreDueInOrderUnlessTheirSubscriptionIsRemoved) {
  const Id ann = AddUser("ann@example.com");
  auto msg = W([&](Tx& tx) { return tx.outbox().Append(Message("contact.mql", "{}", At(1))); });
  auto kept = W([&](Tx& tx) { return tx.webhooks().Insert(Subscription({"contact.mql"})); });
  auto gone = W([&](Tx& tx) { return tx.webhooks().Insert(Subscription({"contact.mql"})); });
  ASSERT_TRUE(msg && kept && gone);

  core::Delivery email = NewDelivery("uid-email", *msg, std::nullopt, At(30));
  email.user_id = ann;
  email.subject = kTricky;
  auto e = W([&](Tx& tx) { return tx.webhooks().InsertDelivery(email); });
  ASSERT_TRUE(e) << e.error().message;
  auto late = W([&](Tx& tx) {
    return tx.webhooks().InsertDelivery(NewDelivery("uid-late", *msg, *kept, At(20)));
  });
  auto early = W([&](Tx& tx) {
    return tx.webhooks().InsertDelivery(NewDelivery("uid-early", *msg, *kept, At(10)));
  });
  auto tie = W([&](Tx& tx) {
    return tx.webhooks().InsertDelivery(NewDelivery("uid-tie", *msg, *kept, At(10)));
  });
  auto orphan = W([&](Tx& tx) {
    return tx.webhooks().InsertDelivery(NewDelivery("uid-orphan", *msg, *gone, At(5)));
  });
  auto future = W([&](Tx& tx) {
    return tx.webhooks().InsertDelivery(NewDelivery("uid-future", *msg, *kept, At(500)));
  });
  ASSERT_TRUE(late && early && tie && orphan && future);
  EXPECT_ERROR(W([&](Tx& tx) {
                 return tx.webhooks().InsertDelivery(NewDelivery("uid-tie", *msg, *kept, At(1)));
               }),
               ErrorCode::kAlreadyExists, "uid");

  auto got = R([&](Tx& tx) { return tx.webhooks().GetDelivery(*e); });
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->uid, "uid-email");
  EXPECT_EQ((*got)->channel, core::DeliveryChannel::kEmail);
  EXPECT_EQ((*got)->outbox_id, *msg);
  EXPECT_FALSE((*got)->subscription_id);
  EXPECT_EQ((*got)->user_id, ann);
  EXPECT_EQ((*got)->target, "rep@example.com");
  EXPECT_EQ((*got)->subject, kTricky);
  EXPECT_EQ((*got)->body, "{\"n\":1}");
  EXPECT_EQ((*got)->status, core::DeliveryStatus::kPending);
  EXPECT_EQ((*got)->attempts, 0);
  EXPECT_EQ((*got)->next_attempt_at, At(30));
  EXPECT_FALSE((*got)->last_attempt_at);
  EXPECT_FALSE((*got)->last_status);
  EXPECT_FALSE((*got)->delivered_at);

  // A failed attempt, then success: every state field is written.
  core::Delivery d = **got;
  d.attempts = 1;
  d.last_attempt_at = At(31);
  d.last_status = 451;
  d.last_error = kTricky;
  d.next_attempt_at = At(40);
  ASSERT_TRUE(W([&](Tx& tx) { return tx.webhooks().UpdateDelivery(d); }));
  got = R([&](Tx& tx) { return tx.webhooks().GetDelivery(*e); });
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->attempts, 1);
  EXPECT_EQ((*got)->last_attempt_at, At(31));
  EXPECT_EQ((*got)->last_status, 451);
  EXPECT_EQ((*got)->last_error, kTricky);
  EXPECT_EQ((*got)->next_attempt_at, At(40));
  d.status = core::DeliveryStatus::kDelivered;
  d.delivered_at = At(41);
  ASSERT_TRUE(W([&](Tx& tx) { return tx.webhooks().UpdateDelivery(d); }));
  got = R([&](Tx& tx) { return tx.webhooks().GetDelivery(*e); });
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->status, core::DeliveryStatus::kDelivered);
  EXPECT_EQ((*got)->delivered_at, At(41));
  d.id = *future + 100;
  EXPECT_ERROR(W([&](Tx& tx) { return tx.webhooks().UpdateDelivery(d); }), ErrorCode::kNotFound,
               "");

  auto ids = [](const std::vector<core::Delivery>& v) {
    std::vector<Id> out;
    for (const auto& x : v) out.push_back(x.id);
    return out;
  };
  // Due at 100: earliest first, then by id; the delivered email and the future one are not.
  auto due = R([&](Tx& tx) { return tx.webhooks().ListDue(At(100), 10); });
  ASSERT_TRUE(due);
  EXPECT_EQ(ids(*due), (std::vector<Id>{*orphan, *early, *tie, *late}));
  due = R([&](Tx& tx) { return tx.webhooks().ListDue(At(100), 2); });
  ASSERT_TRUE(due);
  EXPECT_EQ(ids(*due), (std::vector<Id>{*orphan, *early}));
  auto next = R([&](Tx& tx) { return tx.webhooks().NextDue(); });
  ASSERT_TRUE(next && *next);
  EXPECT_EQ(**next, At(5));

  // A removed subscription's pending deliveries are neither due nor next.
  ASSERT_TRUE(W([&](Tx& tx) { return tx.webhooks().Remove(*gone, At(50)); }));
  due = R([&](Tx& tx) { return tx.webhooks().ListDue(At(100), 10); });
  ASSERT_TRUE(due);
  EXPECT_EQ(ids(*due), (std::vector<Id>{*early, *tie, *late}));
  next = R([&](Tx& tx) { return tx.webhooks().NextDue(); });
  ASSERT_TRUE(next && *next);
  EXPECT_EQ(**next, At(10));
  // ... and stay readable.
  auto of_gone = R([&](Tx& tx) { return tx.webhooks().ListDeliveries(*gone, 0, 10); });
  ASSERT_TRUE(of_gone);
  EXPECT_EQ(ids(*of_gone), (std::vector<Id>{*orphan}));

  // A subscription's deliveries, newest first, in pages below an id.
  auto page = R([&](Tx& tx) { return tx.webhooks().ListDeliveries(*kept, 0, 2); });
  ASSERT_TRUE(page);
  EXPECT_EQ(ids(*page), (std::vector<Id>{*future, *tie}));
  page = R([&](Tx& tx) { return tx.webhooks().ListDeliveries(*kept, *tie, 2); });
  ASSERT_TRUE(page);
  EXPECT_EQ(ids(*page), (std::vector<Id>{*early, *late}));

  // Nothing pending: no next.
  for (Id id : {*early, *tie, *late, *future}) {
    auto x = R([&](Tx& tx) { return tx.webhooks().GetDelivery(id); });
    ASSERT_TRUE(x && *x);
    core::Delivery dead = **x;
    dead.status = core::DeliveryStatus::kDead;
    ASSERT_TRUE(W([&](Tx& tx) { return tx.webhooks().UpdateDelivery(dead); }));
  }
  next = R([&](Tx& tx) { return tx.webhooks().NextDue(); });
  ASSERT_TRUE(next);
  EXPECT_FALSE(*next);
}

TEST_P(StoreContractTest, NotificationsListUnreadFirstThenNewestAndAreMarkedReadOnce) {
  const Id ann = AddUser("ann@example.com");
  const Id bob = AddUser("bob@example.com");
  std::vector<Id> msgs;
  for (int i = 0; i < 4; ++i) {
    auto m = W([&](Tx& tx) { return tx.outbox().Append(Message("contact.mql", "{}", At(i))); });
    ASSERT_TRUE(m);
    msgs.push_back(*m);
  }
  auto notify = [&](Id user, Id msg, Instant at) {
    core::Notification n;
    n.user_id = user;
    n.outbox_id = msg;
    n.event_type = "contact.mql";
    n.title = kTricky;
    n.payload = "{\"contact_id\":7}";
    n.contact_id = 7;
    n.created_at = at;
    return W([&](Tx& tx) { return tx.notifications().Insert(n); });
  };
  std::vector<Id> mine;
  for (int i = 0; i < 4; ++i) {
    auto id = notify(ann, msgs[i], At(10 + i));
    ASSERT_TRUE(id) << id.error().message;
    mine.push_back(*id);
  }
  auto bobs = notify(bob, msgs[0], At(10));
  ASSERT_TRUE(bobs);
  EXPECT_ERROR(notify(ann, msgs[0], At(20)), ErrorCode::kAlreadyExists, "outbox_id");
  EXPECT_ERROR(notify(bob + 100, msgs[1], At(20)), ErrorCode::kInvalidArgument, "user_id");

  auto unread = R([&](Tx& tx) { return tx.notifications().CountUnread(ann); });
  ASSERT_TRUE(unread);
  EXPECT_EQ(*unread, 4);

  // Reading the second: it keeps its first read_at when marked again; it lists last.
  auto read = W([&](Tx& tx) { return tx.notifications().MarkRead(ann, mine[1], At(30)); });
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->id, mine[1]);
  EXPECT_EQ(read->read_at, At(30));
  EXPECT_EQ(read->title, kTricky);
  EXPECT_EQ(read->payload, "{\"contact_id\":7}");
  EXPECT_EQ(read->contact_id, 7);
  EXPECT_EQ(read->created_at, At(11));
  read = W([&](Tx& tx) { return tx.notifications().MarkRead(ann, mine[1], At(31)); });
  ASSERT_TRUE(read);
  EXPECT_EQ(read->read_at, At(30));
  EXPECT_ERROR(W([&](Tx& tx) { return tx.notifications().MarkRead(bob, mine[2], At(30)); }),
               ErrorCode::kNotFound, "");
  EXPECT_ERROR(W([&](Tx& tx) { return tx.notifications().MarkRead(ann, *bobs + 100, At(30)); }),
               ErrorCode::kNotFound, "");

  auto ids = [](const std::vector<core::Notification>& v) {
    std::vector<Id> out;
    for (const auto& n : v) out.push_back(n.id);
    return out;
  };
  auto all = R([&](Tx& tx) { return tx.notifications().List(ann, std::nullopt, 10); });
  ASSERT_TRUE(all);
  EXPECT_EQ(ids(*all), (std::vector<Id>{mine[3], mine[2], mine[0], mine[1]}));
  // Pages after the position of the last one seen.
  auto first = R([&](Tx& tx) { return tx.notifications().List(ann, std::nullopt, 2); });
  ASSERT_TRUE(first);
  EXPECT_EQ(ids(*first), (std::vector<Id>{mine[3], mine[2]}));
  auto second = R([&](Tx& tx) {
    return tx.notifications().List(ann, NotificationRepo::Position{false, mine[2]}, 2);
  });
  ASSERT_TRUE(second);
  EXPECT_EQ(ids(*second), (std::vector<Id>{mine[0], mine[1]}));
  auto past_read = R([&](Tx& tx) {
    return tx.notifications().List(ann, NotificationRepo::Position{true, mine[1]}, 2);
  });
  ASSERT_TRUE(past_read);
  EXPECT_TRUE(past_read->empty());

  auto marked = W([&](Tx& tx) { return tx.notifications().MarkAllRead(ann, At(40)); });
  ASSERT_TRUE(marked);
  EXPECT_EQ(*marked, 3);
  unread = R([&](Tx& tx) { return tx.notifications().CountUnread(ann); });
  ASSERT_TRUE(unread);
  EXPECT_EQ(*unread, 0);
  auto bob_unread = R([&](Tx& tx) { return tx.notifications().CountUnread(bob); });
  ASSERT_TRUE(bob_unread);
  EXPECT_EQ(*bob_unread, 1);
  all = R([&](Tx& tx) { return tx.notifications().List(ann, std::nullopt, 10); });
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 4u);
  EXPECT_EQ(ids(*all), (std::vector<Id>{mine[3], mine[2], mine[1], mine[0]}));
  EXPECT_EQ(all->at(2).read_at, At(30));
  EXPECT_EQ(all->at(0).read_at, At(40));
}
