// /api/v1/imports: upload, background job, progress, report, permissions, media type.
#include "api_fixture.hpp"

namespace tandem::api::apitest {
namespace {

class ImportsApiTest : public ApiTest {
 protected:
  Reply Upload(const std::string& token, const std::string& csv,
               const std::string& query = "?file_name=leads.csv",
               const std::string& type = "text/csv; charset=utf-8") {
    return Send("POST", "/api/v1/imports" + query, csv,
                {{"Authorization", "Bearer " + token}, {"Content-Type", type}});
  }
};

const std::string kCsv =
    "\xEF\xBB\xBF"
    "Email;First Name;Lifecycle Stage;Became a Lead Date;"
    "Became a Marketing Qualified Lead Date\r\n"
    "ada@x.example;Ada;Marketing Qualified Lead;2024-03-12 09:14;20.03.2024 10:00\r\n"
    "broken;Bob;lead;;\r\n"
    "cy@x.example;\"Cy; Jr\";lead;3/15/2024 2:30 PM;\r\n"
    "dee@x.example;Dee;wizard;;\r\n";

TEST_F(ImportsApiTest, UploadRunsAJobWithProgressCountsAndReport) {
  auto r = Upload(marketer_, kCsv);
  ASSERT_EQ(r.status(), 202) << r;
  const core::Id id = r.Int("id");
  EXPECT_EQ(r.Header("Location"), "/api/v1/imports/" + std::to_string(id));
  EXPECT_EQ(r.Str("file_name"), "leads.csv");
  EXPECT_EQ(r.Int("bytes_total"), static_cast<std::int64_t>(kCsv.size()));
  services_->imports.WaitIdle();

  auto job = As(marketer_, "GET", "/api/v1/imports/" + std::to_string(id));
  ASSERT_EQ(job.status(), 200) << job;
  EXPECT_EQ(job.Str("status"), "succeeded");
  EXPECT_EQ(job.Int("bytes_done"), job.Int("bytes_total"));
  const auto& counts = job.obj().at("counts").as_object();
  EXPECT_EQ(counts.at("rows").as_int64(), 4);
  EXPECT_EQ(counts.at("created").as_int64(), 2);
  EXPECT_EQ(counts.at("skipped").as_int64(), 2);
  EXPECT_EQ(counts.at("errors").as_int64(), 2);
  EXPECT_NE(job.Str("message").find("hubspot"), std::string::npos) << job;

  auto errors = As(marketer_, "GET", "/api/v1/imports/" + std::to_string(id) + "/errors?limit=1");
  ASSERT_EQ(errors.status(), 200) << errors;
  ASSERT_EQ(errors.items().size(), 1u);
  EXPECT_EQ(errors.items()[0].at("row").as_int64(), 3);
  EXPECT_EQ(S(errors.items()[0].at("column")), "Email");
  EXPECT_EQ(S(errors.items()[0].at("severity")), "error");
  const std::string cursor = S(errors.obj().at("next_cursor"));
  ASSERT_FALSE(cursor.empty());
  auto next = As(marketer_, "GET",
                 "/api/v1/imports/" + std::to_string(id) + "/errors?limit=5&cursor=" + cursor);
  ASSERT_EQ(next.status(), 200) << next;
  ASSERT_EQ(next.items().size(), 1u);
  EXPECT_EQ(next.items()[0].at("row").as_int64(), 5);
  EXPECT_NE(S(next.items()[0].at("reason")).find("wizard"), std::string::npos);
  EXPECT_TRUE(next.obj().at("next_cursor").is_null());

  // The imported contacts and their history are there for everyone to read.
  auto list = As(manager_, "GET", "/api/v1/contacts?stage=mql");
  ASSERT_EQ(list.status(), 200);
  ASSERT_EQ(list.items().size(), 1u);
  EXPECT_EQ(S(list.items()[0].at("email")), "ada@x.example");
}

TEST_F(ImportsApiTest, DryRunWritesNothingAndAFileFailureFailsTheJob) {
  auto r = Upload(admin_, kCsv, "?dry_run=true&preset=hubspot");
  ASSERT_EQ(r.status(), 202) << r;
  EXPECT_TRUE(r.obj().at("dry_run").as_bool());
  EXPECT_EQ(r.Str("preset"), "hubspot");
  auto bad = Upload(admin_, "Name;Phone\r\nJo;1\r\n");
  ASSERT_EQ(bad.status(), 202);
  services_->imports.WaitIdle();
  auto job = As(admin_, "GET", "/api/v1/imports/" + std::to_string(r.Int("id")));
  EXPECT_EQ(job.Str("status"), "succeeded");
  EXPECT_EQ(job.obj().at("counts").at("created").as_int64(), 2);
  EXPECT_TRUE(As(admin_, "GET", "/api/v1/contacts").items().empty());
  auto failed = As(admin_, "GET", "/api/v1/imports/" + std::to_string(bad.Int("id")));
  EXPECT_EQ(failed.Str("status"), "failed");
  EXPECT_NE(failed.Str("message").find("no column gives the email"), std::string::npos);
}

TEST_F(ImportsApiTest, OnlyAdminsAndMarketingImport) {
  EXPECT_EQ(Upload(rep1_, kCsv).status(), 403);
  EXPECT_EQ(Upload(manager_, kCsv).status(), 403);
  auto r = Upload(marketer_, kCsv);
  ASSERT_EQ(r.status(), 202);
  services_->imports.WaitIdle();
  EXPECT_EQ(As(rep1_, "GET", "/api/v1/imports/" + std::to_string(r.Int("id"))).status(), 403);
  EXPECT_EQ(Send("GET", "/api/v1/imports/1").status(), 401);
}

TEST_F(ImportsApiTest, BadRequestsAreRefused) {
  auto json = Upload(marketer_, kCsv, "", "application/json");
  EXPECT_EQ(json.status(), 415) << json;
  EXPECT_EQ(Upload(marketer_, kCsv, "?preset=zoho").status(), 400);
  EXPECT_EQ(Upload(marketer_, kCsv, "?colour=red").status(), 400);
  EXPECT_EQ(As(marketer_, "GET", "/api/v1/imports/999").status(), 404);
  EXPECT_EQ(As(marketer_, "GET", "/api/v1/imports/999/errors").status(), 404);
  EXPECT_EQ(As(marketer_, "GET", "/api/v1/imports/x").status(), 400);
}

}  // namespace
}  // namespace tandem::api::apitest
