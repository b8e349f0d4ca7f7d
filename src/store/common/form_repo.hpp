// The web capture repository (store.hpp's FormRepo: forms with their fields, submissions,
// tracker sites; migration 0008), written once for both backends over the backend's `Db`
// (store/common/sql_repo.hpp); each backend compiles it once.
#pragma once

#include <string>
#include <vector>

#include "store/common/rows.hpp"
#include "store/common/sql_repo.hpp"
#include "store/store.hpp"

namespace tandem::store::common {

inline constexpr std::string_view kFormColumns =
    "id, public_id, name, consent_text, consent_required, utm_source, utm_medium, utm_campaign, "
    "allowed_origins, redirect_url, archived, created_at, updated_at";
inline constexpr std::string_view kSiteColumns =
    "id, public_key, name, allowed_origins, archived, created_at, updated_at";
inline constexpr std::string_view kSubmissionColumns =
    "id, form_id, contact_id, event_id, submitted_at, consent_given, consent_text, field_values";

// Allowed origins are stored one per line.
inline std::string JoinLines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) {
    if (!out.empty()) out.push_back('\n');
    out += l;
  }
  return out;
}

inline std::vector<std::string> SplitLines(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    out.emplace_back(text.substr(0, nl));
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return out;
}

template <class R>
core::Result<core::Form> ReadForm(const R& s) {
  core::Form f;
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
  f.created_at = core::FromMillis(s.Int(11));
  f.updated_at = core::FromMillis(s.Int(12));
  return f;
}

// Binds every column but id, in kFormColumns order (12 parameters).
template <class B>
void BindForm(B& stmt, const core::Form& f) {
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
      .Bind(core::ToMillis(f.created_at))
      .Bind(core::ToMillis(f.updated_at));
}

template <class R>
core::Result<core::TrackerSite> ReadSite(const R& s) {
  core::TrackerSite t;
  t.id = s.Int(0);
  t.public_key = s.Text(1);
  t.name = s.Text(2);
  t.allowed_origins = SplitLines(s.TextView(3));
  t.archived = s.Int(4) != 0;
  t.created_at = core::FromMillis(s.Int(5));
  t.updated_at = core::FromMillis(s.Int(6));
  return t;
}

// Binds every column but id, in kSiteColumns order (6 parameters).
template <class B>
void BindSite(B& stmt, const core::TrackerSite& s) {
  stmt.Bind(s.public_key)
      .Bind(s.name)
      .Bind(JoinLines(s.allowed_origins))
      .Bind(s.archived ? 1 : 0)
      .Bind(core::ToMillis(s.created_at))
      .Bind(core::ToMillis(s.updated_at));
}

template <class R>
core::Result<core::FormSubmission> ReadSubmission(const R& r) {
  core::FormSubmission s;
  s.id = r.Int(0);
  s.form_id = r.Int(1);
  s.contact_id = r.Int(2);
  s.event_id = r.Text(3);
  s.submitted_at = core::FromMillis(r.Int(4));
  s.consent_given = r.Int(5) != 0;
  s.consent_text = r.Text(6);
  s.values = core::DecodeCustomFields(r.TextView(7));
  return s;
}

template <class Db>
class FormRepoOn final : public FormRepo {
 public:
  using Stmt = typename Db::Stmt;
  using Id = core::Id;
  template <class T>
  using Result = core::Result<T>;

  explicit FormRepoOn(Db db) : db_(db) {}

  Result<Id> Insert(const core::Form& f) override {
    static const std::string sql = Db::InsertSql(
        "INSERT INTO forms (public_id, name, consent_text, consent_required, "
        "utm_source, utm_medium, utm_campaign, allowed_origins, redirect_url, "
        "archived, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
    BindForm(stmt, f);
    core::Form stored = f;
    TANDEM_ASSIGN(stored.id, db_.RunInsert(stmt));
    TANDEM_TRY(WriteFields(stored));
    return stored.id;
  }

  Result<void> Update(const core::Form& f) override {
    static const std::string sql = Db::Sql(
        "UPDATE forms SET public_id = ?, name = ?, consent_text = ?, "
        "consent_required = ?, utm_source = ?, utm_medium = ?, utm_campaign = ?, "
        "allowed_origins = ?, redirect_url = ?, archived = ?, created_at = ?, "
        "updated_at = ? WHERE id = ?");
    TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
    BindForm(stmt, f);
    stmt.Bind(f.id);
    TANDEM_TRY(db_.RunUpdate(stmt, "form", f.id));
    return WriteFields(f);
  }

  Result<std::optional<core::Form>> Get(Id id) override {
    static const std::string sql =
        Db::Sql("SELECT " + std::string(kFormColumns) + " FROM forms WHERE id = ?");
    TANDEM_ASSIGN(auto v, Forms(sql, [id](Stmt& s) { s.Bind(id); }));
    return First(std::move(v));
  }

  Result<std::optional<core::Form>> FindByPublicId(std::string_view public_id) override {
    static const std::string sql =
        Db::Sql("SELECT " + std::string(kFormColumns) + " FROM forms WHERE public_id = ?");
    TANDEM_ASSIGN(auto v, Forms(sql, [public_id](Stmt& s) { s.Bind(public_id); }));
    return First(std::move(v));
  }

  Result<std::vector<core::Form>> List(bool include_archived) override {
    static const std::string all =
        Db::Sql("SELECT " + std::string(kFormColumns) + " FROM forms ORDER BY id");
    static const std::string active = Db::Sql("SELECT " + std::string(kFormColumns) +
                                              " FROM forms WHERE archived = 0 ORDER BY id");
    return Forms(include_archived ? all : active, [](Stmt&) {});
  }

  Result<Id> InsertSubmission(const core::FormSubmission& s) override {
    TANDEM_TRY(db_.CheckReference("form_id", std::optional<Id>(s.form_id), "forms", "form"));
    TANDEM_TRY(
        db_.CheckReference("contact_id", std::optional<Id>(s.contact_id), "contacts", "contact"));
    static const std::string sql = Db::InsertSql(
        "INSERT INTO form_submissions (form_id, contact_id, event_id, submitted_at, "
        "consent_given, consent_text, field_values) VALUES (?, ?, ?, ?, ?, ?, ?)");
    TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
    stmt.Bind(s.form_id)
        .Bind(s.contact_id)
        .Bind(s.event_id)
        .Bind(core::ToMillis(s.submitted_at))
        .Bind(s.consent_given ? 1 : 0)
        .Bind(s.consent_text)
        .Bind(core::EncodeCustomFields(s.values));
    return db_.RunInsert(stmt);
  }

  Result<std::vector<core::FormSubmission>> ListSubmissions(Id form_id, int limit) override {
    static const std::string sql =
        Db::Sql("SELECT " + std::string(kSubmissionColumns) +
                " FROM form_submissions WHERE form_id = ? ORDER BY id DESC LIMIT ?");
    TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
    stmt.Bind(form_id).Bind(limit);
    return ReadAll(stmt, ReadSubmission<Stmt>);
  }

  Result<Id> InsertSite(const core::TrackerSite& s) override {
    static const std::string sql = Db::InsertSql(
        "INSERT INTO tracker_sites (public_key, name, allowed_origins, archived, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)");
    TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
    BindSite(stmt, s);
    return db_.RunInsert(stmt);
  }

  Result<void> UpdateSite(const core::TrackerSite& s) override {
    static const std::string sql = Db::Sql(
        "UPDATE tracker_sites SET public_key = ?, name = ?, allowed_origins = ?, "
        "archived = ?, created_at = ?, updated_at = ? WHERE id = ?");
    TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
    BindSite(stmt, s);
    stmt.Bind(s.id);
    return db_.RunUpdate(stmt, "tracker site", s.id);
  }

  Result<std::optional<core::TrackerSite>> GetSite(Id id) override {
    static const std::string sql =
        Db::Sql("SELECT " + std::string(kSiteColumns) + " FROM tracker_sites WHERE id = ?");
    TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
    stmt.Bind(id);
    return rows::ReadOptional(stmt, ReadSite<Stmt>);
  }

  Result<std::optional<core::TrackerSite>> FindSiteByKey(std::string_view public_key) override {
    static const std::string sql =
        Db::Sql("SELECT " + std::string(kSiteColumns) + " FROM tracker_sites WHERE public_key = ?");
    TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
    stmt.Bind(public_key);
    return rows::ReadOptional(stmt, ReadSite<Stmt>);
  }

  Result<std::vector<core::TrackerSite>> ListSites(bool include_archived) override {
    static const std::string all =
        Db::Sql("SELECT " + std::string(kSiteColumns) + " FROM tracker_sites ORDER BY id");
    static const std::string active = Db::Sql("SELECT " + std::string(kSiteColumns) +
                                              " FROM tracker_sites WHERE archived = 0 ORDER BY id");
    TANDEM_ASSIGN(auto stmt, db_.Prepare(include_archived ? all : active));
    return ReadAll(stmt, ReadSite<Stmt>);
  }

 private:
  template <class T>
  static std::optional<T> First(std::vector<T> v) {
    if (v.empty()) return std::nullopt;
    return std::move(v.front());
  }

  // Replaces the form's fields, in order.
  Result<void> WriteFields(const core::Form& f) {
    static const std::string del_sql = Db::Sql("DELETE FROM form_fields WHERE form_id = ?");
    static const std::string ins_sql = Db::Sql(
        "INSERT INTO form_fields (form_id, position, name, property, required) "
        "VALUES (?, ?, ?, ?, ?)");
    {
      TANDEM_ASSIGN(auto del, db_.Prepare(del_sql));
      del.Bind(f.id);
      TANDEM_TRY(del.Run());
    }
    for (std::size_t i = 0; i < f.fields.size(); ++i) {
      TANDEM_ASSIGN(auto ins, db_.Prepare(ins_sql));
      ins.Bind(f.id)
          .Bind(static_cast<std::int64_t>(i))
          .Bind(f.fields[i].name)
          .Bind(f.fields[i].property)
          .Bind(f.fields[i].required ? 1 : 0);
      TANDEM_TRY(ins.Run());
    }
    return {};
  }

  // The forms `sql` selects (parameters bound by `bind`), each with its fields.
  template <class BindFn>
  Result<std::vector<core::Form>> Forms(const std::string& sql, BindFn bind) {
    static const std::string fields_sql = Db::Sql(
        "SELECT name, property, required FROM form_fields WHERE form_id = ? ORDER BY position");
    std::vector<core::Form> out;
    {
      TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
      bind(stmt);
      TANDEM_ASSIGN(out, ReadAll(stmt, ReadForm<Stmt>));
    }
    for (core::Form& f : out) {
      TANDEM_ASSIGN(auto fields, db_.Prepare(fields_sql));
      fields.Bind(f.id);
      while (true) {
        TANDEM_ASSIGN(bool row, fields.Step());
        if (!row) break;
        f.fields.push_back({fields.Text(0), fields.Text(1), fields.Int(2) != 0});
      }
    }
    return out;
  }

  Db db_;
};

}  // namespace tandem::store::common
