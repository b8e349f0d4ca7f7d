#include "cli/view_commands.hpp"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <map>
#include <string>

#include "api/view_query.hpp"
#include "app/views.hpp"
#include "core/model.hpp"
#include "server/runtime.hpp"

namespace tandem::cli {

namespace {

int Fail(std::ostream& err, const core::Error& e) {
  err << "error: " << (e.field.empty() ? "" : e.field + ": ") << e.message << "\n";
  return 1;
}

}  // namespace

struct ViewCommands::State {
  CLI::App* views = nullptr;
  CLI::App* list = nullptr;
  CLI::App* show = nullptr;
  CLI::App* create = nullptr;
  CLI::App* remove = nullptr;
  std::string db = "tandem.db";
  std::string as;
  core::Id id = 0;
  std::string name, query;
  bool shared = false;

  // The runtime and the acting user (an active user of that email).
  struct Session {
    std::unique_ptr<server::Runtime> rt;
    core::Principal principal;
  };

  core::Result<Session> Open() const {
    server::RuntimeSettings rs;
    rs.db = db;
    TANDEM_ASSIGN(auto rt, server::Runtime::Open(rs));
    TANDEM_ASSIGN(const std::string email, core::NormalizeEmail(as));
    std::optional<core::User> user;
    TANDEM_TRY(rt->store().Read([&](store::Tx& tx) -> core::Result<void> {
      TANDEM_ASSIGN(user, tx.users().FindByEmail(email));
      return {};
    }));
    if (!user || !user->active) {
      return core::Fail(core::Error::Invalid("as", "no active user " + email));
    }
    core::Principal p{user->id, user->email, user->role, std::nullopt};
    return Session{std::move(rt), std::move(p)};
  }

  // The owners' emails, for listings.
  static std::map<core::Id, std::string> Owners(server::Runtime& rt,
                                                const std::vector<core::SavedView>& views) {
    std::map<core::Id, std::string> out;
    (void)rt.store().Read([&](store::Tx& tx) -> core::Result<void> {
      for (const auto& v : views) {
        if (out.contains(v.owner_id)) continue;
        auto u = tx.users().Get(v.owner_id);
        out[v.owner_id] = u && *u ? (*u)->email : "user " + std::to_string(v.owner_id);
      }
      return {};
    });
    return out;
  }

  static void Print(std::ostream& out, const core::SavedView& v, const std::string& owner) {
    out << fmt::format("id:      {}\nname:    {}\nowner:   {}\nshared:  {}\nquery:   {}\n", v.id,
                       v.name, owner, v.shared ? "yes, every signed-in user sees it" : "no",
                       v.query.empty() ? "(everything)" : v.query);
    out << fmt::format("created: {}\nupdated: {}\n", core::FormatInstant(v.created_at),
                       core::FormatInstant(v.updated_at));
  }

  int List(std::ostream& out, std::ostream& err) const {
    auto s = Open();
    if (!s) return Fail(err, s.error());
    auto views = s->rt->services().views.List(s->principal);
    if (!views) return Fail(err, views.error());
    if (views->empty()) {
      err << "no saved views (create one with tandem views create)\n";
      return 0;
    }
    const auto owners = Owners(*s->rt, *views);
    out << fmt::format("{:>5}  {:<30}  {:<28}  {:<6}  {}\n", "id", "name", "owner", "shared",
                       "query");
    for (const auto& v : *views) {
      out << fmt::format("{:>5}  {:<30}  {:<28}  {:<6}  {}\n", v.id, v.name, owners.at(v.owner_id),
                         v.shared ? "yes" : "no", v.query);
    }
    return 0;
  }

  int Show(std::ostream& out, std::ostream& err) const {
    auto s = Open();
    if (!s) return Fail(err, s.error());
    auto v = s->rt->services().views.Get(s->principal, id);
    if (!v) return Fail(err, v.error());
    Print(out, *v, Owners(*s->rt, {*v}).at(v->owner_id));
    return 0;
  }

  int Create(std::ostream& out, std::ostream& err) const {
    std::string q = query;
    if (!q.empty() && q.front() == '?') q.erase(0, 1);
    if (auto ok = api::CheckViewQuery(q); !ok) return Fail(err, ok.error());
    auto s = Open();
    if (!s) return Fail(err, s.error());
    core::SavedView draft;
    draft.name = name;
    draft.query = q;
    draft.shared = shared;
    auto v = s->rt->services().views.Create(s->principal, std::move(draft));
    if (!v) return Fail(err, v.error());
    err << fmt::format("saved view {} \"{}\"{}\n", v->id, v->name,
                       v->shared ? ", shared with everybody" : "");
    out << v->id << "\n";
    return 0;
  }

  int Delete(std::ostream& out, std::ostream& err) const {
    auto s = Open();
    if (!s) return Fail(err, s.error());
    auto done = s->rt->services().views.Delete(s->principal, id);
    if (!done) return Fail(err, done.error());
    out << fmt::format("deleted saved view {}\n", id);
    return 0;
  }
};

ViewCommands::ViewCommands(CLI::App& app) : s_(std::make_unique<State>()) {
  State& s = *s_;
  s.views = app.add_subcommand("views", "saved views of the leads list, as a user");
  s.views->require_subcommand(1);
  s.list = s.views->add_subcommand("list", "the user's views and the shared ones, by name");
  s.show = s.views->add_subcommand("show", "one view");
  s.create = s.views->add_subcommand(
      "create",
      "save a view owned by the user; prints its id (the query is checked as the API "
      "checks it)");
  s.remove = s.views->add_subcommand("delete", "delete a view (its owner, or an admin)");
  for (auto* cmd : {s.list, s.show, s.create, s.remove}) {
    cmd->add_option("--db", s.db, "database: a SQLite file path, sqlite:PATH or postgresql://URL")
        ->capture_default_str();
    cmd->add_option("--as", s.as, "email of the user whose views these are")->required();
  }
  for (auto* cmd : {s.show, s.remove}) {
    cmd->add_option("ID", s.id, "the view's id")->required();
  }
  s.create->add_option("NAME", s.name, "1 to 100 characters, unique among the user's views")
      ->required();
  s.create->add_option("--query", s.query,
                       "the leads list's filters, sort and columns in the parameters of GET "
                       "/api/v1/contacts: \"stage=mql&owner=me&columns=name,stage,owner\"");
  s.create->add_flag("--shared", s.shared, "every signed-in user sees it");
}

ViewCommands::~ViewCommands() = default;

std::optional<int> ViewCommands::Run(std::ostream& out, std::ostream& err) const {
  if (*s_->list) return s_->List(out, err);
  if (*s_->show) return s_->Show(out, err);
  if (*s_->create) return s_->Create(out, err);
  if (*s_->remove) return s_->Delete(out, err);
  return std::nullopt;
}

}  // namespace tandem::cli
