// /api/v1/goals through Api::Handle: CRUD, the SMART check, progress and bad input.
#include <gtest/gtest.h>

#include "api_fixture.hpp"

namespace tandem::api::apitest {
namespace {

class GoalsApiTest : public ApiTest {};

const char* kGoal =
    R"({"name":"Q1 MQLs","metric":"mqls","target":120,"from":"2027-01-01","to":"2027-03-31",)"
    R"("owners":["marketer@acme.example"],"rates":{"mql_sal":0.4}})";

TEST_F(GoalsApiTest, CreateReadListReplaceDelete) {
  auto r = As(manager_, "POST", "/api/v1/goals", kGoal);
  ASSERT_EQ(r.status(), 201) << r;
  const std::int64_t id = r.Int("id");
  EXPECT_EQ(r.Str("metric"), "mqls");
  EXPECT_EQ(S(r.obj().at("owners").as_array()[0]), "marketer@acme.example");
  const auto& smart = r.obj().at("smart").as_object();
  const auto& letters = smart.at("letters").as_array();
  ASSERT_EQ(letters.size(), 5u);
  EXPECT_EQ(S(letters[0].at("verdict")), "pass");
  // An empty base: nothing to compare with, never a division by zero.
  EXPECT_EQ(S(letters[2].at("verdict")), "unknown");
  EXPECT_EQ(S(letters[2].at("reason")).substr(0, 8), "no data:");
  EXPECT_EQ(S(letters[3].at("verdict")), "unknown");
  EXPECT_FALSE(smart.at("smart").as_bool());

  auto got = As(rep1_, "GET", "/api/v1/goals/" + std::to_string(id));
  ASSERT_EQ(got.status(), 200) << got;
  EXPECT_EQ(got.Str("name"), "Q1 MQLs");
  auto list = As(rep1_, "GET", "/api/v1/goals");
  ASSERT_EQ(list.status(), 200) << list;
  EXPECT_EQ(list.obj().at("items").as_array().size(), 1u);

  auto put = As(manager_, "PUT", "/api/v1/goals/" + std::to_string(id),
                R"({"name":"Q1 revenue","metric":"revenue","target":250000.5,)"
                R"("from":"2027-01-01","to":"2027-03-31"})");
  ASSERT_EQ(put.status(), 200) << put;
  EXPECT_EQ(put.Str("metric"), "revenue");
  EXPECT_EQ(put.obj().at("owners").as_array().size(), 0u);
  // Nobody owns it now: Specific fails and says why.
  EXPECT_EQ(S(put.obj().at("smart").as_object().at("letters").as_array()[0].at("verdict")), "fail");

  EXPECT_EQ(As(rep1_, "DELETE", "/api/v1/goals/" + std::to_string(id)).status(), 403);
  EXPECT_EQ(As(manager_, "DELETE", "/api/v1/goals/" + std::to_string(id)).status(), 204);
  EXPECT_EQ(As(manager_, "GET", "/api/v1/goals/" + std::to_string(id)).status(), 404);
}

TEST_F(GoalsApiTest, BadInputNamesTheField) {
  auto bad = [&](const std::string& body, const std::string& field) {
    auto r = As(manager_, "POST", "/api/v1/goals", body);
    EXPECT_EQ(r.status(), 400) << body << r;
    EXPECT_EQ(r.ErrorField(), field) << body;
  };
  bad(R"({"name":"G","metric":"mqls","target":10,"from":"2027-03-01","to":"2027-01-01"})", "to");
  bad(R"({"name":"G","metric":"mqls","target":0,"from":"2027-01-01","to":"2027-02-01"})", "target");
  bad(R"({"name":"G","metric":"mqls","target":-3,"from":"2027-01-01","to":"2027-02-01"})",
      "target");
  bad(R"({"name":"G","metric":"mqls","target":2.5,"from":"2027-01-01","to":"2027-02-01"})",
      "target");
  bad(R"({"name":"G","metric":"mqls","target":10,"from":"2027-01-01","to":"2027-02-01",)"
      R"("rates":{"mql_sal":0}})",
      "rates.mql_sal");
  bad(R"({"name":"G","metric":"mqls","target":10,"from":"2027-01-01","to":"2027-02-01",)"
      R"("rates":{"mql_sal":1.2}})",
      "rates.mql_sal");
  bad(R"({"name":"G","metric":"mqls","target":10,"from":"2027-01-01","to":"2027-02-01",)"
      R"("rates":{"mql_xyz":0.5}})",
      "rates.mql_xyz");
  bad(R"({"name":"G","metric":"visits","target":10,"from":"2027-01-01","to":"2027-02-01"})",
      "metric");
  bad(R"({"name":"G","metric":"mqls","target":10,"from":"2027-01-01","to":"2027-02-01",)"
      R"("owners":["nobody@acme.example"]})",
      "owners");
  EXPECT_EQ(As(rep1_, "POST", "/api/v1/goals", kGoal).status(), 403);
}

TEST_F(GoalsApiTest, ProgressWithNoDataSaysSoAndIsSeeded) {
  auto r = As(manager_, "POST", "/api/v1/goals", kGoal);
  ASSERT_EQ(r.status(), 201) << r;
  const std::string path = "/api/v1/goals/" + std::to_string(r.Int("id")) + "/progress";
  auto p = As(rep1_, "GET", path + "?seed=9&trials=500");
  ASSERT_EQ(p.status(), 200) << p;
  EXPECT_EQ(p.Int("seed"), 9);
  EXPECT_EQ(p.Int("trials"), 500);
  EXPECT_EQ(p.obj().at("probability").to_number<double>(), 0.0);
  EXPECT_EQ(As(rep1_, "GET", path + "?trials=5").status(), 400);
  // A revenue goal on a base without won deals: no deal size to forecast with (422).
  auto rev = As(manager_, "POST", "/api/v1/goals",
                R"({"name":"R","metric":"revenue","target":1000,"from":"2027-01-01",)"
                R"("to":"2027-02-01"})");
  ASSERT_EQ(rev.status(), 201) << rev;
  auto rp = As(manager_, "GET", "/api/v1/goals/" + std::to_string(rev.Int("id")) + "/progress");
  EXPECT_EQ(rp.status(), 422) << rp;
  EXPECT_EQ(rp.ErrorField(), "deal_size");
  EXPECT_EQ(As(manager_, "GET", "/api/v1/goals/999/progress").status(), 404);
}

}  // namespace
}  // namespace tandem::api::apitest
