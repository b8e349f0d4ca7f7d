// /api/v1/personas, /api/v1/scoring/rules, /api/v1/scoring/jobs/{id} and
// /api/v1/contacts/{id}/score through Api::Handle.
#include "api_fixture.hpp"

namespace tandem::api::apitest {
namespace {

constexpr const char* kPersona = R"({"key":"data_lead","name":"Head of Data",
  "criteria":[{"property":"contact.title","op":"pattern","values":["*data*"],"weight":60},
              {"property":"contact.country","op":"one_of","values":["FR","DE"],"weight":40}]})";

class ScoringApiTest : public ApiTest {};

TEST_F(ScoringApiTest, PersonaCrudVersionsAndPermissions) {
  auto created = As(marketer_, "POST", "/api/v1/personas", kPersona);
  ASSERT_EQ(created.status(), 201) << created;
  const auto id = created.Int("id");
  EXPECT_EQ(created.Header("Location"), "/api/v1/personas/" + std::to_string(id));
  EXPECT_EQ(created.Int("version"), 1);
  EXPECT_FALSE(created.obj().at("signed_off").as_bool());
  EXPECT_TRUE(created.obj().at("rescore_job_id").is_int64());
  EXPECT_EQ(created.obj().at("criteria").as_array().size(), 2u);

  EXPECT_EQ(As(rep1_, "POST", "/api/v1/personas", kPersona).status(), 403);
  EXPECT_EQ(As(manager_, "POST", "/api/v1/personas", kPersona).status(), 403);
  EXPECT_EQ(As(marketer_, "POST", "/api/v1/personas", kPersona).status(), 409);

  auto patched =
      As(admin_, "PATCH", "/api/v1/personas/" + std::to_string(id), R"({"name":"Data leader"})");
  ASSERT_EQ(patched.status(), 200) << patched;
  EXPECT_EQ(patched.Int("version"), 2);
  auto versions = As(rep1_, "GET", "/api/v1/personas/" + std::to_string(id) + "/versions");
  ASSERT_EQ(versions.status(), 200) << versions;
  ASSERT_EQ(versions.items().size(), 2u);
  EXPECT_EQ(versions.items()[0].at("name").as_string(), "Head of Data");
  EXPECT_EQ(versions.items()[1].at("name").as_string(), "Data leader");

  EXPECT_EQ(As(rep2_, "GET", "/api/v1/personas").items().size(), 1u);
  auto archived = As(marketer_, "DELETE", "/api/v1/personas/" + std::to_string(id));
  ASSERT_EQ(archived.status(), 200) << archived;
  EXPECT_TRUE(archived.obj().at("archived").as_bool());
  EXPECT_EQ(As(rep2_, "GET", "/api/v1/personas").items().size(), 0u);
  EXPECT_EQ(As(rep2_, "GET", "/api/v1/personas?archived=true").items().size(), 1u);
  EXPECT_EQ(As(rep2_, "GET", "/api/v1/personas/999").status(), 404);
}

TEST_F(ScoringApiTest, BadPersonaBodiesNameTheNestedField) {
  auto r = As(marketer_, "POST", "/api/v1/personas",
              R"({"key":"k","name":"K","criteria":[{"property":"contact.title","op":"regex"}]})");
  EXPECT_EQ(r.status(), 400) << r;
  EXPECT_EQ(r.ErrorField(), "criteria[0].op");
  r = As(marketer_, "POST", "/api/v1/personas",
         R"({"key":"k","name":"K","criteria":[{"property":"contact.title","op":"equals",
             "values":["x"],"colour":"red"}]})");
  EXPECT_EQ(r.status(), 400) << r;
  EXPECT_EQ(r.ErrorField(), "criteria[0].colour");
  r = As(marketer_, "POST", "/api/v1/personas",
         R"({"key":"k","name":"K","criteria":[{"property":"contact.title","op":"equals",
             "values":["x"],"weight":500}]})");
  EXPECT_EQ(r.ErrorField(), "criteria[0].weight");
  r = As(marketer_, "POST", "/api/v1/personas",
         R"({"key":"k","name":"K","criteria":[{"property":"contact.age","op":"equals",
             "values":["x"]}]})");
  EXPECT_EQ(r.status(), 400) << r;
  EXPECT_EQ(r.ErrorField(), "criteria[0].property");
  r = As(marketer_, "POST", "/api/v1/personas", R"({"key":"k","name":"K","criteria":{}})");
  EXPECT_EQ(r.ErrorField(), "criteria");
  r = As(marketer_, "POST", "/api/v1/personas",
         R"({"key":"k","name":"K","criteria":[{"property":"company.employees","op":"range",
             "min":"ten"}]})");
  EXPECT_EQ(r.ErrorField(), "criteria[0].min");
}

TEST_F(ScoringApiTest, SignOffByTheHeads) {
  const auto id = As(marketer_, "POST", "/api/v1/personas", kPersona).Int("id");
  const std::string url = "/api/v1/personas/" + std::to_string(id) + "/signoff";
  EXPECT_EQ(As(rep1_, "POST", url, R"({})").status(), 403);
  auto bad = As(admin_, "POST", url, R"({"version":1})");
  EXPECT_EQ(bad.status(), 400) << bad;
  EXPECT_EQ(bad.ErrorField(), "capacity");
  auto stale = As(admin_, "POST", url, R"({"version":3,"capacity":"head_of_sales"})");
  EXPECT_EQ(stale.status(), 422) << stale;
  auto one = As(admin_, "POST", url, R"({"version":1,"capacity":"head_of_sales","note":"ok"})");
  ASSERT_EQ(one.status(), 200) << one;
  EXPECT_FALSE(one.obj().at("signed_off").as_bool());
  EXPECT_EQ(As(admin_, "POST", url, R"({"capacity":"head_of_sales"})").status(), 409);
  auto two = As(admin_, "POST", url, R"({"capacity":"head_of_marketing"})");
  ASSERT_EQ(two.status(), 200) << two;
  EXPECT_TRUE(two.obj().at("signed_off").as_bool());
  const auto& s = two.obj().at("signoffs").as_array();
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].at("capacity").as_string(), "head_of_sales");
  EXPECT_EQ(s[0].at("user_email").as_string(), "admin@acme.example");
  EXPECT_EQ(s[0].at("note").as_string(), "ok");
}

TEST_F(ScoringApiTest, RulesGetPutAndA422WithTheColumn) {
  auto got = As(rep1_, "GET", "/api/v1/scoring/rules");
  ASSERT_EQ(got.status(), 200) << got;
  EXPECT_EQ(got.Int("version"), 0);
  EXPECT_EQ(got.obj().at("mql").at("expression").as_string(), "fit >= 60 and engagement >= 40");

  auto bad = As(marketer_, "PUT", "/api/v1/scoring/rules",
                R"({"mql":{"kind":"expression","expression":"fit >= 60 and engagment >= 40"}})");
  EXPECT_EQ(bad.status(), 422) << bad;
  EXPECT_EQ(bad.ErrorField(), "mql.expression");
  EXPECT_EQ(bad.ErrorMessage(),
            "MQL rule at column 15: unknown name 'engagment'; expected 'fit', 'engagement', "
            "'grade' or 'persona'");
  auto unknown = As(marketer_, "PUT", "/api/v1/scoring/rules", R"({"mql":{"kind":"vibes"}})");
  EXPECT_EQ(unknown.status(), 400) << unknown;
  EXPECT_EQ(unknown.ErrorField(), "mql.kind");
  auto neg = As(marketer_, "PUT", "/api/v1/scoring/rules",
                R"({"events":[{"event_type":"page_view","points":1,"cap":-5}]})");
  EXPECT_EQ(neg.status(), 400) << neg;
  EXPECT_EQ(neg.ErrorField(), "events[0].cap");
  EXPECT_EQ(As(rep1_, "PUT", "/api/v1/scoring/rules", R"({})").status(), 403);

  auto put = As(marketer_, "PUT", "/api/v1/scoring/rules",
                R"({"events":[{"event_type":"page_view","points":2.5,"cap":10},
                              {"event_type":"trial_started","points":30}],
                    "half_life_days":14,
                    "negatives":{"competitor_domains":["rival.example"]},
                    "grades":{"a":90,"b":70,"c":50},
                    "mql":{"kind":"matrix","matrix":{"A":10,"B":30,"C":null,"D":null}}})");
  ASSERT_EQ(put.status(), 200) << put;
  EXPECT_EQ(put.Int("version"), 1);
  const auto job = put.Int("rescore_job_id");
  auto again = As(rep2_, "GET", "/api/v1/scoring/rules");
  EXPECT_EQ(again.Int("version"), 1);
  EXPECT_EQ(again.obj().at("events").as_array().size(), 2u);
  EXPECT_EQ(again.obj().at("events").as_array()[0].at("points").to_number<double>(), 2.5);
  EXPECT_EQ(again.obj().at("mql").at("kind").as_string(), "matrix");
  EXPECT_TRUE(again.obj().at("mql").at("matrix").at("C").is_null());
  EXPECT_EQ(again.obj().at("negatives").at("competitor_domains").as_array().size(), 1u);

  auto j = As(rep1_, "GET", "/api/v1/scoring/jobs/" + std::to_string(job));
  ASSERT_EQ(j.status(), 200) << j;
  EXPECT_EQ(j.Str("status"), "queued");
  auto more = services_->scoring.RunJobBatch();
  ASSERT_TRUE(more);
  EXPECT_FALSE(*more);  // no contacts: one batch finishes the job
  j = As(rep1_, "GET", "/api/v1/scoring/jobs/" + std::to_string(job));
  EXPECT_EQ(j.Str("status"), "done");
  EXPECT_EQ(j.obj().at("progress").to_number<double>(), 1.0);
  EXPECT_EQ(As(rep1_, "GET", "/api/v1/scoring/jobs/999").status(), 404);
}

TEST_F(ScoringApiTest, ContactScoreExplainsLineByLine) {
  ASSERT_EQ(As(marketer_, "POST", "/api/v1/personas", kPersona).status(), 201);
  auto contact = As(manager_, "POST", "/api/v1/contacts",
                    R"({"email":"ana@acme.example","title":"Head of Data","country":"FR"})");
  ASSERT_EQ(contact.status(), 201) << contact;
  const auto id = contact.Int("id");
  auto score = As(rep1_, "GET", "/api/v1/contacts/" + std::to_string(id) + "/score");
  ASSERT_EQ(score.status(), 200) << score;
  EXPECT_EQ(score.Int("fit"), 100);
  EXPECT_EQ(score.Str("grade"), "A");
  EXPECT_EQ(score.Str("persona_key"), "data_lead");
  EXPECT_FALSE(score.obj().at("qualifies").as_bool());
  const auto& lines = score.obj().at("lines").as_array();
  ASSERT_GE(lines.size(), 5u);
  EXPECT_EQ(lines[0].at("kind").as_string(), "criterion");
  EXPECT_EQ(lines[0].at("text").as_string(), "matched: contact.title pattern [*data*] (weight 60)");
  EXPECT_EQ(lines.back().at("kind").as_string(), "qualification");
  EXPECT_EQ(As(rep1_, "GET", "/api/v1/contacts/999/score").status(), 404);
}

}  // namespace
}  // namespace tandem::api::apitest
