#include "app/demo_setup.hpp"

#include <sstream>

#include "core/scoring.hpp"

namespace tandem::app {
namespace {

using core::Criterion;
using core::CriterionOp;
using core::Error;
using core::Fail;
using core::Result;

constexpr std::string_view kDomain = "@northwind-analytics.example";

Result<core::Principal> PrincipalOf(Services& s, std::string_view local_part) {
  const std::string email = std::string(local_part) + std::string(kDomain);
  std::optional<core::User> user;
  TANDEM_TRY(s.store.Read([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(user, tx.users().FindByEmail(email));
    return {};
  }));
  if (!user) {
    return Fail(Error::Precondition("the demo user " + email +
                                    " does not exist: load the demo company first"));
  }
  core::Principal p;
  p.user_id = user->id;
  p.email = user->email;
  p.role = user->role;
  return p;
}

Criterion Make(std::string property, CriterionOp op, std::vector<std::string> values, int weight,
               std::optional<double> min = std::nullopt, std::optional<double> max = std::nullopt) {
  Criterion c;
  c.property = std::move(property);
  c.op = op;
  c.values = std::move(values);
  c.min = min;
  c.max = max;
  c.weight = weight;
  return c;
}

// Where the demo's sales teams sell (the contract's territories).
std::vector<std::string> Territories() {
  return {"DE", "GB", "FR", "NL", "ES", "IT", "SE", "CH", "PL", "DK", "BE", "IE", "US", "CA"};
}

// The two personas the demo's contacts are drawn from (see demo.hpp). Title and industry weigh
// 42 each, so a contact reaches grade B (fit 60) only with both: the right role at the wrong
// kind of company, or the wrong role at the right one, is grade C.
std::vector<core::Persona> Personas() {
  core::Persona ops;
  ops.key = "ops_leader_manufacturing";
  ops.name = "Operations leader at a mid-size manufacturer";
  ops.description =
      "Runs operations, production or the supply chain at a manufacturer of 150 to 5,000 "
      "people; wants live plant and supply data instead of Monday spreadsheets.";
  ops.criteria = {
      Make("contact.title", CriterionOp::kContains,
           {"operations", "operating officer", "opérations", "plant manager", "production",
            "produktion", "supply chain", "operational excellence"},
           42),
      Make("company.industry", CriterionOp::kEquals, {"Manufacturing"}, 42),
      Make("company.employees", CriterionOp::kRange, {}, 10, 150, 5000),
      Make("contact.country", CriterionOp::kOneOf, Territories(), 6),
  };

  core::Persona data;
  data.key = "head_of_data_saas";
  data.name = "Data leader at a SaaS scale-up";
  data.description =
      "Leads data, analytics or BI at a software company of 30 to 1,500 people; wants "
      "forecasts and metrics people trust without building the platform in-house.";
  data.criteria = {
      Make("contact.title", CriterionOp::kContains,
           {"head of data", "vp data", "director of data", "head of analytics",
            "data platform lead", "analytics engineering", "chief data officer", "head of bi",
            "data engineering manager", "business intelligence"},
           42),
      Make("company.industry", CriterionOp::kEquals, {"Software"}, 42),
      Make("company.employees", CriterionOp::kRange, {}, 10, 30, 1500),
      Make("contact.country", CriterionOp::kOneOf, Territories(), 6),
  };
  return {ops, data};
}

// The built-in rule set with the contract's MQL rule ("fit grade A or B, and engagement 40 or
// more") and the negatives that fit the demo's market.
core::ScoringRules Rules() {
  core::ScoringRules r = core::DefaultScoringRules();
  r.mql.kind = core::QualificationRule::Kind::kExpression;
  r.mql.expression = "grade >= B and engagement >= 40";
  r.negatives.competitor_domains = {"tableau.example", "qlik.example", "looker.example"};
  return r;
}

}  // namespace

Result<DemoSetup> ConfigureDemo(Services& s) {
  TANDEM_ASSIGN(const auto admin, PrincipalOf(s, "sam.okafor"));
  TANDEM_ASSIGN(const auto revenue, PrincipalOf(s, "helena.lindqvist"));
  TANDEM_ASSIGN(const auto marketing, PrincipalOf(s, "claire.dubois"));
  TANDEM_ASSIGN(const auto emea, PrincipalOf(s, "katrin.vogel"));
  TANDEM_ASSIGN(const auto americas, PrincipalOf(s, "marcus.reed"));

  DemoSetup out;
  for (auto& draft : Personas()) {
    TANDEM_ASSIGN(auto view, s.personas.Create(marketing, std::move(draft)));
    const core::Id id = view.persona.id;
    auto by_marketing = s.personas.SignOff(marketing, id, view.persona.version,
                                           core::SignoffCapacity::kHeadOfMarketing,
                                           "Matches the accounts that closed last year.");
    if (!by_marketing) return Fail(by_marketing.error());
    auto by_sales =
        s.personas.SignOff(emea, id, view.persona.version, core::SignoffCapacity::kHeadOfSales,
                           "Reps agree: these are the people who buy.");
    if (!by_sales) return Fail(by_sales.error());
    out.personas.push_back(view.persona.key);
  }

  TANDEM_ASSIGN(auto change, s.scoring.PutRules(admin, Rules()));
  out.rules_version = change.rules.version;
  out.mql_rule = change.rules.mql.expression;

  TANDEM_ASSIGN(auto version,
                s.contracts.ActivateAsOperator(ExampleContract(), std::nullopt, revenue.email));
  out.contract_version = version.id;
  out.contract_name = version.name;
  for (const auto* head : {&marketing, &emea, &americas}) {
    TANDEM_ASSIGN(auto ack, s.contracts.Acknowledge(*head, version.id));
    out.acknowledged_by.push_back(ack.email);
  }
  return out;
}

std::string Describe(const DemoSetup& d) {
  std::ostringstream out;
  out << "Agreed by both teams: personas";
  for (const auto& key : d.personas) out << " " << key;
  out << " (signed off by the heads of marketing and sales); scoring rules v" << d.rules_version
      << " with the MQL rule \"" << d.mql_rule << "\"; contract v" << d.contract_version << " \""
      << d.contract_name << "\" in force, acknowledged by";
  for (std::size_t i = 0; i < d.acknowledged_by.size(); ++i) {
    out << (i == 0 ? " " : ", ") << d.acknowledged_by[i];
  }
  out << ".\n";
  return out.str();
}

}  // namespace tandem::app
