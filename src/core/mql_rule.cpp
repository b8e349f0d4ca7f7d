#include "core/mql_rule.hpp"

#include <cctype>
#include <charconv>
#include <cmath>

namespace tandem::core {

std::string_view ToString(Grade g) {
  switch (g) {
    case Grade::kA: return "A";
    case Grade::kB: return "B";
    case Grade::kC: return "C";
    case Grade::kD: return "D";
  }
  return "D";
}

std::optional<Grade> GradeFromString(std::string_view text) {
  if (text.size() != 1) return std::nullopt;
  switch (std::toupper(static_cast<unsigned char>(text[0]))) {
    case 'A': return Grade::kA;
    case 'B': return Grade::kB;
    case 'C': return Grade::kC;
    case 'D': return Grade::kD;
    default: return std::nullopt;
  }
}

std::string MqlSyntaxError::ToString() const {
  return "at column " + std::to_string(column) + ": " + message;
}

namespace {

constexpr std::size_t kMaxRuleLength = 2000;
constexpr int kMaxDepth = 32;

enum class Tok : std::uint8_t { kEnd, kWord, kNumber, kString, kLParen, kRParen, kComma, kCmp };

struct Token {
  Tok kind = Tok::kEnd;
  std::string text;  // words lower-cased; strings unquoted; numbers as written
  std::string raw;   // as written, for messages
  std::size_t pos = 0;
  MqlRule::Node::Cmp cmp = MqlRule::Node::Cmp::kEq;
};

bool IsWordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-';
}

std::string_view CmpText(MqlRule::Node::Cmp c) {
  using C = MqlRule::Node::Cmp;
  switch (c) {
    case C::kGe: return ">=";
    case C::kLe: return "<=";
    case C::kGt: return ">";
    case C::kLt: return "<";
    case C::kEq: return "==";
    case C::kNe: return "!=";
  }
  return "==";
}

template <class T>
bool Compare(T a, MqlRule::Node::Cmp c, T b) {
  using C = MqlRule::Node::Cmp;
  switch (c) {
    case C::kGe: return a >= b;
    case C::kLe: return a <= b;
    case C::kGt: return a > b;
    case C::kLt: return a < b;
    case C::kEq: return a == b;
    case C::kNe: return a != b;
  }
  return false;
}

std::string Describe(const Token& t) {
  switch (t.kind) {
    case Tok::kEnd: return "the end of the rule";
    case Tok::kString: return "\"" + t.text + "\"";
    default: return "'" + t.raw + "'";
  }
}

}  // namespace

class MqlParser {
 public:
  explicit MqlParser(std::string_view text) : text_(text) {}

  tl::expected<MqlRule, MqlSyntaxError> Run() {
    if (text_.size() > kMaxRuleLength) {
      return Err(kMaxRuleLength, "the rule is longer than 2000 characters");
    }
    if (auto e = Lex(); !e) return tl::unexpected(e.error());
    if (tokens_.size() == 1) return Err(0, "the rule is empty");
    auto root = ParseOr(0);
    if (!root) return tl::unexpected(root.error());
    if (Peek().kind != Tok::kEnd) {
      return Err(Peek().pos,
                 "expected 'and', 'or' or the end of the rule, found " + Describe(Peek()));
    }
    rule_.root_ = *root;
    return std::move(rule_);
  }

 private:
  using Node = MqlRule::Node;
  using R = tl::expected<std::int32_t, MqlSyntaxError>;

  tl::unexpected<MqlSyntaxError> Err(std::size_t pos, std::string message) const {
    return tl::unexpected(MqlSyntaxError{pos + 1, std::move(message)});
  }

  tl::expected<void, MqlSyntaxError> Lex() {
    std::size_t i = 0;
    while (true) {
      while (i < text_.size() && std::isspace(static_cast<unsigned char>(text_[i]))) ++i;
      Token t;
      t.pos = i;
      if (i >= text_.size()) {
        tokens_.push_back(t);
        return {};
      }
      char c = text_[i];
      if (c == '(' || c == ')' || c == ',') {
        t.kind = c == '(' ? Tok::kLParen : c == ')' ? Tok::kRParen : Tok::kComma;
        t.text = std::string(1, c);
        ++i;
      } else if (c == '>' || c == '<' || c == '=' || c == '!') {
        bool eq_next = i + 1 < text_.size() && text_[i + 1] == '=';
        t.kind = Tok::kCmp;
        if (c == '>') t.cmp = eq_next ? Node::Cmp::kGe : Node::Cmp::kGt;
        if (c == '<') t.cmp = eq_next ? Node::Cmp::kLe : Node::Cmp::kLt;
        if (c == '=') t.cmp = Node::Cmp::kEq;
        if (c == '!') {
          if (!eq_next) return Err(i, "'!' must be followed by '=' (use 'not' to negate)");
          t.cmp = Node::Cmp::kNe;
        }
        std::size_t len = eq_next ? 2 : 1;
        t.text = std::string(text_.substr(i, len));
        i += len;
      } else if (c == '"' || c == '\'') {
        std::size_t end = text_.find(c, i + 1);
        if (end == std::string_view::npos) return Err(i, "unterminated quoted name");
        t.kind = Tok::kString;
        t.text = std::string(text_.substr(i + 1, end - i - 1));
        i = end + 1;
      } else if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
        std::size_t start = i;
        while (i < text_.size() &&
               (std::isdigit(static_cast<unsigned char>(text_[i])) || text_[i] == '.')) {
          ++i;
        }
        if (i < text_.size() && IsWordChar(text_[i])) {
          while (i < text_.size() && IsWordChar(text_[i])) ++i;
          t.kind = Tok::kWord;
        } else {
          t.kind = Tok::kNumber;
        }
        t.text = std::string(text_.substr(start, i - start));
      } else if (IsWordChar(c)) {
        std::size_t start = i;
        while (i < text_.size() && IsWordChar(text_[i])) ++i;
        t.kind = Tok::kWord;
        t.text = std::string(text_.substr(start, i - start));
        t.raw = t.text;
        for (char& ch : t.text)
          ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      } else {
        return Err(i, std::string("unexpected character '") + c + "'");
      }
      if (t.raw.empty()) t.raw = t.text;
      tokens_.push_back(std::move(t));
    }
  }

  const Token& Peek() const { return tokens_[next_]; }
  const Token& Take() { return tokens_[next_ < tokens_.size() - 1 ? next_++ : next_]; }
  bool IsWord(std::string_view w) const { return Peek().kind == Tok::kWord && Peek().text == w; }

  std::int32_t Add(Node n) {
    rule_.nodes_.push_back(std::move(n));
    return static_cast<std::int32_t>(rule_.nodes_.size() - 1);
  }

  R ParseOr(int depth) {
    auto lhs = ParseAnd(depth);
    if (!lhs) return lhs;
    std::int32_t cur = *lhs;
    while (IsWord("or")) {
      Take();
      auto rhs = ParseAnd(depth);
      if (!rhs) return rhs;
      Node n;
      n.kind = Node::Kind::kOr;
      n.lhs = cur;
      n.rhs = *rhs;
      cur = Add(std::move(n));
    }
    return cur;
  }

  R ParseAnd(int depth) {
    auto lhs = ParseNot(depth);
    if (!lhs) return lhs;
    std::int32_t cur = *lhs;
    while (IsWord("and")) {
      Take();
      auto rhs = ParseNot(depth);
      if (!rhs) return rhs;
      Node n;
      n.kind = Node::Kind::kAnd;
      n.lhs = cur;
      n.rhs = *rhs;
      cur = Add(std::move(n));
    }
    return cur;
  }

  R ParseNot(int depth) {
    if (depth > kMaxDepth) return Err(Peek().pos, "the rule nests more than 32 levels deep");
    if (IsWord("not")) {
      Take();
      auto inner = ParseNot(depth + 1);
      if (!inner) return inner;
      Node n;
      n.kind = Node::Kind::kNot;
      n.lhs = *inner;
      return Add(std::move(n));
    }
    return ParsePrimary(depth);
  }

  R ParsePrimary(int depth) {
    const Token& t = Peek();
    if (t.kind == Tok::kLParen) {
      Take();
      auto inner = ParseOr(depth + 1);
      if (!inner) return inner;
      if (Peek().kind != Tok::kRParen) {
        return Err(Peek().pos, "expected ')', found " + Describe(Peek()));
      }
      Take();
      return inner;
    }
    if (t.kind != Tok::kWord) {
      return Err(t.pos, "expected 'fit', 'engagement', 'grade', 'persona', 'not' or '(', found " +
                            Describe(t));
    }
    if (t.text == "true" || t.text == "false") {
      Node n;
      n.kind = t.text == "true" ? Node::Kind::kTrue : Node::Kind::kFalse;
      Take();
      return Add(std::move(n));
    }
    if (t.text == "fit" || t.text == "engagement") return ParseNumberCompare();
    if (t.text == "grade") return ParseGradeCompare();
    if (t.text == "persona") return ParsePersona();
    return Err(t.pos, "unknown name " + Describe(t) +
                          "; expected 'fit', 'engagement', 'grade' or 'persona'");
  }

  tl::expected<Token, MqlSyntaxError> TakeCmp(const Token& field) {
    if (Peek().kind != Tok::kCmp) {
      return Err(Peek().pos, "expected a comparison (>=, <=, >, <, ==, !=) after '" + field.text +
                                 "', found " + Describe(Peek()));
    }
    return Take();
  }

  R ParseNumberCompare() {
    Token field = Take();
    auto cmp = TakeCmp(field);
    if (!cmp) return tl::unexpected(cmp.error());
    const Token& v = Peek();
    if (v.kind != Tok::kNumber) {
      return Err(v.pos, "expected a number after '" + cmp->text + "', found " + Describe(v));
    }
    double number = 0;
    auto [end, ec] = std::from_chars(v.text.data(), v.text.data() + v.text.size(), number);
    if (ec != std::errc() || end != v.text.data() + v.text.size() || !std::isfinite(number) ||
        number > 1e9) {
      return Err(v.pos, "'" + v.text + "' is not a number between 0 and 1000000000");
    }
    Take();
    Node n;
    n.kind = Node::Kind::kCompare;
    n.field = field.text == "fit" ? Node::FieldId::kFit : Node::FieldId::kEngagement;
    n.cmp = cmp->cmp;
    n.number = number;
    return Add(std::move(n));
  }

  R ParseGradeCompare() {
    Token field = Take();
    auto cmp = TakeCmp(field);
    if (!cmp) return tl::unexpected(cmp.error());
    const Token& v = Peek();
    std::optional<Grade> g;
    if (v.kind == Tok::kWord || v.kind == Tok::kString) g = GradeFromString(v.text);
    if (!g) {
      return Err(v.pos,
                 "expected a grade A, B, C or D after '" + cmp->text + "', found " + Describe(v));
    }
    Take();
    Node n;
    n.kind = Node::Kind::kCompare;
    n.field = Node::FieldId::kGrade;
    // Grades compare by quality: A is the best, so "grade >= B" holds for A and B. Ranks are
    // stored negated (A=0 > B=-1 ...) so the numeric comparison reads the same way.
    n.cmp = cmp->cmp;
    n.number = -static_cast<double>(static_cast<int>(*g));
    return Add(std::move(n));
  }

  tl::expected<std::string, MqlSyntaxError> TakeName() {
    const Token& v = Peek();
    if (v.kind == Tok::kString ||
        (v.kind == Tok::kWord && v.text != "and" && v.text != "or" && v.text != "not")) {
      std::string name = v.kind == Tok::kWord && v.text == "none" ? "" : v.text;
      Take();
      return name;
    }
    return Err(v.pos, "expected a persona key, found " + Describe(v));
  }

  R ParsePersona() {
    Take();
    Node n;
    n.field = Node::FieldId::kPersona;
    if (IsWord("in")) {
      Take();
      if (Peek().kind != Tok::kLParen) {
        return Err(Peek().pos, "expected '(' after 'in', found " + Describe(Peek()));
      }
      Take();
      while (true) {
        auto name = TakeName();
        if (!name) return tl::unexpected(name.error());
        n.names.push_back(std::move(*name));
        if (Peek().kind == Tok::kComma) {
          Take();
          continue;
        }
        if (Peek().kind == Tok::kRParen) {
          Take();
          break;
        }
        return Err(Peek().pos, "expected ',' or ')', found " + Describe(Peek()));
      }
      n.kind = Node::Kind::kPersonaIn;
      return Add(std::move(n));
    }
    if (Peek().kind != Tok::kCmp ||
        (Peek().cmp != Node::Cmp::kEq && Peek().cmp != Node::Cmp::kNe)) {
      return Err(Peek().pos,
                 "expected '==', '!=' or 'in' after 'persona', found " + Describe(Peek()));
    }
    n.cmp = Take().cmp;
    auto name = TakeName();
    if (!name) return tl::unexpected(name.error());
    n.names.push_back(std::move(*name));
    n.kind = Node::Kind::kCompare;
    return Add(std::move(n));
  }

  std::string_view text_;
  std::vector<Token> tokens_;
  std::size_t next_ = 0;
  MqlRule rule_;
};

MqlRule::MqlRule() {
  nodes_.push_back(Node{});
  root_ = 0;
}

tl::expected<MqlRule, MqlSyntaxError> MqlRule::Parse(std::string_view text) {
  MqlParser p(text);
  auto r = p.Run();
  return r;
}

bool MqlRule::Evaluate(const MqlInputs& in) const {
  return Eval(root_, in);
}

bool MqlRule::Eval(std::int32_t i, const MqlInputs& in) const {
  const Node& n = nodes_[static_cast<std::size_t>(i)];
  switch (n.kind) {
    case Node::Kind::kTrue: return true;
    case Node::Kind::kFalse: return false;
    case Node::Kind::kAnd: return Eval(n.lhs, in) && Eval(n.rhs, in);
    case Node::Kind::kOr: return Eval(n.lhs, in) || Eval(n.rhs, in);
    case Node::Kind::kNot: return !Eval(n.lhs, in);
    case Node::Kind::kPersonaIn:
      for (const auto& name : n.names) {
        if (name == in.persona) return true;
      }
      return false;
    case Node::Kind::kCompare:
      switch (n.field) {
        case Node::FieldId::kFit: return Compare(in.fit, n.cmp, n.number);
        case Node::FieldId::kEngagement: return Compare(in.engagement, n.cmp, n.number);
        case Node::FieldId::kGrade:
          return Compare(-static_cast<double>(static_cast<int>(in.grade)), n.cmp, n.number);
        case Node::FieldId::kPersona:
          return n.cmp == Node::Cmp::kEq ? in.persona == n.names[0] : in.persona != n.names[0];
      }
  }
  return false;
}

namespace {
std::string FormatNumber(double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, end);
}
std::string QuoteName(const std::string& name) {
  return "\"" + name + "\"";
}
}  // namespace

std::string MqlRule::Print(std::int32_t i) const {
  const Node& n = nodes_[static_cast<std::size_t>(i)];
  switch (n.kind) {
    case Node::Kind::kTrue: return "true";
    case Node::Kind::kFalse: return "false";
    case Node::Kind::kAnd:
    case Node::Kind::kOr: {
      std::string out = "(";
      out += Print(n.lhs);
      out += n.kind == Node::Kind::kAnd ? " and " : " or ";
      out += Print(n.rhs);
      out += ")";
      return out;
    }
    case Node::Kind::kNot: return "not " + Print(n.lhs);
    case Node::Kind::kPersonaIn: {
      std::string out = "persona in (";
      for (std::size_t k = 0; k < n.names.size(); ++k) {
        if (k) out += ", ";
        out += QuoteName(n.names[k]);
      }
      return out + ")";
    }
    case Node::Kind::kCompare: {
      std::string op(CmpText(n.cmp));
      switch (n.field) {
        case Node::FieldId::kFit: return "fit " + op + " " + FormatNumber(n.number);
        case Node::FieldId::kEngagement: return "engagement " + op + " " + FormatNumber(n.number);
        case Node::FieldId::kGrade:
          return "grade " + op + " " +
                 std::string(core::ToString(static_cast<Grade>(static_cast<int>(-n.number))));
        case Node::FieldId::kPersona: return "persona " + op + " " + QuoteName(n.names[0]);
      }
    }
  }
  return "false";
}

std::string MqlRule::ToString() const {
  std::string out = Print(root_);
  auto kind = nodes_[static_cast<std::size_t>(root_)].kind;
  if (kind == Node::Kind::kAnd || kind == Node::Kind::kOr) out = out.substr(1, out.size() - 2);
  return out;
}

}  // namespace tandem::core
