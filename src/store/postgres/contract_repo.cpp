// Contract versions and acknowledgements.
#include "store/common/rows.hpp"
#include "store/postgres/repos.hpp"

namespace tandem::store::postgres {

using core::ContractAcknowledgement;
using core::ContractVersion;
using core::FromMillis;
using core::ToMillis;

namespace {

constexpr std::string_view kVersionColumns = rows::kContractVersionColumns;

}  // namespace

Result<Id> PostgresContractRepo::InsertVersion(const ContractVersion& v) {
  TANDEM_TRY(CheckReference(ctx_.conn, "activated_by", v.activated_by, "users", "user"));
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("INSERT INTO contract_versions (name, text, hash, effective_at, "
                                  "activated_at, activated_by, activated_by_label) "
                                  "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id"));
  stmt.Bind(v.name)
      .Bind(v.text)
      .Bind(v.hash)
      .Bind(ToMillis(v.effective_at))
      .Bind(ToMillis(v.activated_at))
      .Bind(v.activated_by)
      .Bind(v.activated_by_label);
  TANDEM_TRY(stmt.Step());
  return stmt.Int(0);
}

Result<std::optional<ContractVersion>> PostgresContractRepo::GetVersion(Id id) {
  static const std::string sql =
      "SELECT " + std::string(kVersionColumns) + " FROM contract_versions WHERE id = $1";
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
  stmt.Bind(id);
  return rows::ReadOptional(stmt, rows::ReadContractVersion<Stmt>);
}

Result<std::optional<ContractVersion>> PostgresContractRepo::ActiveAt(core::Instant at) {
  static const std::string sql = "SELECT " + std::string(kVersionColumns) +
                                 " FROM contract_versions WHERE effective_at <= $1 "
                                 "ORDER BY effective_at DESC, id DESC LIMIT 1";
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
  stmt.Bind(ToMillis(at));
  return rows::ReadOptional(stmt, rows::ReadContractVersion<Stmt>);
}

Result<std::vector<ContractVersion>> PostgresContractRepo::ListVersions() {
  static const std::string sql =
      "SELECT " + std::string(kVersionColumns) + " FROM contract_versions ORDER BY id DESC";
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
  std::vector<ContractVersion> out;
  while (true) {
    TANDEM_ASSIGN(bool row, stmt.Step());
    if (!row) break;
    TANDEM_ASSIGN(auto version, rows::ReadContractVersion(stmt));
    out.push_back(std::move(version));
  }
  return out;
}

Result<void> PostgresContractRepo::InsertAcknowledgement(const ContractAcknowledgement& a) {
  TANDEM_TRY(CheckReference(ctx_.conn, "version_id", std::optional<Id>(a.version_id),
                            "contract_versions", "contract version"));
  TANDEM_TRY(CheckReference(ctx_.conn, "user_id", std::optional<Id>(a.user_id), "users", "user"));
  {
    TANDEM_ASSIGN(auto seen, ctx_.conn.Prepare("SELECT 1 FROM contract_acknowledgements "
                                               "WHERE version_id = $1 AND user_id = $2"));
    seen.Bind(a.version_id).Bind(a.user_id);
    TANDEM_ASSIGN(bool found, seen.Step());
    if (found) {
      return core::Fail(core::Error::Conflict("user_id", "user " + std::to_string(a.user_id) +
                                                             " already acknowledged version " +
                                                             std::to_string(a.version_id)));
    }
  }
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("INSERT INTO contract_acknowledgements (version_id, user_id, "
                                  "email, team, acknowledged_at) VALUES ($1, $2, $3, $4, $5)"));
  stmt.Bind(a.version_id)
      .Bind(a.user_id)
      .Bind(a.email)
      .Bind(a.team)
      .Bind(ToMillis(a.acknowledged_at));
  return stmt.Run();
}

Result<std::vector<ContractAcknowledgement>> PostgresContractRepo::ListAcknowledgements(
    Id version_id) {
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("SELECT version_id, user_id, email, team, acknowledged_at "
                                  "FROM contract_acknowledgements WHERE version_id = $1 "
                                  "ORDER BY acknowledged_at, user_id"));
  stmt.Bind(version_id);
  std::vector<ContractAcknowledgement> out;
  while (true) {
    TANDEM_ASSIGN(bool row, stmt.Step());
    if (!row) break;
    out.push_back({stmt.Int(0), stmt.Int(1), stmt.Text(2), stmt.Text(3), FromMillis(stmt.Int(4))});
  }
  return out;
}

}  // namespace tandem::store::postgres
