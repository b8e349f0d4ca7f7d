#include "core/csv.hpp"

#include <cstring>

namespace tandem::core::csv {

namespace {

std::string HumanBytes(std::size_t n) {
  if (n >= (1u << 20) && n % (1u << 20) == 0) return std::to_string(n >> 20) + " MiB";
  if (n >= (1u << 10) && n % (1u << 10) == 0) return std::to_string(n >> 10) + " KiB";
  return std::to_string(n) + " bytes";
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

}  // namespace

bool IsValidUtf8(std::string_view s, std::size_t* bad_offset) {
  std::size_t i = 0;
  const std::size_t n = s.size();
  const auto* b = reinterpret_cast<const unsigned char*>(s.data());
  while (i < n) {
    // Eight ASCII bytes at a time: the common case of export files.
    if (i + 8 <= n) {
      std::uint64_t word;
      std::memcpy(&word, b + i, 8);
      if ((word & 0x8080808080808080ull) == 0) {
        i += 8;
        continue;
      }
    }
    unsigned char c = b[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    int extra = (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xe ? 2 : (c >> 3) == 0x1e ? 3 : -1;
    bool ok = extra > 0 && i + static_cast<std::size_t>(extra) < n;
    char32_t cp = 0;
    if (ok) {
      cp = c & (0x3f >> extra);
      for (int k = 1; k <= extra; ++k) {
        unsigned char cc = b[i + static_cast<std::size_t>(k)];
        if ((cc >> 6) != 0x2) {
          ok = false;
          break;
        }
        cp = (cp << 6) | (cc & 0x3f);
      }
    }
    constexpr char32_t kMinForLength[] = {0, 0x80, 0x800, 0x10000};
    if (ok && (cp < kMinForLength[extra] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))) {
      ok = false;
    }
    if (!ok) {
      if (bad_offset) *bad_offset = i;
      return false;
    }
    i += static_cast<std::size_t>(extra) + 1;
  }
  return true;
}

Reader::Reader(ReaderOptions options) : options_(options) {
  record_.line = 1;
  buffer_.reserve(4096);
  ends_.reserve(64);
}

Result<void> Reader::Feed(std::string_view chunk, const RecordSink& sink) {
  bytes_read_ += chunk.size();
  if (!chunk.empty()) saw_any_ = true;
  if (started_) return Parse(chunk, sink);
  // Wait for the end of the header line (outside quotes) before choosing the delimiter. Only
  // the new bytes are scanned: a header fed a byte at a time costs what it costs at once.
  const std::size_t from = pending_.size();
  pending_.append(chunk);
  for (std::size_t i = from; i < pending_.size(); ++i) {
    const char c = pending_[i];
    if (c == '"') pending_in_quotes_ = !pending_in_quotes_;
    if (!pending_in_quotes_ && (c == '\n' || c == '\r')) return DetectAndStart(sink, false);
  }
  // The header line is already too long: the same answer as when it arrives whole.
  const std::size_t bom = StartsWith(pending_, "\xEF\xBB\xBF") ? 3 : 0;
  if (pending_.size() - bom > options_.max_header_bytes) {
    TANDEM_TRY(CheckEncodingMark(pending_));
    return HeaderTooLong();
  }
  return {};
}

Result<void> Reader::HeaderTooLong() const {
  return Fail(Error::Invalid(
      "file", "the header line is longer than " + HumanBytes(options_.max_header_bytes)));
}

Result<void> Reader::CheckEncodingMark(std::string_view text) {
  if (StartsWith(text, std::string_view("\xFF\xFE\x00\x00", 4)) ||
      StartsWith(text, std::string_view("\x00\x00\xFE\xFF", 4))) {
    return Fail(Error::Invalid("file", "the file is UTF-32 encoded; save it as UTF-8"));
  }
  if (StartsWith(text, "\xFF\xFE") || StartsWith(text, "\xFE\xFF")) {
    return Fail(Error::Invalid("file", "the file is UTF-16 encoded; save it as UTF-8"));
  }
  return {};
}

Result<void> Reader::DetectAndStart(const RecordSink& sink, bool at_end) {
  std::string_view text = pending_;
  if (StartsWith(text, "\xEF\xBB\xBF")) {
    text.remove_prefix(3);
  } else {
    TANDEM_TRY(CheckEncodingMark(text));
  }
  // The header line: up to the first line ending outside quotes.
  std::size_t header_end = text.size();
  {
    bool in_quotes = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
      char c = text[i];
      if (c == '"') in_quotes = !in_quotes;
      if (!in_quotes && (c == '\n' || c == '\r')) {
        header_end = i;
        break;
      }
    }
  }
  std::string_view header = text.substr(0, header_end);
  // Checked here too, not only while waiting for the line's end: whether the input arrives
  // whole or in pieces must not change the answer.
  if (header.size() > options_.max_header_bytes) return HeaderTooLong();
  if (header.find('\0') != std::string_view::npos) {
    return Fail(Error::Invalid(
        "file",
        "the header line contains NUL bytes: the file looks UTF-16 encoded without a "
        "byte order mark; save it as UTF-8"));
  }
  delimiter_ = options_.delimiter;
  if (delimiter_ == 0) {
    std::size_t commas = 0, semicolons = 0, tabs = 0;
    bool in_quotes = false;
    for (char c : header) {
      if (c == '"') in_quotes = !in_quotes;
      if (in_quotes) continue;
      commas += c == ',';
      semicolons += c == ';';
      tabs += c == '\t';
    }
    delimiter_ = ',';
    if (semicolons > commas && semicolons >= tabs) delimiter_ = ';';
    if (tabs > commas && tabs > semicolons) delimiter_ = '\t';
  }
  started_ = true;
  std::string held = std::string(text);
  pending_.clear();
  pending_.shrink_to_fit();
  (void)at_end;
  return Parse(held, sink);
}

void Reader::SetProblem(std::string problem, int column) {
  if (!record_.problem.empty()) return;  // the first problem of a record is the one reported
  record_.problem = std::move(problem);
  record_.problem_column = column;
}

void Reader::Append(const char* begin, std::size_t n) {
  if (cell_dropped_ || n == 0) return;
  if (buffer_.size() - cell_start_ + n > options_.max_cell_bytes) {
    SetProblem("cell is larger than " + HumanBytes(options_.max_cell_bytes),
               static_cast<int>(ends_.size()));
    buffer_.resize(cell_start_);
    cell_dropped_ = true;
    return;
  }
  buffer_.append(begin, n);
}

void Reader::EndField() {
  if (ends_.size() >= options_.max_fields) {
    SetProblem("row has more than " + std::to_string(options_.max_fields) + " fields", -1);
    buffer_.resize(cell_start_);
  } else {
    ends_.push_back(buffer_.size());
  }
  cell_start_ = buffer_.size();
  cell_dropped_ = false;
}

Result<void> Reader::EndRecord(const RecordSink& sink) {
  ++number_;
  record_.number = number_;
  record_.fields.clear();
  std::size_t begin = 0;
  for (std::size_t end : ends_) {
    record_.fields.emplace_back(buffer_.data() + begin, end - begin);
    begin = end;
  }
  record_.blank =
      record_.problem.empty() && record_.fields.size() == 1 && record_.fields[0].empty();
  if (number_ == 1) {
    header_fields_ = static_cast<std::int64_t>(record_.fields.size());
  } else if (!record_.blank && record_.problem.empty() &&
             static_cast<std::int64_t>(record_.fields.size()) != header_fields_) {
    SetProblem("row has " + std::to_string(record_.fields.size()) + " fields; the header has " +
                   std::to_string(header_fields_),
               -1);
  }
  if (record_.problem.empty()) {
    for (std::size_t i = 0; i < record_.fields.size(); ++i) {
      std::size_t bad = 0;
      if (!IsValidUtf8(record_.fields[i], &bad)) {
        SetProblem("not valid UTF-8 (byte " + std::to_string(bad + 1) +
                       " of the cell); the file may be in another encoding such as "
                       "Windows-1252: save it as UTF-8",
                   static_cast<int>(i));
        break;
      }
    }
  }
  Result<void> r = sink(record_);
  buffer_.clear();
  ends_.clear();
  cell_start_ = 0;
  cell_dropped_ = false;
  record_open_ = false;
  record_.problem.clear();
  record_.problem_column = -1;
  record_.line = line_ + 1;  // the caller advances line_ after this record's line ending
  return r;
}

Result<void> Reader::Parse(std::string_view data, const RecordSink& sink) {
  const char* p = data.data();
  const char* const end = p + data.size();
  const char delim = delimiter_;
  while (p < end) {
    switch (state_) {
      case State::kFieldStart: {
        const char c = *p;
        if (c == '"') {
          record_open_ = true;
          state_ = State::kQuoted;
          ++p;
        } else if (c == delim) {
          record_open_ = true;
          EndField();
          ++p;
        } else if (c == '\n' || c == '\r') {
          ++p;
          EndField();
          TANDEM_TRY(EndRecord(sink));
          ++line_;
          if (c == '\r') state_ = State::kAfterCr;
        } else {
          record_open_ = true;
          state_ = State::kUnquoted;
        }
        break;
      }
      case State::kUnquoted: {
        const char* q = p;
        while (q < end && *q != delim && *q != '\n' && *q != '\r') ++q;
        Append(p, static_cast<std::size_t>(q - p));
        p = q;
        if (p < end) state_ = State::kFieldStart;
        break;
      }
      case State::kQuoted: {
        const char* q = p;
        while (q < end && *q != '"') {
          if (*q == '\n') ++line_;
          ++q;
        }
        Append(p, static_cast<std::size_t>(q - p));
        p = q;
        if (p < end) {
          ++p;
          state_ = State::kQuoteInQuoted;
        }
        break;
      }
      case State::kQuoteInQuoted: {
        const char c = *p;
        if (c == '"') {
          Append(p, 1);
          ++p;
          state_ = State::kQuoted;
        } else if (c == delim || c == '\n' || c == '\r') {
          state_ = State::kFieldStart;
        } else {
          SetProblem("unexpected text after a closing quote", static_cast<int>(ends_.size()));
          state_ = State::kUnquoted;
        }
        break;
      }
      case State::kAfterCr: {
        if (*p == '\n') ++p;
        state_ = State::kFieldStart;
        break;
      }
    }
  }
  return {};
}

Result<void> Reader::Finish(const RecordSink& sink) {
  if (!started_) {
    if (!saw_any_) return {};
    TANDEM_TRY(DetectAndStart(sink, true));
  }
  switch (state_) {
    case State::kQuoted:
      SetProblem("a quoted cell is not closed before the end of the file",
                 static_cast<int>(ends_.size()));
      [[fallthrough]];
    case State::kUnquoted:
    case State::kQuoteInQuoted:
      EndField();
      TANDEM_TRY(EndRecord(sink));
      break;
    case State::kFieldStart:
      if (record_open_) {
        EndField();
        TANDEM_TRY(EndRecord(sink));
      }
      break;
    case State::kAfterCr: break;
  }
  state_ = State::kFieldStart;
  return {};
}

namespace {

bool LooksLikeFormula(std::string_view f) {
  if (f.empty()) return false;
  const char first = f.front();
  if (first == '=' || first == '@' || first == '\t' || first == '\r') return true;
  if (first != '+' && first != '-') return false;
  if (f.size() == 1) return false;
  const char second = f[1];
  return !((second >= '0' && second <= '9') || second == ' ' || second == '(' || second == '.');
}

}  // namespace

void AppendRecord(std::string& out, const std::vector<std::string_view>& fields) {
  bool first = true;
  for (std::string_view f : fields) {
    if (!first) out.push_back(',');
    first = false;
    const bool formula = LooksLikeFormula(f);
    const bool quote = formula || f.find_first_of(",\"\r\n") != std::string_view::npos;
    if (!quote) {
      out.append(f);
      continue;
    }
    out.push_back('"');
    if (formula) out.push_back('\'');
    for (char ch : f) {
      if (ch == '"') out.push_back('"');
      out.push_back(ch);
    }
    out.push_back('"');
  }
  out += "\r\n";
}

}  // namespace tandem::core::csv
