// The shared shape of record use cases (load, read, list, insert, update, delete with their
// permission check and audit entry), written once for every record type through RecordTraits.
// Internal to the app layer.
#pragma once

#include <functional>
#include <string>

#include "base/clock.hpp"
#include "core/audit.hpp"
#include "core/permissions.hpp"
#include "store/store.hpp"

namespace tandem::app {

template <class T>
struct RecordTraits;

template <>
struct RecordTraits<core::Company> {
  static constexpr const char* kEntity = "company";
  static constexpr core::Resource kResource = core::Resource::kCompany;
  static store::CompanyRepo& Repo(store::Tx& tx) { return tx.companies(); }
  static std::optional<core::Id> Owner(const core::Company& r) { return r.owner_id; }
};
template <>
struct RecordTraits<core::Deal> {
  static constexpr const char* kEntity = "deal";
  static constexpr core::Resource kResource = core::Resource::kDeal;
  static store::DealRepo& Repo(store::Tx& tx) { return tx.deals(); }
  static std::optional<core::Id> Owner(const core::Deal& r) { return r.owner_id; }
};
template <>
struct RecordTraits<core::Activity> {
  static constexpr const char* kEntity = "activity";
  static constexpr core::Resource kResource = core::Resource::kActivity;
  static store::ActivityRepo& Repo(store::Tx& tx) { return tx.activities(); }
  static std::optional<core::Id> Owner(const core::Activity& r) { return r.owner_id; }
};
template <>
struct RecordTraits<core::User> {
  static constexpr const char* kEntity = "user";
  static constexpr core::Resource kResource = core::Resource::kUser;
  static store::UserRepo& Repo(store::Tx& tx) { return tx.users(); }
  static std::optional<core::Id> Owner(const core::User&) { return std::nullopt; }
};
template <>
struct RecordTraits<core::Team> {
  static constexpr const char* kEntity = "team";
  static constexpr core::Resource kResource = core::Resource::kTeam;
  static store::TeamRepo& Repo(store::Tx& tx) { return tx.teams(); }
  static std::optional<core::Id> Owner(const core::Team&) { return std::nullopt; }
};

template <class T>
core::Result<T> LoadRecord(store::Tx& tx, core::Id id) {
  using Tr = RecordTraits<T>;
  TANDEM_ASSIGN(std::optional<T> found, Tr::Repo(tx).Get(id));
  if (!found) {
    return core::Fail(core::Error::NotFound(std::string(Tr::kEntity) + " " + std::to_string(id) +
                                            " does not exist"));
  }
  return std::move(*found);
}

template <class T>
core::Result<T> GetRecord(store::Store& store, const core::Principal& p, core::Id id) {
  TANDEM_TRY(core::Authorize(p, core::Verb::kRead, RecordTraits<T>::kResource));
  T out;
  TANDEM_TRY(store.Read([&](store::Tx& tx) -> core::Result<void> {
    TANDEM_ASSIGN(out, LoadRecord<T>(tx, id));
    return {};
  }));
  return out;
}

template <class T, class Query>
core::Result<core::Page<T>> ListRecords(store::Store& store, const core::Principal& p,
                                        const Query& q) {
  TANDEM_TRY(core::Authorize(p, core::Verb::kRead, RecordTraits<T>::kResource));
  core::Page<T> page;
  TANDEM_TRY(store.Read([&](store::Tx& tx) -> core::Result<void> {
    TANDEM_ASSIGN(page, RecordTraits<T>::Repo(tx).List(q));
    return {};
  }));
  return page;
}

// Inserts an already validated record and audits it; sets its id and timestamps.
template <class T>
core::Result<void> InsertRecord(store::Tx& tx, const core::Actor& actor, T& record,
                                core::Instant now) {
  record.created_at = record.updated_at = now;
  TANDEM_ASSIGN(record.id, RecordTraits<T>::Repo(tx).Insert(record));
  TANDEM_TRY(
      tx.audit().Append(core::MakeAudit<T>(now, actor, RecordTraits<T>::kEntity, record.id,
                                           core::AuditAction::kCreate, std::nullopt, record)));
  return {};
}

// Stores an already validated new version and audits the difference.
template <class T>
core::Result<void> UpdateRecord(store::Tx& tx, const core::Actor& actor, const T& before, T& after,
                                core::Instant now) {
  after.updated_at = now;
  TANDEM_TRY(RecordTraits<T>::Repo(tx).Update(after));
  auto entry = core::MakeAudit<T>(now, actor, RecordTraits<T>::kEntity, after.id,
                                  core::AuditAction::kUpdate, before, after);
  if (!entry.changes.empty()) TANDEM_TRY(tx.audit().Append(entry));
  return {};
}

template <class T>
core::Result<void> DeleteRecord(
    store::Store& store, const base::Clock& clock, const core::Principal& p, core::Id id,
    const std::function<core::Result<void>(store::Tx&, const T&)>& after_delete = {}) {
  using Tr = RecordTraits<T>;
  return store.Write([&](store::Tx& tx) -> core::Result<void> {
    TANDEM_ASSIGN(T before, LoadRecord<T>(tx, id));
    TANDEM_TRY(core::Authorize(p, core::Verb::kDelete, Tr::kResource, Tr::Owner(before)));
    TANDEM_TRY(Tr::Repo(tx).Delete(id));
    TANDEM_TRY(
        tx.audit().Append(core::MakeAudit<T>(clock.Now(), p.AsActor(), Tr::kEntity, id,
                                             core::AuditAction::kDelete, before, std::nullopt)));
    if (after_delete) TANDEM_TRY(after_delete(tx, before));
    return {};
  });
}

}  // namespace tandem::app
