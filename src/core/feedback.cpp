#include "core/feedback.hpp"

#include <algorithm>
#include <cmath>

namespace tandem::core {

namespace {

constexpr std::array<Stage, kNextStageCount> kNextStages = {Stage::kSql, Stage::kOpportunity,
                                                            Stage::kCustomer};
constexpr std::array<std::string_view, kNextStageCount> kNextWords = {"SQL", "opportunity",
                                                                      "customer"};

double Share(std::int64_t part, std::int64_t whole) {
  return whole > 0 ? static_cast<double>(part) / static_cast<double>(whole) : 0.0;
}

// Who a group's sentence speaks of: "webinar-q3 leads", "Leads without a campaign".
std::string Who(const std::string& key, FeedbackBreakdown by, bool total) {
  if (total) return "All leads";
  if (!key.empty()) {
    return by == FeedbackBreakdown::kSource ? "Leads from " + key : key + " leads";
  }
  return "Leads without a " + std::string(ToString(by));
}

FeedbackGroup Group(const DispositionCounts& c, const ReasonLabels& labels) {
  FeedbackGroup g;
  g.key = c.key;
  g.accepted = c.accepted;
  g.rejected = c.rejected;
  g.dispositions = c.accepted + c.rejected;
  if (g.dispositions > 0) {
    g.accept_rate = Share(c.accepted, g.dispositions);
    g.reject_rate = Share(c.rejected, g.dispositions);
    g.accept_interval = Wilson(c.accepted, g.dispositions);
  }
  for (const auto& [code, count] : c.reasons) {
    ReasonFigures r;
    r.code = code;
    auto it = labels.find(code);
    r.known = it != labels.end();
    r.label = r.known ? it->second : code;
    r.count = count;
    r.share = Share(count, g.dispositions);
    g.reasons.push_back(std::move(r));
  }
  std::stable_sort(g.reasons.begin(), g.reasons.end(), [](const auto& a, const auto& b) {
    return a.count != b.count ? a.count > b.count : a.code < b.code;
  });
  for (std::size_t i = 0; i < kNextStageCount; ++i) {
    NextFigures& n = g.next[i];
    n.stage = kNextStages[i];
    n.count = c.next[i];
    if (c.accepted > 0) {
      n.rate = Share(c.next[i], c.accepted);
      n.interval = Wilson(c.next[i], c.accepted);
    }
  }
  return g;
}

std::string Sentence(const FeedbackGroup& g, FeedbackBreakdown by, bool total) {
  std::string s = Who(g.key, by, total) + ": ";
  if (g.rejected == 0) {
    s += "none rejected";
  } else {
    s += Percent(*g.reject_rate) + " rejected";
    const ReasonFigures& top = g.reasons.front();
    s += ", mostly '" + top.label + "' (" + std::to_string(top.count) + " of " +
         std::to_string(g.rejected) + ")";
  }
  if (g.accepted > 0) {
    s += "; of " + std::to_string(g.accepted) + " accepted, " + Percent(*g.next[0].rate) +
         " reached " + std::string(kNextWords[0]) + " and " + Percent(*g.next[1].rate) + " an " +
         std::string(kNextWords[1]);
  } else {
    s += "; none accepted";
  }
  return s + ".";
}

}  // namespace

std::string_view ToString(FeedbackBreakdown b) {
  switch (b) {
    case FeedbackBreakdown::kCampaign: return "campaign";
    case FeedbackBreakdown::kSource: return "source";
    case FeedbackBreakdown::kPersona: return "persona";
  }
  return "";
}

Result<FeedbackBreakdown> FeedbackBreakdownFromString(std::string_view text) {
  for (FeedbackBreakdown b :
       {FeedbackBreakdown::kCampaign, FeedbackBreakdown::kSource, FeedbackBreakdown::kPersona}) {
    if (ToString(b) == text) return b;
  }
  return Fail(Error::Invalid(
      "by", "unknown breakdown '" + std::string(text) + "'; allowed: campaign, source, persona"));
}

std::string Percent(double share) {
  return std::to_string(std::llround(share * 100.0)) + "%";
}

FeedbackFigures ComputeFeedback(const std::vector<DispositionCounts>& counts, FeedbackBreakdown by,
                                const ReasonLabels& labels, std::string_view period_words) {
  FeedbackFigures out;
  out.by = by;
  DispositionCounts all;
  std::map<std::string, std::int64_t, std::less<>> reasons;
  for (const auto& c : counts) {
    if (c.accepted + c.rejected == 0) continue;
    FeedbackGroup g = Group(c, labels);
    g.sentence = Sentence(g, by, false);
    out.groups.push_back(std::move(g));
    all.accepted += c.accepted;
    all.rejected += c.rejected;
    for (std::size_t i = 0; i < kNextStageCount; ++i) all.next[i] += c.next[i];
    for (const auto& [code, n] : c.reasons) reasons[code] += n;
  }
  all.reasons.assign(reasons.begin(), reasons.end());
  out.total = Group(all, labels);
  std::stable_sort(out.groups.begin(), out.groups.end(), [](const auto& a, const auto& b) {
    if (a.rejected != b.rejected) return a.rejected > b.rejected;
    if (a.dispositions != b.dispositions) return a.dispositions > b.dispositions;
    return a.key < b.key;
  });
  out.has_data = out.total.dispositions > 0;
  if (!out.has_data) {
    out.summary = "no data: sales accepted or rejected no lead " + std::string(period_words);
    out.total.sentence = out.summary;
    return out;
  }
  out.total.sentence = Sentence(out.total, by, true);
  out.summary = out.total.sentence;
  return out;
}

}  // namespace tandem::core
