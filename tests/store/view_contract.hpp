// Store contract: saved views (store/view_repo.hpp). Part of StoreContractTest, included by
// store_contract.hpp inside its namespace.

inline core::SavedView NewView(Id owner, const std::string& name, bool shared = false) {
  core::SavedView v;
  v.owner_id = owner;
  v.name = name;
  v.query = "stage=mql&owner=none&sort=-created_at&columns=name,email";
  v.shared = shared;
  v.created_at = kT0;
  v.updated_at = At(5);
  return v;
}

TEST_P(StoreContractTest, SavedViewsRoundTripAndNamesAreUniquePerOwner) {
  const Id ann = AddUser("ann@example.com");
  const Id bob = AddUser("bob@example.com");
  core::SavedView v = NewView(ann, kTricky);
  v.query = "q=" + kTricky;
  auto id = W([&](Tx& tx) { return tx.views().Insert(v); });
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_GT(*id, 0);
  auto got = R([&](Tx& tx) { return tx.views().Get(*id); });
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->id, *id);
  EXPECT_EQ((*got)->owner_id, ann);
  EXPECT_EQ((*got)->name, kTricky);
  EXPECT_EQ((*got)->query, "q=" + kTricky);
  EXPECT_FALSE((*got)->shared);
  EXPECT_EQ((*got)->created_at, kT0);
  EXPECT_EQ((*got)->updated_at, At(5));

  EXPECT_ERROR(W([&](Tx& tx) { return tx.views().Insert(NewView(ann, kTricky)); }),
               ErrorCode::kAlreadyExists, "name");
  EXPECT_TRUE(W([&](Tx& tx) { return tx.views().Insert(NewView(bob, kTricky)); }));
  EXPECT_ERROR(W([&](Tx& tx) { return tx.views().Insert(NewView(bob + 100, "x")); }),
               ErrorCode::kInvalidArgument, "owner_id");
  auto none = R([&](Tx& tx) { return tx.views().Get(*id + 100); });
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
}

TEST_P(StoreContractTest, SavedViewUpdateKeepsOwnerAndCreationAndDeleteRemoves) {
  const Id ann = AddUser("ann@example.com");
  auto first = W([&](Tx& tx) { return tx.views().Insert(NewView(ann, "Mine")); });
  auto second = W([&](Tx& tx) { return tx.views().Insert(NewView(ann, "Other")); });
  ASSERT_TRUE(first && second);
  core::SavedView v = NewView(ann + 1, "Renamed", true);
  v.id = *first;
  v.query = "stage=sal";
  v.created_at = At(99);
  v.updated_at = At(7);
  ASSERT_TRUE(W([&](Tx& tx) -> Result<bool> {
    TANDEM_TRY(tx.views().Update(v));
    return true;
  }));
  auto got = R([&](Tx& tx) { return tx.views().Get(*first); });
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->name, "Renamed");
  EXPECT_EQ((*got)->query, "stage=sal");
  EXPECT_TRUE((*got)->shared);
  EXPECT_EQ((*got)->owner_id, ann);
  EXPECT_EQ((*got)->created_at, kT0);
  EXPECT_EQ((*got)->updated_at, At(7));

  v.name = "Other";
  EXPECT_ERROR(W([&](Tx& tx) -> Result<bool> {
                 TANDEM_TRY(tx.views().Update(v));
                 return true;
               }),
               ErrorCode::kAlreadyExists, "name");
  v.id = *second + 100;
  v.name = "Fresh";
  EXPECT_ERROR(W([&](Tx& tx) -> Result<bool> {
                 TANDEM_TRY(tx.views().Update(v));
                 return true;
               }),
               ErrorCode::kNotFound, "");
  ASSERT_TRUE(W([&](Tx& tx) -> Result<bool> {
    TANDEM_TRY(tx.views().Delete(*first));
    return true;
  }));
  auto gone = R([&](Tx& tx) { return tx.views().Get(*first); });
  ASSERT_TRUE(gone);
  EXPECT_FALSE(*gone);
  EXPECT_ERROR(W([&](Tx& tx) -> Result<bool> {
                 TANDEM_TRY(tx.views().Delete(*first));
                 return true;
               }),
               ErrorCode::kNotFound, "");
}

TEST_P(StoreContractTest, SavedViewsVisibleAreOwnAndSharedByName) {
  const Id ann = AddUser("ann@example.com");
  const Id bob = AddUser("bob@example.com");
  const Id cid = AddUser("cid@example.com");
  ASSERT_TRUE(W([&](Tx& tx) { return tx.views().Insert(NewView(ann, "b ann private")); }));
  ASSERT_TRUE(W([&](Tx& tx) { return tx.views().Insert(NewView(ann, "c ann shared", true)); }));
  ASSERT_TRUE(W([&](Tx& tx) { return tx.views().Insert(NewView(bob, "a bob private")); }));
  ASSERT_TRUE(W([&](Tx& tx) { return tx.views().Insert(NewView(bob, "a bob shared", true)); }));
  auto names = [&](Id user) {
    std::vector<std::string> out;
    auto got = R([&](Tx& tx) { return tx.views().Visible(user); });
    EXPECT_TRUE(got);
    if (got) {
      for (const auto& v : *got) out.push_back(v.name);
    }
    return out;
  };
  EXPECT_EQ(names(ann),
            (std::vector<std::string>{"a bob shared", "b ann private", "c ann shared"}));
  EXPECT_EQ(names(bob),
            (std::vector<std::string>{"a bob private", "a bob shared", "c ann shared"}));
  EXPECT_EQ(names(cid), (std::vector<std::string>{"a bob shared", "c ann shared"}));
}
