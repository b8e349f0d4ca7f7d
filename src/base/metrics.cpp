#include "base/metrics.hpp"

#include <cmath>
#include <cstdio>

namespace tandem::base {
namespace {

std::string Escape(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

// HELP text escapes only backslash and line feed (the format leaves quotes alone there).
std::string EscapeHelp(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string RenderLabels(const Labels& labels) {
  std::string out;
  for (const auto& [k, v] : labels) {
    if (!out.empty()) out += ',';
    out += k + "=\"" + Escape(v) + "\"";
  }
  return out;
}

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

std::string WithLabel(const std::string& labels, const std::string& extra) {
  if (labels.empty()) return "{" + extra + "}";
  return "{" + labels + "," + extra + "}";
}

}  // namespace

void Histogram::Observe(double seconds) {
  for (std::size_t i = 0; i < kBounds.size(); ++i) {
    if (seconds <= kBounds[i]) {
      buckets_[i].fetch_add(1, std::memory_order_relaxed);
      break;
    }
  }
  count_.fetch_add(1, std::memory_order_relaxed);
  // Rounded, not truncated: 0.0157 * 1e6 is 15699.99... in binary. A negative duration (a
  // clock stepped back) or NaN counts as zero; converting it to unsigned would be undefined.
  const double micros = std::round(seconds * 1e6);
  sum_micros_.fetch_add(micros > 0 ? static_cast<std::uint64_t>(micros) : 0,
                        std::memory_order_relaxed);
}

double Histogram::Sum() const {
  return static_cast<double>(sum_micros_.load(std::memory_order_relaxed)) / 1e6;
}

Counter& Metrics::GetCounter(const std::string& name, const Labels& labels,
                             const std::string& help) {
  std::lock_guard lock(mu_);
  Family& f = families_[name];
  if (f.help.empty()) f.help = help;
  auto& slot = f.counters[RenderLabels(labels)];
  if (!slot) slot = std::make_unique<Counter>();
  return *slot;
}

Histogram& Metrics::GetHistogram(const std::string& name, const Labels& labels,
                                 const std::string& help) {
  std::lock_guard lock(mu_);
  Family& f = families_[name];
  f.histogram = true;
  if (f.help.empty()) f.help = help;
  auto& slot = f.histograms[RenderLabels(labels)];
  if (!slot) slot = std::make_unique<Histogram>();
  return *slot;
}

void Metrics::SetGauge(const std::string& name, const std::string& help,
                       std::function<double()> read) {
  std::lock_guard lock(mu_);
  Family& f = families_[name];
  f.help = help;
  f.gauge = std::move(read);
}

std::string Metrics::Render() const {
  std::lock_guard lock(mu_);
  std::string out;
  for (const auto& [name, f] : families_) {
    if (!f.help.empty()) out += "# HELP " + name + " " + EscapeHelp(f.help) + "\n";
    if (f.gauge) {
      out += "# TYPE " + name + " gauge\n" + name + " " + Num(f.gauge()) + "\n";
      continue;
    }
    out += "# TYPE " + name + (f.histogram ? " histogram\n" : " counter\n");
    for (const auto& [labels, c] : f.counters) {
      out += name + (labels.empty() ? "" : "{" + labels + "}") + " " + std::to_string(c->Value()) +
             "\n";
    }
    for (const auto& [labels, h] : f.histograms) {
      std::uint64_t cumulative = 0;
      for (std::size_t i = 0; i < Histogram::kBounds.size(); ++i) {
        cumulative += h->Bucket(i);
        out += name + "_bucket" + WithLabel(labels, "le=\"" + Num(Histogram::kBounds[i]) + "\"") +
               " " + std::to_string(cumulative) + "\n";
      }
      out += name + "_bucket" + WithLabel(labels, "le=\"+Inf\"") + " " +
             std::to_string(h->Count()) + "\n";
      out +=
          name + "_sum" + (labels.empty() ? "" : "{" + labels + "}") + " " + Num(h->Sum()) + "\n";
      out += name + "_count" + (labels.empty() ? "" : "{" + labels + "}") + " " +
             std::to_string(h->Count()) + "\n";
    }
  }
  return out;
}

}  // namespace tandem::base
