// The MQL qualification rule: a small expression language over a contact's scores.
//
// Grammar (keywords and field names are case-insensitive; spaces are free):
//
//   rule       := or_expr
//   or_expr    := and_expr { "or" and_expr }
//   and_expr   := not_expr { "and" not_expr }
//   not_expr   := "not" not_expr | primary
//   primary    := "(" or_expr ")" | "true" | "false" | comparison
//   comparison := number_field cmp NUMBER
//               | "grade" cmp GRADE
//               | "persona" ("==" | "=" | "!=") NAME
//               | "persona" "in" "(" NAME { "," NAME } ")"
//   number_field := "fit" | "engagement"
//   cmp        := ">=" | "<=" | ">" | "<" | "==" | "=" | "!="
//   NUMBER     := digits [ "." digits ]          (0 .. 1e9)
//   GRADE      := A | B | C | D, bare or quoted  (A is the best: grade >= B means A or B)
//   NAME       := a persona key, bare ([a-z0-9_-]+) or quoted ("..." or '...');
//                 "" (or the bare word none) means no persona matched
//
// Examples: `fit >= 60 and engagement >= 40`,
//           `(grade >= B and engagement > 30) or persona in (cfo, "head_of_data")`.
// Limits: 2,000 characters, 32 levels of nesting. "and" binds tighter than "or".
// Errors carry the 1-based column where parsing failed and what was expected there.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

namespace tandem::core {

enum class Grade : std::uint8_t { kA, kB, kC, kD };
std::string_view ToString(Grade g);
std::optional<Grade> GradeFromString(std::string_view text);  // "A".."D", case-insensitive

// The scores a rule is evaluated on.
struct MqlInputs {
  double fit = 0;
  double engagement = 0;
  Grade grade = Grade::kD;
  std::string_view persona;  // the best persona's key, empty when none
};

struct MqlSyntaxError {
  std::size_t column = 1;  // 1-based column of the offending character (length+1 at the end)
  std::string message;     // "expected a number after '>='"
  // "at column 14: expected a number after '>='"
  std::string ToString() const;
};

// A parsed rule: a flat tree of nodes, immutable, cheap to evaluate and to copy.
class MqlRule {
 public:
  MqlRule();  // the rule `false`
  static tl::expected<MqlRule, MqlSyntaxError> Parse(std::string_view text);

  bool Evaluate(const MqlInputs& in) const;
  // The rule as written, normalised (single spaces, lower-case keywords).
  std::string ToString() const;

  struct Node {
    enum class Kind : std::uint8_t { kTrue, kFalse, kAnd, kOr, kNot, kCompare, kPersonaIn };
    enum class FieldId : std::uint8_t { kFit, kEngagement, kGrade, kPersona };
    enum class Cmp : std::uint8_t { kGe, kLe, kGt, kLt, kEq, kNe };
    Kind kind = Kind::kFalse;
    FieldId field = FieldId::kFit;
    Cmp cmp = Cmp::kEq;
    double number = 0;  // fit/engagement operand, or the grade's rank (A=0 .. D=3)
    std::int32_t lhs = -1;
    std::int32_t rhs = -1;
    std::vector<std::string> names;  // persona keys (== / != use names[0])
  };

 private:
  bool Eval(std::int32_t node, const MqlInputs& in) const;
  std::string Print(std::int32_t node) const;
  friend class MqlParser;
  std::vector<Node> nodes_;
  std::int32_t root_ = 0;
};

}  // namespace tandem::core
