#include "app/migrate_data.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <set>

namespace tandem::app {

using core::Error;
using core::Fail;
using core::Result;
using store::Row;
using store::TableInfo;
using store::Value;

namespace {

// SHA-256 of rows in their canonical encoding (migrate_data.hpp).
class RowDigest {
 public:
  RowDigest() { crypto_hash_sha256_init(&state_); }

  void Add(const Row& row) {
    ++rows_;
    for (const Value& v : row) {
      if (std::holds_alternative<std::monostate>(v)) {
        Put('N');
      } else if (const auto* i = std::get_if<std::int64_t>(&v)) {
        Put('I');
        PutU64(static_cast<std::uint64_t>(*i));
      } else if (const auto* d = std::get_if<double>(&v)) {
        Put('D');
        std::uint64_t bits;
        static_assert(sizeof bits == sizeof *d);
        std::memcpy(&bits, d, sizeof bits);
        PutU64(bits);
      } else {
        const auto& s = std::get<std::string>(v);
        Put('T');
        PutU64(s.size());
        Update(s.data(), s.size());
      }
    }
  }

  std::int64_t rows() const { return rows_; }

  std::string Hex() {
    unsigned char out[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&state_, out);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    for (unsigned char b : out) {
      hex += kHex[b >> 4];
      hex += kHex[b & 15];
    }
    return hex;
  }

 private:
  void Put(char c) { Update(&c, 1); }
  void PutU64(std::uint64_t v) {
    unsigned char b[8];
    for (int i = 7; i >= 0; --i, v >>= 8) b[i] = static_cast<unsigned char>(v & 0xff);
    Update(b, 8);
  }
  void Update(const void* p, std::size_t n) {
    crypto_hash_sha256_update(&state_, static_cast<const unsigned char*>(p), n);
  }

  crypto_hash_sha256_state state_;
  std::int64_t rows_ = 0;
};

// One table as both sides see it: the source's columns and key, the target's references.
struct Pair {
  std::string name;
  std::vector<std::string> columns;
  std::vector<std::string> key;                   // the source's primary key, or every column
  std::vector<store::TableReference> references;  // the target's
  bool derived = false;
};

Result<std::vector<Pair>> Match(store::TableSource& source, store::TableTarget& target) {
  TANDEM_ASSIGN(auto from, source.Tables());
  TANDEM_ASSIGN(auto to, target.Tables());
  std::map<std::string, const TableInfo*> by_name;
  for (const TableInfo& t : to) by_name[t.name] = &t;
  std::vector<Pair> out;
  for (const TableInfo& s : from) {
    auto it = by_name.find(s.name);
    if (it == by_name.end()) {
      return Fail(Error::Precondition("the target database has no table " + s.name +
                                      " (its schema lacks a migration the source has); "
                                      "nothing was moved"));
    }
    const TableInfo& t = *it->second;
    for (const std::string& c : s.columns) {
      if (std::find(t.columns.begin(), t.columns.end(), c) == t.columns.end()) {
        return Fail(Error::Precondition("the target database's table " + s.name +
                                        " has no column " + c + "; nothing was moved"));
      }
    }
    for (const std::string& c : t.columns) {
      if (std::find(s.columns.begin(), s.columns.end(), c) == s.columns.end()) {
        return Fail(Error::Precondition("the source database's table " + s.name +
                                        " has no column " + c + "; nothing was moved"));
      }
    }
    Pair p{s.name, s.columns, s.key.empty() ? s.columns : s.key, t.references, t.derived};
    out.push_back(std::move(p));
  }
  return out;
}

// The tables to write, each after those it references; `deferred` gets, per table, the nullable
// references to tables written later (a cycle), written NULL first.
Result<std::vector<const Pair*>> WriteOrder(
    const std::vector<Pair>& pairs, std::map<std::string, std::set<std::string>>& deferred) {
  std::vector<const Pair*> remaining;
  for (const Pair& p : pairs) {
    if (!p.derived) remaining.push_back(&p);
  }
  std::set<std::string> pending;
  for (const Pair* p : remaining) pending.insert(p->name);
  std::vector<const Pair*> order;
  auto unresolved = [&](const Pair& p) {
    std::vector<const store::TableReference*> out;
    for (const auto& r : p.references) {
      if (r.table != p.name && pending.count(r.table) > 0) out.push_back(&r);
    }
    return out;
  };
  while (!remaining.empty()) {
    auto pick = remaining.end();
    for (auto it = remaining.begin(); it != remaining.end() && pick == remaining.end(); ++it) {
      if (unresolved(**it).empty()) pick = it;
    }
    if (pick == remaining.end()) {
      // A cycle: only a table whose every pending reference leads back to it (through pending
      // references) may go first, its references written NULL, so a table that merely waits for
      // the cycle (contacts, for users) is never chosen.
      auto leads_back = [&](const std::string& from, const std::string& to) {
        std::set<std::string> seen;
        std::vector<std::string> stack = {from};
        while (!stack.empty()) {
          const std::string at = stack.back();
          stack.pop_back();
          if (at == to) return true;
          if (!seen.insert(at).second) continue;
          for (const Pair* p : remaining) {
            if (p->name != at) continue;
            for (const auto* r : unresolved(*p)) stack.push_back(r->table);
          }
        }
        return false;
      };
      for (auto it = remaining.begin(); it != remaining.end() && pick == remaining.end(); ++it) {
        auto refs = unresolved(**it);
        if (std::all_of(refs.begin(), refs.end(), [&](auto* r) {
              return r->nullable && leads_back(r->table, (*it)->name);
            })) {
          pick = it;
          for (auto* r : refs) deferred[(*it)->name].insert(r->column);
        }
      }
    }
    if (pick == remaining.end()) {
      return Fail(
          Error::Internal("the tables reference each other through columns that "
                          "cannot be empty: no order to write them in"));
    }
    order.push_back(*pick);
    pending.erase((*pick)->name);
    remaining.erase(pick);
  }
  return order;
}

struct Patch {
  std::string table;
  std::vector<std::string> key;
  Row key_values;
  std::string column;
  Value value;
};

int IndexOf(const std::vector<std::string>& v, const std::string& s) {
  return static_cast<int>(std::find(v.begin(), v.end(), s) - v.begin());
}

Result<std::string> Digest(store::TableReader& reader, const Pair& p, std::int64_t& rows) {
  RowDigest digest;
  TANDEM_TRY(reader.Scan(p.name, p.columns, p.key, [&](const Row& row) -> Result<void> {
    digest.Add(row);
    return {};
  }));
  rows = digest.rows();
  return digest.Hex();
}

Result<void> CheckTargets(store::TableTarget& target, const std::vector<Pair>& pairs,
                          MoveReport& report, const MoveProgress& progress) {
  report.same = true;
  for (const Pair& p : pairs) {
    auto it = std::find_if(report.checks.begin(), report.checks.end(),
                           [&](const TableCheck& c) { return c.table == p.name; });
    TANDEM_ASSIGN(it->target_sum, Digest(target, p, it->target_rows));
    if (progress) progress("check", p.name, it->target_rows);
    report.same = report.same && it->Same();
  }
  return {};
}

Result<MoveReport> Move(store::TableSource& source, store::TableTarget& target,
                        const std::vector<Pair>& pairs, const MoveProgress& progress) {
  TANDEM_ASSIGN(auto occupied, target.NonEmptyTable());
  if (occupied) {
    return Fail(Error::Precondition("the target database is not empty: table " + *occupied +
                                    " has rows; migrate-data moves a company into an empty "
                                    "database only"));
  }
  std::map<std::string, std::set<std::string>> deferred;
  TANDEM_ASSIGN(auto order, WriteOrder(pairs, deferred));
  MoveReport report;
  std::vector<Patch> patches;
  for (const Pair* p : order) {
    TANDEM_ASSIGN(auto sink, target.Write(p->name, p->columns));
    std::vector<int> nulled;
    for (const std::string& c : deferred[p->name]) nulled.push_back(IndexOf(p->columns, c));
    std::vector<int> key_at;
    for (const std::string& k : p->key) key_at.push_back(IndexOf(p->columns, k));
    RowDigest digest;
    Row copy;
    TANDEM_TRY(source.Scan(p->name, p->columns, p->key, [&](const Row& row) -> Result<void> {
      digest.Add(row);
      if (nulled.empty()) return sink->Add(row);
      copy = row;
      for (int i : nulled) {
        if (std::holds_alternative<std::monostate>(row[i])) continue;
        Patch patch{p->name, p->key, {}, p->columns[i], row[i]};
        for (int k : key_at) patch.key_values.push_back(row[k]);
        patches.push_back(std::move(patch));
        copy[i] = std::monostate{};
      }
      return sink->Add(copy);
    }));
    TANDEM_TRY(sink->Finish());
    report.rows += digest.rows();
    report.checks.push_back({p->name, digest.rows(), 0, digest.Hex(), ""});
    if (progress) progress("copy", p->name, digest.rows());
  }
  for (const Patch& patch : patches) {
    TANDEM_TRY(target.Update(patch.table, patch.key, patch.key_values, patch.column, patch.value));
  }
  std::map<std::string, std::int64_t> highest;
  for (const Pair& p : pairs) {
    TANDEM_ASSIGN(auto id, source.HighestId(p.name));
    if (id) highest[p.name] = *id;
  }
  TANDEM_TRY(target.Finish(highest));
  for (const Pair& p : pairs) {
    if (!p.derived) continue;
    TableCheck check{p.name, 0, 0, "", ""};
    TANDEM_ASSIGN(check.source_sum, Digest(source, p, check.source_rows));
    report.checks.push_back(std::move(check));
    if (progress) progress("derive", p.name, report.checks.back().source_rows);
  }
  std::sort(report.checks.begin(), report.checks.end(),
            [](const TableCheck& a, const TableCheck& b) { return a.table < b.table; });
  TANDEM_TRY(CheckTargets(target, pairs, report, progress));
  return report;
}

}  // namespace

Result<MoveReport> MoveData(store::TableSource& source, store::TableTarget& target,
                            const MoveProgress& progress) {
  TANDEM_ASSIGN(auto pairs, Match(source, target));
  TANDEM_TRY(target.Begin(false));
  auto report = Move(source, target, pairs, progress);
  if (!report || !report->same) {
    auto rolled_back = target.Rollback();
    if (!report) return report;
    TANDEM_TRY(rolled_back);
    return report;
  }
  TANDEM_TRY(target.Commit());
  report->committed = true;
  return report;
}

Result<MoveReport> CheckData(store::TableSource& source, store::TableTarget& target,
                             const MoveProgress& progress) {
  TANDEM_ASSIGN(auto pairs, Match(source, target));
  MoveReport report;
  for (const Pair& p : pairs) {
    TableCheck check{p.name, 0, 0, "", ""};
    TANDEM_ASSIGN(check.source_sum, Digest(source, p, check.source_rows));
    report.checks.push_back(std::move(check));
  }
  TANDEM_TRY(target.Begin(true));
  auto checked = CheckTargets(target, pairs, report, progress);
  auto ended = target.Rollback();
  TANDEM_TRY(checked);
  TANDEM_TRY(ended);
  return report;
}

}  // namespace tandem::app
