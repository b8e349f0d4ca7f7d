// Web capture: forms with their fields, form submissions, tracker site keys.
#include "store/sqlite/repos.hpp"

namespace tandem::store::sqlite {

using core::Form;
using core::FormSubmission;
using core::FromMillis;
using core::ToMillis;
using core::TrackerSite;

namespace {

constexpr std::string_view kFormColumns =
    "id, public_id, name, consent_text, consent_required, utm_source, utm_medium, utm_campaign, "
    "allowed_origins, redirect_url, archived, created_at, updated_at";
constexpr std::string_view kSiteColumns =
    "id, public_key, name, allowed_origins, archived, created_at, updated_at";

std::string JoinLines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) {
    if (!out.empty()) out.push_back('\n');
    out += l;
  }
  return out;
}

std::vector<std::string> SplitLines(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    out.emplace_back(text.substr(0, nl));
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return out;
}

Form ReadForm(const Stmt& s) {
  Form f;
  f.id = s.Int(0);
  f.public_id = s.Text(1);
  f.name = s.Text(2);
  f.consent_text = s.Text(3);
  f.consent_required = s.Int(4) != 0;
  f.utm_source = s.Text(5);
  f.utm_medium = s.Text(6);
  f.utm_campaign = s.Text(7);
  f.allowed_origins = SplitLines(s.TextView(8));
  f.redirect_url = s.Text(9);
  f.archived = s.Int(10) != 0;
  f.created_at = FromMillis(s.Int(11));
  f.updated_at = FromMillis(s.Int(12));
  return f;
}

TrackerSite ReadSite(const Stmt& s) {
  TrackerSite t;
  t.id = s.Int(0);
  t.public_key = s.Text(1);
  t.name = s.Text(2);
  t.allowed_origins = SplitLines(s.TextView(3));
  t.archived = s.Int(4) != 0;
  t.created_at = FromMillis(s.Int(5));
  t.updated_at = FromMillis(s.Int(6));
  return t;
}

void BindForm(Stmt& stmt, const Form& f) {
  stmt.Bind(f.public_id)
      .Bind(f.name)
      .Bind(f.consent_text)
      .Bind(f.consent_required ? 1 : 0)
      .Bind(f.utm_source)
      .Bind(f.utm_medium)
      .Bind(f.utm_campaign)
      .Bind(JoinLines(f.allowed_origins))
      .Bind(f.redirect_url)
      .Bind(f.archived ? 1 : 0)
      .Bind(ToMillis(f.created_at))
      .Bind(ToMillis(f.updated_at));
}

template <class T>
std::optional<T> First(std::vector<T> v) {
  if (v.empty()) return std::nullopt;
  return std::move(v.front());
}

}  // namespace

Result<void> SqliteFormRepo::WriteFields(const Form& f) {
  {
    TANDEM_ASSIGN(auto del, ctx_.conn.Prepare("DELETE FROM form_fields WHERE form_id = ?"));
    del.Bind(f.id);
    TANDEM_TRY(del.Run());
  }
  for (std::size_t i = 0; i < f.fields.size(); ++i) {
    TANDEM_ASSIGN(auto ins, ctx_.conn.Prepare("INSERT INTO form_fields (form_id, position, name, "
                                              "property, required) VALUES (?, ?, ?, ?, ?)"));
    ins.Bind(f.id)
        .Bind(static_cast<std::int64_t>(i))
        .Bind(f.fields[i].name)
        .Bind(f.fields[i].property)
        .Bind(f.fields[i].required ? 1 : 0);
    TANDEM_TRY(ins.Run());
  }
  return {};
}

Result<Id> SqliteFormRepo::Insert(const Form& f) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(
                               "INSERT INTO forms (public_id, name, consent_text, "
                               "consent_required, utm_source, utm_medium, utm_campaign, "
                               "allowed_origins, redirect_url, archived, created_at, updated_at) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  BindForm(stmt, f);
  TANDEM_TRY(stmt.Run());
  Form stored = f;
  stored.id = ctx_.conn.LastInsertId();
  TANDEM_TRY(WriteFields(stored));
  return stored.id;
}

Result<void> SqliteFormRepo::Update(const Form& f) {
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("UPDATE forms SET public_id = ?, name = ?, consent_text = ?, "
                                  "consent_required = ?, utm_source = ?, utm_medium = ?, "
                                  "utm_campaign = ?, allowed_origins = ?, redirect_url = ?, "
                                  "archived = ?, created_at = ?, updated_at = ? WHERE id = ?"));
  BindForm(stmt, f);
  stmt.Bind(f.id);
  TANDEM_TRY(stmt.Run());
  TANDEM_TRY(CheckChanged(ctx_.conn, "form", f.id));
  return WriteFields(f);
}

Result<std::vector<Form>> SqliteFormRepo::Query(const std::string& sql, const std::string* text,
                                                Id id) {
  std::vector<Form> out;
  {
    TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
    if (text) {
      stmt.Bind(*text);
    } else if (id > 0) {
      stmt.Bind(id);
    }
    while (true) {
      TANDEM_ASSIGN(bool row, stmt.Step());
      if (!row) break;
      out.push_back(ReadForm(stmt));
    }
  }
  for (Form& f : out) {
    TANDEM_ASSIGN(auto fields,
                  ctx_.conn.Prepare("SELECT name, property, required FROM "
                                    "form_fields WHERE form_id = ? ORDER BY position"));
    fields.Bind(f.id);
    while (true) {
      TANDEM_ASSIGN(bool row, fields.Step());
      if (!row) break;
      f.fields.push_back({fields.Text(0), fields.Text(1), fields.Int(2) != 0});
    }
  }
  return out;
}

Result<std::optional<Form>> SqliteFormRepo::Get(Id id) {
  static const std::string sql = "SELECT " + std::string(kFormColumns) + " FROM forms WHERE id = ?";
  TANDEM_ASSIGN(auto v, Query(sql, nullptr, id));
  return First(std::move(v));
}

Result<std::optional<Form>> SqliteFormRepo::FindByPublicId(std::string_view public_id) {
  static const std::string sql =
      "SELECT " + std::string(kFormColumns) + " FROM forms WHERE public_id = ?";
  const std::string key(public_id);
  TANDEM_ASSIGN(auto v, Query(sql, &key, 0));
  return First(std::move(v));
}

Result<std::vector<Form>> SqliteFormRepo::List(bool include_archived) {
  static const std::string all = "SELECT " + std::string(kFormColumns) + " FROM forms ORDER BY id";
  static const std::string active =
      "SELECT " + std::string(kFormColumns) + " FROM forms WHERE archived = 0 ORDER BY id";
  return Query(include_archived ? all : active, nullptr, 0);
}

Result<Id> SqliteFormRepo::InsertSubmission(const FormSubmission& s) {
  TANDEM_TRY(CheckReference(ctx_.conn, "form_id", std::optional<Id>(s.form_id), "forms", "form"));
  TANDEM_TRY(CheckReference(ctx_.conn, "contact_id", std::optional<Id>(s.contact_id), "contacts",
                            "contact"));
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("INSERT INTO form_submissions (form_id, contact_id, event_id, "
                                  "submitted_at, consent_given, consent_text, field_values) "
                                  "VALUES (?, ?, ?, ?, ?, ?, ?)"));
  stmt.Bind(s.form_id)
      .Bind(s.contact_id)
      .Bind(s.event_id)
      .Bind(ToMillis(s.submitted_at))
      .Bind(s.consent_given ? 1 : 0)
      .Bind(s.consent_text)
      .Bind(core::EncodeCustomFields(s.values));
  TANDEM_TRY(stmt.Run());
  return ctx_.conn.LastInsertId();
}

Result<std::vector<FormSubmission>> SqliteFormRepo::ListSubmissions(Id form_id, int limit) {
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("SELECT id, form_id, contact_id, event_id, submitted_at, "
                                  "consent_given, consent_text, field_values FROM "
                                  "form_submissions WHERE form_id = ? ORDER BY id DESC LIMIT ?"));
  stmt.Bind(form_id).Bind(limit);
  std::vector<FormSubmission> out;
  while (true) {
    TANDEM_ASSIGN(bool row, stmt.Step());
    if (!row) break;
    FormSubmission s;
    s.id = stmt.Int(0);
    s.form_id = stmt.Int(1);
    s.contact_id = stmt.Int(2);
    s.event_id = stmt.Text(3);
    s.submitted_at = FromMillis(stmt.Int(4));
    s.consent_given = stmt.Int(5) != 0;
    s.consent_text = stmt.Text(6);
    s.values = core::DecodeCustomFields(stmt.TextView(7));
    out.push_back(std::move(s));
  }
  return out;
}

Result<Id> SqliteFormRepo::InsertSite(const TrackerSite& s) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("INSERT INTO tracker_sites (public_key, name, "
                                             "allowed_origins, archived, created_at, updated_at) "
                                             "VALUES (?, ?, ?, ?, ?, ?)"));
  stmt.Bind(s.public_key)
      .Bind(s.name)
      .Bind(JoinLines(s.allowed_origins))
      .Bind(s.archived ? 1 : 0)
      .Bind(ToMillis(s.created_at))
      .Bind(ToMillis(s.updated_at));
  TANDEM_TRY(stmt.Run());
  return ctx_.conn.LastInsertId();
}

Result<void> SqliteFormRepo::UpdateSite(const TrackerSite& s) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("UPDATE tracker_sites SET public_key = ?, name = ?, "
                                             "allowed_origins = ?, archived = ?, created_at = ?, "
                                             "updated_at = ? WHERE id = ?"));
  stmt.Bind(s.public_key)
      .Bind(s.name)
      .Bind(JoinLines(s.allowed_origins))
      .Bind(s.archived ? 1 : 0)
      .Bind(ToMillis(s.created_at))
      .Bind(ToMillis(s.updated_at))
      .Bind(s.id);
  TANDEM_TRY(stmt.Run());
  return CheckChanged(ctx_.conn, "tracker site", s.id);
}

Result<std::vector<TrackerSite>> SqliteFormRepo::QuerySites(const std::string& sql,
                                                            const std::string* text, Id id) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
  if (text) {
    stmt.Bind(*text);
  } else if (id > 0) {
    stmt.Bind(id);
  }
  std::vector<TrackerSite> out;
  while (true) {
    TANDEM_ASSIGN(bool row, stmt.Step());
    if (!row) break;
    out.push_back(ReadSite(stmt));
  }
  return out;
}

Result<std::optional<TrackerSite>> SqliteFormRepo::GetSite(Id id) {
  static const std::string sql =
      "SELECT " + std::string(kSiteColumns) + " FROM tracker_sites WHERE id = ?";
  TANDEM_ASSIGN(auto v, QuerySites(sql, nullptr, id));
  return First(std::move(v));
}

Result<std::optional<TrackerSite>> SqliteFormRepo::FindSiteByKey(std::string_view public_key) {
  static const std::string sql =
      "SELECT " + std::string(kSiteColumns) + " FROM tracker_sites WHERE public_key = ?";
  const std::string key(public_key);
  TANDEM_ASSIGN(auto v, QuerySites(sql, &key, 0));
  return First(std::move(v));
}

Result<std::vector<TrackerSite>> SqliteFormRepo::ListSites(bool include_archived) {
  static const std::string all =
      "SELECT " + std::string(kSiteColumns) + " FROM tracker_sites ORDER BY id";
  static const std::string active =
      "SELECT " + std::string(kSiteColumns) + " FROM tracker_sites WHERE archived = 0 ORDER BY id";
  return QuerySites(include_archived ? all : active, nullptr, 0);
}

}  // namespace tandem::store::sqlite
