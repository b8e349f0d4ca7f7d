#include "app/views.hpp"

namespace tandem::app {

using core::Error;
using core::Fail;
using core::Result;
using core::SavedView;

namespace {

Result<void> NeedScope(const core::Principal& p, core::Scope scope) {
  if (!p.scopes) return {};
  if (p.HasScope(scope) || p.HasScope(core::Scope::kAdmin)) return {};
  if (scope == core::Scope::kRead && p.HasScope(core::Scope::kWrite)) return {};
  return Fail(
      Error::Forbidden("this API key has no " + std::string(core::ToString(scope)) + " scope"));
}

Error Missing(core::Id id) {
  return Error::NotFound("saved view " + std::to_string(id) + " does not exist");
}

// The view as the caller may see it: their own or a shared one.
Result<SavedView> Visible(store::Tx& tx, const core::Principal& p, core::Id id) {
  TANDEM_ASSIGN(auto v, tx.views().Get(id));
  if (!v || (v->owner_id != p.user_id && !v->shared)) return Fail(Missing(id));
  return std::move(*v);
}

}  // namespace

Result<std::vector<SavedView>> SavedViewService::List(const core::Principal& p) {
  TANDEM_TRY(NeedScope(p, core::Scope::kRead));
  std::vector<SavedView> out;
  TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(out, tx.views().Visible(p.user_id));
    return {};
  }));
  return out;
}

Result<SavedView> SavedViewService::Get(const core::Principal& p, core::Id id) {
  TANDEM_TRY(NeedScope(p, core::Scope::kRead));
  SavedView out;
  TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(out, Visible(tx, p, id));
    return {};
  }));
  return out;
}

Result<SavedView> SavedViewService::Create(const core::Principal& p, SavedView draft) {
  TANDEM_TRY(NeedScope(p, core::Scope::kWrite));
  draft.id = 0;
  draft.owner_id = p.user_id;
  draft.created_at = draft.updated_at = clock_.Now();
  TANDEM_TRY(core::Validate(draft));
  TANDEM_TRY(store_.Write([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(draft.id, tx.views().Insert(draft));
    return {};
  }));
  return draft;
}

Result<SavedView> SavedViewService::Update(const core::Principal& p, core::Id id,
                                           const SavedViewPatch& patch) {
  TANDEM_TRY(NeedScope(p, core::Scope::kWrite));
  SavedView v;
  TANDEM_TRY(store_.Write([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(v, Visible(tx, p, id));
    if (v.owner_id != p.user_id) {
      return Fail(Error::Forbidden("only the owner of a view changes it; save a copy instead"));
    }
    if (patch.name) v.name = *patch.name;
    if (patch.query) v.query = *patch.query;
    if (patch.shared) v.shared = *patch.shared;
    v.updated_at = clock_.Now();
    TANDEM_TRY(core::Validate(v));
    return tx.views().Update(v);
  }));
  return v;
}

Result<void> SavedViewService::Delete(const core::Principal& p, core::Id id) {
  TANDEM_TRY(NeedScope(p, core::Scope::kWrite));
  return store_.Write([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(auto v, Visible(tx, p, id));
    if (v.owner_id != p.user_id && p.role != core::Role::kAdmin) {
      return Fail(Error::Forbidden("only the owner of a view or an admin deletes it"));
    }
    return tx.views().Delete(id);
  });
}

}  // namespace tandem::app
