// /api/v1/imports: contact CSV uploads run as background jobs, their progress and report.
#include <boost/json/array.hpp>

#include "api/cursor.hpp"
#include "api/handlers.hpp"

namespace tandem::api {

namespace json = boost::json;

namespace {

constexpr const char* kBase = "/api/v1/imports";

Field Out(Field f) {
  return std::move(f).Required();
}

json::value OptInstant(const std::optional<core::Instant>& t) {
  if (!t) return nullptr;
  return json::value(core::FormatInstant(*t));
}

json::object JobJson(const core::imports::ImportJob& j) {
  json::object o;
  o["id"] = j.id;
  o["status"] = core::imports::ToString(j.status);
  o["file_name"] = j.file_name;
  o["preset"] = j.preset;
  o["dry_run"] = j.dry_run;
  o["created_by"] = j.created_by ? json::value(*j.created_by) : json::value(nullptr);
  o["bytes_total"] = j.bytes_total;
  o["bytes_done"] = j.bytes_done;
  const auto& c = j.counts;
  o["counts"] =
      json::object{{"rows", c.rows},           {"created", c.created}, {"updated", c.updated},
                   {"unchanged", c.unchanged}, {"skipped", c.skipped}, {"errors", c.errors},
                   {"warnings", c.warnings}};
  o["message"] = j.message;
  o["created_at"] = core::FormatInstant(j.created_at);
  o["started_at"] = OptInstant(j.started_at);
  o["finished_at"] = OptInstant(j.finished_at);
  return o;
}

json::object IssueJson(const core::imports::ImportIssue& i) {
  return json::object{{"row", i.row},
                      {"line", i.line},
                      {"column", i.column},
                      {"severity", i.warning ? "warning" : "error"},
                      {"reason", i.reason}};
}

std::string Location(core::Id id) {
  return std::string(kBase) + "/" + std::to_string(id);
}

}  // namespace

void AddImportRoutes(RouteTable& t, const Deps& d) {
  app::ImportJobService& svc = d.services.imports;
  const std::string one = std::string(kBase) + "/{id}";

  t.AddSchema({"ImportCounts",
               "rows read; contacts created and updated; rows that changed nothing; rows "
               "skipped for an error; issues of each severity.",
               {Out(IntField("rows", 0, 0, "")), Out(IntField("created", 0, 0, "")),
                Out(IntField("updated", 0, 0, "")), Out(IntField("unchanged", 0, 0, "")),
                Out(IntField("skipped", 0, 0, "")), Out(IntField("errors", 0, 0, "")),
                Out(IntField("warnings", 0, 0, ""))}});
  t.AddSchema(
      {"ImportJob",
       "A contact import running in the background.",
       {Out(IdField("id", "")),
        Out(EnumField("status", {"queued", "running", "succeeded", "failed"},
                      "succeeded even with row errors (see the report); failed when the file "
                      "as a whole could not be imported (see message).")),
        Out(TextField("file_name", "")),
        Out(TextField("preset", "As asked; empty when detected (the message names it).")),
        Out(BoolField("dry_run", "")), Out(IdField("created_by", "").Nullable()),
        Out(IntField("bytes_total", 0, 0, "The upload's size.")),
        Out(IntField("bytes_done", 0, 0, "Read so far: progress is bytes_done / bytes_total.")),
        Out(ObjectField("counts", "ImportCounts", "")), Out(TextField("message", "")),
        Out(InstantField("created_at", "")), Out(InstantField("started_at", "").Nullable()),
        Out(InstantField("finished_at", "").Nullable())}});
  t.AddSchema({"ImportIssue",
               "One problem of one row.",
               {Out(IntField("row", 0, 0, "Spreadsheet row: 1 is the header.")),
                Out(IntField("line", 0, 0, "Line of the file where the row starts.")),
                Out(TextField("column", "The column's header; empty for the whole row.")),
                Out(EnumField("severity", {"error", "warning"},
                              "An error skips the row; a warning does not.")),
                Out(TextField("reason", ""))}});

  t.Add({.method = "POST",
         .pattern = kBase,
         .operation_id = "startImport",
         .summary = "Upload a contacts CSV (the body, text/csv, at most the server's upload "
                    "limit: 64 MiB by default) and import it in the background",
         .tag = "imports",
         .query = {EnumField("preset", {"generic", "hubspot", "salesforce", "pipedrive"},
                             "Default: detected from the header."),
                   BoolField("dry_run", "Check and count, write nothing."),
                   TextField("file_name", "Shown in the job and the audit log.")},
         .body = Schema{"ContactsCsv",
                        "The contacts file itself (RFC 4180 CSV, docs/import.md), sent as "
                        "text/csv.",
                        {}},
         .raw_body = true,
         .body_type = "text/csv",
         .reply = {.status = 202,
                   .schema = "ImportJob",
                   .doc = "Queued; follow the Location header."},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           app::ImportOptions options;
           if (auto p = c.query.OptText("preset")) {
             options.preset = core::imports::PresetFromString(*p);
           }
           options.dry_run = c.query.Bool("dry_run").value_or(false);
           TANDEM_ASSIGN(auto job, svc.Start(c.principal(), c.request.body,
                                             c.query.Text("file_name"), std::move(options)));
           Response r = JsonReply(202, JobJson(job));
           r.headers.emplace_back("Location", Location(job.id));
           return r;
         }});
  t.Add({.method = "GET",
         .pattern = one,
         .operation_id = "getImport",
         .summary = "An import job: status, progress and counts",
         .tag = "imports",
         .reply = {.schema = "ImportJob"},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto job, svc.Get(c.principal(), c.id()));
           return JsonReply(200, JobJson(job));
         }});
  t.Add({.method = "GET",
         .pattern = one + "/errors",
         .operation_id = "listImportErrors",
         .summary = "The import's report: errors and warnings in file order (the first 10,000)",
         .tag = "imports",
         .query = PageParams(),
         .reply = {.schema = "ImportIssue", .list = true},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           const std::string list = "import_issues:" + std::to_string(c.id());
           TANDEM_ASSIGN(core::PageRequest page, PageFrom(c.query, list));
           const std::int64_t offset = page.after ? page.after->id : 0;
           TANDEM_ASSIGN(auto issues, svc.Issues(c.principal(), c.id(), offset, page.limit + 1));
           const bool more = static_cast<int>(issues.size()) > page.limit;
           if (more) issues.pop_back();
           json::array items;
           for (const auto& i : issues) items.emplace_back(IssueJson(i));
           json::object body;
           body["items"] = std::move(items);
           body["next_cursor"] = nullptr;
           if (more) {
             core::Cursor next;
             next.id = offset + page.limit;
             body["next_cursor"] = EncodeCursor(list, next);
           }
           return JsonReply(200, body);
         }});
}

}  // namespace tandem::api
