#include "app/weekly_mailer.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "app/outbox.hpp"
#include "app/webhooks.hpp"
#include "app/weekly_render.hpp"
#include "core/compliance.hpp"

namespace tandem::app {

using core::Error;
using core::Fail;
using core::Result;

namespace {

const core::Principal kSystem{0, "system", core::Role::kAdmin, std::nullopt};

std::int64_t WeekKey(core::IsoWeek w) {
  return static_cast<std::int64_t>(w.year) * 100 + w.week;
}

core::IsoWeek LocalWeek(const date::time_zone* zone, core::Instant t) {
  const auto local = zone->to_local(t);
  return core::IsoWeekOf(core::Date(std::chrono::floor<date::days>(local).time_since_epoch()));
}

core::IsoWeek Previous(core::IsoWeek w) {
  return core::IsoWeekOf(core::MondayOf(w) - date::days(7));
}

std::string AttrEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// The links block put at the top of the mail's HTML.
std::string Links(const std::string& base, core::IsoWeek w) {
  const std::string week = core::FormatIsoWeek(w);
  const std::string api = base + "/api/v1/reports/weekly?week=" + week;
  return "<p class=\"meta\">Download: <a href=\"" + AttrEscape(api + "&format=csv") +
         "\">CSV</a> &middot; <a href=\"" + AttrEscape(api + "&format=pdf") +
         "\">PDF</a> &middot; <a href=\"" + AttrEscape(base + "/weekly?week=" + week) +
         "\">the dashboard's Weekly pack</a> (signed in), or <code>tandem report weekly --week " +
         week + " --format csv</code>.</p>\n";
}

// The pack as a sales rep may see it: their own SLA row only (core::ComplianceRowsOf).
WeeklyPack OwnView(const WeeklyPack& all, const core::User& rep) {
  WeeklyPack p = all;
  p.sla.sales.rows.clear();
  p.sla.sales.total = core::SalesCompliance{};
  for (const auto& r : all.sla.sales.rows) {
    if (r.user_id == rep.id) {
      p.sla.sales.rows.push_back(r);
      p.sla.sales.total = r;
      p.sla.sales.total.key = "";
      p.sla.sales.total.user_id.reset();
    }
  }
  p.sla.only_user = rep.id;
  p.actions.erase(std::remove_if(p.actions.begin(), p.actions.end(),
                                 [&](const core::Action& a) {
                                   return a.rule == "rep_first_touch" &&
                                          a.text.find(" " + rep.email + ":") == std::string::npos;
                                 }),
                  p.actions.end());
  return p;
}

}  // namespace

core::Instant WeeklyMailer::MondayEight(const date::time_zone* zone, core::IsoWeek w) {
  const auto local = date::local_days{core::MondayOf(w).time_since_epoch()} + std::chrono::hours(8);
  return std::chrono::time_point_cast<std::chrono::milliseconds>(
      zone->to_sys(local, date::choose::earliest));
}

Result<core::Instant> WeeklyMailer::NextDue(core::Instant now) {
  TANDEM_ASSIGN(auto in_force, contracts_.InForceAt(now));
  if (!in_force) return now + std::chrono::hours(1);
  const date::time_zone* zone = in_force->contract.calendar.zone;
  core::IsoWeek w = LocalWeek(zone, now);
  core::Instant due = MondayEight(zone, w);
  while (due <= now) {
    w = core::IsoWeekOf(core::MondayOf(w) + date::days(7));
    due = MondayEight(zone, w);
  }
  return due;
}

Result<std::optional<WeeklyMailRun>> WeeklyMailer::RunDue(core::Instant now) {
  if (!settings_.email_enabled) return std::optional<WeeklyMailRun>{};
  TANDEM_ASSIGN(auto in_force, contracts_.InForceAt(now));
  if (!in_force) return std::optional<WeeklyMailRun>{};
  const core::Contract& contract = in_force->contract;
  const date::time_zone* zone = contract.calendar.zone;
  const core::IsoWeek current = LocalWeek(zone, now);
  // The latest week whose Monday 08:00 (of the week after it) has passed.
  const core::IsoWeek due =
      now >= MondayEight(zone, current) ? Previous(current) : Previous(Previous(current));

  core::Id last = 0;
  std::optional<core::Instant> first_effective;
  TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(last, tx.outbox().GetCursor(kWeeklyPackCursor));
    TANDEM_ASSIGN(auto versions, tx.contracts().ListVersions());
    for (const auto& v : versions) {
      if (!first_effective || v.effective_at < *first_effective) first_effective = v.effective_at;
    }
    return {};
  }));
  if (last >= WeekKey(due)) return std::optional<WeeklyMailRun>{};
  // A week that ended before the first contract took effect has no teams to send it to.
  const core::Instant week_end = core::StartOfLocalDay(zone, core::MondayOf(due) + date::days(7));
  if (!first_effective || week_end <= *first_effective) return std::optional<WeeklyMailRun>{};

  TANDEM_ASSIGN(const WeeklyPack pack, reports_.Build(kSystem, due));
  const std::string links =
      Links(settings_.public_url.empty() ? std::string() : settings_.public_url, due);
  auto html_for = [&](const WeeklyPack& p) {
    std::string html = RenderWeeklyHtml(p);
    const auto at = html.find("<header>");
    if (at != std::string::npos) html.insert(at, links);
    return html;
  };
  const std::string shared_html = html_for(pack);
  const std::string subject =
      "Weekly smarketing pack " + core::FormatIsoWeek(due) + ": " + pack.summary;

  std::set<std::string> teams;
  std::set<std::string> heads;
  for (const auto& party : contract.parties) {
    teams.insert(party.team);
    heads.insert(party.head_email);
  }
  WeeklyMailRun run{due, 0};
  bool sent = false;
  TANDEM_TRY(store_.Write([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(auto again, tx.outbox().GetCursor(kWeeklyPackCursor));
    if (again >= WeekKey(due)) return {};  // another run got there first
    TANDEM_ASSIGN(auto all_teams, tx.teams().List());
    std::set<core::Id> team_ids;
    for (const auto& t : all_teams) {
      if (teams.count(t.name)) team_ids.insert(t.id);
    }
    std::map<core::Id, core::User> recipients;
    core::UserQuery q;
    q.active = true;
    q.page.limit = 500;
    while (true) {
      TANDEM_ASSIGN(auto page, tx.users().List(q));
      for (const auto& u : page.items) {
        if ((u.team_id && team_ids.count(*u.team_id)) || heads.count(u.email)) {
          recipients.emplace(u.id, u);
        }
      }
      if (!page.next) break;
      q.page.after = page.next;
    }
    const std::string payload = Payload()
                                    .Str("week", core::FormatIsoWeek(due))
                                    .Str("summary", pack.summary)
                                    .Int("recipients", static_cast<std::int64_t>(recipients.size()))
                                    .Time("at", now)
                                    .Done();
    TANDEM_ASSIGN(const core::Id outbox_id,
                  Announce(tx, kWeeklyPackEvent, std::nullopt, std::nullopt, payload, now));
    for (const auto& [id, u] : recipients) {
      core::Delivery d;
      d.uid = NewDeliveryUid();
      d.channel = core::DeliveryChannel::kEmail;
      d.outbox_id = outbox_id;
      d.user_id = id;
      d.target = u.email;
      d.event_type = std::string(kWeeklyPackEvent);
      d.subject = subject;
      d.body = u.role == core::Role::kSales ? html_for(OwnView(pack, u)) : shared_html;
      d.next_attempt_at = now;
      d.created_at = now;
      TANDEM_TRY(tx.webhooks().InsertDelivery(d));
      ++run.recipients;
    }
    TANDEM_TRY(tx.outbox().SetCursor(kWeeklyPackCursor, WeekKey(due)));
    sent = true;
    return {};
  }));
  if (!sent) return std::optional<WeeklyMailRun>{};
  return std::optional<WeeklyMailRun>{run};
}

}  // namespace tandem::app
