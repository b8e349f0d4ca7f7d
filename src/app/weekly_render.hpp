// Renderers of the weekly pack (app/weekly_report.hpp) other than JSON (src/api): CSV with one
// section per block, self-contained HTML with print CSS, and PDF printed from that HTML by a
// headless Chromium (docs/analytics.md, "The weekly pack").
//
// CSV: sections in the order of the pack, each introduced by a row "# <section>" then a header
// row and its rows, sections separated by an empty row (RFC 4180 quoting). Text cells that
// begin with =, +, - or @ are prefixed with a single quote so that a spreadsheet never reads
// a campaign name from a UTM tag as a formula; numbers are written plainly.
// HTML: one page, inline CSS only (no script, no external resource), every value escaped.
// Thread-safety: pure functions of the pack; RenderWeeklyPdf runs a process (see below).
#pragma once

#include <string>

#include "app/weekly_report.hpp"
#include "core/error.hpp"

namespace tandem::app {

std::string RenderWeeklyCsv(const WeeklyPack& pack);
std::string RenderWeeklyHtml(const WeeklyPack& pack);

struct PdfSettings {
  std::string chromium = "/usr/bin/chromium";  // Debian's package
  std::string temp_dir = "/tmp";
};

// Prints `html` to PDF with `<chromium> --headless --no-sandbox --disable-gpu
// --print-to-pdf=<file>` on a private temporary file, and returns the PDF's bytes.
// kFailedPrecondition (field "format") naming the program when it is not installed;
// kInternal when it fails or writes no PDF.
core::Result<std::string> RenderWeeklyPdf(const std::string& html, const PdfSettings& settings);

}  // namespace tandem::app
