// Attribution (docs/analytics.md, "Attribution"): revenue (won deals) and pipeline (open deals)
// credited to campaigns or sources by first-touch, last-touch, linear, U-shaped or W-shaped
// models over each deal's campaign touches up to its creation.
//
// The store reads the deals in scope with their touches in one statement; the core splits each
// deal's amount over its touches exactly (largest remainder) and adds the credits up per key.
// Every authenticated user may read it.
// Thread-safety: stateless apart from its references; safe to share between threads.
#pragma once

#include <string>

#include "base/clock.hpp"
#include "core/attribution.hpp"
#include "core/permissions.hpp"
#include "store/store.hpp"

namespace tandem::app {

struct AttributionReport {
  core::AttributionQuery query;
  core::AttributionResult result;
  bool has_data = false;
  std::string summary;  // the leading key of revenue and of pipeline in words, or "no data: ..."
};

class AttributionService {
 public:
  // The clock is not needed: the period is the caller's.
  AttributionService(store::Store& store, const base::Clock&) : store_(store) {}

  // kInvalidArgument "to" when `to` is not after `from`, "currency" unless three capital
  // letters. `period_words` names the period in the summary (the weekly pack's "in week ...");
  // empty: "from <from> to <to>" in UTC dates.
  core::Result<AttributionReport> Attribution(const core::Principal& p,
                                              const core::AttributionQuery& q,
                                              core::AttributionModel model,
                                              std::string_view period_words = {});

 private:
  store::Store& store_;
};

}  // namespace tandem::app
