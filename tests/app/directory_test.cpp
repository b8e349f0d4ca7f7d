#include "app/directory.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "app_fixture.hpp"

namespace tandem::app::apptest {
namespace {

using core::ErrorCode;
using core::Role;

class UserServiceTest : public AppTest {
 protected:
  core::User Draft(const std::string& email, Role role) {
    core::User u;
    u.email = email;
    u.name = "Someone";
    u.role = role;
    return u;
  }
};

TEST_F(UserServiceTest, OnlyAdminsCreateUsers) {
  for (const auto& p : {manager(), marketer(), rep1()}) {
    EXPECT_TRUE(FailsWith(svc().users.Create(p, Draft("new@acme.example", Role::kSales), kPassword),
                          ErrorCode::kPermissionDenied));
  }
  auto created = svc().users.Create(admin(), Draft(" New@Acme.Example ", Role::kSales), kPassword);
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_EQ(created->email, "new@acme.example");
  EXPECT_TRUE(created->active);
  EXPECT_EQ(created->created_at, kT0);
  const auto audit = AuditOf("user", created->id);
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action, core::AuditAction::kCreate);
  EXPECT_EQ(audit[0].actor.user_id, admin_.id);
  for (const auto& c : audit[0].changes) {
    EXPECT_EQ(c.after.find(std::string(kPassword)), std::string::npos) << c.field;
    EXPECT_EQ(c.after.find("$argon2"), std::string::npos) << c.field;
  }
}

TEST_F(UserServiceTest, EmailIsUniqueAndPasswordsHaveAMinimumLength) {
  EXPECT_TRUE(
      FailsWith(svc().users.Create(admin(), Draft("REP1@acme.example", Role::kSales), kPassword),
                ErrorCode::kAlreadyExists));
  EXPECT_TRUE(
      FailsWith(svc().users.Create(admin(), Draft("short@acme.example", Role::kSales), "1234567"),
                ErrorCode::kInvalidArgument, "password"));
  core::User nameless = Draft("x@acme.example", Role::kSales);
  nameless.name.clear();
  EXPECT_TRUE(FailsWith(svc().users.Create(admin(), nameless, kPassword),
                        ErrorCode::kInvalidArgument, "name"));
}

TEST_F(UserServiceTest, EveryoneReadsUsersButOnlyAdminsChangeThem) {
  EXPECT_TRUE(svc().users.Get(rep1(), manager_.id));
  auto page = svc().users.List(marketer(), core::UserQuery{});
  ASSERT_TRUE(page);
  EXPECT_EQ(page->items.size(), 5u);
  UserPatch patch;
  patch.name = "Renamed";
  EXPECT_TRUE(
      FailsWith(svc().users.Update(manager(), rep1_.id, patch), ErrorCode::kPermissionDenied));
  EXPECT_TRUE(FailsWith(svc().users.Update(rep1(), rep1_.id, patch), ErrorCode::kPermissionDenied));
  auto renamed = svc().users.Update(admin(), rep1_.id, patch);
  ASSERT_TRUE(renamed);
  EXPECT_EQ(renamed->name, "Renamed");
}

TEST_F(UserServiceTest, DeactivationEndsTheUsersSessions) {
  auto login = svc().auth.Login("rep1@acme.example", kPassword, core::SessionKind::kBearer);
  ASSERT_TRUE(login) << login.error().message;
  ASSERT_TRUE(svc().auth.Authenticate(login->token));

  UserPatch off;
  off.active = false;
  auto updated = svc().users.Update(admin(), rep1_.id, off);
  ASSERT_TRUE(updated) << updated.error().message;
  EXPECT_FALSE(updated->active);
  EXPECT_TRUE(FailsWith(svc().auth.Authenticate(login->token), ErrorCode::kUnauthenticated));
  EXPECT_TRUE(
      FailsWith(svc().auth.Login("rep1@acme.example", kPassword, core::SessionKind::kBearer),
                ErrorCode::kUnauthenticated));

  // The session is gone, not merely refused: reactivating does not bring it back.
  UserPatch on;
  on.active = true;
  ASSERT_TRUE(svc().users.Update(admin(), rep1_.id, on));
  EXPECT_TRUE(FailsWith(svc().auth.Authenticate(login->token), ErrorCode::kUnauthenticated));
  EXPECT_TRUE(svc().auth.Login("rep1@acme.example", kPassword, core::SessionKind::kBearer));
}

TEST_F(UserServiceTest, DeactivationLeavesOtherUsersSessionsAlone) {
  auto mine = svc().auth.Login("rep1@acme.example", kPassword, core::SessionKind::kBearer);
  auto theirs = svc().auth.Login("rep2@acme.example", kPassword, core::SessionKind::kBearer);
  ASSERT_TRUE(mine && theirs);
  UserPatch off;
  off.active = false;
  ASSERT_TRUE(svc().users.Update(admin(), rep1_.id, off));
  EXPECT_TRUE(svc().auth.Authenticate(theirs->token));
}

TEST_F(UserServiceTest, AdminsCannotDemoteOrDeactivateThemselves) {
  UserPatch demote;
  demote.role = Role::kManager;
  EXPECT_TRUE(
      FailsWith(svc().users.Update(admin(), admin_.id, demote), ErrorCode::kFailedPrecondition));
  UserPatch off;
  off.active = false;
  EXPECT_TRUE(
      FailsWith(svc().users.Update(admin(), admin_.id, off), ErrorCode::kFailedPrecondition));
  auto self = svc().users.Get(admin(), admin_.id);
  ASSERT_TRUE(self);
  EXPECT_EQ(self->role, Role::kAdmin);
  EXPECT_TRUE(self->active);
  EXPECT_EQ(AuditOf("user", admin_.id).size(), 1u);

  // Editing their own name is fine, and so is demoting another admin.
  UserPatch rename;
  rename.name = "Ada L.";
  EXPECT_TRUE(svc().users.Update(admin(), admin_.id, rename));
  auto other = MakeUser("admin2@acme.example", Role::kAdmin);
  auto demoted = svc().users.Update(admin(), other.id, demote);
  ASSERT_TRUE(demoted) << demoted.error().message;
  EXPECT_EQ(demoted->role, Role::kManager);
}

TEST_F(UserServiceTest, RoleChangeAppliesToExistingSessions) {
  auto login = svc().auth.Login("rep1@acme.example", kPassword, core::SessionKind::kBearer);
  ASSERT_TRUE(login);
  UserPatch promote;
  promote.role = Role::kManager;
  ASSERT_TRUE(svc().users.Update(admin(), rep1_.id, promote));
  auto who = svc().auth.Authenticate(login->token);
  ASSERT_TRUE(who);
  EXPECT_EQ(who->principal.role, Role::kManager);
}

TEST_F(UserServiceTest, UsersSetTheirOwnPasswordAdminsSetAnyones) {
  const std::string fresh = "a brand new secret";
  EXPECT_TRUE(
      FailsWith(svc().users.SetPassword(rep2(), rep1_.id, fresh), ErrorCode::kPermissionDenied));
  ASSERT_TRUE(svc().users.SetPassword(rep1(), rep1_.id, fresh));
  EXPECT_TRUE(
      FailsWith(svc().auth.Login("rep1@acme.example", kPassword, core::SessionKind::kBearer),
                ErrorCode::kUnauthenticated));
  EXPECT_TRUE(svc().auth.Login("rep1@acme.example", fresh, core::SessionKind::kBearer));

  ASSERT_TRUE(svc().users.SetPassword(admin(), rep1_.id, "reset by the admin"));
  EXPECT_TRUE(
      svc().auth.Login("rep1@acme.example", "reset by the admin", core::SessionKind::kBearer));

  int password_changes = 0;
  for (const auto& e : AuditOf("user", rep1_.id)) {
    if (!FindChange(e, "password")) continue;
    ++password_changes;
    EXPECT_EQ(e.action, core::AuditAction::kUpdate);
    EXPECT_EQ(ChangeOf(e, "password"), (core::FieldChange{"password", "", "(changed)"}));
  }
  EXPECT_EQ(password_changes, 2);

  EXPECT_TRUE(FailsWith(svc().users.SetPassword(rep1(), rep1_.id, "short"),
                        ErrorCode::kInvalidArgument, "password"));
  EXPECT_TRUE(
      FailsWith(svc().users.SetPassword(admin(), 999, "long enough pass"), ErrorCode::kNotFound));
}

TEST_F(UserServiceTest, ApiKeysCannotSetTheirUsersPassword) {
  // A key narrowed to reading must not be able to turn itself into a full password login.
  for (auto scopes :
       {std::vector<core::Scope>{core::Scope::kRead}, std::vector<core::Scope>{core::Scope::kWrite},
        std::vector<core::Scope>{core::Scope::kIngest}}) {
    auto key = svc().auth.IssueApiKey(core::Actor::System("test"), rep1_.id, "k", scopes);
    ASSERT_TRUE(key);
    auto who = svc().auth.Authenticate(key->secret);
    ASSERT_TRUE(who);
    EXPECT_TRUE(FailsWith(svc().users.SetPassword(who->principal, rep1_.id, "taken over by a key"),
                          ErrorCode::kPermissionDenied));
  }
  EXPECT_TRUE(svc().auth.Login("rep1@acme.example", kPassword, core::SessionKind::kBearer));
  // An admin's key with the admin scope manages users, passwords included.
  auto admin_key = svc().auth.CreateApiKey(admin(), "ops", {core::Scope::kAdmin});
  ASSERT_TRUE(admin_key);
  auto ops = svc().auth.Authenticate(admin_key->secret);
  ASSERT_TRUE(ops);
  EXPECT_TRUE(svc().users.SetPassword(ops->principal, rep1_.id, "reset through the key"));
}

TEST_F(UserServiceTest, UserWithoutPasswordCannotLogIn) {
  MakeUser("nopass@acme.example", Role::kSales, "");
  EXPECT_TRUE(FailsWith(svc().auth.Login("nopass@acme.example", "", core::SessionKind::kBearer),
                        ErrorCode::kUnauthenticated));
  EXPECT_TRUE(FailsWith(
      svc().auth.Login("nopass@acme.example", "anything at all", core::SessionKind::kBearer),
      ErrorCode::kUnauthenticated));
}

// ----- teams and audit -----------------------------------------------------------------------

class TeamServiceTest : public AppTest {};

TEST_F(TeamServiceTest, AdminsAndManagersChangeTeams) {
  core::Team t;
  t.name = "Sales EMEA";
  t.function = core::TeamFunction::kSales;
  t.region = "EMEA";
  EXPECT_TRUE(FailsWith(svc().teams.Create(rep1(), t), ErrorCode::kPermissionDenied));
  EXPECT_TRUE(FailsWith(svc().teams.Create(marketer(), t), ErrorCode::kPermissionDenied));
  auto created = svc().teams.Create(manager(), t);
  ASSERT_TRUE(created) << created.error().message;
  TeamPatch patch;
  patch.region = "Europe";
  auto updated = svc().teams.Update(manager(), created->id, patch);
  ASSERT_TRUE(updated);
  EXPECT_EQ(updated->region, "Europe");
  auto list = svc().teams.List(rep1());
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].region, "Europe");
  ASSERT_TRUE(svc().teams.Delete(admin(), created->id));
  EXPECT_TRUE(FailsWith(svc().teams.Get(admin(), created->id), ErrorCode::kNotFound));
}

TEST_F(TeamServiceTest, OnlyAdminsAndManagersReadTheAuditLog) {
  EXPECT_TRUE(
      FailsWith(svc().audit.List(marketer(), core::AuditQuery{}), ErrorCode::kPermissionDenied));
  EXPECT_TRUE(
      FailsWith(svc().audit.List(rep1(), core::AuditQuery{}), ErrorCode::kPermissionDenied));
  auto page = svc().audit.List(manager(), core::AuditQuery{});
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_FALSE(page->items.empty());
}

}  // namespace
}  // namespace tandem::app::apptest
