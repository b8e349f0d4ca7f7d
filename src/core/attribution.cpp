#include "core/attribution.hpp"

#include <algorithm>
#include <map>
#include <numeric>

namespace tandem::core {

std::string_view ToString(AttributionModel m) {
  switch (m) {
    case AttributionModel::kFirst: return "first";
    case AttributionModel::kLast: return "last";
    case AttributionModel::kLinear: return "linear";
    case AttributionModel::kU: return "u";
    case AttributionModel::kW: return "w";
  }
  return "";
}

Result<AttributionModel> AttributionModelFromString(std::string_view text) {
  for (AttributionModel m :
       {AttributionModel::kFirst, AttributionModel::kLast, AttributionModel::kLinear,
        AttributionModel::kU, AttributionModel::kW}) {
    if (ToString(m) == text) return m;
  }
  return Fail(Error::Invalid(
      "model", "unknown model '" + std::string(text) + "'; allowed: first, last, linear, u, w"));
}

std::string_view ToString(AttributionBreakdown b) {
  return b == AttributionBreakdown::kCampaign ? "campaign" : "source";
}

Result<AttributionBreakdown> AttributionBreakdownFromString(std::string_view text) {
  if (text == "campaign") return AttributionBreakdown::kCampaign;
  if (text == "source") return AttributionBreakdown::kSource;
  return Fail(Error::Invalid(
      "by", "unknown breakdown '" + std::string(text) + "'; allowed: campaign, source"));
}

namespace {

TouchWeights UShaped(std::size_t n) {
  TouchWeights w;
  if (n <= 2) {
    w.num.assign(n, 1);
    w.den = static_cast<std::int64_t>(n);
    return w;
  }
  // 40 / 20 spread over the n - 2 middle touches / 40, over a denominator of 100 (n - 2).
  const auto middle = static_cast<std::int64_t>(n - 2);
  w.num.assign(n, 20);
  w.num.front() = w.num.back() = 40 * middle;
  w.den = 100 * middle;
  return w;
}

}  // namespace

TouchWeights ModelWeights(AttributionModel model, std::size_t n,
                          std::optional<std::size_t> mql_touch) {
  TouchWeights w;
  if (n == 0) return w;
  switch (model) {
    case AttributionModel::kFirst:
      w.num.assign(n, 0);
      w.num.front() = 1;
      return w;
    case AttributionModel::kLast:
      w.num.assign(n, 0);
      w.num.back() = 1;
      return w;
    case AttributionModel::kLinear:
      w.num.assign(n, 1);
      w.den = static_cast<std::int64_t>(n);
      return w;
    case AttributionModel::kU: return UShaped(n);
    case AttributionModel::kW: {
      if (!mql_touch || *mql_touch == 0 || *mql_touch + 1 >= n) return UShaped(n);
      const auto others = static_cast<std::int64_t>(n - 3);
      if (others == 0) {
        w.num.assign(n, 1);
        w.den = 3;
        return w;
      }
      // 30 / 30 / 30 on the key touches, 10 spread over the others: denominator 100 x others.
      w.num.assign(n, 10);
      w.num.front() = w.num.back() = w.num[*mql_touch] = 30 * others;
      w.den = 100 * others;
      return w;
    }
  }
  return w;
}

std::vector<std::int64_t> SplitAmount(std::int64_t amount_minor, const TouchWeights& w) {
  const std::size_t n = w.num.size();
  std::vector<std::int64_t> out(n, 0);
  std::vector<std::int64_t> rest(n, 0);
  std::int64_t given = 0;
  for (std::size_t i = 0; i < n; ++i) {
    // 128-bit: a large amount times a numerator that grows with the number of touches.
    const __int128 share = static_cast<__int128>(amount_minor) * w.num[i];
    out[i] = static_cast<std::int64_t>(share / w.den);
    rest[i] = static_cast<std::int64_t>(share % w.den);
    given += out[i];
  }
  std::int64_t left = amount_minor - given;  // fewer than n units
  if (left <= 0) return out;
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return rest[a] > rest[b]; });
  for (std::size_t i = 0; i < n && left > 0; ++i, --left) ++out[order[i]];
  return out;
}

std::optional<std::size_t> MqlTouch(const DealTouches& d) {
  if (!d.qualified_at) return std::nullopt;
  std::optional<std::size_t> found;
  for (std::size_t i = 0; i < d.touches.size() && d.touches[i].at <= *d.qualified_at; ++i) {
    found = i;
  }
  return found;
}

std::vector<std::int64_t> CreditTouches(AttributionModel model, const DealTouches& d) {
  if (d.touches.empty()) return {};
  return SplitAmount(d.amount_minor, ModelWeights(model, d.touches.size(), MqlTouch(d)));
}

AttributionResult Attribute(AttributionModel model, AttributionBreakdown by,
                            const std::vector<DealTouches>& deals) {
  AttributionResult out;
  out.model = model;
  out.by = by;
  std::map<std::string, AttributionRow, std::less<>> rows;
  std::vector<AttributionRow*> seen;
  for (const DealTouches& d : deals) {
    (d.won ? out.revenue_minor : out.pipeline_minor) += d.amount_minor;
    ++(d.won ? out.won_deals : out.open_deals);
    if (d.touches.empty()) {
      (d.won ? out.unattributed_revenue_minor : out.unattributed_pipeline_minor) += d.amount_minor;
      ++out.unattributed_deals;
      continue;
    }
    const std::vector<std::int64_t> credit = CreditTouches(model, d);
    seen.clear();
    for (std::size_t i = 0; i < d.touches.size(); ++i) {
      auto it = rows.find(d.touches[i].key);
      if (it == rows.end()) {
        it = rows.emplace(d.touches[i].key, AttributionRow{}).first;
        it->second.key = d.touches[i].key;
      }
      AttributionRow& row = it->second;
      (d.won ? row.revenue_minor : row.pipeline_minor) += credit[i];
      ++row.touches;
      if (std::find(seen.begin(), seen.end(), &row) == seen.end()) {
        seen.push_back(&row);
        ++(d.won ? row.won_deals : row.open_deals);
      }
    }
  }
  for (auto& [key, row] : rows) out.rows.push_back(std::move(row));
  std::stable_sort(out.rows.begin(), out.rows.end(), [](const auto& a, const auto& b) {
    if (a.revenue_minor != b.revenue_minor) return a.revenue_minor > b.revenue_minor;
    if (a.pipeline_minor != b.pipeline_minor) return a.pipeline_minor > b.pipeline_minor;
    return a.key < b.key;
  });
  return out;
}

}  // namespace tandem::core
