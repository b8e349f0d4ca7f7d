// /api/v1/imports: upload, background job, progress, report, permissions, media type.
#include <algorithm>
#include <cctype>

#include "api_fixture.hpp"
#include "app/importer.hpp"
#include "core/contact_import.hpp"

namespace tandem::api::apitest {
namespace {

class ImportsApiTest : public ApiTest {
 protected:
  Reply Preview(const std::string& token, const std::string& csv, const std::string& query = "") {
    return Send("POST", "/api/v1/imports/preview" + query, csv,
                {{"Authorization", "Bearer " + token}, {"Content-Type", "text/csv"}});
  }
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

// Percent-encodes a query value.
std::string Enc(std::string_view v) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char ch : v) {
    if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
      out.push_back(static_cast<char>(ch));
    } else {
      out += '%';
      out += kHex[ch >> 4];
      out += kHex[ch & 15];
    }
  }
  return out;
}

TEST_F(ImportsApiTest, PreviewShowsTheImportersMappingWithSamples) {
  auto r = Preview(marketer_, kCsv);
  ASSERT_EQ(r.status(), 200) << r;
  EXPECT_EQ(r.Str("preset"), "hubspot");
  EXPECT_TRUE(r.obj().at("preset_detected").as_bool());
  EXPECT_EQ(r.Str("delimiter"), "semicolon");
  EXPECT_EQ(r.Int("rows"), 4);
  EXPECT_TRUE(r.obj().at("problem").is_null());
  const auto& cols = r.obj().at("columns").as_array();
  ASSERT_EQ(cols.size(), 5u);
  EXPECT_EQ(S(cols[0].at("header")), "Email");
  EXPECT_EQ(S(cols[0].at("target")), "email");
  EXPECT_EQ(S(cols[0].at("from")), "preset");
  EXPECT_EQ(S(cols[2].at("target")), "stage");
  EXPECT_EQ(S(cols[4].at("target")), "became_mql_at");
  const auto& names = cols[1].at("samples").as_array();
  ASSERT_EQ(names.size(), 4u);
  EXPECT_EQ(S(names[0]), "Ada");
  EXPECT_EQ(S(names[2]), "Cy; Jr");
  EXPECT_TRUE(r.obj().at("unmapped").as_array().empty());
  const auto& targets = r.obj().at("targets").as_array();
  EXPECT_EQ(S(targets[0]), "ignore");
  EXPECT_NE(std::find(targets.begin(), targets.end(), json::value("company")), targets.end());
  // Nothing was stored.
  EXPECT_TRUE(As(admin_, "GET", "/api/v1/contacts").items().empty());
  // At most five rows are sampled.
  std::string many = "Email\n";
  for (int i = 0; i < 9; ++i) many += "p" + std::to_string(i) + "@x.example\n";
  auto five = Preview(marketer_, many);
  ASSERT_EQ(five.status(), 200) << five;
  EXPECT_EQ(five.Int("rows"), 5);
  EXPECT_EQ(five.obj().at("columns").at(0).at("samples").as_array().size(), 5u);
}

// The mapping chosen in the preview is what the import applies.
TEST_F(ImportsApiTest, AMappingByHandFixesAFileTheImportWouldRefuse) {
  const std::string csv = "E-Mail-Adresse,Firma,Notizen\r\nada@x.example,Acme,hi\r\n";
  auto before = Preview(admin_, csv);
  ASSERT_EQ(before.status(), 200) << before;
  EXPECT_NE(before.Str("problem").find("no column gives the email"), std::string::npos);
  EXPECT_EQ(S(before.obj().at("columns").at(0).at("target")), "ignore");
  EXPECT_EQ(S(before.obj().at("columns").at(0).at("from")), "none");
  EXPECT_EQ(before.obj().at("unmapped").as_array().size(), 3u);

  const std::string mapping = "?mapping=" + Enc(R"({"e-mail-adresse":"email","Firma":"company",)"
                                                R"("Notizen":"custom:notes"})");
  auto after = Preview(admin_, csv, mapping);
  ASSERT_EQ(after.status(), 200) << after;
  EXPECT_TRUE(after.obj().at("problem").is_null()) << after;
  const auto& cols = after.obj().at("columns").as_array();
  EXPECT_EQ(S(cols[0].at("target")), "email");
  EXPECT_EQ(S(cols[0].at("from")), "mapping");
  EXPECT_EQ(S(cols[1].at("target")), "company");
  EXPECT_EQ(S(cols[2].at("target")), "custom:notes");
  EXPECT_TRUE(after.obj().at("unmapped").as_array().empty());

  auto refused = Upload(admin_, csv);
  auto applied = Upload(admin_, csv, mapping + "&file_name=de.csv");
  ASSERT_EQ(refused.status(), 202);
  ASSERT_EQ(applied.status(), 202) << applied;
  services_->imports.WaitIdle();
  EXPECT_EQ(As(admin_, "GET", "/api/v1/imports/" + std::to_string(refused.Int("id"))).Str("status"),
            "failed");
  auto job = As(admin_, "GET", "/api/v1/imports/" + std::to_string(applied.Int("id")));
  EXPECT_EQ(job.Str("status"), "succeeded") << job;
  EXPECT_EQ(job.obj().at("counts").at("created").as_int64(), 1);
  auto contacts = As(admin_, "GET", "/api/v1/contacts");
  ASSERT_EQ(contacts.items().size(), 1u);
  EXPECT_EQ(S(contacts.items()[0].at("email")), "ada@x.example");
  EXPECT_EQ(S(contacts.items()[0].at("custom").at("notes")), "hi");
}

TEST_F(ImportsApiTest, APartialPreviewLeavesOutTheRowItCutsOff) {
  const std::string head = "Email,First Name\r\nada@x.example,Ada\r\nbo@x.exa";
  auto partial = Preview(marketer_, head, "?partial=true");
  ASSERT_EQ(partial.status(), 200) << partial;
  EXPECT_EQ(partial.Int("rows"), 1);
  auto whole = Preview(marketer_, head);
  ASSERT_EQ(whole.status(), 200);
  EXPECT_EQ(whole.Int("rows"), 2);
  // A quote left open by the cut.
  auto quoted = Preview(marketer_, "Email,Note\nada@x.example,\"two\nlines", "?partial=true");
  ASSERT_EQ(quoted.status(), 200) << quoted;
  EXPECT_EQ(quoted.Int("rows"), 0);
}

TEST_F(ImportsApiTest, BadPreviewsAreRefused) {
  EXPECT_EQ(Preview(rep1_, kCsv).status(), 403);
  EXPECT_EQ(Preview(manager_, kCsv).status(), 403);
  EXPECT_EQ(Send("POST", "/api/v1/imports/preview", kCsv, {{"Content-Type", "text/csv"}}).status(),
            401);
  auto empty = Preview(marketer_, "");
  EXPECT_EQ(empty.status(), 400) << empty;
  EXPECT_EQ(empty.ErrorField(), "file");
  auto not_json = Preview(marketer_, kCsv, "?mapping=" + Enc("Email=email"));
  EXPECT_EQ(not_json.status(), 400) << not_json;
  EXPECT_EQ(not_json.ErrorField(), "mapping");
  auto not_string = Preview(marketer_, kCsv, "?mapping=" + Enc(R"({"Email":1})"));
  EXPECT_EQ(not_string.status(), 400);
  EXPECT_EQ(not_string.ErrorField(), "mapping");
  auto unknown = Preview(marketer_, kCsv, "?mapping=" + Enc(R"({"Email":"shoe_size"})"));
  EXPECT_EQ(unknown.status(), 400);
  EXPECT_NE(S(unknown.obj().at("error").at("message")).find("shoe_size"), std::string::npos);
  auto missing = Preview(marketer_, kCsv, "?mapping=" + Enc(R"({"Fax":"phone"})"));
  EXPECT_EQ(missing.status(), 400) << missing;
  EXPECT_NE(S(missing.obj().at("error").at("message")).find("Fax"), std::string::npos);
  EXPECT_EQ(Preview(marketer_, kCsv, "?preset=zoho").status(), 400);
  EXPECT_EQ(Preview(marketer_, kCsv, "?colour=red").status(), 400);
  EXPECT_EQ(Send("POST", "/api/v1/imports/preview", kCsv,
                 {{"Authorization", "Bearer " + marketer_}, {"Content-Type", "application/json"}})
                .status(),
            415);
  EXPECT_EQ(Upload(marketer_, kCsv, "?mapping=" + Enc("[1]")).status(), 400);
}

}  // namespace
}  // namespace tandem::api::apitest

namespace tandem::api::apitest {
namespace {

// Consent columns (docs/import.md, docs/privacy.md), on both backends: an import job with a
// column mapped to consent records one consent per yes row, naming the job and the row, which
// the contact's consents and the privacy export show; the importer's bulk mode records the same.
TEST_F(ImportsApiTest, ConsentColumnsRecordConsentsTheContactAndTheExportShow) {
  const std::string csv =
      "Email,GDPR opt-in,Newsletter\r\n"
      "ann@x.example,Opted In,yes\r\n"
      "bob@x.example,no,\r\n"
      "cy@x.example,later,yes\r\n";
  const std::string mapping =
      "?mapping=" + Enc(R"({"GDPR opt-in":"consent","newsletter":"consent:Newsletter"})");
  auto preview = Preview(marketer_, csv, mapping);
  ASSERT_EQ(preview.status(), 200) << preview;
  EXPECT_EQ(S(preview.obj().at("columns").at(1).at("target")), "consent");
  EXPECT_EQ(S(preview.obj().at("columns").at(2).at("target")), "consent:Newsletter");

  auto r = Upload(marketer_, csv, mapping + "&file_name=optins.csv");
  ASSERT_EQ(r.status(), 202) << r;
  const core::Id job_id = r.Int("id");
  services_->imports.WaitIdle();
  const std::string job_url = "/api/v1/imports/" + std::to_string(job_id);
  auto job = As(marketer_, "GET", job_url);
  EXPECT_EQ(job.Str("status"), "succeeded") << job;
  EXPECT_EQ(job.obj().at("counts").at("created").as_int64(), 2);
  EXPECT_EQ(job.obj().at("counts").at("skipped").as_int64(), 1);
  auto errors = As(marketer_, "GET", job_url + "/errors");
  ASSERT_EQ(errors.items().size(), 1u) << errors;
  EXPECT_EQ(errors.items()[0].at("row").as_int64(), 4);
  EXPECT_EQ(S(errors.items()[0].at("column")), "GDPR opt-in");
  EXPECT_NE(S(errors.items()[0].at("reason")).find("later"), std::string::npos);

  auto contact_id = [&](const std::string& email) -> core::Id {
    auto list = As(manager_, "GET", "/api/v1/contacts?limit=100");
    for (const auto& c : list.items()) {
      if (S(c.at("email")) == email) return c.at("id").as_int64();
    }
    ADD_FAILURE() << "no contact " << email << ": " << list;
    return 0;
  };
  const core::Id ann = contact_id("ann@x.example");
  auto consents = As(rep1_, "GET", "/api/v1/contacts/" + std::to_string(ann) + "/consents");
  ASSERT_EQ(consents.status(), 200) << consents;
  ASSERT_EQ(consents.items().size(), 2u) << consents;
  std::vector<std::string> purposes;
  for (const auto& c : consents.items()) {
    purposes.push_back(S(c.at("purpose")));
    EXPECT_EQ(S(c.at("source")), "import");
    EXPECT_EQ(c.at("import_job_id").as_int64(), job_id);
    EXPECT_EQ(c.at("import_row").as_int64(), 2);
    EXPECT_EQ(S(c.at("given_at")), core::FormatInstant(kT0));
    EXPECT_TRUE(c.at("withdrawn_at").is_null());
  }
  std::sort(purposes.begin(), purposes.end());
  EXPECT_EQ(purposes, (std::vector<std::string>{"Newsletter", "marketing"}));
  const core::Id bob = contact_id("bob@x.example");
  EXPECT_TRUE(
      As(rep1_, "GET", "/api/v1/contacts/" + std::to_string(bob) + "/consents").items().empty());

  auto doc = As(admin_, "GET", "/api/v1/privacy/export?email=ann%40x.example");
  ASSERT_EQ(doc.status(), 200) << doc;
  const auto& exported = doc.obj().at("consents").as_array();
  ASSERT_EQ(exported.size(), 2u) << doc;
  EXPECT_EQ(S(exported[0].at("source")), "import");
  EXPECT_EQ(exported[0].at("import_job_id").as_int64(), job_id);
  EXPECT_EQ(doc.obj().at("records").at("consents").as_array().size(), 2u);

  // The importer's bulk mode (the CLI's, for large files) records the same on this backend.
  app::ContactImporter importer(*store_, clock_);
  app::ImportOptions options;
  options.bulk = app::BulkMode::kOn;
  options.job_id = job_id + 1;
  options.overrides.columns["Newsletter"] = *core::imports::TargetFromString("consent:Newsletter");
  std::string text =
      "Email,Newsletter\n"
      "bob@x.example,TRUE\n"
      "dee@x.example,opted in\n"
      "eve@x.example,\n";
  bool served = false;
  auto summary = importer.Run(
      core::Principal{marketer_id_, "marketer@acme.example", core::Role::kMarketing, std::nullopt},
      [&]() -> core::Result<std::string_view> {
        if (served) return std::string_view();
        served = true;
        return std::string_view(text);
      },
      options);
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_TRUE(summary->bulk);
  EXPECT_EQ(summary->counts.created, 2);
  for (const auto& [email, row] :
       {std::pair<std::string, std::int64_t>{"bob@x.example", 2}, {"dee@x.example", 3}}) {
    auto list =
        As(rep1_, "GET", "/api/v1/contacts/" + std::to_string(contact_id(email)) + "/consents");
    ASSERT_EQ(list.items().size(), 1u) << email << list;
    EXPECT_EQ(S(list.items()[0].at("purpose")), "Newsletter");
    EXPECT_EQ(list.items()[0].at("import_job_id").as_int64(), job_id + 1);
    EXPECT_EQ(list.items()[0].at("import_row").as_int64(), row);
  }
  EXPECT_TRUE(As(rep1_, "GET",
                 "/api/v1/contacts/" + std::to_string(contact_id("eve@x.example")) + "/consents")
                  .items()
                  .empty());
}

}  // namespace
}  // namespace tandem::api::apitest
