// /api/v1/imports: contact CSV uploads run as background jobs, their progress and report.
#include <boost/json/array.hpp>

#include "api/cursor.hpp"
#include "api/handlers.hpp"
#include "api/json_io.hpp"
#include "app/import_preview.hpp"

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

Field MappingParam() {
  return TextField("mapping",
                   "Columns mapped by hand, as a JSON object: the column's header -> what it "
                   "is (`{\"Firma\":\"company\",\"Notes\":\"ignore\",\"Score\":"
                   "\"custom:score\"}`), the codes of docs/import.md's mapping file. They win "
                   "over the preset, as a mapping file's [columns] do.");
}

// The `mapping` parameter as the importer's overrides (kInvalidArgument naming "mapping").
core::Result<core::imports::MappingOverrides> OverridesFrom(const Query& q) {
  core::imports::MappingOverrides o;
  const auto text = q.OptText("mapping");
  if (!text) return o;
  auto bad = [](std::string m) {
    return core::Fail(core::Error::Invalid("mapping", std::move(m)));
  };
  auto parsed = ParseJson(*text);
  if (!parsed || !parsed->is_object()) {
    return bad("must be a JSON object of column header -> target, e.g. {\"Firma\":\"company\"}");
  }
  for (const auto& [header, target] : parsed->as_object()) {
    if (!target.is_string()) {
      return bad("the target of column \"" + std::string(header) + "\" must be a string");
    }
    auto t = core::imports::TargetFromString(std::string_view(target.as_string()));
    if (!t) {
      return bad("column \"" + std::string(header) + "\": unknown target \"" +
                 std::string(target.as_string()) +
                 "\" (email, first_name, company, consent:PURPOSE, custom:NAME, ignore...)");
    }
    o.columns[std::string(header)] = std::move(*t);
  }
  return o;
}

std::string_view DelimiterName(char d) {
  switch (d) {
    case ';': return "semicolon";
    case '\t': return "tab";
    default: return "comma";
  }
}

json::object PreviewJson(const app::ImportPreview& p) {
  const auto& m = p.mapping;
  json::array columns;
  for (std::size_t i = 0; i < m.headers.size(); ++i) {
    json::array samples;
    for (const auto& row : p.rows) {
      samples.emplace_back(i < row.size() ? json::value(row[i]) : json::value(nullptr));
    }
    const auto& t = m.columns[i];
    columns.emplace_back(
        json::object{{"index", static_cast<std::int64_t>(i)},
                     {"header", m.headers[i]},
                     {"target", core::imports::TargetCode(t)},
                     {"from", p.overridden[i]                            ? "mapping"
                              : t.field == core::imports::Field::kIgnore ? "none"
                                                                         : "preset"},
                     {"samples", std::move(samples)}});
  }
  json::array unmapped, targets;
  for (const auto& h : m.unmapped) unmapped.emplace_back(h);
  for (const auto& c : core::imports::TargetCodes()) targets.emplace_back(c);
  return json::object{
      {"preset", core::imports::ToString(m.preset)},
      {"preset_detected", m.preset_detected},
      {"delimiter", DelimiterName(p.delimiter)},
      {"rows", static_cast<std::int64_t>(p.rows.size())},
      {"columns", std::move(columns)},
      {"unmapped", std::move(unmapped)},
      {"problem", p.problem.empty() ? json::value(nullptr) : json::value(p.problem)},
      {"targets", std::move(targets)}};
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

  t.AddSchema(
      {"ImportColumn",
       "How the import reads one column of the file.",
       {Out(IntField("index", 0, 0, "0-based position in the file.")),
        Out(TextField("header", "As in the file, trimmed.")),
        Out(TextField("target",
                      "What the column gives: a code of `targets`, `custom:NAME`, "
                      "`consent:PURPOSE`, or `ignore`.")),
        Out(EnumField("from", {"preset", "mapping", "none"},
                      "preset: the preset's name for it; mapping: the `mapping` parameter; none: "
                      "nothing reads it.")),
        Out(StringListField("samples",
                            "The column's cells in the first rows (null: the row is "
                            "shorter)."))}});
  t.AddSchema({"ImportPreview",
               "What an import of this file would do with its columns: the importer's own mapping.",
               {Out(EnumField("preset", {"generic", "hubspot", "salesforce", "pipedrive"}, "")),
                Out(BoolField("preset_detected", "Detected from the header rather than asked.")),
                Out(EnumField("delimiter", {"comma", "semicolon", "tab"}, "")),
                Out(IntField("rows", 0, 0, "Data rows sampled (at most 5).")),
                Out(ListField("columns", "ImportColumn", "")),
                Out(StringListField("unmapped", "Headers nothing reads.")),
                Out(TextField("problem",
                              "Why the import would fail as a whole with this mapping (no "
                              "column gives the email); null when it would run.")
                        .Nullable()),
                Out(StringListField("targets", "Every target a column may be mapped to."))}});
  t.Add({.method = "POST",
         .pattern = std::string(kBase) + "/preview",
         .operation_id = "previewImport",
         .summary = "How an import would map the columns of a contacts CSV (the body: the file "
                    "or, with partial=true, its first bytes), with the first rows as samples. "
                    "Nothing is stored",
         .tag = "imports",
         .query = {EnumField("preset", {"generic", "hubspot", "salesforce", "pipedrive"},
                             "Default: detected from the header."),
                   BoolField("partial",
                             "The body is only the start of the file: a row it "
                             "cuts off is left out."),
                   MappingParam()},
         .body = Schema{"ContactsCsvHead", "The file or its start, as text/csv.", {}},
         .raw_body = true,
         .body_type = "text/csv",
         .reply = {.schema = "ImportPreview"},
         .fn = [](const Call& c) -> core::Result<Response> {
           std::optional<core::imports::Preset> preset;
           if (auto p = c.query.OptText("preset")) preset = core::imports::PresetFromString(*p);
           TANDEM_ASSIGN(auto overrides, OverridesFrom(c.query));
           TANDEM_ASSIGN(auto preview, app::PreviewImport(c.principal(), c.request.body,
                                                          c.query.Bool("partial").value_or(false),
                                                          preset, overrides));
           return JsonReply(200, PreviewJson(preview));
         }});
  t.Add({.method = "POST",
         .pattern = kBase,
         .operation_id = "startImport",
         .summary = "Upload a contacts CSV (the body, text/csv, at most the server's upload "
                    "limit: 64 MiB by default) and import it in the background",
         .tag = "imports",
         .query = {EnumField("preset", {"generic", "hubspot", "salesforce", "pipedrive"},
                             "Default: detected from the header."),
                   BoolField("dry_run", "Check and count, write nothing."),
                   TextField("file_name", "Shown in the job and the audit log."), MappingParam()},
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
           TANDEM_ASSIGN(options.overrides, OverridesFrom(c.query));
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
