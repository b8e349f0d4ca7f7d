// Users, teams and the audit log. Only admins create and change users; admins and managers
// change teams; everyone signed in may read users and teams (to show owners); admins and
// managers read the audit log.
// Thread-safety: stateless apart from references; safe to share.
#pragma once

#include <functional>

#include <string>

#include "app/passwords.hpp"
#include "app/patches.hpp"
#include "base/clock.hpp"
#include "core/permissions.hpp"
#include "core/query.hpp"
#include "store/store.hpp"

namespace tandem::app {

using core::Principal;
using core::Result;

class UserService {
 public:
  // `on_change` runs after a user's role, activity or password changed (committed): the
  // credential cache of AuthService forgets what it knew.
  UserService(store::Store& store, const base::Clock& clock, const PasswordHasher& hasher,
              std::function<void()> on_change = {})
      : store_(store), clock_(clock), hasher_(hasher), on_change_(std::move(on_change)) {}
  // `password` may be empty: the user then cannot log in until one is set.
  Result<core::User> Create(const Principal& p, core::User draft, std::string_view password);
  Result<core::User> Get(const Principal& p, Id id);
  // Deactivating a user also ends their sessions.
  Result<core::User> Update(const Principal& p, Id id, const UserPatch& patch);
  // Admins set anyone's password; a user signed in may set their own (an API key may not,
  // unless it is an admin's key with the admin scope).
  Result<void> SetPassword(const Principal& p, Id id, std::string_view password);
  Result<core::Page<core::User>> List(const Principal& p, const core::UserQuery& q);

  // For the CLI's `user add` before any admin exists: acts as the system.
  Result<core::User> Bootstrap(core::User draft, std::string_view password);

 private:
  Result<core::User> Insert(const core::Actor& actor, core::User draft, std::string_view password);

  store::Store& store_;
  const base::Clock& clock_;
  const PasswordHasher& hasher_;
  std::function<void()> on_change_;
};

class TeamService {
 public:
  TeamService(store::Store& store, const base::Clock& clock) : store_(store), clock_(clock) {}
  Result<core::Team> Create(const Principal& p, core::Team draft);
  Result<core::Team> Get(const Principal& p, Id id);
  Result<core::Team> Update(const Principal& p, Id id, const TeamPatch& patch);
  Result<void> Delete(const Principal& p, Id id);
  Result<std::vector<core::Team>> List(const Principal& p);

 private:
  store::Store& store_;
  const base::Clock& clock_;
};

class AuditService {
 public:
  explicit AuditService(store::Store& store) : store_(store) {}
  Result<core::Page<core::AuditEntry>> List(const Principal& p, const core::AuditQuery& q);

 private:
  store::Store& store_;
};

}  // namespace tandem::app
