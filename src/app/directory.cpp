#include "app/directory.hpp"

#include "app/crud.hpp"

namespace tandem::app {

using core::Error;
using core::Fail;
using core::Resource;
using core::Verb;

namespace {

Result<void> NormalizeUser(core::User& u) {
  TANDEM_ASSIGN(u.email, core::NormalizeEmail(u.email));
  return core::Validate(u);
}

}  // namespace

// ----- users ---------------------------------------------------------------------------------

Result<core::User> UserService::Insert(const core::Actor& actor, core::User draft,
                                       std::string_view password) {
  TANDEM_TRY(NormalizeUser(draft));
  std::string hash;
  if (!password.empty()) {
    TANDEM_ASSIGN(hash, hasher_.Hash(password));
  }
  const auto now = clock_.Now();
  TANDEM_TRY(store_.Write([&](store::Tx& tx) -> Result<void> {
    draft.created_at = draft.updated_at = now;
    TANDEM_ASSIGN(draft.id, tx.users().Insert(draft, hash));
    TANDEM_TRY(tx.audit().Append(core::MakeAudit<core::User>(
        now, actor, "user", draft.id, core::AuditAction::kCreate, std::nullopt, draft)));
    return {};
  }));
  return draft;
}

Result<core::User> UserService::Create(const Principal& p, core::User draft,
                                       std::string_view password) {
  TANDEM_TRY(core::Authorize(p, Verb::kCreate, Resource::kUser));
  return Insert(p.AsActor(), std::move(draft), password);
}

Result<core::User> UserService::Bootstrap(core::User draft, std::string_view password) {
  return Insert(core::Actor::System("cli"), std::move(draft), password);
}

Result<core::User> UserService::Get(const Principal& p, Id id) {
  return GetRecord<core::User>(store_, p, id);
}

Result<core::User> UserService::Update(const Principal& p, Id id, const UserPatch& patch) {
  TANDEM_TRY(core::Authorize(p, Verb::kUpdate, Resource::kUser));
  core::User after;
  TANDEM_TRY(store_.Write([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(core::User before, LoadRecord<core::User>(tx, id));
    after = before;
    Apply(after, patch);
    if (id == p.user_id && (!after.active || after.role != core::Role::kAdmin)) {
      return Fail(Error::Precondition("admins cannot deactivate or demote themselves"));
    }
    TANDEM_TRY(NormalizeUser(after));
    TANDEM_TRY(UpdateRecord(tx, p.AsActor(), before, after, clock_.Now()));
    if (!after.active) TANDEM_TRY(tx.auth().DeleteSessionsOfUser(id));
    return {};
  }));
  if (on_change_) on_change_();
  return after;
}

Result<void> UserService::SetPassword(const Principal& p, Id id, std::string_view password) {
  // Setting one's own password is for a person signed in; an API key (whatever its scopes)
  // goes through the user-management rule, or a read-only key could mint a full login.
  if (id != p.user_id || p.scopes) TANDEM_TRY(core::Authorize(p, Verb::kUpdate, Resource::kUser));
  TANDEM_ASSIGN(std::string hash, hasher_.Hash(password));
  auto done = store_.Write([&](store::Tx& tx) -> Result<void> {
    TANDEM_TRY(LoadRecord<core::User>(tx, id));
    TANDEM_TRY(tx.users().SetPasswordHash(id, hash));
    core::AuditEntry e;
    e.at = clock_.Now();
    e.actor = p.AsActor();
    e.entity = "user";
    e.entity_id = id;
    e.action = core::AuditAction::kUpdate;
    e.changes.push_back({"password", "", "(changed)"});
    TANDEM_TRY(tx.audit().Append(e));
    return {};
  });
  if (done && on_change_) on_change_();
  return done;
}

Result<core::Page<core::User>> UserService::List(const Principal& p, const core::UserQuery& q) {
  return ListRecords<core::User>(store_, p, q);
}

// ----- teams ---------------------------------------------------------------------------------

Result<core::Team> TeamService::Create(const Principal& p, core::Team draft) {
  TANDEM_TRY(core::Authorize(p, Verb::kCreate, Resource::kTeam));
  TANDEM_TRY(core::Validate(draft));
  TANDEM_TRY(store_.Write(
      [&](store::Tx& tx) { return InsertRecord(tx, p.AsActor(), draft, clock_.Now()); }));
  return draft;
}

Result<core::Team> TeamService::Get(const Principal& p, Id id) {
  return GetRecord<core::Team>(store_, p, id);
}

Result<core::Team> TeamService::Update(const Principal& p, Id id, const TeamPatch& patch) {
  TANDEM_TRY(core::Authorize(p, Verb::kUpdate, Resource::kTeam));
  core::Team after;
  TANDEM_TRY(store_.Write([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(core::Team before, LoadRecord<core::Team>(tx, id));
    after = before;
    Apply(after, patch);
    TANDEM_TRY(core::Validate(after));
    return UpdateRecord(tx, p.AsActor(), before, after, clock_.Now());
  }));
  return after;
}

Result<void> TeamService::Delete(const Principal& p, Id id) {
  return DeleteRecord<core::Team>(store_, clock_, p, id);
}

Result<std::vector<core::Team>> TeamService::List(const Principal& p) {
  TANDEM_TRY(core::Authorize(p, Verb::kRead, Resource::kTeam));
  std::vector<core::Team> out;
  TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(out, tx.teams().List());
    return {};
  }));
  return out;
}

// ----- audit ---------------------------------------------------------------------------------

Result<core::Page<core::AuditEntry>> AuditService::List(const Principal& p,
                                                        const core::AuditQuery& q) {
  TANDEM_TRY(core::Authorize(p, Verb::kRead, Resource::kAudit));
  core::Page<core::AuditEntry> page;
  TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(page, tx.audit().List(q));
    return {};
  }));
  return page;
}

}  // namespace tandem::app
