#include "core/csv.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tandem::core::csv {
namespace {

struct Row {
  std::int64_t number;
  std::int64_t line;
  std::vector<std::string> fields;
  bool blank;
  std::string problem;
  int problem_column;
};

// Feeds `input` in chunks of `chunk` bytes (every split point gets exercised by the callers).
Result<std::vector<Row>> ReadAll(std::string_view input, std::size_t chunk = 1 << 16,
                                 ReaderOptions options = {}, char* delimiter = nullptr) {
  Reader reader(options);
  std::vector<Row> rows;
  RecordSink sink = [&](const Record& r) -> Result<void> {
    Row row{r.number, r.line, {}, r.blank, r.problem, r.problem_column};
    for (auto f : r.fields) row.fields.emplace_back(f);
    rows.push_back(std::move(row));
    return {};
  };
  for (std::size_t i = 0; i < input.size(); i += chunk) {
    TANDEM_TRY(reader.Feed(input.substr(i, chunk), sink));
  }
  TANDEM_TRY(reader.Finish(sink));
  if (delimiter) *delimiter = reader.delimiter();
  return rows;
}

using Fields = std::vector<std::string>;

TEST(CsvReaderTest, ReadsPlainRowsWithLfAndCrlf) {
  for (std::string eol : {"\n", "\r\n", "\r"}) {
    auto rows = ReadAll("a,b,c" + eol + "1,2,3" + eol + "4,,6" + eol);
    ASSERT_TRUE(rows) << rows.error().message;
    ASSERT_EQ(rows->size(), 3u);
    EXPECT_EQ((*rows)[0].fields, (Fields{"a", "b", "c"}));
    EXPECT_EQ((*rows)[1].fields, (Fields{"1", "2", "3"}));
    EXPECT_EQ((*rows)[2].fields, (Fields{"4", "", "6"}));
    EXPECT_EQ((*rows)[2].line, 3);
    EXPECT_TRUE((*rows)[2].problem.empty());
  }
}

TEST(CsvReaderTest, LastRecordWithoutLineEnding) {
  auto rows = ReadAll("a,b\n1,2");
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[1].fields, (Fields{"1", "2"}));
}

TEST(CsvReaderTest, QuotedCommasNewlinesAndDoubledQuotes) {
  const std::string input =
      "name,note,city\r\n"
      "\"Doe, Jane\",\"line one\r\nline two\",\"He said \"\"hi\"\"\"\r\n"
      "plain,\"\",x\r\n";
  // Every chunk size, so each state meets a chunk boundary.
  for (std::size_t chunk = 1; chunk <= input.size(); ++chunk) {
    auto rows = ReadAll(input, chunk);
    ASSERT_TRUE(rows);
    ASSERT_EQ(rows->size(), 3u) << "chunk " << chunk;
    EXPECT_EQ((*rows)[1].fields, (Fields{"Doe, Jane", "line one\r\nline two", "He said \"hi\""}))
        << "chunk " << chunk;
    EXPECT_EQ((*rows)[2].fields, (Fields{"plain", "", "x"}));
    EXPECT_EQ((*rows)[2].number, 3);
    EXPECT_EQ((*rows)[2].line, 4) << "the quoted newline moves the line, not the row number";
  }
}

TEST(CsvReaderTest, SkipsUtf8ByteOrderMark) {
  auto rows = ReadAll(
      "\xEF\xBB\xBF"
      "Email,Name\nx@y.example,Zoë\n",
      1);
  ASSERT_TRUE(rows);
  EXPECT_EQ((*rows)[0].fields, (Fields{"Email", "Name"}));
  EXPECT_EQ((*rows)[1].fields, (Fields{"x@y.example", "Zoë"}));
}

TEST(CsvReaderTest, DetectsSemicolonCommaAndTabFromTheHeader) {
  char d = 0;
  auto rows = ReadAll("Name;Email;\"a,b\"\nJo;jo@x.example;1,5\n", 3, {}, &d);
  ASSERT_TRUE(rows);
  EXPECT_EQ(d, ';');
  EXPECT_EQ((*rows)[1].fields, (Fields{"Jo", "jo@x.example", "1,5"}));

  rows = ReadAll("\"Last; First\",Email\nx,y\n", 64, {}, &d);
  ASSERT_TRUE(rows);
  EXPECT_EQ(d, ',') << "delimiters inside quotes do not count";

  rows = ReadAll("a\tb\tc\n1\t2\t3\n", 64, {}, &d);
  ASSERT_TRUE(rows);
  EXPECT_EQ(d, '\t');
  EXPECT_EQ((*rows)[1].fields, (Fields{"1", "2", "3"}));

  ReaderOptions forced;
  forced.delimiter = ';';
  rows = ReadAll("a,b;c\n1,2;3\n", 64, forced, &d);
  ASSERT_TRUE(rows);
  EXPECT_EQ((*rows)[1].fields, (Fields{"1,2", "3"}));
}

TEST(CsvReaderTest, ReportsRaggedRowsAndGoesOn) {
  auto rows = ReadAll("a,b,c\n1,2\n1,2,3,4\n5,6,7\n");
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 4u);
  EXPECT_EQ((*rows)[1].problem, "row has 2 fields; the header has 3");
  EXPECT_EQ((*rows)[2].problem, "row has 4 fields; the header has 3");
  EXPECT_TRUE((*rows)[3].problem.empty());
  EXPECT_EQ((*rows)[3].fields, (Fields{"5", "6", "7"}));
}

TEST(CsvReaderTest, BlankLinesAreMarkedNotRagged) {
  auto rows = ReadAll("a,b\n\n1,2\n\r\n");
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 4u);
  EXPECT_TRUE((*rows)[1].blank);
  EXPECT_TRUE((*rows)[1].problem.empty());
  EXPECT_EQ((*rows)[2].number, 3);
  EXPECT_TRUE((*rows)[3].blank);
}

TEST(CsvReaderTest, ReportsInvalidUtf8WithTheColumn) {
  // "Müller" in Windows-1252: 0xFC alone is not UTF-8.
  auto rows = ReadAll("first,last\nJan,M\xFCller\nAna,Ok\n");
  ASSERT_TRUE(rows);
  EXPECT_EQ((*rows)[1].problem_column, 1);
  EXPECT_NE((*rows)[1].problem.find("not valid UTF-8"), std::string::npos);
  EXPECT_NE((*rows)[1].problem.find("Windows-1252"), std::string::npos);
  EXPECT_TRUE((*rows)[2].problem.empty());
  // Overlong NUL and a surrogate are ill-formed too.
  EXPECT_FALSE(IsValidUtf8("\xC0\x80"));
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));
  EXPECT_FALSE(IsValidUtf8("abc\xE2\x82"));
  EXPECT_TRUE(IsValidUtf8("plain ascii text, long enough for the fast path: Zoë €"));
}

TEST(CsvReaderTest, RefusesUtf16AndUtf32Files) {
  auto r =
      ReadAll(std::string("\xFF\xFE"
                          "E\0m\0a\0i\0l\0\n\0",
                          14));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("UTF-16"), std::string::npos);
  r = ReadAll(std::string("E\0m\0a\0i\0l\0\n\0", 12));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("NUL"), std::string::npos);
  r = ReadAll(std::string("\xFF\xFE\0\0E\0\0\0\n\0\0\0", 12));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("UTF-32"), std::string::npos);
}

TEST(CsvReaderTest, RejectsATenMegabyteCellWithoutHoldingIt) {
  ReaderOptions options;  // 1 MiB cells
  Reader reader(options);
  std::vector<Row> rows;
  std::size_t largest_field = 0;
  RecordSink sink = [&](const Record& r) -> Result<void> {
    Row row{r.number, r.line, {}, r.blank, r.problem, r.problem_column};
    for (auto f : r.fields) {
      largest_field = std::max(largest_field, f.size());
      row.fields.emplace_back(f);
    }
    rows.push_back(std::move(row));
    return {};
  };
  ASSERT_TRUE(reader.Feed("email,notes,x\nbig@x.example,\"", sink));
  const std::string block(64 * 1024, 'z');
  for (int i = 0; i < 160; ++i) ASSERT_TRUE(reader.Feed(block, sink));  // 10 MiB
  ASSERT_TRUE(reader.Feed("\",1\nok@x.example,small,2\n", sink));
  ASSERT_TRUE(reader.Finish(sink));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1].problem, "cell is larger than 1 MiB");
  EXPECT_EQ(rows[1].problem_column, 1);
  EXPECT_LE(largest_field, 64u) << "the oversized cell's bytes were dropped";
  EXPECT_TRUE(rows[2].problem.empty());
  EXPECT_EQ(rows[2].fields, (Fields{"ok@x.example", "small", "2"}));
}

TEST(CsvReaderTest, ReportsAQuoteLeftOpenAndTextAfterAClosingQuote) {
  auto rows = ReadAll("a,b\n\"x\"y,2\n3,\"open\n");
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[1].problem, "unexpected text after a closing quote");
  EXPECT_EQ((*rows)[1].problem_column, 0);
  EXPECT_EQ((*rows)[2].problem, "a quoted cell is not closed before the end of the file");
  EXPECT_EQ((*rows)[2].problem_column, 1);
}

TEST(CsvReaderTest, KeepsAQuoteInsideAnUnquotedCell) {
  auto rows = ReadAll("a,b\n5\" pipe,2\n");
  ASSERT_TRUE(rows);
  EXPECT_EQ((*rows)[1].fields, (Fields{"5\" pipe", "2"}));
  EXPECT_TRUE((*rows)[1].problem.empty());
}

TEST(CsvReaderTest, AHeaderLineWithoutEndIsBoundedAndEmptyInputGivesNothing) {
  ReaderOptions options;
  options.max_header_bytes = 16;
  auto r = ReadAll(std::string(100, 'h'), 10, options);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("header line is longer"), std::string::npos);
  auto rows = ReadAll("");
  ASSERT_TRUE(rows);
  EXPECT_TRUE(rows->empty());
}

// Found by fuzz/csv_fuzz: a header line over the limit was refused when it arrived in pieces
// but accepted when it arrived in one chunk with its line ending (or at the end of the input).
TEST(CsvReaderTest, AHeaderLineOverTheLimitIsRefusedHoweverTheInputIsCut) {
  ReaderOptions options;
  options.max_header_bytes = 16;
  const std::string long_header = std::string(20, 'h') + ",x\n1,2\n";
  for (std::size_t chunk : {1u, 7u, 16u, 17u, 1000u}) {
    auto r = ReadAll(long_header, chunk, options);
    ASSERT_FALSE(r) << "chunk " << chunk;
    EXPECT_NE(r.error().message.find("header line is longer"), std::string::npos);
    r = ReadAll(std::string(20, 'h'), chunk, options);  // no line ending at all
    ASSERT_FALSE(r) << "chunk " << chunk;
  }
  // The limit counts the header's bytes, not the byte order mark; 16 bytes pass.
  const std::string at_limit = "\xEF\xBB\xBF" + std::string(14, 'h') + ",x\n1,2\n";
  for (std::size_t chunk : {1u, 5u, 1000u}) {
    auto rows = ReadAll(at_limit, chunk, options);
    ASSERT_TRUE(rows) << "chunk " << chunk << ": " << rows.error().message;
    EXPECT_EQ(rows->size(), 2u);
  }
  // A UTF-16 file is reported as such whether or not its first line is over the limit.
  const std::string utf16 = "\xFF\xFE" + std::string(40, 'h');
  for (std::size_t chunk : {1u, 1000u}) {
    auto r = ReadAll(utf16, chunk, options);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("UTF-16"), std::string::npos) << r.error().message;
  }
}

TEST(CsvReaderTest, ASinkErrorStopsTheReader) {
  Reader reader;
  int seen = 0;
  auto r = reader.Feed("a\n1\n2\n3\n", [&](const Record&) -> Result<void> {
    if (++seen == 2) return Fail(Error::Internal("stop"));
    return {};
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "stop");
}

}  // namespace
}  // namespace tandem::core::csv

namespace tandem::core::csv {
namespace {

std::string Written(const std::vector<std::string_view>& fields) {
  std::string out;
  AppendRecord(out, fields);
  return out;
}

TEST(CsvWriterTest, QuotesOnlyWhatNeedsQuotingAndEndsRecordsWithCrLf) {
  EXPECT_EQ(Written({"a", "b c", ""}), "a,b c,\r\n");
  EXPECT_EQ(Written({"O'Brien, Jr.", "say \"hi\"", "two\nlines", "cr\r"}),
            "\"O'Brien, Jr.\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\r\"\r\n");
  EXPECT_EQ(Written({}), "\r\n");
}

TEST(CsvWriterTest, FormulasAreDefusedButPhoneNumbersAndAmountsAreNot) {
  EXPECT_EQ(Written({"=HYPERLINK(\"x\")"}), "\"'=HYPERLINK(\"\"x\"\")\"\r\n");
  EXPECT_EQ(Written({"@SUM(A1)"}), "\"'@SUM(A1)\"\r\n");
  EXPECT_EQ(Written({"+cmd"}), "\"'+cmd\"\r\n");
  EXPECT_EQ(Written({"-x"}), "\"'-x\"\r\n");
  EXPECT_EQ(Written({"+49 30 1234"}), "+49 30 1234\r\n");
  EXPECT_EQ(Written({"-12.50"}), "-12.50\r\n");
  EXPECT_EQ(Written({"+(555) 010"}), "+(555) 010\r\n");
  EXPECT_EQ(Written({"-"}), "-\r\n");
}

TEST(CsvWriterTest, WhatItWritesReadsBackThroughTheReader) {
  std::string text;
  AppendRecord(text, {"email", "name"});
  AppendRecord(text, {"a@example.com", "Smith, \"Jo\"\nline 2"});
  auto rows = ReadAll(text);
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[1].fields,
            (std::vector<std::string>{"a@example.com", "Smith, \"Jo\"\nline 2"}));
}

}  // namespace
}  // namespace tandem::core::csv
