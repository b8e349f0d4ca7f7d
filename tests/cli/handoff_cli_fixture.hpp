// The handoff's people for command-line tests: an admin, two sales reps (rep1, rep2) and the
// handoff contract of tests/app/handoff_fixture.hpp, set up through a runtime's services.
#pragma once

#include <gtest/gtest.h>

#include "app/handoff_fixture.hpp"
#include "app/services.hpp"
#include "cli/cli_fixture.hpp"

namespace tandem::cli::clitest {

// Fills `root` with the admin's principal. Call under ASSERT_NO_FATAL_FAILURE.
inline void SetUpHandoffTeam(app::Services& s, core::Principal& root) {
  core::User admin;
  admin.email = "admin@acme.example";
  admin.name = "Admin";
  admin.role = core::Role::kAdmin;
  auto a = s.users.Bootstrap(admin, "correct horse battery");
  ASSERT_TRUE(a) << a.error().message;
  root = core::Principal{a->id, a->email, a->role, std::nullopt};
  for (const char* email : {"rep1@acme.example", "rep2@acme.example"}) {
    core::User rep;
    rep.email = email;
    rep.name = "Rep";
    rep.role = core::Role::kSales;
    ASSERT_TRUE(s.users.Create(root, rep, "correct horse battery"));
  }
  auto v =
      s.contracts.ActivateAsOperator(app::apptest::HandoffContract(), std::nullopt, std::nullopt);
  ASSERT_TRUE(v) << v.error().message;
}

}  // namespace tandem::cli::clitest
