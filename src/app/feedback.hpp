// Feedback analytics (docs/analytics.md, "Feedback from sales"): rejection reasons and lead
// quality as sales sees it, per campaign, source or persona, with the marketing-facing summary
// in words.
//
// The store counts dispositions in one statement; the core turns them into rates, Wilson
// intervals and sentences. Reason codes are labelled from the contract: the version in force
// now first, then older versions newest first for codes it no longer defines; a code no
// version defines keeps the code as its label (and says so: `known` is false). Parsed labels
// are cached per contract version (versions never change).
// Every authenticated user may read it (each team sees the other's numbers).
// Thread-safety: safe to share between threads.
#pragma once

#include <map>
#include <memory>
#include <mutex>

#include "base/clock.hpp"
#include "core/feedback.hpp"
#include "core/permissions.hpp"
#include "store/store.hpp"

namespace tandem::app {

struct FeedbackReport {
  core::FeedbackQuery query;
  core::FeedbackFigures figures;
};

class FeedbackService {
 public:
  FeedbackService(store::Store& store, const base::Clock& clock) : store_(store), clock_(clock) {}

  // kInvalidArgument "to" when `to` is not after `from`. `period_words` names the period in the
  // sentences (the weekly pack's "in week ..."); empty: "from <from> to <to>" in UTC dates.
  core::Result<FeedbackReport> Feedback(const core::Principal& p, const core::FeedbackQuery& q,
                                        std::string_view period_words = {});

 private:
  // The labels of the codes in `codes`, read inside `tx`.
  core::Result<core::ReasonLabels> Labels(store::Tx& tx,
                                          const std::vector<core::DispositionCounts>& counts);
  core::Result<std::shared_ptr<const core::ReasonLabels>> LabelsOf(store::Tx& tx,
                                                                   const core::ContractVersion& v);

  store::Store& store_;
  const base::Clock& clock_;
  std::mutex mu_;
  std::map<core::Id, std::shared_ptr<const core::ReasonLabels>> by_version_;  // guarded by mu_
};

}  // namespace tandem::app
