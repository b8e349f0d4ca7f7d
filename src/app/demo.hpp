// The demo company generator: fills an empty store with a believable B2B SaaS company
// ("Northwind Analytics", selling analytics in EUR) so that Tandem can be tried, demonstrated
// and load-tested on realistic data. Used by `tandem demo` and by scripts/demo.sh.
//
// What it writes:
//  * 13 users on the domain northwind-analytics.example, all with the demo password: an admin
//    and the head of revenue (team "Revenue Leadership"); the head of marketing and two
//    marketers ("Marketing"); for each territory a sales manager and three reps ("Sales EMEA",
//    region "EMEA"; "Sales North America", region "North America").
//  * Companies created lazily as contacts arrive (about one per six contacts), named from word
//    lists by industry and country, on `.example` domains so no real address is ever written.
//    Two target personas are encoded in the data (the persona objects that find them are set
//    up by ConfigureDemo, app/demo_setup.hpp):
//    "ops_leader_manufacturing" (operations leaders at mid-size manufacturers) and
//    "head_of_data_saas" (data leaders at SaaS scale-ups); the contact's custom field
//    `persona` holds one of them or "none".
//  * `contacts` contacts created over the last `days` days up to `now`, with weekly
//    seasonality (weekend days ~30% below weekdays), business-hour peaks per territory and a
//    mild upward trend. Each has an original source (organic_search, paid_search, paid_social,
//    email, events, referral, direct, partner) and, for the paid, email, event, referral and
//    partner sources, a dated campaign ("2026-Q3 Webinar: Forecasting without spreadsheets").
//  * A lifecycle per contact recorded as StageChange rows at increasing times, the first with
//    no `from` and cause "created": visitor -> lead (few start as visitors), lead -> mql
//    (~30%), mql -> sal (~55%, the rest recycled or disqualified with a reason), sal -> sql
//    (~60%), sql -> opportunity (~45%, a deal is created then, cause "deal_created"),
//    opportunity -> customer when the deal is won (~25% of closed deals, cause "deal_won");
//    a lost deal (with its lost reason) sends the contact to recycled (cause "deal_lost"). A
//    few recycled contacts qualify again later. Rates vary by source (paid_social MQLs are
//    accepted less, referrals convert best), by persona fit and by rep (each rep has a
//    response speed; a slow one accepts less), so analytics have something to find. Delays
//    between stages are drawn from log-normal distributions (hours to days to accept, weeks
//    to close). No event is later than `now`: a path stops where time runs out, which leaves
//    fresh MQLs waiting in the reps' inboxes and recent deals open. The contact's `stage` and
//    `stage_entered_at` are those of its last history row.
//  * Deals won all through the window, whatever the seed and size: a company that has been
//    selling for a while closes deals every week, while contacts created inside the window
//    would close their first ones only about two months in (a short or small demo could have
//    none, and the planner could then not measure a deal size). The window is cut into slices
//    of about two weeks (one slice when shorter) and each gets one won deal closing in its
//    second half, brought by the first contact at a company arriving 14 to 42 days before
//    (at least 4 days, or half the time since the window began); that contact's path runs
//    straight from lead to customer. A slice stays without one only when no contact at a
//    company arrives in time (a few contacts over many days).
//  * Owners: a contact gets an owner when it becomes an MQL, a rep of its territory's team
//    chosen round robin (a rep already working the contact's company keeps it more often).
//  * Tracked events told by each contact's history, none after now and none before its
//    creation: an anonymous visitor's page views (under a visitor id, linked to the contact
//    as an identity, the events attached to it: the visitor later identified); at the move to
//    lead the conversion that made it one (a webinar for event leads, a content download for
//    search, a form submission otherwise), then a few nurture email opens, clicks and page
//    views (under 40 points, so the MQL rule would not have qualified it); before each move to
//    mql the evidence the rule saw (a download or webinar in the days before, then a demo
//    request minutes before); while sales works the contact, a pricing page view now and then;
//    nothing after recycled, disqualified or customer. The conversion, downloads, webinars
//    and demo requests carry the UTM source and medium of the contact's source and its
//    campaign, so attribution has touches per campaign. Each contact's engagement score is
//    the sum of its events under the default event rules (points, caps, 30-day half-life),
//    written with its events; fit and grade follow when the personas are set up. Events come
//    from a generator seeded per contact, so they do not change the rest of the company.
//  * Activities by the owning rep around acceptance (call and email attempts with outcomes),
//    qualification (discovery meetings) and the deal (demo, proposal, follow-ups, a closing
//    note); a few notes by marketers. Deals: amount log-normal by company size (8k-60k EUR),
//    expected close date, won/lost/open consistent with the contact's stages.
//
// Audit: the load writes exactly one audit entry (entity "demo", entity id 0, action create,
// actor "system:demo") listing the settings and the counts, rather than one per row: a million
// generated rows would triple the database and bury the log, and the rows are not anyone's
// changes. Everything done afterwards through the services is audited as usual.
//
// Speed and memory: rows go straight through store::Store::Write in transactions of
// kDemoBatchContacts contacts with their history, activities and deals (not through the
// per-record services, whose per-row audit and checks would multiply the work), generated batch
// by batch. What lives for the whole run is small: the state of each company (name, domain,
// country, size, last owner) and one counter per distinct email address (a 64-bit hash key):
// under 80 MiB of heap at a million contacts. A million contacts take about two minutes on two
// shared cores into a SQLite file of about 1 GiB; generating them is ~8 s of that, the store's
// inserts the rest (see bench/demo_bench.cpp).
//
// Determinism: the same settings (seed, contacts, days, now) give the same company, row for
// row. All randomness comes from one std::mt19937_64 and distributions written here (not the
// standard library's, whose algorithms differ between implementations).
//
// Failure: the users and teams are written in one transaction, then each batch in its own; an
// error stops the load and the batches already committed stay (the store then holds contacts,
// so a new run is refused: start again from an empty database).
// Thread-safety: GenerateDemo is a plain function; run one at a time per store.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "app/passwords.hpp"
#include "core/error.hpp"
#include "core/lifecycle.hpp"
#include "core/model.hpp"
#include "core/time.hpp"
#include "store/store.hpp"

namespace tandem::app {

// Contacts written per transaction (with their history, activities and deals).
inline constexpr std::int64_t kDemoBatchContacts = 10000;
// The most contacts a demo may have.
inline constexpr std::int64_t kDemoMaxContacts = 20'000'000;
// The domain of the demo users' emails.
inline constexpr std::string_view kDemoDomain = "northwind-analytics.example";

struct DemoSettings {
  std::int64_t contacts = 20000;  // 0 .. kDemoMaxContacts
  int days = 180;                 // days of history before `now`, 1 .. 3650
  std::uint64_t seed = 42;
  core::Instant now{};   // the end of the history; required (not the epoch)
  std::string password;  // every demo user's password (8 .. 1024 bytes)
};

// A user the demo created, to sign in with the demo password.
struct DemoLogin {
  std::string email;
  std::string name;
  core::Role role = core::Role::kSales;
  std::string team;

  bool operator==(const DemoLogin&) const = default;
};

struct DemoSummary {
  std::int64_t users = 0;
  std::int64_t teams = 0;
  std::int64_t companies = 0;
  std::int64_t contacts = 0;
  std::int64_t stage_changes = 0;
  std::int64_t activities = 0;
  std::int64_t events = 0;               // tracked events
  std::int64_t identified_visitors = 0;  // contacts first seen as anonymous visitors
  std::int64_t deals = 0;                // deals_won + deals_lost + deals_open
  std::int64_t deals_won = 0;
  std::int64_t deals_lost = 0;
  std::int64_t deals_open = 0;
  // Contacts by their current stage, indexed by core::Stage.
  std::array<std::int64_t, core::kAllStages.size()> contacts_by_stage{};
  // In the order they were created: admin, head of revenue, marketing, EMEA, North America.
  std::vector<DemoLogin> logins;

  bool operator==(const DemoSummary&) const = default;
};

// Generates the demo company into `store`. The password is hashed once with `hasher` and the
// hash shared by every demo user. `progress(done, total)` is called after each committed batch
// of contacts (and once with (0, total) before the first).
// Errors: kFailedPrecondition when the store already has contacts (demo data is never mixed
// into a real company); kInvalidArgument naming the setting ("contacts", "days", "now",
// "password"); kAlreadyExists when a demo user's email is taken; store errors as they come.
[[nodiscard]] core::Result<DemoSummary> GenerateDemo(
    store::Store& store, const PasswordHasher& hasher, const DemoSettings& settings,
    const std::function<void(std::int64_t done, std::int64_t total)>& progress = {});

// A few lines for the terminal: what was loaded and the logins with `password`.
std::string Describe(const DemoSummary& summary, std::string_view password);

}  // namespace tandem::app
