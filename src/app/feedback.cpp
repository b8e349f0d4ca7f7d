#include "app/feedback.hpp"

#include <set>

#include "app/contract_file.hpp"

namespace tandem::app {

using core::Error;
using core::Fail;
using core::Result;

Result<FeedbackReport> FeedbackService::Feedback(const core::Principal&,
                                                 const core::FeedbackQuery& q,
                                                 std::string_view period_words) {
  if (q.to <= q.from) return Fail(Error::Invalid("to", "to must be after from"));
  std::vector<core::DispositionCounts> counts;
  core::ReasonLabels labels;
  TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(counts, tx.feedback().Dispositions(q));
    TANDEM_ASSIGN(labels, Labels(tx, counts));
    return {};
  }));
  FeedbackReport out;
  out.query = q;
  const std::string words = !period_words.empty()
                                ? std::string(period_words)
                                : "from " + core::FormatInstant(q.from).substr(0, 10) + " to " +
                                      core::FormatInstant(q.to).substr(0, 10);
  out.figures = core::ComputeFeedback(counts, q.by, labels, words);
  return out;
}

Result<core::ReasonLabels> FeedbackService::Labels(
    store::Tx& tx, const std::vector<core::DispositionCounts>& counts) {
  std::set<std::string, std::less<>> wanted;
  for (const auto& c : counts) {
    for (const auto& [code, n] : c.reasons) wanted.insert(code);
  }
  core::ReasonLabels out;
  if (wanted.empty()) return out;
  std::vector<core::ContractVersion> order;
  TANDEM_ASSIGN(auto active, tx.contracts().ActiveAt(clock_.Now()));
  if (active) order.push_back(*active);
  TANDEM_ASSIGN(auto all, tx.contracts().ListVersions());
  for (auto& v : all) {
    if (!active || v.id != active->id) order.push_back(std::move(v));
  }
  for (const auto& v : order) {
    TANDEM_ASSIGN(auto labels, LabelsOf(tx, v));
    for (const auto& [code, label] : *labels) {
      auto it = wanted.find(code);
      if (it == wanted.end()) continue;
      out.emplace(code, label);
      wanted.erase(it);
    }
    if (wanted.empty()) break;
  }
  return out;
}

Result<std::shared_ptr<const core::ReasonLabels>> FeedbackService::LabelsOf(
    store::Tx&, const core::ContractVersion& v) {
  {
    std::lock_guard lock(mu_);
    auto it = by_version_.find(v.id);
    if (it != by_version_.end()) return it->second;
  }
  auto labels = std::make_shared<core::ReasonLabels>();
  auto parsed = ParseContract(v.text);
  // A stored version that no longer parses (a zone removed from tzdata) labels nothing.
  if (parsed) {
    for (const auto& r : parsed->rejection_reasons) labels->emplace(r.code, r.label);
  }
  std::lock_guard lock(mu_);
  return by_version_.emplace(v.id, std::move(labels)).first->second;
}

}  // namespace tandem::app
