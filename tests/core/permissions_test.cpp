#include "core/permissions.hpp"

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

namespace tandem::core {
namespace {

constexpr Id kMe = 7;
constexpr Id kOther = 8;

constexpr std::array<Resource, 9> kResources = {
    Resource::kContact, Resource::kCompany, Resource::kDeal,  Resource::kActivity, Resource::kUser,
    Resource::kTeam,    Resource::kApiKey,  Resource::kAudit, Resource::kEvent};
constexpr std::array<Verb, 4> kVerbs = {Verb::kRead, Verb::kCreate, Verb::kUpdate, Verb::kDelete};
constexpr std::array<Role, 4> kRoles = {Role::kAdmin, Role::kManager, Role::kMarketing,
                                        Role::kSales};

const char* VerbName(Verb v) {
  switch (v) {
    case Verb::kRead: return "read";
    case Verb::kCreate: return "create";
    case Verb::kUpdate: return "update";
    case Verb::kDelete: return "delete";
  }
  return "?";
}

Principal Person(Role role, std::optional<std::vector<Scope>> scopes = std::nullopt) {
  return Principal{kMe, "me@acme.example", role, std::move(scopes)};
}

// The expected answer for one role on one resource, written from the rules in permissions.hpp.
// `cells` has one group per verb (read create update delete), each three letters for the
// record's owner: no owner, the caller, somebody else. Y = allowed, n = denied.
struct Row {
  Role role;
  Resource resource;
  std::string cells;  // e.g. "YYY YYY nYn nYn"
};

// clang-format off
const std::vector<Row> kMatrix = {
    // admin: everything.
    {Role::kAdmin, Resource::kContact,  "YYY YYY YYY YYY"},
    {Role::kAdmin, Resource::kCompany,  "YYY YYY YYY YYY"},
    {Role::kAdmin, Resource::kDeal,     "YYY YYY YYY YYY"},
    {Role::kAdmin, Resource::kActivity, "YYY YYY YYY YYY"},
    {Role::kAdmin, Resource::kUser,     "YYY YYY YYY YYY"},
    {Role::kAdmin, Resource::kTeam,     "YYY YYY YYY YYY"},
    {Role::kAdmin, Resource::kApiKey,   "YYY YYY YYY YYY"},
    {Role::kAdmin, Resource::kAudit,    "YYY YYY YYY YYY"},
    {Role::kAdmin, Resource::kEvent,    "YYY YYY YYY YYY"},
    // manager: reads everything, writes every CRM record and teams, reads the audit log;
    // users are read-only and API keys are admin business (listing keys is managing them).
    {Role::kManager, Resource::kContact,  "YYY YYY YYY YYY"},
    {Role::kManager, Resource::kCompany,  "YYY YYY YYY YYY"},
    {Role::kManager, Resource::kDeal,     "YYY YYY YYY YYY"},
    {Role::kManager, Resource::kActivity, "YYY YYY YYY YYY"},
    {Role::kManager, Resource::kUser,     "YYY nnn nnn nnn"},
    {Role::kManager, Resource::kTeam,     "YYY YYY YYY YYY"},
    {Role::kManager, Resource::kApiKey,   "nnn nnn nnn nnn"},
    {Role::kManager, Resource::kAudit,    "YYY nnn nnn nnn"},
    {Role::kManager, Resource::kEvent,    "YYY YYY YYY YYY"},
    // marketing: reads every CRM record; creates and edits contacts and companies whoever owns
    // them (the header says nothing of deleting them: the current rule allows it); its own
    // activities only; reads deals.
    {Role::kMarketing, Resource::kContact,  "YYY YYY YYY YYY"},
    {Role::kMarketing, Resource::kCompany,  "YYY YYY YYY YYY"},
    {Role::kMarketing, Resource::kDeal,     "YYY nnn nnn nnn"},
    {Role::kMarketing, Resource::kActivity, "YYY nYn nYn nYn"},
    {Role::kMarketing, Resource::kUser,     "YYY nnn nnn nnn"},
    {Role::kMarketing, Resource::kTeam,     "YYY nnn nnn nnn"},
    {Role::kMarketing, Resource::kApiKey,   "nnn nnn nnn nnn"},
    {Role::kMarketing, Resource::kAudit,    "nnn nnn nnn nnn"},
    {Role::kMarketing, Resource::kEvent,    "YYY YYY YYY YYY"},
    // sales: reads every CRM record; creates records for themselves (no owner asked for is
    // fine: the service fills it in); edits and deletes only what they own.
    {Role::kSales, Resource::kContact,  "YYY YYn nYn nYn"},
    {Role::kSales, Resource::kCompany,  "YYY YYn nYn nYn"},
    {Role::kSales, Resource::kDeal,     "YYY YYn nYn nYn"},
    {Role::kSales, Resource::kActivity, "YYY YYn nYn nYn"},
    {Role::kSales, Resource::kUser,     "YYY nnn nnn nnn"},
    {Role::kSales, Resource::kTeam,     "YYY nnn nnn nnn"},
    {Role::kSales, Resource::kApiKey,   "nnn nnn nnn nnn"},
    {Role::kSales, Resource::kAudit,    "nnn nnn nnn nnn"},
    {Role::kSales, Resource::kEvent,    "YYY YYY YYY YYY"},
};
// clang-format on

TEST(PermissionsTest, MatrixCoversEveryRoleAndResource) {
  EXPECT_EQ(kMatrix.size(), kRoles.size() * kResources.size());
  for (Role role : kRoles) {
    for (Resource res : kResources) {
      int rows = 0;
      for (const auto& row : kMatrix) rows += row.role == role && row.resource == res;
      EXPECT_EQ(rows, 1) << ToString(role) << " x " << ToString(res);
    }
  }
}

TEST(PermissionsTest, RoleVerbResourceOwnerMatrix) {
  const std::array<std::optional<Id>, 3> owners = {std::nullopt, kMe, kOther};
  const std::array<const char*, 3> owner_names = {"no owner", "own", "other's"};
  int checked = 0;
  for (const auto& row : kMatrix) {
    ASSERT_EQ(row.cells.size(), 15u);
    const Principal p = Person(row.role);
    for (std::size_t v = 0; v < kVerbs.size(); ++v) {
      for (std::size_t o = 0; o < owners.size(); ++o) {
        const char cell = row.cells[v * 4 + o];
        ASSERT_TRUE(cell == 'Y' || cell == 'n');
        auto r = Authorize(p, kVerbs[v], row.resource, owners[o]);
        EXPECT_EQ(static_cast<bool>(r), cell == 'Y')
            << ToString(row.role) << " " << VerbName(kVerbs[v]) << " " << owner_names[o] << " "
            << ToString(row.resource) << (r ? "" : ": " + r.error().message);
        if (!r) {
          EXPECT_EQ(r.error().code, ErrorCode::kPermissionDenied);
        }
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 4 * 9 * 4 * 3);
}

TEST(PermissionsTest, DenialsSayWhy) {
  auto r = Authorize(Person(Role::kSales), Verb::kUpdate, Resource::kDeal, kOther);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "sales reps change only the deals they own");
  r = Authorize(Person(Role::kSales), Verb::kCreate, Resource::kContact, kOther);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "sales reps create contacts for themselves only");
  r = Authorize(Person(Role::kManager), Verb::kCreate, Resource::kUser);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "only admins manage users and API keys");
}

// ----- API key scopes ------------------------------------------------------------------------

TEST(PermissionsScopeTest, PrincipalWithoutScopesHasThemAll) {
  const Principal p = Person(Role::kSales);
  for (Scope s : {Scope::kRead, Scope::kWrite, Scope::kIngest, Scope::kAdmin}) {
    EXPECT_TRUE(p.HasScope(s));
  }
  const Principal key = Person(Role::kSales, std::vector<Scope>{Scope::kIngest});
  EXPECT_TRUE(key.HasScope(Scope::kIngest));
  EXPECT_FALSE(key.HasScope(Scope::kRead));
}

TEST(PermissionsAssignTest, ManagersAndAdminsAssignAnyMarketingOnlyUnownedRepsNone) {
  const std::optional<Id> owned = Id{7};
  for (Role r : {Role::kAdmin, Role::kManager}) {
    EXPECT_TRUE(AuthorizeAssign(Person(r), std::nullopt));
    EXPECT_TRUE(AuthorizeAssign(Person(r), owned));
  }
  EXPECT_TRUE(AuthorizeAssign(Person(Role::kMarketing), std::nullopt));
  auto taken = AuthorizeAssign(Person(Role::kMarketing), owned);
  ASSERT_FALSE(taken);
  EXPECT_EQ(taken.error().code, ErrorCode::kPermissionDenied);
  EXPECT_NE(taken.error().message.find("nobody owns"), std::string::npos);
  EXPECT_FALSE(AuthorizeAssign(Person(Role::kSales), std::nullopt));
  EXPECT_FALSE(AuthorizeAssign(Person(Role::kSales), owned));
  // A key needs the write scope, whatever the role.
  EXPECT_FALSE(AuthorizeAssign(Person(Role::kAdmin, std::vector<Scope>{Scope::kRead}), owned));
  EXPECT_TRUE(AuthorizeAssign(Person(Role::kAdmin, std::vector<Scope>{Scope::kWrite}), owned));
}

struct ScopeCase {
  std::vector<Scope> scopes;
  Verb verb;
  Resource resource;
  bool allowed;
  std::string why;
};

// An admin's key, so that only the scopes decide.
TEST(PermissionsScopeTest, ScopesNarrowAnAdminKey) {
  const std::vector<ScopeCase> cases = {
      {{Scope::kRead}, Verb::kRead, Resource::kContact, true, "read reads"},
      {{Scope::kRead}, Verb::kRead, Resource::kAudit, true, "read reads the audit log"},
      {{Scope::kRead}, Verb::kRead, Resource::kUser, true, "read reads users"},
      {{Scope::kRead}, Verb::kCreate, Resource::kContact, false, "read does not write"},
      {{Scope::kRead}, Verb::kUpdate, Resource::kDeal, false, "read does not write"},
      {{Scope::kRead}, Verb::kDelete, Resource::kCompany, false, "read does not delete"},
      {{Scope::kRead}, Verb::kCreate, Resource::kEvent, false, "read does not ingest"},
      {{Scope::kWrite}, Verb::kRead, Resource::kContact, true, "write implies read"},
      {{Scope::kWrite}, Verb::kCreate, Resource::kContact, true, "write writes"},
      {{Scope::kWrite}, Verb::kDelete, Resource::kDeal, true, "write deletes"},
      {{Scope::kWrite}, Verb::kUpdate, Resource::kTeam, true, "write changes teams"},
      {{Scope::kWrite}, Verb::kCreate, Resource::kEvent, true, "write may ingest"},
      {{Scope::kWrite}, Verb::kCreate, Resource::kUser, false, "users need admin"},
      {{Scope::kWrite}, Verb::kUpdate, Resource::kUser, false, "users need admin"},
      {{Scope::kWrite}, Verb::kCreate, Resource::kApiKey, false, "keys need admin"},
      {{Scope::kWrite}, Verb::kDelete, Resource::kApiKey, false, "keys need admin"},
      {{Scope::kIngest}, Verb::kCreate, Resource::kEvent, true, "ingest ingests"},
      {{Scope::kIngest}, Verb::kRead, Resource::kContact, false, "ingest only"},
      {{Scope::kIngest}, Verb::kCreate, Resource::kContact, false, "ingest only"},
      {{Scope::kIngest}, Verb::kRead, Resource::kUser, false, "ingest only"},
      {{Scope::kIngest}, Verb::kCreate, Resource::kUser, false, "ingest only"},
      {{Scope::kAdmin}, Verb::kCreate, Resource::kUser, true, "admin manages users"},
      {{Scope::kAdmin}, Verb::kUpdate, Resource::kUser, true, "admin manages users"},
      {{Scope::kAdmin}, Verb::kCreate, Resource::kApiKey, true, "admin manages keys"},
      {{Scope::kAdmin}, Verb::kDelete, Resource::kApiKey, true, "admin manages keys"},
      {{Scope::kAdmin}, Verb::kRead, Resource::kUser, true, "admin reads users"},
      {{Scope::kAdmin}, Verb::kCreate, Resource::kContact, false, "admin is not write"},
      {{Scope::kAdmin}, Verb::kCreate, Resource::kEvent, false, "admin is not ingest"},
      {{Scope::kRead, Scope::kIngest}, Verb::kRead, Resource::kDeal, true, "union of scopes"},
      {{Scope::kRead, Scope::kIngest}, Verb::kCreate, Resource::kEvent, true, "union of scopes"},
      {{Scope::kRead, Scope::kIngest}, Verb::kCreate, Resource::kDeal, false, "no write"},
      {{}, Verb::kRead, Resource::kContact, false, "a key without scopes does nothing"},
      {{}, Verb::kCreate, Resource::kEvent, false, "a key without scopes does nothing"},
  };
  for (const auto& c : cases) {
    auto r = Authorize(Person(Role::kAdmin, c.scopes), c.verb, c.resource, kMe);
    EXPECT_EQ(static_cast<bool>(r), c.allowed)
        << c.why << ": " << VerbName(c.verb) << " " << ToString(c.resource) << " with "
        << c.scopes.size() << " scope(s)";
    if (!r) {
      EXPECT_EQ(r.error().code, ErrorCode::kPermissionDenied);
    }
  }
}

TEST(PermissionsScopeTest, ScopesNeverWidenTheRole) {
  const std::vector<Scope> all = {Scope::kRead, Scope::kWrite, Scope::kIngest, Scope::kAdmin};
  // An admin scope on a sales rep's key still cannot manage users or keys.
  EXPECT_FALSE(Authorize(Person(Role::kSales, all), Verb::kCreate, Resource::kUser));
  EXPECT_FALSE(Authorize(Person(Role::kManager, all), Verb::kCreate, Resource::kApiKey));
  // Nor edit someone else's record, nor read the audit log.
  EXPECT_FALSE(Authorize(Person(Role::kSales, all), Verb::kUpdate, Resource::kContact, kOther));
  EXPECT_FALSE(Authorize(Person(Role::kMarketing, all), Verb::kRead, Resource::kAudit));
  // While what the role allows still goes through.
  EXPECT_TRUE(Authorize(Person(Role::kSales, all), Verb::kUpdate, Resource::kContact, kMe));
}

TEST(PermissionsScopeTest, ScopeDenialNamesTheMissingScope) {
  auto r = Authorize(Person(Role::kAdmin, std::vector<Scope>{Scope::kRead}), Verb::kCreate,
                     Resource::kContact);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "this API key has no write scope");
  r = Authorize(Person(Role::kAdmin, std::vector<Scope>{Scope::kWrite}), Verb::kCreate,
                Resource::kUser);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "this API key has no admin scope");
  r = Authorize(Person(Role::kAdmin, std::vector<Scope>{Scope::kRead}), Verb::kCreate,
                Resource::kEvent);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "this API key has no ingest scope");
}

TEST(PermissionsScopeTest, ScopeCodecRoundTrips) {
  for (Scope s : {Scope::kRead, Scope::kWrite, Scope::kIngest, Scope::kAdmin}) {
    EXPECT_EQ(ScopeFromString(ToString(s)), s);
  }
  EXPECT_EQ(ScopeFromString("Read"), std::nullopt);
  EXPECT_EQ(ScopeFromString("*"), std::nullopt);
}

TEST(PermissionsTest, ResourceNames) {
  EXPECT_EQ(ToString(Resource::kApiKey), "api_key");
  EXPECT_EQ(ToString(Resource::kActivity), "activity");
  EXPECT_EQ(ToString(Resource::kEvent), "event");
}

TEST(PermissionsTest, PrincipalActsAsItsUser) {
  const Actor a = Person(Role::kSales).AsActor();
  EXPECT_EQ(a.user_id, kMe);
  EXPECT_EQ(a.name, "me@acme.example");
  EXPECT_FALSE(a.is_system());
}

// ----- lifecycle transitions -----------------------------------------------------------------

bool InMarketingPart(Stage s) {
  return s == Stage::kVisitor || s == Stage::kLead || s == Stage::kMql || s == Stage::kRecycled ||
         s == Stage::kDisqualified;
}

TEST(PermissionsTransitionTest, AdminsAndManagersMoveAnything) {
  for (Role role : {Role::kAdmin, Role::kManager}) {
    for (Stage from : kAllStages) {
      for (Stage to : kAllStages) {
        for (std::optional<Id> owner : {std::optional<Id>{}, std::optional<Id>{kOther}}) {
          EXPECT_TRUE(AuthorizeTransition(Person(role), from, to, owner))
              << ToString(role) << " " << ToString(from) << " -> " << ToString(to);
        }
      }
    }
  }
}

TEST(PermissionsTransitionTest, MarketingMovesOnlyWithinItsPartOfTheLifecycle) {
  int allowed = 0;
  for (Stage from : kAllStages) {
    for (Stage to : kAllStages) {
      const bool want = InMarketingPart(from) && InMarketingPart(to);
      for (std::optional<Id> owner :
           {std::optional<Id>{}, std::optional<Id>{kMe}, std::optional<Id>{kOther}}) {
        auto r = AuthorizeTransition(Person(Role::kMarketing), from, to, owner);
        EXPECT_EQ(static_cast<bool>(r), want) << ToString(from) << " -> " << ToString(to);
        if (!r) {
          EXPECT_EQ(r.error().code, ErrorCode::kPermissionDenied);
        }
      }
      allowed += want;
    }
  }
  EXPECT_EQ(allowed, 25);
}

TEST(PermissionsTransitionTest, MarketingCannotAcceptLeadsForSales) {
  auto r = AuthorizeTransition(Person(Role::kMarketing), Stage::kMql, Stage::kSal, std::nullopt);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kPermissionDenied);
  EXPECT_NE(r.error().message.find("sal"), std::string::npos);
  EXPECT_TRUE(AuthorizeTransition(Person(Role::kMarketing), Stage::kLead, Stage::kMql, kOther));
  EXPECT_TRUE(AuthorizeTransition(Person(Role::kMarketing), Stage::kMql, Stage::kRecycled, kOther));
  // Nor take back what sales is working.
  EXPECT_FALSE(
      AuthorizeTransition(Person(Role::kMarketing), Stage::kSql, Stage::kRecycled, kOther));
}

TEST(PermissionsTransitionTest, SalesMoveOnlyTheirOwnContacts) {
  for (Stage from : kAllStages) {
    for (Stage to : kAllStages) {
      EXPECT_TRUE(AuthorizeTransition(Person(Role::kSales), from, to, kMe));
      EXPECT_FALSE(AuthorizeTransition(Person(Role::kSales), from, to, kOther));
      EXPECT_FALSE(AuthorizeTransition(Person(Role::kSales), from, to, std::nullopt));
    }
  }
}

TEST(PermissionsTransitionTest, KeysNeedTheWriteScopeToMoveContacts) {
  const auto key = [](std::vector<Scope> s) { return Person(Role::kAdmin, std::move(s)); };
  EXPECT_FALSE(AuthorizeTransition(key({Scope::kRead}), Stage::kLead, Stage::kMql, kMe));
  EXPECT_FALSE(AuthorizeTransition(key({Scope::kIngest}), Stage::kLead, Stage::kMql, kMe));
  EXPECT_FALSE(AuthorizeTransition(key({Scope::kAdmin}), Stage::kLead, Stage::kMql, kMe));
  EXPECT_TRUE(AuthorizeTransition(key({Scope::kWrite}), Stage::kLead, Stage::kMql, kMe));
}

}  // namespace
}  // namespace tandem::core
