// Field specifications: one declaration per field that both checks what clients send and
// describes it in the OpenAPI document, so the validator and the documentation cannot drift
// apart (internal to src/api).
//
// A `Schema` lists the fields of a JSON object. `Body::Parse` checks a request body against
// one: the body must be a JSON object; every key must be a declared field (an unknown key is
// an error naming it: a misspelt field is never silently ignored); required fields must be
// present; each value must have the field's kind, and null is accepted only where the field
// is nullable (in PATCH bodies null clears a reference, a date or a number). `Query::Parse`
// does the same for query parameters. Every error is kInvalidArgument naming the field.
// Output schemas use the same declarations to document responses (kinds kObject and kList).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "core/error.hpp"
#include "core/model.hpp"
#include "core/time.hpp"

namespace tandem::api {

enum class Kind : std::uint8_t {
  kString,      // any string
  kId,          // a positive 64-bit integer
  kInteger,     // an integer, within [min, max] when max > min
  kBoolean,     // true or false ("true"/"false" in a query)
  kInstant,     // ISO 8601 text, see core::ParseInstant; written as "2026-11-26T09:30:00.000Z"
  kDate,        // "YYYY-MM-DD"
  kEnum,        // one of `values`
  kEnumList,    // an array of distinct `values` (body only)
  kMoney,       // a non-negative decimal number with at most two decimals (body only)
  kStringMap,   // an object whose values are strings (custom fields; body and output)
  kObject,      // output only: an object of the schema named `ref`
  kList,        // output only: an array of objects of the schema named `ref`
  kNumber,      // a finite JSON number (body and output)
  kStringList,  // an array of strings (body and output)
  kNested,      // body: an object checked against `nested` (documented as its name)
  kNestedList,  // body: an array of objects, each checked against `nested`
  kNumberMap,   // an object whose values are numbers (body only)
  kIdList,      // an array of at most 1000 distinct positive ids (body only)
};

struct Field {
  std::string name;
  Kind kind = Kind::kString;
  std::string doc;
  bool required = false;
  bool nullable = false;
  std::vector<std::string> values;  // kEnum, kEnumList
  std::int64_t min = 0;             // kInteger
  std::int64_t max = 0;
  std::string ref;  // kObject, kList
  // kNested, kNestedList: the schema of the nested objects, whose errors name the field as
  // "criteria[2].weight". The route table must also hold it (AddSchema) for the document.
  std::shared_ptr<const struct Schema> nested;

  Field Required() && {
    required = true;
    return std::move(*this);
  }
  Field Nullable() && {
    nullable = true;
    return std::move(*this);
  }
};

Field TextField(std::string name, std::string doc);
Field IdField(std::string name, std::string doc);
Field IntField(std::string name, std::int64_t min, std::int64_t max, std::string doc);
Field BoolField(std::string name, std::string doc);
Field InstantField(std::string name, std::string doc);
Field DateField(std::string name, std::string doc);
Field EnumField(std::string name, std::vector<std::string> values, std::string doc);
Field EnumListField(std::string name, std::vector<std::string> values, std::string doc);
Field MoneyField(std::string name, std::string doc);
Field MapField(std::string name, std::string doc);
Field NumberMapField(std::string name, std::string doc);
Field ObjectField(std::string name, std::string ref, std::string doc);
Field ListField(std::string name, std::string ref, std::string doc);
Field NumberField(std::string name, std::string doc);
Field StringListField(std::string name, std::string doc);
Field NestedField(std::string name, std::shared_ptr<const Schema> schema, std::string doc);
Field NestedListField(std::string name, std::shared_ptr<const Schema> schema, std::string doc);
Field IdListField(std::string name, std::string doc);

struct Schema {
  std::string name;  // the OpenAPI component name: "Contact", "ContactCreate"
  std::string doc;
  std::vector<Field> fields;
  bool open = false;  // output only: other properties may appear (a free-form document)

  const Field* Find(std::string_view field) const;
};

// A request body that passed its schema. Accessors never fail: the values were checked.
// "Absent" accessors return nothing (or "") for a field that is missing or null.
class Body {
 public:
  Body() = default;
  // Errors: "" when the text is not a JSON object, else the offending field.
  static core::Result<Body> Parse(std::string_view text, const Schema& schema);

  bool Has(std::string_view field) const;  // present, even if null
  bool IsNull(std::string_view field) const;
  std::string Text(std::string_view field) const;
  std::optional<std::string> OptText(std::string_view field) const;
  std::optional<core::Id> Id(std::string_view field) const;
  std::optional<std::int64_t> Int(std::string_view field) const;
  std::optional<bool> Bool(std::string_view field) const;
  std::optional<core::Instant> Time(std::string_view field) const;
  std::optional<core::Date> Day(std::string_view field) const;
  std::optional<std::int64_t> Minor(std::string_view field) const;  // kMoney, in cents
  std::vector<std::string> Strings(std::string_view field) const;
  std::vector<core::Id> Ids(std::string_view field) const;  // kIdList
  core::CustomFields Map(std::string_view field) const;
  std::optional<double> Number(std::string_view field) const;  // kNumber
  // The checked JSON value of a field (nested objects and lists), null when absent or null.
  const boost::json::value* Raw(std::string_view field) const { return Get(field); }
  std::vector<std::pair<std::string, double>> NumberMap(std::string_view field) const;

 private:
  const boost::json::value* Get(std::string_view field) const;
  boost::json::object object_;
};

// Query parameters that passed their declarations. An empty value ("stage=") counts as
// absent; a parameter given twice is an error.
class Query {
 public:
  Query() = default;
  static core::Result<Query> Parse(const std::vector<std::pair<std::string, std::string>>& params,
                                   const std::vector<Field>& fields);

  bool Has(std::string_view name) const;
  std::string Text(std::string_view name) const;
  std::optional<std::string> OptText(std::string_view name) const;
  std::optional<core::Id> Id(std::string_view name) const;
  std::optional<std::int64_t> Int(std::string_view name) const;
  std::optional<bool> Bool(std::string_view name) const;
  std::optional<core::Instant> Time(std::string_view name) const;
  std::optional<core::Date> Day(std::string_view name) const;
  std::optional<double> Number(std::string_view name) const;

 private:
  const std::string* Get(std::string_view name) const;
  std::vector<std::pair<std::string, std::string>> values_;
};

// Money: a JSON number of major units ("12500.5") <-> minor units (1250050). At most two
// decimals, not negative, at most kMaxMoneyUnits major units; the error names `field`.
inline constexpr std::int64_t kMaxMoneyUnits = 1'000'000'000'000;  // 10^12
core::Result<std::int64_t> ParseMoney(const boost::json::value& v, std::string_view field);
boost::json::value MoneyJson(std::int64_t minor);

// The OpenAPI 3.0 description of a schema (an object schema, additionalProperties false) and
// of a single field (a property or a parameter schema).
boost::json::object OpenApiSchema(const Schema& schema);
boost::json::object OpenApiField(const Field& field);

}  // namespace tandem::api
