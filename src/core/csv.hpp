// A streaming RFC 4180 CSV reader over byte chunks: Tandem's reader for contact imports.
//
// Written here rather than taken from a library: no C++ CSV library is packaged for Debian 12,
// and the one C library (libcsv) buffers a field without bound, knows no line positions and
// would be the core's only foreign dependency. The reader does no I/O: the caller feeds the
// bytes (a file read in blocks, an HTTP body) and receives each completed record.
//
// What it accepts, and how it reports what it cannot:
//  * Quoted fields with commas, delimiters, CR/LF and doubled quotes (`""` -> `"`); a quote
//    inside an unquoted field is kept as a literal (real exports do this); text after a
//    closing quote is a record problem.
//  * Records end with LF, CRLF or a lone CR, outside quotes. The last record may lack one.
//  * A UTF-8 byte order mark at the start is skipped. A UTF-16 or UTF-32 mark, or NUL bytes
//    in the header line, make the whole input fail (kInvalidArgument with the reason).
//  * The delimiter is `,`, `;` or tab: given in the options, or detected on the header line
//    (the one of the three seen most often outside quotes; `,` on a tie or when none is seen).
//  * Per-record problems do not stop the reader; the record is delivered with `problem` set
//    (and `problem_column` when it is about one cell): a cell longer than `max_cell_bytes`
//    (its bytes are dropped as they arrive, so memory stays bounded), a count of fields other
//    than the header's (ragged row), ill-formed UTF-8, more than `max_fields` fields, a quote
//    left open at the end of the input.
//  * A record that is one empty field (a blank line) is delivered with `blank` set.
//
// Numbering: record 1 is the header; `number` counts records as a spreadsheet counts rows
// (a quoted newline does not start a new one); `line` is the 1-based line of the input on
// which the record starts.
// Thread-safety: none; one reader per input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace tandem::core::csv {

struct ReaderOptions {
  char delimiter = 0;                      // 0: detect from the header line
  std::size_t max_cell_bytes = 1 << 20;    // 1 MiB
  std::size_t max_fields = 1000;           // per record
  std::size_t max_header_bytes = 1 << 20;  // the header line, read before detection
};

struct Record {
  std::int64_t number = 0;               // 1 = the header
  std::int64_t line = 0;                 // input line where the record starts
  std::vector<std::string_view> fields;  // valid until the sink returns
  bool blank = false;
  std::string problem;      // empty when the record is well-formed
  int problem_column = -1;  // 0-based field index the problem is about, or -1
};

// Called for every completed record, the header included. Returning an error stops the
// reader, which hands that error back from Feed or Finish.
using RecordSink = std::function<Result<void>(const Record&)>;

class Reader {
 public:
  explicit Reader(ReaderOptions options = {});

  // Parses the next chunk of the input; completed records go to `sink`.
  Result<void> Feed(std::string_view chunk, const RecordSink& sink);
  // Ends the input: delivers a last record without a line ending, reports an open quote.
  Result<void> Finish(const RecordSink& sink);

  // The delimiter in use (0 until the header line has been seen).
  char delimiter() const { return delimiter_; }
  // Bytes consumed so far (for progress).
  std::uint64_t bytes_read() const { return bytes_read_; }

 private:
  enum class State : std::uint8_t { kFieldStart, kUnquoted, kQuoted, kQuoteInQuoted, kAfterCr };

  Result<void> Parse(std::string_view data, const RecordSink& sink);
  Result<void> DetectAndStart(const RecordSink& sink, bool at_end);
  Result<void> HeaderTooLong() const;
  static Result<void> CheckEncodingMark(std::string_view text);
  void Append(const char* begin, std::size_t n);
  void EndField();
  Result<void> EndRecord(const RecordSink& sink);
  void SetProblem(std::string problem, int column);

  ReaderOptions options_;
  char delimiter_ = 0;
  bool started_ = false;            // the BOM and the header line's delimiter have been handled
  bool saw_any_ = false;            // any byte of the input has been fed
  std::string pending_;             // input held back until the header line is complete
  bool pending_in_quotes_ = false;  // pending_ ends inside quotes
  State state_ = State::kFieldStart;
  std::string buffer_;             // the current record's field bytes
  std::vector<std::size_t> ends_;  // end offset in buffer_ of each completed field
  std::size_t cell_start_ = 0;     // offset in buffer_ where the current cell starts
  bool cell_dropped_ = false;      // the current cell passed max_cell_bytes
  bool record_open_ = false;       // bytes of the current record have been seen
  Record record_;
  std::int64_t header_fields_ = -1;
  std::int64_t line_ = 1;    // current input line
  std::int64_t number_ = 0;  // records completed
  std::uint64_t bytes_read_ = 0;
};

// Appends one RFC 4180 record to `out`: fields separated by commas, the record ended by CRLF;
// a field holding a comma, a quote, CR or LF is quoted with its quotes doubled. A field a
// spreadsheet would run as a formula (starting with '=', '@', or '+' / '-' not followed by a
// digit, space or '(' as in a phone number or an amount) gets a leading apostrophe, so opening an
// export never runs what somebody typed into a form.
void AppendRecord(std::string& out, const std::vector<std::string_view>& fields);

// Whether `text` is well-formed UTF-8 (RFC 3629: no overlong forms, surrogates or code points
// past U+10FFFF). On failure `bad_offset` receives the offset of the first bad byte.
bool IsValidUtf8(std::string_view text, std::size_t* bad_offset = nullptr);

}  // namespace tandem::core::csv
