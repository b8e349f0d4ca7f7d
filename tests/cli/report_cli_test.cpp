// `tandem pay` and `tandem report weekly`, in-process, on a database prepared through the
// services. The runtime's clock is the system's: the periods asked for lie far in the future,
// where the contract activated now is in force and nothing has happened yet.
#include <gtest/gtest.h>

#include <fstream>

#include "base/process.hpp"
#include "cli/handoff_cli_fixture.hpp"
#include "server/runtime.hpp"

namespace tandem::cli {
namespace {

class ReportCliTest : public clitest::CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    server::RuntimeSettings rs;
    rs.db = db_;
    auto rt = server::Runtime::Open(rs);
    ASSERT_TRUE(rt) << rt.error().message;
    auto& s = (*rt)->services();
    core::Principal root;
    ASSERT_NO_FATAL_FAILURE(clitest::SetUpHandoffTeam(s, root));
    // A second version, with a weekly pool of 700.00 EUR.
    auto v = s.contracts.ActivateAsOperator(app::apptest::HandoffContract() + R"(
[compensation]
pool = 700
currency = "EUR"
period = "week"

[[compensation.kpis]]
kpi = "first_touch_on_time"
weight = 60
threshold_percent = 70

[[compensation.kpis]]
kpi = "mql_quota_attainment"
weight = 40
threshold_percent = 80
)",
                                            std::nullopt, std::nullopt);
    ASSERT_TRUE(v) << v.error().message;
  }

  std::string Read(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  }
};

TEST_F(ReportCliTest, PayPrintsTheStatementAndItsJson) {
  // January 2100: 31 days of a 700.00 weekly pool, 100.00 a day.
  auto r = Tandem({"pay", "--db", db_, "--from", "2100-01-01", "--to", "2100-01-31"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Pool of the period: 3,100.00 EUR."), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("first_touch_on_time: no data (no first touches decided in the period)"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("mql_quota_attainment: actual 0, target 44.29, attainment 0.0%; "
                       "threshold 80% missed"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("Nobody takes part: nothing is paid out."), std::string::npos) << r.out;
  auto j = Tandem({"pay", "--db", db_, "--from", "2100-01-01", "--to", "2100-01-31", "--json"});
  ASSERT_EQ(j.code, 0) << j.err;
  EXPECT_NE(j.out.find("\"pool\":3100,"), std::string::npos) << j.out;
  auto user = Tandem({"pay", "--db", db_, "--from", "2100-01-01", "--to", "2100-01-31", "--user",
                      "rep1@acme.example"});
  ASSERT_EQ(user.code, 0) << user.err;
  EXPECT_NE(user.out.find("rep1@acme.example"), std::string::npos);
  EXPECT_NE(user.out.find("(does not take part)"), std::string::npos) << user.out;
}

TEST_F(ReportCliTest, PayRefusesBadInput) {
  auto bad = Tandem({"pay", "--db", db_, "--from", "2100-13-01", "--to", "2100-01-31"});
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.err.find("error: from:"), std::string::npos) << bad.err;
  auto order = Tandem({"pay", "--db", db_, "--from", "2100-02-01", "--to", "2100-01-31"});
  EXPECT_EQ(order.code, 1);
  EXPECT_NE(order.err.find("error: to:"), std::string::npos) << order.err;
  auto nobody = Tandem({"pay", "--db", db_, "--from", "2100-01-01", "--to", "2100-01-31", "--user",
                        "nobody@acme.example"});
  EXPECT_EQ(nobody.code, 1);
  EXPECT_NE(nobody.err.find("nobody@acme.example"), std::string::npos) << nobody.err;
  auto before = Tandem({"pay", "--db", db_, "--from", "2000-01-01", "--to", "2000-01-31"});
  EXPECT_EQ(before.code, 1);
  EXPECT_NE(before.err.find("error: contract: no contract is in force"), std::string::npos)
      << before.err;
}

TEST_F(ReportCliTest, WeeklyWritesEachFormat) {
  auto json = Tandem({"report", "weekly", "--db", db_, "--week", "2100-W01", "--format", "json"});
  ASSERT_EQ(json.code, 0) << json.err;
  EXPECT_NE(json.out.find("\"has_data\":false"), std::string::npos) << json.out;
  EXPECT_NE(json.out.find("no data: nothing was recorded in week 2100-W01 (2100-01-04 to "
                          "2100-01-10)"),
            std::string::npos)
      << json.out;
  const std::string csv_path = (dir_ / "w.csv").string();
  auto csv = Tandem({"report", "weekly", "--db", db_, "--week", "2100-W01", "--format", "csv",
                     "--out", csv_path});
  ASSERT_EQ(csv.code, 0) << csv.err;
  EXPECT_EQ(Read(csv_path).rfind("# summary\r\n", 0), 0u);
  auto html = Tandem({"report", "weekly", "--db", db_, "--week", "2100-W01"});
  ASSERT_EQ(html.code, 0) << html.err;
  EXPECT_EQ(html.out.rfind("<!doctype html>", 0), 0u) << "html is the default";
  auto missing = Tandem({"report", "weekly", "--db", db_, "--week", "2100-W01", "--format", "pdf",
                         "--chromium", "/nonexistent/chromium"});
  EXPECT_EQ(missing.code, 1);
  EXPECT_NE(missing.err.find("/nonexistent/chromium"), std::string::npos) << missing.err;
  EXPECT_NE(missing.err.find("not installed"), std::string::npos) << missing.err;
}

TEST_F(ReportCliTest, WeeklyRefusesMalformedWeeksAndFormats) {
  auto week = Tandem({"report", "weekly", "--db", db_, "--week", "2026-48"});
  EXPECT_EQ(week.code, 1);
  EXPECT_NE(week.err.find("error: week:"), std::string::npos) << week.err;
  auto w53 = Tandem({"report", "weekly", "--db", db_, "--week", "2027-W53"});
  EXPECT_EQ(w53.code, 1);
  EXPECT_NE(w53.err.find("there is no week 2027-W53"), std::string::npos) << w53.err;
  auto format = Tandem({"report", "weekly", "--db", db_, "--week", "2026-W48", "--format", "docx"});
  EXPECT_EQ(format.code, 1);
  EXPECT_NE(format.err.find("error: format:"), std::string::npos) << format.err;
}

TEST_F(ReportCliTest, WeeklyPrintsAPdfWithChromium) {
  if (!base::IsExecutable("/usr/bin/chromium")) GTEST_SKIP() << "chromium is not installed";
  const std::string pdf_path = (dir_ / "w.pdf").string();
  auto pdf = Tandem({"report", "weekly", "--db", db_, "--week", "2100-W01", "--format", "pdf",
                     "--out", pdf_path});
  ASSERT_EQ(pdf.code, 0) << pdf.err;
  const std::string bytes = Read(pdf_path);
  EXPECT_EQ(bytes.rfind("%PDF-", 0), 0u);
  EXPECT_GT(bytes.size(), 1000u);
}

}  // namespace
}  // namespace tandem::cli
