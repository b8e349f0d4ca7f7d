#include "cli/cli.hpp"

#include <unistd.h>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>

#include "api/compliance_json.hpp"
#include "app/analytics.hpp"
#include "app/contract_file.hpp"
#include "app/demo.hpp"
#include "app/demo_setup.hpp"
#include "app/goals.hpp"
#include "app/importer.hpp"
#include "cli/backup_commands.hpp"
#include "cli/loop_commands.hpp"
#include "cli/migrate_commands.hpp"
#include "cli/privacy_commands.hpp"
#include "cli/progress.hpp"
#include "cli/report_commands.hpp"
#include "cli/view_commands.hpp"
#include "core/funnel.hpp"
#include "core/plan.hpp"
#include "server/runtime.hpp"
#include "server/serve.hpp"

namespace tandem::cli {
namespace {

constexpr const char* kDefaultDb = "tandem.db";

struct Options {
  std::string db = kDefaultDb;
  int db_pool = 0;         // PostgreSQL: pooled connections (0: the URL's pool_size, else 8)
  std::string clock_file;  // tests only: serve and demo read time from this file
  // serve
  std::string listen = "127.0.0.1:8080";
  int threads = 0;
  bool secure_cookies = false;
  bool behind_proxy = false;
  std::string public_url;
  std::string web_root;
  int event_retention_months = 0;
  int leader_check_ms = 1000;
  int sla_resync_ms = 5000;
  // user
  std::string email, name, role = "sales";
  std::int64_t team_id = 0;
  // apikey
  std::string key_user, key_name, scopes = "read";
  // demo
  std::int64_t contacts = 20000;
  int days = 180;
  std::uint64_t seed = 42;
  std::string demo_password = "tandem-demo";
  // contract
  std::string contract_file, contract_other, effective_at, by;
  // import contacts
  std::string import_file, preset, mapping_file, errors_file, import_as;
  bool dry_run = false;
  std::string bulk = "auto";
  std::size_t batch_rows = 5000;
  int show_issues = 20;
  // plan
  std::string revenue, deal_size, from, to, per = "week", currency = "EUR";
  std::vector<std::string> rates;
  int trailing_days = 180;
  // goal
  std::string goal_name, goal_metric, goal_target, goal_source, goal_campaign;
  std::vector<std::string> goal_owners;
  std::int64_t goal_id = 0;
  // lead
  std::int64_t lead_id = 0;
  std::string reason, note, as;
  // form, site
  std::vector<std::string> form_fields, origins;
  std::string consent_text, utm_source, utm_medium, utm_campaign, redirect_url, form_ref;
  bool consent_required = false, all = false;
  // serve: notifications
  bool allow_private_webhooks = false;
  std::string smtp_url, smtp_user, smtp_from;
  bool smtp_starttls = false;
  // webhook
  std::string hook_url, hook_events, hook_description;
  bool hook_allow_private = false;
  std::int64_t hook_id = 0;
  int hook_limit = 20;
  // sla compliance (from and to are shared with plan)
  std::string sla_by = "rep";
  bool json = false;
};

// The command line manages forms as an operator: the audit log records "system:cli".
const core::Principal& Operator() {
  static const core::Principal p{0, "cli", core::Role::kAdmin, std::nullopt};
  return p;
}

int Fail(std::ostream& err, const core::Error& e) {
  err << "error: " << (e.field.empty() ? "" : e.field + ": ") << e.message << "\n";
  return 1;
}

core::Result<std::unique_ptr<server::Runtime>> OpenRuntime(const Options& o) {
  server::RuntimeSettings rs;
  rs.db = o.db;
  rs.db_pool = o.db_pool;
  rs.clock_file = o.clock_file;
  return server::Runtime::Open(rs);
}

std::string ReadSecret(std::istream& in) {
  std::string line;
  std::getline(in, line);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  return line;
}

int Migrate(const Options& o, std::ostream& out, std::ostream& err) {
  auto rt = OpenRuntime(o);
  if (!rt) return Fail(err, rt.error());
  out << fmt::format("{} is at schema version {}\n", server::DisplayDb(o.db),
                     (*rt)->store().SchemaVersion());
  return 0;
}

int UserAdd(const Options& o, std::istream& in, std::ostream& out, std::ostream& err) {
  auto role = core::RoleFromString(o.role);
  if (!role) {
    err << "error: --role must be one of admin, manager, marketing, sales\n";
    return 2;
  }
  auto rt = OpenRuntime(o);
  if (!rt) return Fail(err, rt.error());
  core::User u;
  u.email = o.email;
  u.name = o.name;
  u.role = *role;
  if (o.team_id > 0) u.team_id = o.team_id;
  const std::string password = ReadSecret(in);
  auto user = (*rt)->services().users.Bootstrap(u, password);
  if (!user) return Fail(err, user.error());
  out << fmt::format("created user {} <{}> role {} (id {})\n", user->name, user->email,
                     core::ToString(user->role), user->id);
  return 0;
}

int UserList(const Options& o, std::ostream& out, std::ostream& err) {
  auto rt = OpenRuntime(o);
  if (!rt) return Fail(err, rt.error());
  core::UserQuery q;
  q.page.limit = core::kMaxPageSize;
  out << fmt::format("{:>6}  {:<10}  {:<6}  {:<32}  {}\n", "id", "role", "active", "email", "name");
  for (;;) {
    core::Page<core::User> page;
    auto r = (*rt)->store().Read([&](store::Tx& tx) -> core::Result<void> {
      TANDEM_ASSIGN(page, tx.users().List(q));
      return {};
    });
    if (!r) return Fail(err, r.error());
    for (const auto& u : page.items) {
      out << fmt::format("{:>6}  {:<10}  {:<6}  {:<32}  {}\n", u.id, core::ToString(u.role),
                         u.active ? "yes" : "no", u.email, u.name);
    }
    if (!page.next) break;
    q.page.after = page.next;
  }
  return 0;
}

// The user with this email (normalized first; kInvalidArgument when it is not an email), or
// nothing when nobody has it. Shared by the commands that name a user.
core::Result<std::optional<core::User>> FindUser(store::Store& store, std::string_view raw,
                                                 std::string& email) {
  TANDEM_ASSIGN(email, core::NormalizeEmail(raw));
  std::optional<core::User> user;
  TANDEM_TRY(store.Read([&](store::Tx& tx) -> core::Result<void> {
    TANDEM_ASSIGN(user, tx.users().FindByEmail(email));
    return {};
  }));
  return user;
}

int ApiKeyCreate(const Options& o, std::ostream& out, std::ostream& err) {
  auto scopes = core::ParseScopes(o.scopes);
  if (!scopes) return Fail(err, scopes.error());
  auto rt = OpenRuntime(o);
  if (!rt) return Fail(err, rt.error());
  std::string email;
  auto found = FindUser((*rt)->store(), o.key_user, email);
  if (!found) return Fail(err, found.error());
  const auto& user = *found;
  if (!user) return Fail(err, core::Error::Invalid("user", "no user has the email " + email));
  auto key =
      (*rt)->services().auth.IssueApiKey(core::Actor::System("cli"), user->id, o.key_name, *scopes);
  if (!key) return Fail(err, key.error());
  err << fmt::format("API key {} for {} with scopes {} (shown once; keep it secret):\n",
                     key->key.id, user->email, core::JoinScopes(key->key.scopes));
  out << key->secret << "\n";
  return 0;
}

int Demo(const Options& o, std::ostream& out, std::ostream& err) {
  auto rt = OpenRuntime(o);
  if (!rt) return Fail(err, rt.error());
  app::DemoSettings ds;
  ds.contacts = o.contacts;
  ds.days = o.days;
  ds.seed = o.seed;
  ds.now = (*rt)->clock().Now();
  ds.password = o.demo_password;
  ProgressBar bar(err, "contacts", isatty(STDERR_FILENO) != 0);
  auto summary =
      app::GenerateDemo((*rt)->store(), (*rt)->services().hasher, ds,
                        [&](std::int64_t done, std::int64_t total) { bar.Update(done, total); });
  if (!summary) return Fail(err, summary.error());
  bar.Finish();
  auto setup = app::ConfigureDemo((*rt)->services());
  if (!setup) return Fail(err, setup.error());
  out << app::Describe(*summary, ds.password);
  out << app::Describe(*setup);
  return 0;
}

std::optional<std::string> ReadFile(const std::string& path, std::ostream& err) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    err << "error: cannot read " << path << "\n";
    return std::nullopt;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The parsed contract of `path`, or its problems printed as "FILE:line:col: message".
std::optional<core::Contract> LoadContract(const std::string& path, std::ostream& err) {
  auto text = ReadFile(path, err);
  if (!text) return std::nullopt;
  auto parsed = app::ParseContract(*text);
  if (!parsed) {
    err << app::FormatIssues(path, parsed.error());
    return std::nullopt;
  }
  return std::move(*parsed);
}

int ContractCheck(const Options& o, std::ostream& out, std::ostream& err) {
  auto c = LoadContract(o.contract_file, err);
  if (!c) return 1;
  out << fmt::format("{}: ok: \"{}\", {} parties, {} rejection reasons, calendar {}\n",
                     o.contract_file, c->name, c->parties.size(), c->rejection_reasons.size(),
                     c->calendar.time_zone);
  return 0;
}

// Exit 0 when both files mean the same, 1 when they differ, 2 when one cannot be read.
int ContractDiff(const Options& o, std::ostream& out, std::ostream& err) {
  auto a = LoadContract(o.contract_file, err);
  auto b = LoadContract(o.contract_other, err);
  if (!a || !b) return 2;
  const auto lines = core::DiffContracts(*a, *b);
  for (const auto& line : lines) out << line << "\n";
  return lines.empty() ? 0 : 1;
}

int ContractActivate(const Options& o, std::ostream& out, std::ostream& err) {
  auto text = ReadFile(o.contract_file, err);
  if (!text) return 1;
  if (auto parsed = app::ParseContract(*text); !parsed) {
    err << app::FormatIssues(o.contract_file, parsed.error());
    return 1;
  }
  std::optional<core::Instant> effective;
  if (!o.effective_at.empty()) {
    effective = core::ParseInstant(o.effective_at);
    if (!effective) {
      err << "error: --effective-at must be an ISO 8601 instant such as 2027-01-04T09:00:00Z\n";
      return 2;
    }
  }
  auto rt = OpenRuntime(o);
  if (!rt) return Fail(err, rt.error());
  auto v = (*rt)->services().contracts.ActivateAsOperator(
      *text, effective, o.by.empty() ? std::nullopt : std::optional<std::string>(o.by));
  if (!v) return Fail(err, v.error());
  out << fmt::format("activated contract version {} (\"{}\"), effective {}, hash {}\n", v->id,
                     v->name, core::FormatInstant(v->effective_at), v->hash);
  return 0;
}

// A CSV cell as RFC 4180 writes it.
std::string CsvCell(std::string_view v) {
  if (v.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(v);
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string DescribeIssue(const core::imports::ImportIssue& i) {
  return fmt::format("row {} (line {}){}{}: {}", i.row, i.line, i.column.empty() ? "" : " ",
                     i.column, (i.warning ? "warning: " : "") + i.reason);
}

int ImportContacts(const Options& o, std::ostream& out, std::ostream& err) {
  app::ImportOptions io;
  io.dry_run = o.dry_run;
  io.batch_rows = o.batch_rows;
  io.file_name = o.import_file;
  if (auto bulk = app::BulkModeFromString(o.bulk)) {
    io.bulk = *bulk;
  } else {
    err << "error: --bulk must be one of auto, on, off\n";
    return 2;
  }
  if (!o.preset.empty()) {
    io.preset = core::imports::PresetFromString(o.preset);
    if (!io.preset) {
      err << "error: --preset must be one of hubspot, salesforce, pipedrive, generic\n";
      return 2;
    }
  }
  if (!o.mapping_file.empty()) {
    std::ifstream m(o.mapping_file, std::ios::binary);
    if (!m) {
      err << "error: cannot read the mapping file " << o.mapping_file << "\n";
      return 1;
    }
    std::stringstream text;
    text << m.rdbuf();
    auto overrides = app::ParseMappingFile(text.str());
    if (!overrides) return Fail(err, overrides.error());
    io.overrides = std::move(*overrides);
  }
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(o.import_file.c_str(), "rb"),
                                                       &std::fclose);
  if (!file) {
    err << "error: cannot open " << o.import_file << "\n";
    return 1;
  }
  std::fseek(file.get(), 0, SEEK_END);
  const std::int64_t size = std::ftell(file.get());
  std::fseek(file.get(), 0, SEEK_SET);
  io.size_hint = size > 0 ? static_cast<std::uint64_t>(size) : 0;

  auto rt = OpenRuntime(o);
  if (!rt) return Fail(err, rt.error());
  // The operator at the command line acts as an admin; --as names the user recorded instead.
  core::Principal who{0, "cli", core::Role::kAdmin, std::nullopt};
  if (!o.import_as.empty()) {
    std::string email;
    auto found = FindUser((*rt)->store(), o.import_as, email);
    if (!found) return Fail(err, found.error());
    const auto& user = *found;
    if (!user) {
      err << "error: --as: no user " << email << "\n";
      return 1;
    }
    who = core::Principal{user->id, user->email, user->role, std::nullopt};
  }

  std::ofstream report;
  if (!o.errors_file.empty()) {
    report.open(o.errors_file, std::ios::binary | std::ios::trunc);
    if (!report) {
      err << "error: cannot write " << o.errors_file << "\n";
      return 1;
    }
    report << "row,line,column,severity,reason\n";
  }
  std::vector<char> buffer(1 << 20);
  app::ChunkSource source = [&]() -> core::Result<std::string_view> {
    std::size_t n = std::fread(buffer.data(), 1, buffer.size(), file.get());
    if (n == 0 && std::ferror(file.get())) {
      return core::Fail(core::Error{core::ErrorCode::kUnavailable,
                                    "reading " + o.import_file + " failed", "file"});
    }
    return std::string_view(buffer.data(), n);
  };
  ProgressBar bar(err, "KiB", isatty(STDERR_FILENO) != 0);
  const auto start = std::chrono::steady_clock::now();
  app::ContactImporter importer((*rt)->store(), (*rt)->clock());
  auto summary = importer.Run(
      who, source, io,
      [&](std::uint64_t bytes, const core::imports::ImportCounts&) {
        bar.Update(static_cast<std::int64_t>(bytes) / 1024, size / 1024);
      },
      [&](const core::imports::ImportIssue& i) {
        if (!report.is_open()) return;
        report << i.row << ',' << i.line << ',' << CsvCell(i.column) << ','
               << (i.warning ? "warning" : "error") << ',' << CsvCell(i.reason) << '\n';
      });
  if (!summary) return Fail(err, summary.error());
  bar.Finish();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto& c = summary->counts;
  out << fmt::format(
      "{}{} ({}{}{}, delimiter '{}'): {} rows in {:.1f} s ({} rows/s)\n",
      o.dry_run ? "dry run, nothing written: " : "imported ", o.import_file,
      core::imports::ToString(summary->preset), summary->preset_detected ? ", detected" : "",
      summary->bulk ? ", bulk mode" : "",
      summary->delimiter == '\t' ? std::string("\\t") : std::string(1, summary->delimiter),
      Thousands(c.rows), seconds,
      Thousands(seconds > 0 ? static_cast<std::int64_t>(static_cast<double>(c.rows) / seconds)
                            : c.rows));
  out << fmt::format("  created {}  updated {}  unchanged {}  skipped {}  errors {}  warnings {}\n",
                     Thousands(c.created), Thousands(c.updated), Thousands(c.unchanged),
                     Thousands(c.skipped), Thousands(c.errors), Thousands(c.warnings));
  if (!summary->unmapped.empty()) {
    std::string cols;
    for (const auto& h : summary->unmapped) cols += (cols.empty() ? "" : ", ") + h;
    out << "  columns not imported (map them with --mapping): " << cols << "\n";
  }
  const auto& issues = summary->issues;
  if (!issues.empty()) {
    const std::size_t n = std::min(issues.size(), static_cast<std::size_t>(o.show_issues));
    out << fmt::format("first {} of {} issues:\n", n, c.errors + c.warnings);
    for (std::size_t i = 0; i < n; ++i) out << "  " << DescribeIssue(issues[i]) << "\n";
  }
  if (report.is_open()) out << "full report: " << o.errors_file << "\n";
  return 0;
}

// A decimal amount of major units ("100000", "12500.5") in minor units; `field` names it.
core::Result<std::int64_t> ParseAmount(const std::string& text, const std::string& field) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || end == nullptr || *end != '\0' || !(v > 0) || v >= 1e12) {
    return core::Fail(
        core::Error::Invalid(field, field + " must be a positive amount, got '" + text + "'"));
  }
  return static_cast<std::int64_t>(std::llround(v * 100));
}

core::Result<core::Date> ParseDay(const std::string& text, const std::string& field) {
  auto d = core::ParseDate(text);
  if (!d) return core::Fail(core::Error::Invalid(field, field + " must be YYYY-MM-DD"));
  return *d;
}

core::Result<app::PlanRequest> PlanRequestFrom(const Options& o) {
  app::PlanRequest req;
  TANDEM_ASSIGN(req.revenue_minor, ParseAmount(o.revenue, "revenue"));
  if (!o.deal_size.empty()) {
    TANDEM_ASSIGN(req.deal_size_minor, ParseAmount(o.deal_size, "deal_size"));
  }
  TANDEM_ASSIGN(req.from, ParseDay(o.from, "from"));
  TANDEM_ASSIGN(req.to, ParseDay(o.to, "to"));
  auto per = core::PlanGranularityFromString(o.per);
  if (!per) return core::Fail(core::Error::Invalid("per", "per must be week or month"));
  req.granularity = *per;
  req.currency = o.currency;
  req.trailing_days = o.trailing_days;
  for (const std::string& r : o.rates) {
    const auto eq = r.find('=');
    auto step = core::FunnelStepFromString(r.substr(0, eq));
    if (eq == std::string::npos || !step) {
      return core::Fail(core::Error::Invalid(
          "rate",
          "--rate takes STEP=RATE with STEP one of visitor_lead, lead_mql, mql_sal, "
          "sal_sql, sql_opportunity, opportunity_customer; got '" +
              r + "'"));
    }
    char* end = nullptr;
    const std::string value = r.substr(eq + 1);
    const double v = std::strtod(value.c_str(), &end);
    if (value.empty() || *end != '\0') {
      return core::Fail(core::Error::Invalid("rates." + std::string(core::ToString(*step)),
                                             "rate must be a number in (0, 1]"));
    }
    req.rates[*step] = v;
  }
  return req;
}

int PlanCmd(const Options& o, std::ostream& out, std::ostream& err) {
  auto req = PlanRequestFrom(o);
  if (!req) return Fail(err, req.error());
  auto rt = OpenRuntime(o);
  if (!rt) return Fail(err, rt.error());
  const core::Principal operator_principal{0, "cli", core::Role::kAdmin, std::nullopt};
  auto r = (*rt)->services().analytics.Plan(operator_principal, *req);
  if (!r) return Fail(err, r.error());
  const core::Plan& plan = r->plan;
  const std::string unit(core::ToString(plan.input.granularity));
  out << fmt::format("Plan: {} {} from {} to {} ({} {}s). Every stage is rounded up.\n",
                     core::FormatMajorUnits(plan.input.revenue_minor), plan.input.currency,
                     core::FormatDate(plan.input.from), core::FormatDate(plan.input.to),
                     plan.periods, unit);
  out << fmt::format("Deal size: {} {} ({}).\n", core::FormatMajorUnits(plan.input.deal_size_minor),
                     plan.input.currency,
                     r->deal_size_measured ? "measured: won deals of the last " +
                                                 std::to_string(o.trailing_days) + " days"
                                           : std::string("given"));
  out << fmt::format("{:<14} {:<9} {:>12} {:>10} {:>10} {:>6}  {:<10}  {}\n", "stage", "team",
                     "exact", "needed", "per " + unit, "early", "starts", "rate to next");
  for (std::size_t i = 0; i < plan.stages.size(); ++i) {
    const core::PlanStage& st = plan.stages[i];
    std::string rate = "-";
    if (i + 1 < plan.stages.size()) {
      rate = fmt::format("{:.1f}% ({})", plan.input.rates[i] * 100,
                         r->rate_measured[i]
                             ? "measured, " + std::to_string(r->rate_sample[i]) + " at base"
                             : std::string("given"));
    }
    out << fmt::format("{:<14} {:<9} {:>12.2f} {:>10} {:>10} {:>5}d  {:<10}  {}\n", st.name,
                       core::ToString(st.owner), st.exact, st.needed, st.per_period, st.lead_days,
                       core::FormatDate(st.buckets.front().start), rate);
  }
  out << "Marketing: ";
  for (std::size_t i = 0; i < 3; ++i) {
    out << fmt::format("{}{} {}", i ? ", " : "", plan.stages[i].needed, plan.stages[i].name);
  }
  out << ". Sales: ";
  for (std::size_t i = 3; i < plan.stages.size(); ++i) {
    out << fmt::format("{}{} {}", i > 3 ? ", " : "", plan.stages[i].needed, plan.stages[i].name);
  }
  out << ".\n";
  return 0;
}

const core::Principal kCliAdmin{0, "cli", core::Role::kAdmin, std::nullopt};

void PrintSmart(const app::GoalView& v, std::ostream& out) {
  const core::Goal& g = v.goal;
  std::string owners;
  for (const auto& e : v.owner_emails) owners += (owners.empty() ? "" : ", ") + e;
  out << fmt::format(
      "goal {}: {} — {} {} from {} to {}; owners: {}\n", g.id, g.name,
      core::FormatGoalAmount(g, g.target), g.metric == core::GoalMetric::kRevenue ? "revenue" : "",
      core::FormatDate(g.from), core::FormatDate(g.to), owners.empty() ? "none" : owners);
  for (const auto& l : v.smart.letters) {
    out << fmt::format("  {} {:<11} {:<7} {}\n", l.letter, l.name, core::ToString(l.verdict),
                       l.reason);
  }
  out << v.smart.summary << "\n";
}

int GoalAdd(const Options& o, std::ostream& out, std::ostream& err) {
  core::Goal g;
  g.name = o.goal_name;
  auto metric = core::GoalMetricFromString(o.goal_metric);
  if (!metric) {
    err << "error: metric: must be one of revenue, new_customers, mqls, sqls, sals, "
           "opportunities, leads\n";
    return 1;
  }
  g.metric = *metric;
  if (g.metric == core::GoalMetric::kRevenue) {
    auto t = ParseAmount(o.goal_target, "target");
    if (!t) return Fail(err, t.error());
    g.target = *t;
  } else {
    char* end = nullptr;
    const long long v = std::strtoll(o.goal_target.c_str(), &end, 10);
    if (o.goal_target.empty() || *end != '\0' || v <= 0) {
      err << "error: target: must be a whole count greater than 0\n";
      return 1;
    }
    g.target = v;
  }
  auto from = ParseDay(o.from, "from");
  if (!from) return Fail(err, from.error());
  auto to = ParseDay(o.to, "to");
  if (!to) return Fail(err, to.error());
  g.from = *from;
  g.to = *to;
  g.currency = o.currency;
  if (!o.goal_source.empty()) g.source = o.goal_source;
  if (!o.goal_campaign.empty()) g.campaign = o.goal_campaign;
  Options rates_only = o;
  rates_only.revenue = "1";
  rates_only.deal_size.clear();
  auto rates = PlanRequestFrom(rates_only);
  if (!rates) return Fail(err, rates.error());
  g.rates = rates->rates;
  auto rt = OpenRuntime(o);
  if (!rt) return Fail(err, rt.error());
  auto v = (*rt)->services().goals.Create(kCliAdmin, g, o.goal_owners);
  if (!v) return Fail(err, v.error());
  PrintSmart(*v, out);
  return 0;
}

int GoalList(const Options& o, std::ostream& out, std::ostream& err) {
  auto rt = OpenRuntime(o);
  if (!rt) return Fail(err, rt.error());
  auto goals = (*rt)->services().goals.List(kCliAdmin);
  if (!goals) return Fail(err, goals.error());
  out << fmt::format("{:>4}  {:<30} {:<14} {:>18}  {:<10}  {:<10}\n", "id", "name", "metric",
                     "target", "from", "to");
  for (const auto& v : *goals) {
    const core::Goal& g = v.goal;
    out << fmt::format("{:>4}  {:<30} {:<14} {:>18}  {:<10}  {:<10}\n", g.id, g.name,
                       core::ToString(g.metric), core::FormatGoalAmount(g, g.target),
                       core::FormatDate(g.from), core::FormatDate(g.to));
  }
  return 0;
}

int WebhookAdd(const Options& o, std::ostream& out, std::ostream& err) {
  auto rt = OpenRuntime(o);
  if (!rt) return Fail(err, rt.error());
  std::vector<std::string> types;
  std::stringstream list(o.hook_events);
  for (std::string t; std::getline(list, t, ',');) {
    if (!t.empty()) types.push_back(t);
  }
  auto& hooks = (*rt)->services().webhooks;
  hooks.SetSettings({.allow_private_targets = o.hook_allow_private});
  auto s = hooks.Create(kCliAdmin, o.hook_url, types, o.hook_description);
  if (!s) return Fail(err, s.error());
  std::string joined;
  for (const auto& t : s->event_types) joined += (joined.empty() ? "" : ",") + t;
  err << fmt::format("webhook {} -> {} for {}; its signing secret (shown once; keep it):\n", s->id,
                     s->url, joined);
  out << s->secret << "\n";
  return 0;
}

int WebhookList(const Options& o, std::ostream& out, std::ostream& err) {
  auto rt = OpenRuntime(o);
  if (!rt) return Fail(err, rt.error());
  auto list = (*rt)->services().webhooks.List(kCliAdmin);
  if (!list) return Fail(err, list.error());
  out << fmt::format("{:>6}  {:<48}  {}\n", "id", "url", "event types");
  for (const auto& s : *list) {
    std::string joined;
    for (const auto& t : s.event_types) joined += (joined.empty() ? "" : ",") + t;
    out << fmt::format("{:>6}  {:<48}  {}\n", s.id, s.url, joined);
  }
  return 0;
}

// "NAME:PROPERTY" or "NAME:PROPERTY:required".
core::Result<core::FormField> ParseFormField(const std::string& spec) {
  core::FormField f;
  const auto a = spec.find(':');
  if (a == std::string::npos) {
    return core::Fail(core::Error::Invalid(
        "--field", "'" + spec + "' must be NAME:PROPERTY or NAME:PROPERTY:required"));
  }
  f.name = spec.substr(0, a);
  std::string rest = spec.substr(a + 1);
  if (const auto b = rest.find(':'); b != std::string::npos) {
    if (rest.substr(b + 1) != "required") {
      return core::Fail(core::Error::Invalid(
          "--field", "'" + spec + "': only ':required' may follow the property"));
    }
    f.required = true;
    rest = rest.substr(0, b);
  }
  f.property = rest;
  return f;
}

void PrintForm(const core::Form& f, std::ostream& out) {
  out << fmt::format("form {} \"{}\"{}\n", f.id, f.name, f.archived ? " (archived)" : "");
  out << fmt::format("  public id   {}  (POST /f/{})\n", f.public_id, f.public_id);
  for (const auto& x : f.fields) {
    out << fmt::format("  field       {} -> {}{}\n", x.name, x.property,
                       x.required ? " (required)" : "");
  }
  if (!f.consent_text.empty()) {
    out << fmt::format("  consent     {}{}\n",
                       f.consent_required ? "required: " : "optional: ", f.consent_text);
  }
  out << fmt::format("  campaign    source={} medium={} campaign={}\n", f.utm_source, f.utm_medium,
                     f.utm_campaign);
  std::string origins;
  for (const auto& x : f.allowed_origins) origins += (origins.empty() ? "" : " ") + x;
  out << fmt::format("  origins     {}\n",
                     origins.empty() ? "(none: posts with an Origin are refused)" : origins);
  if (!f.redirect_url.empty()) out << fmt::format("  redirect    {}\n", f.redirect_url);
}

int FormAdd(const Options& o, std::ostream& out, std::ostream& err) {
  core::Form f;
  f.name = o.name;
  for (const auto& spec : o.form_fields) {
    auto field = ParseFormField(spec);
    if (!field) return Fail(err, field.error());
    f.fields.push_back(std::move(*field));
  }
  f.consent_text = o.consent_text;
  f.consent_required = o.consent_required;
  f.utm_source = o.utm_source;
  f.utm_medium = o.utm_medium;
  f.utm_campaign = o.utm_campaign;
  f.allowed_origins = o.origins;
  f.redirect_url = o.redirect_url;
  auto rt = OpenRuntime(o);
  if (!rt) return Fail(err, rt.error());
  auto form = (*rt)->services().forms.Create(Operator(), std::move(f));
  if (!form) return Fail(err, form.error());
  PrintForm(*form, out);
  return 0;
}

int FormList(const Options& o, std::ostream& out, std::ostream& err) {
  auto rt = OpenRuntime(o);
  if (!rt) return Fail(err, rt.error());
  auto forms = (*rt)->services().forms.List(Operator(), o.all);
  if (!forms) return Fail(err, forms.error());
  out << fmt::format("{:>6}  {:<30}  {:<8}  {}\n", "id", "public id", "archived", "name");
  for (const auto& f : *forms) {
    out << fmt::format("{:>6}  {:<30}  {:<8}  {}\n", f.id, f.public_id, f.archived ? "yes" : "no",
                       f.name);
  }
  return 0;
}

int WebhookRemove(const Options& o, std::ostream& out, std::ostream& err) {
  auto rt = OpenRuntime(o);
  if (!rt) return Fail(err, rt.error());
  auto r = (*rt)->services().webhooks.Remove(kCliAdmin, o.hook_id);
  if (!r) return Fail(err, r.error());
  out << fmt::format("removed webhook {}\n", o.hook_id);
  return 0;
}

int WebhookDeliveries(const Options& o, std::ostream& out, std::ostream& err) {
  auto rt = OpenRuntime(o);
  if (!rt) return Fail(err, rt.error());
  auto page = (*rt)->services().webhooks.Deliveries(kCliAdmin, o.hook_id, 0, o.hook_limit);
  if (!page) return Fail(err, page.error());
  out << fmt::format("{:>6}  {:<14}  {:<9}  {:>8}  {:<24}  {}\n", "id", "event", "status",
                     "attempts", "next attempt", "last error");
  for (const auto& d : page->items) {
    out << fmt::format(
        "{:>6}  {:<14}  {:<9}  {:>8}  {:<24}  {}\n", d.id, d.event_type, core::ToString(d.status),
        d.attempts,
        d.status == core::DeliveryStatus::kPending ? core::FormatInstant(d.next_attempt_at) : "-",
        d.last_error);
  }
  return 0;
}

int GoalShow(const Options& o, std::ostream& out, std::ostream& err) {
  auto rt = OpenRuntime(o);
  if (!rt) return Fail(err, rt.error());
  auto v = (*rt)->services().goals.Get(kCliAdmin, o.goal_id);
  if (!v) return Fail(err, v.error());
  PrintSmart(*v, out);
  auto p = (*rt)->services().goals.Progress(kCliAdmin, o.goal_id, std::nullopt, 2000);
  if (!p) {
    out << "progress: " << p.error().message << "\n";
    return 0;
  }
  out << "progress: " << p->progress.summary << "\n";
  return 0;
}

// `tandem lead accept|reject ID --as EMAIL`: the handoff as the named user, with that user's
// rights (the owner, a manager or an admin).
int Lead(const Options& o, bool accept, std::ostream& out, std::ostream& err) {
  auto rt = OpenRuntime(o);
  if (!rt) return Fail(err, rt.error());
  auto& services = (*rt)->services();
  std::string email;
  auto found = FindUser(services.store, o.as, email);
  if (!found) return Fail(err, found.error());
  const auto& user = *found;
  if (!user || !user->active) {
    err << "error: as: no active user " << email << "\n";
    return 1;
  }
  core::Principal p{user->id, user->email, user->role, std::nullopt};
  auto c = accept ? services.handoff.Accept(p, o.lead_id)
                  : services.handoff.Reject(p, o.lead_id, o.reason, o.note);
  if (!c) return Fail(err, c.error());
  out << fmt::format("contact {} is now {}{}\n", c->id, core::ToString(c->stage),
                     c->owner_id ? fmt::format(", owned by user {}", *c->owner_id)
                                 : std::string(", without an owner"));
  return 0;
}

int FormShow(const Options& o, std::ostream& out, std::ostream& err) {
  auto rt = OpenRuntime(o);
  if (!rt) return Fail(err, rt.error());
  app::FormService& forms = (*rt)->services().forms;
  core::Result<core::Form> form = core::Fail(core::Error::NotFound("no form " + o.form_ref));
  if (!o.form_ref.empty() && o.form_ref.find_first_not_of("0123456789") == std::string::npos) {
    // An id past 64 bits is no form's (std::stoll would throw out of the command).
    core::Id id = 0;
    const char* end = o.form_ref.data() + o.form_ref.size();
    if (std::from_chars(o.form_ref.data(), end, id).ec == std::errc()) {
      form = forms.Get(Operator(), id);
    }
  } else {
    auto found = forms.FindPublic(o.form_ref);
    if (!found) return Fail(err, found.error());
    if (*found) form = std::move(**found);
  }
  if (!form) return Fail(err, form.error());
  PrintForm(*form, out);
  auto subs = forms.Submissions(Operator(), form->id, 10);
  if (!subs) return Fail(err, subs.error());
  out << fmt::format("  latest {} submission(s):\n", subs->size());
  for (const auto& x : *subs) {
    out << fmt::format("    {}  contact {}  consent {}\n", core::FormatInstant(x.submitted_at),
                       x.contact_id, x.consent_given ? "given" : "-");
  }
  return 0;
}

int SiteAdd(const Options& o, std::ostream& out, std::ostream& err) {
  auto rt = OpenRuntime(o);
  if (!rt) return Fail(err, rt.error());
  core::TrackerSite s;
  s.name = o.name;
  s.allowed_origins = o.origins;
  auto site = (*rt)->services().forms.CreateSite(Operator(), std::move(s));
  if (!site) return Fail(err, site.error());
  out << fmt::format("tracker site {} \"{}\": data-key {}\n", site->id, site->name,
                     site->public_key);
  return 0;
}

std::string Percent(const std::optional<double>& share) {
  return share ? fmt::format("{:.1f}%", *share * 100) : std::string("-");
}

std::string Minutes(const std::optional<double>& m) {
  return m ? fmt::format("{:.0f}", *m) : std::string("-");
}

std::string Number(const std::optional<double>& v, int decimals = 1) {
  return v ? fmt::format("{:.{}f}", *v, decimals) : std::string("-");
}

std::string ShareCell(const core::ShareFigure& f) {
  return fmt::format("{} ({}/{})", Percent(f.share), f.on_time, f.on_time + f.missed);
}

void PrintSalesRow(const core::SalesCompliance& r, std::ostream& out) {
  out << fmt::format("{:<28} {:>5}  {:<18} {:>7} {:>7}  {:>6}  {:<18} {:<18} {:>7}\n", r.label,
                     r.leads, ShareCell(r.first_touch), Minutes(r.response_p50_minutes),
                     Minutes(r.response_p90_minutes), Number(r.attempts_per_lead),
                     ShareCell(r.attempts), ShareCell(r.disposition),
                     r.first_touch.pending + r.attempts.pending + r.disposition.pending);
}

// `tandem sla compliance --from --to [--by rep|team|week] [--json]`: the operator's view of
// both sides of the contract (every rep), as a table or as the API's JSON.
int SlaCompliance(const Options& o, std::ostream& out, std::ostream& err) {
  auto from = core::ParseDate(o.from);
  if (!from) return Fail(err, core::Error::Invalid("from", "must be a calendar date YYYY-MM-DD"));
  auto to = core::ParseDate(o.to);
  if (!to) return Fail(err, core::Error::Invalid("to", "must be a calendar date YYYY-MM-DD"));
  auto by = core::ComplianceBreakdownFromString(o.sla_by);
  if (!by) return Fail(err, by.error());
  auto rt = OpenRuntime(o);
  if (!rt) return Fail(err, rt.error());
  auto v = (*rt)->services().compliance.Report(Operator(), *from, *to, *by);
  if (!v) return Fail(err, v.error());
  if (o.json) {
    out << api::ComplianceJsonText(*v) << "\n";
    return 0;
  }
  out << fmt::format("SLA compliance {} to {} ({}), judged at {}\n", core::FormatDate(v->from),
                     core::FormatDate(v->to), v->time_zone, core::FormatInstant(v->now));
  if (v->sales_terms) {
    out << fmt::format(
        "Sales: first touch within {} business hours, {} attempts within {} business days, "
        "accept or reject within {} business days.\n",
        v->sales_terms->first_touch_hours, v->sales_terms->attempts,
        v->sales_terms->attempts_within_days, v->sales_terms->disposition_days);
  } else {
    out << "Sales: no contract in force.\n";
  }
  out << fmt::format("{:<28} {:>5}  {:<18} {:>7} {:>7}  {:>6}  {:<18} {:<18} {:>7}\n",
                     std::string(core::ToString(v->by)), "leads", "first touch on time", "p50 min",
                     "p90 min", "att/ld", "attempts on time", "disposition on time", "pending");
  if (v->sales.rows.empty()) out << "  (no leads assigned in this period)\n";
  for (const auto& r : v->sales.rows) PrintSalesRow(r, out);
  PrintSalesRow(v->sales.total, out);
  out << "Open clocks past due count as missed; open clocks not yet due are pending (not "
         "counted).\n";
  const core::MarketingCompliance& m = v->marketing;
  if (v->marketing_terms && m.expected) {
    out << fmt::format("Marketing: {} MQLs against {:.1f} expected ({} a {}): attainment {}.\n",
                       m.mqls, *m.expected, v->marketing_terms->mql_quota,
                       core::ToString(v->marketing_terms->quota_period), Percent(m.attainment));
  } else {
    out << fmt::format("Marketing: {} MQLs; no quota in force.\n", m.mqls);
  }
  auto quality = [&](const char* what, std::int64_t n, const std::optional<double>& share,
                     const std::optional<int>& min, const std::optional<bool>& met) {
    out << fmt::format(
        "  {}: {} of {} ({}){}\n", what, n, m.mqls, Percent(share),
        min ? fmt::format(", minimum {}%: {}", *min, met ? (*met ? "met" : "NOT met") : "-")
            : std::string());
  };
  quality("grade A/B", m.grade_ab, m.grade_ab_share, m.min_grade_ab_percent, m.grade_ab_met);
  quality("persona match", m.persona_match, m.persona_share, m.min_persona_match_percent,
          m.persona_met);
  if (m.expected_so_far && m.pace) {
    out << fmt::format("  pace at {}: {} MQLs so far, {:.1f} expected by now ({}); projected {}\n",
                       core::FormatInstant(m.pace_at), m.mqls_so_far, *m.expected_so_far,
                       Percent(m.pace), Number(m.projected));
  } else {
    out << "  pace: the period has not started or has no quota\n";
  }
  for (const auto& w : v->marketing_weeks) {
    out << fmt::format("  week of {}: {} MQLs, {} expected, attainment {}\n", w.key, w.mqls,
                       Number(w.expected), Percent(w.attainment));
  }
  return 0;
}

int Serve(const Options& o, std::ostream& out, std::ostream& err) {
  auto rt = OpenRuntime(o);
  if (!rt) return Fail(err, rt.error());
  server::ServeSettings ss;
  ss.listen = o.listen;
  ss.threads = o.threads;
  ss.secure_cookies = o.secure_cookies;
  ss.web_root = o.web_root;
  ss.behind_proxy = o.behind_proxy;
  ss.public_url = o.public_url;
  ss.event_retention_months = o.event_retention_months;
  ss.leader_check = std::chrono::milliseconds(o.leader_check_ms);
  ss.sla_resync = std::chrono::milliseconds(o.sla_resync_ms);
  ss.allow_private_webhooks = o.allow_private_webhooks;
  ss.smtp.url = o.smtp_url;
  ss.smtp.user = o.smtp_user;
  if (const char* pw = std::getenv("TANDEM_SMTP_PASSWORD")) ss.smtp.password = pw;
  ss.smtp.from = o.smtp_from;
  ss.smtp.starttls = o.smtp_starttls;
  auto r = server::Serve(**rt, ss, [&](const std::string& url) {
    out << "Tandem is serving " << server::DisplayDb(o.db) << " at " << url << "\n" << std::flush;
  });
  if (!r) return Fail(err, r.error());
  return 0;
}

}  // namespace

int Run(int argc, char** argv, std::istream& in, std::ostream& out, std::ostream& err) {
  CLI::App app{"Tandem: the smarketing engine, where marketing and sales work as one team."};
  app.require_subcommand(1);
  Options o;
  auto add_db = [&o](CLI::App* cmd) {
    cmd->add_option("--db", o.db, "database: a SQLite file path, sqlite:PATH or postgresql://URL")
        ->capture_default_str();
  };

  auto* serve = app.add_subcommand("serve", "serve the HTTP API (and the dashboard)");
  add_db(serve);
  serve->add_option("--listen", o.listen, "HOST:PORT to listen on (port 0 picks a free one)")
      ->capture_default_str();
  serve->add_option("--threads", o.threads, "HTTP I/O threads (0 = twice the cores, at least 8)");
  serve
      ->add_option("--db-pool", o.db_pool,
                   "PostgreSQL: connections to the database, 2 to 100 (default: the URL's "
                   "pool_size=N, else 8)")
      ->check(CLI::Range(0, 100));
  serve
      ->add_option("--leader-check-ms", o.leader_check_ms,
                   "several servers on one PostgreSQL database: how often each asks for (or "
                   "confirms) the leadership; the leader's lease is three checks")
      ->check(CLI::Range(50, 60'000))
      ->capture_default_str();
  serve
      ->add_option("--sla-resync-ms", o.sla_resync_ms,
                   "several servers on one PostgreSQL database: how often the leader reads the "
                   "SLA clocks the other servers started")
      ->check(CLI::Range(50, 3'600'000))
      ->capture_default_str();
  serve->add_flag("--secure-cookies", o.secure_cookies,
                  "mark session cookies Secure (when served behind TLS)");
  serve->add_option("--web-root", o.web_root, "folder of the built dashboard to serve");
  serve
      ->add_option("--event-retention-months", o.event_retention_months,
                   "purge events older than this many months daily (0: keep every event)")
      ->capture_default_str();
  serve->add_option("--public-url", o.public_url,
                    "where users reach this server (links in the weekly pack's email)");
  serve->add_flag("--behind-proxy", o.behind_proxy,
                  "trust the last X-Forwarded-For address as the client (web capture limits)");
  serve->add_flag(
      "--allow-private-webhooks", o.allow_private_webhooks,
      "let webhooks reach private, loopback and link-local addresses (local receivers)");
  serve->add_option("--smtp-url", o.smtp_url,
                    "smtp://HOST:PORT or smtps://HOST:PORT for notification emails (password in "
                    "TANDEM_SMTP_PASSWORD)");
  serve->add_option("--smtp-user", o.smtp_user, "SMTP user name");
  serve->add_option("--smtp-from", o.smtp_from, "the From address of notification emails");
  serve->add_flag("--smtp-starttls", o.smtp_starttls, "require STARTTLS on smtp://");

  // For tests that drive a real server through time (base/file_clock.hpp, tests/crash): the
  // file holds one instant, rewritten by the test; never for a real deployment.
  auto add_clock_file = [&o](CLI::App* cmd) {
    cmd->add_option("--clock-file", o.clock_file,
                    "TESTS ONLY: read the current time from this file (one ISO 8601 instant, "
                    "re-read when it changes) instead of the system clock")
        ->group("Testing");
  };
  add_clock_file(serve);

  auto* migrate = app.add_subcommand("migrate", "create or upgrade the database schema");
  add_db(migrate);

  auto* user = app.add_subcommand("user", "manage users");
  user->require_subcommand(1);
  auto* user_add = user->add_subcommand("add", "add a user; the password is read from stdin");
  add_db(user_add);
  user_add->add_option("--email", o.email, "login email")->required();
  user_add->add_option("--name", o.name, "display name")->required();
  user_add->add_option("--role", o.role, "admin, manager, marketing or sales")
      ->capture_default_str();
  user_add->add_option("--team-id", o.team_id, "team id");
  auto* user_list = user->add_subcommand("list", "list users");
  add_db(user_list);

  auto* apikey = app.add_subcommand("apikey", "manage API keys");
  apikey->require_subcommand(1);
  auto* key_create = apikey->add_subcommand("create", "create an API key acting for a user");
  add_db(key_create);
  key_create->add_option("--user", o.key_user, "email of the user the key acts for")->required();
  key_create->add_option("--name", o.key_name, "what the key is for")->required();
  key_create
      ->add_option("--scope,--scopes", o.scopes, "comma-separated: read, write, ingest, admin")
      ->capture_default_str();

  auto* demo = app.add_subcommand(
      "demo", "load a believable demo company (users, teams, contacts, history, deals)");
  add_db(demo);
  add_clock_file(demo);
  demo->add_option("--contacts", o.contacts, "number of contacts")
      ->capture_default_str()
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{10'000'000}));
  demo->add_option("--days", o.days, "days of history")
      ->capture_default_str()
      ->check(CLI::Range(7, 3650));
  demo->add_option("--seed", o.seed, "random seed (same seed, same company)")
      ->capture_default_str();
  demo->add_option("--password", o.demo_password, "password of every demo user")
      ->capture_default_str();

  auto* contract = app.add_subcommand("contract", "check, compare and activate the SLA contract");
  contract->require_subcommand(1);
  auto* contract_check =
      contract->add_subcommand("check", "check a contract file; problems as FILE:line:col");
  contract_check->add_option("FILE", o.contract_file, "the contract (TOML)")->required();
  auto* contract_diff =
      contract->add_subcommand("diff", "what changes in meaning from contract A to contract B");
  contract_diff->add_option("A", o.contract_file, "the old contract")->required();
  contract_diff->add_option("B", o.contract_other, "the new contract")->required();
  auto* contract_activate =
      contract->add_subcommand("activate", "store a contract file as the new version");
  add_db(contract_activate);
  contract_activate->add_option("FILE", o.contract_file, "the contract (TOML)")->required();
  contract_activate->add_option("--effective-at", o.effective_at,
                                "ISO 8601 instant it takes effect (default: now)");
  contract_activate->add_option("--by", o.by, "email of the user activating it (default: cli)");
  auto* plan = app.add_subcommand(
      "plan", "reverse-funnel plan: the volumes each stage needs to reach a revenue target");
  add_db(plan);
  plan->add_option("--revenue", o.revenue, "revenue target in major units")->required();
  plan->add_option("--from", o.from, "first day, YYYY-MM-DD")->required();
  plan->add_option("--to", o.to, "last day, YYYY-MM-DD")->required();
  plan->add_option("--deal-size", o.deal_size,
                   "average deal in major units (default: measured from won deals)");
  plan->add_option("--rate", o.rates,
                   "STEP=RATE, e.g. mql_sal=0.3 (repeatable; others are measured)");
  plan->add_option("--per", o.per, "week or month")->capture_default_str();
  plan->add_option("--currency", o.currency, "ISO 4217")->capture_default_str();
  plan->add_option("--trailing-days", o.trailing_days, "window the measured figures cover")
      ->capture_default_str();
  auto* goal = app.add_subcommand("goal", "SMART goals: add, list, show with the SMART check");
  goal->require_subcommand(1);
  auto* goal_add = goal->add_subcommand("add", "add a goal and print its SMART check");
  add_db(goal_add);
  goal_add->add_option("--name", o.goal_name, "what the goal is called")->required();
  goal_add
      ->add_option("--metric", o.goal_metric,
                   "revenue, new_customers, mqls, sqls, sals, opportunities or leads")
      ->required();
  goal_add
      ->add_option("--target", o.goal_target, "major units for revenue, a whole count otherwise")
      ->required();
  goal_add->add_option("--from", o.from, "first day, YYYY-MM-DD")->required();
  goal_add->add_option("--to", o.to, "last day, YYYY-MM-DD")->required();
  goal_add->add_option("--owner", o.goal_owners, "email of an owner (repeatable)");
  goal_add->add_option("--source", o.goal_source, "scope: contacts of this original source");
  goal_add->add_option("--campaign", o.goal_campaign, "scope: contacts of this original campaign");
  goal_add->add_option("--rate", o.rates, "planned STEP=RATE (repeatable), checked as Realistic");
  goal_add->add_option("--currency", o.currency, "ISO 4217")->capture_default_str();
  auto* goal_list = goal->add_subcommand("list", "every goal");
  add_db(goal_list);
  auto* goal_show = goal->add_subcommand("show", "a goal with its SMART check and progress");
  add_db(goal_show);
  goal_show->add_option("ID", o.goal_id, "the goal's id")->required();
  auto* import_cmd = app.add_subcommand("import", "import records from files");
  import_cmd->require_subcommand(1);
  auto* import_contacts = import_cmd->add_subcommand(
      "contacts", "import contacts from a CSV export (HubSpot, Salesforce, Pipedrive, any)");
  add_db(import_contacts);
  import_contacts->add_option("FILE", o.import_file, "the CSV file")->required();
  import_contacts->add_option("--preset", o.preset,
                              "hubspot, salesforce, pipedrive or generic (default: detected)");
  import_contacts->add_option("--mapping", o.mapping_file,
                              "TOML file naming columns, owners and stages (see docs/import.md)");
  import_contacts->add_flag("--dry-run", o.dry_run, "check and count, write nothing");
  import_contacts->add_option("--errors", o.errors_file,
                              "write every issue to this CSV file (row, line, column, reason)");
  import_contacts->add_option("--as", o.import_as,
                              "email of the user recorded as the importer (default: system)");
  import_contacts
      ->add_option("--bulk", o.bulk,
                   "auto|on|off: one transaction holding the writer, indexes built "
                   "at the end (auto: a large file into a small table)")
      ->capture_default_str();
  import_contacts->add_option("--batch", o.batch_rows, "rows per transaction")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{1'000'000}));
  import_contacts->add_option("--show", o.show_issues, "issues printed in the summary")
      ->capture_default_str()
      ->check(CLI::Range(0, 100000));

  auto* lead = app.add_subcommand("lead", "accept or reject an MQL as a user (the handoff)");
  lead->require_subcommand(1);
  auto* lead_accept = lead->add_subcommand("accept", "accept an MQL: it becomes an SAL");
  auto* lead_reject = lead->add_subcommand(
      "reject", "reject an MQL with a reason code of the contract (recycled or disqualified)");
  for (auto* cmd : {lead_accept, lead_reject}) {
    add_db(cmd);
    cmd->add_option("ID", o.lead_id, "the contact's id")->required();
    cmd->add_option("--as", o.as, "email of the user acting (the owner, a manager or an admin)")
        ->required();
  }
  lead_reject->add_option("--reason", o.reason, "a rejection reason code of the contract")
      ->required();
  lead_reject->add_option("--note", o.note, "a note for marketing");
  auto* sla = app.add_subcommand("sla", "the SLA contract's figures");
  sla->require_subcommand(1);
  auto* sla_compliance = sla->add_subcommand(
      "compliance", "both sides' SLA compliance: sales per rep, team or week; marketing's quota");
  add_db(sla_compliance);
  sla_compliance->add_option("--from", o.from, "first day, YYYY-MM-DD")->required();
  sla_compliance->add_option("--to", o.to, "last day (included), YYYY-MM-DD")->required();
  sla_compliance->add_option("--by", o.sla_by, "rep, team or week")->capture_default_str();
  sla_compliance->add_flag("--json", o.json, "print the API's JSON document instead of tables");
  auto* form = app.add_subcommand("form", "manage web capture forms (docs/capture.md)");
  form->require_subcommand(1);
  auto* form_add = form->add_subcommand("add", "create a form; prints its public id");
  add_db(form_add);
  form_add->add_option("--name", o.name, "what marketing calls the form")->required();
  form_add
      ->add_option("--field", o.form_fields,
                   "NAME:PROPERTY[:required], repeatable; PROPERTY is email, first_name, "
                   "last_name, company, title, phone, country or custom.KEY")
      ->required();
  form_add->add_option("--origin", o.origins,
                       "website origin allowed to post (https://www.example.com or *), "
                       "repeatable");
  form_add->add_option("--consent-text", o.consent_text, "consent text shown with the form");
  form_add->add_flag("--consent-required", o.consent_required, "refuse posts without consent");
  form_add->add_option("--utm-source", o.utm_source, "stamped on the form_submit event");
  form_add->add_option("--utm-medium", o.utm_medium, "stamped on the form_submit event");
  form_add->add_option("--utm-campaign", o.utm_campaign, "stamped on the form_submit event");
  form_add->add_option("--redirect", o.redirect_url, "where browsers go after a post");
  auto* form_list = form->add_subcommand("list", "list forms");
  add_db(form_list);
  form_list->add_flag("--all", o.all, "include archived forms");
  auto* form_show = form->add_subcommand("show", "show a form and its latest submissions");
  add_db(form_show);
  form_show->add_option("FORM", o.form_ref, "the form's id or public id")->required();

  auto* site = app.add_subcommand("site", "manage tracker site keys (/t.js data-key)");
  site->require_subcommand(1);
  auto* site_add = site->add_subcommand("add", "create a site key; prints it");
  add_db(site_add);
  site_add->add_option("--name", o.name, "the website")->required();
  site_add->add_option("--origin", o.origins, "the site's origin, repeatable")->required();

  auto* webhook = app.add_subcommand("webhook", "manage webhook subscriptions");
  webhook->require_subcommand(1);
  auto* hook_add = webhook->add_subcommand("add", "subscribe a URL; prints its signing secret");
  add_db(hook_add);
  hook_add->add_option("--url", o.hook_url, "http(s) URL to POST to")->required();
  hook_add->add_option("--events", o.hook_events, "comma-separated event types, e.g. contact.mql")
      ->required();
  hook_add->add_option("--description", o.hook_description, "what it is for");
  hook_add->add_flag("--allow-private", o.hook_allow_private,
                     "accept a private or loopback address (the server must allow it too)");
  auto* hook_list = webhook->add_subcommand("list", "list webhook subscriptions");
  add_db(hook_list);
  auto* hook_rm = webhook->add_subcommand("rm", "remove a webhook subscription");
  add_db(hook_rm);
  hook_rm->add_option("ID", o.hook_id, "webhook id")->required();
  auto* hook_deliveries =
      webhook->add_subcommand("deliveries", "a webhook's latest deliveries, newest first");
  add_db(hook_deliveries);
  hook_deliveries->add_option("ID", o.hook_id, "webhook id")->required();
  hook_deliveries->add_option("--limit", o.hook_limit, "how many")
      ->capture_default_str()
      ->check(CLI::Range(1, 500));
  LoopCommands loop(app);
  ReportCommands reports(app);
  BackupCommands backups(app);
  MigrateDataCommands migrate_data(app);
  ViewCommands views(app);
  PrivacyCommands privacy(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e, out, err) == 0 ? 0 : 2;
  }

  if (*serve) return Serve(o, out, err);
  if (*migrate) return Migrate(o, out, err);
  if (*user_add) return UserAdd(o, in, out, err);
  if (*user_list) return UserList(o, out, err);
  if (*key_create) return ApiKeyCreate(o, out, err);
  if (*demo) return Demo(o, out, err);
  if (*contract_check) return ContractCheck(o, out, err);
  if (*contract_diff) return ContractDiff(o, out, err);
  if (*contract_activate) return ContractActivate(o, out, err);
  if (*plan) return PlanCmd(o, out, err);
  if (*goal_add) return GoalAdd(o, out, err);
  if (*goal_list) return GoalList(o, out, err);
  if (*goal_show) return GoalShow(o, out, err);
  if (*import_contacts) return ImportContacts(o, out, err);
  if (*lead_accept) return Lead(o, true, out, err);
  if (*lead_reject) return Lead(o, false, out, err);
  if (*sla_compliance) return SlaCompliance(o, out, err);
  if (*form_add) return FormAdd(o, out, err);
  if (*form_list) return FormList(o, out, err);
  if (*form_show) return FormShow(o, out, err);
  if (*site_add) return SiteAdd(o, out, err);
  if (*hook_add) return WebhookAdd(o, out, err);
  if (*hook_list) return WebhookList(o, out, err);
  if (*hook_rm) return WebhookRemove(o, out, err);
  if (*hook_deliveries) return WebhookDeliveries(o, out, err);
  if (auto rc = loop.Run(out, err)) return *rc;
  if (auto rc = reports.Run(out, err)) return *rc;
  if (auto rc = backups.Run(out, err)) return *rc;
  if (auto rc = migrate_data.Run(out, err)) return *rc;
  if (auto rc = views.Run(out, err)) return *rc;
  if (auto rc = privacy.Run(out, err)) return *rc;
  return 2;
}

}  // namespace tandem::cli
