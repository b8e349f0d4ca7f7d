#include "api/schema.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include <boost/json/array.hpp>
#include <boost/json/string.hpp>

#include "api/json_io.hpp"

namespace tandem::api {
namespace json = boost::json;

namespace {

using core::Error;
using core::Fail;

Field Make(std::string name, Kind kind, std::string doc) {
  Field f;
  f.name = std::move(name);
  f.kind = kind;
  f.doc = std::move(doc);
  return f;
}

std::string_view View(const json::string& s) {
  return {s.data(), s.size()};
}

std::string Joined(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& v : values) {
    if (!out.empty()) out += ", ";
    out += v;
  }
  return out;
}

std::optional<std::int64_t> ParseInt(std::string_view text) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

std::optional<double> ParseNumber(std::string_view text) {
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty() || !std::isfinite(v)) {
    return std::nullopt;
  }
  return v;
}

bool Contains(const std::vector<std::string>& values, std::string_view v) {
  return std::find(values.begin(), values.end(), v) != values.end();
}

std::string RangeText(const Field& f) {
  return "must be an integer from " + std::to_string(f.min) + " to " + std::to_string(f.max);
}

// The checks shared by JSON strings and query parameters, for the kinds that are text.
core::Result<void> CheckText(const Field& f, std::string_view text) {
  switch (f.kind) {
    case Kind::kString: return {};
    case Kind::kId: {
      auto v = ParseInt(text);
      if (!v || *v <= 0) return Fail(Error::Invalid(f.name, "must be a positive integer id"));
      return {};
    }
    case Kind::kInteger: {
      auto v = ParseInt(text);
      if (!v) return Fail(Error::Invalid(f.name, "must be an integer"));
      if (f.max > f.min && (*v < f.min || *v > f.max)) {
        return Fail(Error::Invalid(f.name, RangeText(f)));
      }
      return {};
    }
    case Kind::kBoolean:
      if (text == "true" || text == "false") return {};
      return Fail(Error::Invalid(f.name, "must be true or false"));
    case Kind::kInstant:
      if (core::ParseInstant(text)) return {};
      return Fail(
          Error::Invalid(f.name, "must be an ISO 8601 date and time such as 2026-11-26T09:30:00Z"));
    case Kind::kDate:
      if (core::ParseDate(text)) return {};
      return Fail(Error::Invalid(f.name, "must be a calendar date YYYY-MM-DD"));
    case Kind::kEnum:
      if (Contains(f.values, text)) return {};
      return Fail(Error::Invalid(f.name, "must be one of: " + Joined(f.values)));
    case Kind::kNumber:
      if (ParseNumber(text)) return {};
      return Fail(Error::Invalid(f.name, "must be a number"));
    default: return Fail(Error::Invalid(f.name, "cannot be given as text"));
  }
}

core::Result<void> CheckValue(const Field& f, const json::value& v);

std::string AllowedNames(const std::vector<Field>& fields);

// Checks one nested object against `schema`, naming fields "<prefix>.<name>".
core::Result<void> CheckNested(const json::value& v, const Schema& schema,
                               const std::string& prefix) {
  if (!v.is_object()) return Fail(Error::Invalid(prefix, "must be an object"));
  const auto& o = v.get_object();
  for (const auto& kv : o) {
    const std::string key(kv.key().data(), kv.key().size());
    if (!schema.Find(key)) {
      return Fail(Error::Invalid(
          prefix + "." + key,
          "unknown field \"" + key + "\"; the fields are: " + AllowedNames(schema.fields)));
    }
  }
  for (const auto& f : schema.fields) {
    Field named = f;
    named.name = prefix + "." + f.name;
    const json::value* x = o.if_contains(f.name);
    if (!x) {
      if (f.required) return Fail(Error::Invalid(named.name, "is required"));
      continue;
    }
    TANDEM_TRY(CheckValue(named, *x));
  }
  return {};
}

constexpr std::size_t kMaxListItems = 1000;

core::Result<void> CheckValue(const Field& f, const json::value& v) {
  if (v.is_null()) {
    if (f.nullable) return {};
    return Fail(Error::Invalid(f.name, "must not be null"));
  }
  switch (f.kind) {
    case Kind::kString:
    case Kind::kInstant:
    case Kind::kDate:
    case Kind::kEnum:
      if (!v.is_string()) {
        return Fail(Error::Invalid(f.name, f.kind == Kind::kEnum
                                               ? "must be a string, one of: " + Joined(f.values)
                                               : std::string("must be a string")));
      }
      return CheckText(f, View(v.get_string()));
    case Kind::kId:
      if (!v.is_int64() || v.get_int64() <= 0) {
        return Fail(Error::Invalid(f.name, "must be a positive integer id"));
      }
      return {};
    case Kind::kInteger:
      if (!v.is_int64()) return Fail(Error::Invalid(f.name, "must be an integer"));
      if (f.max > f.min && (v.get_int64() < f.min || v.get_int64() > f.max)) {
        return Fail(Error::Invalid(f.name, RangeText(f)));
      }
      return {};
    case Kind::kBoolean:
      if (!v.is_bool()) return Fail(Error::Invalid(f.name, "must be true or false"));
      return {};
    case Kind::kEnumList: {
      const std::string what = "must be an array of distinct values from: " + Joined(f.values);
      if (!v.is_array()) return Fail(Error::Invalid(f.name, what));
      std::vector<std::string_view> seen;
      for (const auto& item : v.get_array()) {
        if (!item.is_string() || !Contains(f.values, View(item.get_string())) ||
            std::find(seen.begin(), seen.end(), View(item.get_string())) != seen.end()) {
          return Fail(Error::Invalid(f.name, what));
        }
        seen.push_back(View(item.get_string()));
      }
      return {};
    }
    case Kind::kMoney: {
      auto r = ParseMoney(v, f.name);
      if (!r) return Fail(std::move(r.error()));
      return {};
    }
    case Kind::kStringMap:
      if (!v.is_object()) return Fail(Error::Invalid(f.name, "must be an object of strings"));
      for (const auto& kv : v.get_object()) {
        if (!kv.value().is_string()) {
          return Fail(Error::Invalid(f.name, "must be an object of strings; \"" +
                                                 std::string(kv.key().data(), kv.key().size()) +
                                                 "\" is not a string"));
        }
      }
      return {};
    case Kind::kNumber:
      if (!v.is_number()) return Fail(Error::Invalid(f.name, "must be a number"));
      if (!std::isfinite(v.to_number<double>())) {
        return Fail(Error::Invalid(f.name, "must be a finite number"));
      }
      return {};
    case Kind::kStringList:
      if (!v.is_array() || v.get_array().size() > kMaxListItems) {
        return Fail(Error::Invalid(f.name, "must be an array of at most 1000 strings"));
      }
      for (const auto& item : v.get_array()) {
        if (!item.is_string()) return Fail(Error::Invalid(f.name, "must be an array of strings"));
      }
      return {};
    case Kind::kNested: return CheckNested(v, *f.nested, f.name);
    case Kind::kNestedList: {
      if (!v.is_array() || v.get_array().size() > kMaxListItems) {
        return Fail(Error::Invalid(f.name, "must be an array of at most 1000 objects"));
      }
      std::size_t i = 0;
      for (const auto& item : v.get_array()) {
        TANDEM_TRY(CheckNested(item, *f.nested, f.name + "[" + std::to_string(i++) + "]"));
      }
      return {};
    }
    case Kind::kNumberMap:
      if (!v.is_object()) return Fail(Error::Invalid(f.name, "must be an object of numbers"));
      for (const auto& kv : v.get_object()) {
        if (!kv.value().is_number()) {
          return Fail(Error::Invalid(f.name + "." + std::string(kv.key().data(), kv.key().size()),
                                     "must be a number"));
        }
      }
      return {};
    case Kind::kIdList: {
      const std::string what = "must be an array of at most 1000 distinct positive integer ids";
      if (!v.is_array() || v.get_array().size() > kMaxListItems) {
        return Fail(Error::Invalid(f.name, what));
      }
      std::vector<std::int64_t> seen;
      for (const auto& item : v.get_array()) {
        if (!item.is_int64() || item.get_int64() <= 0) return Fail(Error::Invalid(f.name, what));
        seen.push_back(item.get_int64());
      }
      std::sort(seen.begin(), seen.end());
      if (std::adjacent_find(seen.begin(), seen.end()) != seen.end()) {
        return Fail(Error::Invalid(f.name, what));
      }
      return {};
    }
    case Kind::kObject:
    case Kind::kList: break;
  }
  return Fail(Error::Invalid(f.name, "is read-only"));
}

std::string AllowedNames(const std::vector<Field>& fields) {
  std::string out;
  for (const auto& f : fields) {
    if (!out.empty()) out += ", ";
    out += f.name;
  }
  return out;
}

}  // namespace

Field TextField(std::string name, std::string doc) {
  return Make(std::move(name), Kind::kString, std::move(doc));
}
Field IdField(std::string name, std::string doc) {
  return Make(std::move(name), Kind::kId, std::move(doc));
}
Field IntField(std::string name, std::int64_t min, std::int64_t max, std::string doc) {
  Field f = Make(std::move(name), Kind::kInteger, std::move(doc));
  f.min = min;
  f.max = max;
  return f;
}
Field NumberMapField(std::string name, std::string doc) {
  return Make(std::move(name), Kind::kNumberMap, std::move(doc));
}
Field BoolField(std::string name, std::string doc) {
  return Make(std::move(name), Kind::kBoolean, std::move(doc));
}
Field InstantField(std::string name, std::string doc) {
  return Make(std::move(name), Kind::kInstant, std::move(doc));
}
Field DateField(std::string name, std::string doc) {
  return Make(std::move(name), Kind::kDate, std::move(doc));
}
Field EnumField(std::string name, std::vector<std::string> values, std::string doc) {
  Field f = Make(std::move(name), Kind::kEnum, std::move(doc));
  f.values = std::move(values);
  return f;
}
Field EnumListField(std::string name, std::vector<std::string> values, std::string doc) {
  Field f = Make(std::move(name), Kind::kEnumList, std::move(doc));
  f.values = std::move(values);
  return f;
}
Field MoneyField(std::string name, std::string doc) {
  return Make(std::move(name), Kind::kMoney, std::move(doc));
}
Field MapField(std::string name, std::string doc) {
  return Make(std::move(name), Kind::kStringMap, std::move(doc));
}
Field ObjectField(std::string name, std::string ref, std::string doc) {
  Field f = Make(std::move(name), Kind::kObject, std::move(doc));
  f.ref = std::move(ref);
  return f;
}
Field ListField(std::string name, std::string ref, std::string doc) {
  Field f = Make(std::move(name), Kind::kList, std::move(doc));
  f.ref = std::move(ref);
  return f;
}

Field NumberField(std::string name, std::string doc) {
  return Make(std::move(name), Kind::kNumber, std::move(doc));
}
Field StringListField(std::string name, std::string doc) {
  return Make(std::move(name), Kind::kStringList, std::move(doc));
}
Field NestedField(std::string name, std::shared_ptr<const Schema> schema, std::string doc) {
  Field f = Make(std::move(name), Kind::kNested, std::move(doc));
  f.ref = schema->name;
  f.nested = std::move(schema);
  return f;
}
Field NestedListField(std::string name, std::shared_ptr<const Schema> schema, std::string doc) {
  Field f = Make(std::move(name), Kind::kNestedList, std::move(doc));
  f.ref = schema->name;
  f.nested = std::move(schema);
  return f;
}

Field IdListField(std::string name, std::string doc) {
  return Make(std::move(name), Kind::kIdList, std::move(doc));
}

const Field* Schema::Find(std::string_view field) const {
  for (const auto& f : fields) {
    if (f.name == field) return &f;
  }
  return nullptr;
}

// ----- Body ----------------------------------------------------------------------------------

core::Result<Body> Body::Parse(std::string_view text, const Schema& schema) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return Fail(Error::Invalid("", "a JSON object body is required"));
  }
  TANDEM_ASSIGN(json::value doc, ParseJson(text));
  if (!doc.is_object()) return Fail(Error::Invalid("", "the body must be a JSON object"));
  Body body;
  body.object_ = std::move(doc.get_object());
  for (const auto& kv : body.object_) {
    const std::string key(kv.key().data(), kv.key().size());
    if (!schema.Find(key)) {
      return Fail(Error::Invalid(
          key, "unknown field \"" + key + "\"; the fields are: " + AllowedNames(schema.fields)));
    }
  }
  for (const auto& f : schema.fields) {
    const json::value* v = body.object_.if_contains(f.name);
    if (!v) {
      if (f.required) return Fail(Error::Invalid(f.name, "is required"));
      continue;
    }
    TANDEM_TRY(CheckValue(f, *v));
  }
  return body;
}

const json::value* Body::Get(std::string_view field) const {
  const json::value* v = object_.if_contains(field);
  return v && !v->is_null() ? v : nullptr;
}

bool Body::Has(std::string_view field) const {
  return object_.contains(field);
}

bool Body::IsNull(std::string_view field) const {
  const json::value* v = object_.if_contains(field);
  return v && v->is_null();
}

std::string Body::Text(std::string_view field) const {
  return OptText(field).value_or("");
}

std::optional<std::string> Body::OptText(std::string_view field) const {
  const json::value* v = Get(field);
  if (!v || !v->is_string()) return std::nullopt;
  return std::string(View(v->get_string()));
}

std::optional<core::Id> Body::Id(std::string_view field) const {
  return Int(field);
}

std::optional<std::int64_t> Body::Int(std::string_view field) const {
  const json::value* v = Get(field);
  if (!v || !v->is_int64()) return std::nullopt;
  return v->get_int64();
}

std::optional<bool> Body::Bool(std::string_view field) const {
  const json::value* v = Get(field);
  if (!v || !v->is_bool()) return std::nullopt;
  return v->get_bool();
}

std::optional<core::Instant> Body::Time(std::string_view field) const {
  auto t = OptText(field);
  return t ? core::ParseInstant(*t) : std::nullopt;
}

std::optional<core::Date> Body::Day(std::string_view field) const {
  auto t = OptText(field);
  return t ? core::ParseDate(*t) : std::nullopt;
}

std::optional<double> Body::Number(std::string_view field) const {
  const json::value* v = Get(field);
  if (!v || !v->is_number()) return std::nullopt;
  return v->to_number<double>();
}

std::optional<std::int64_t> Body::Minor(std::string_view field) const {
  const json::value* v = Get(field);
  if (!v) return std::nullopt;
  auto r = ParseMoney(*v, field);
  return r ? std::optional<std::int64_t>(*r) : std::nullopt;
}

std::vector<std::string> Body::Strings(std::string_view field) const {
  std::vector<std::string> out;
  const json::value* v = Get(field);
  if (!v || !v->is_array()) return out;
  for (const auto& item : v->get_array()) {
    if (item.is_string()) out.emplace_back(View(item.get_string()));
  }
  return out;
}

std::vector<core::Id> Body::Ids(std::string_view field) const {
  std::vector<core::Id> out;
  const json::value* v = Get(field);
  if (!v || !v->is_array()) return out;
  for (const auto& item : v->get_array()) {
    if (item.is_int64()) out.push_back(item.get_int64());
  }
  return out;
}

core::CustomFields Body::Map(std::string_view field) const {
  core::CustomFields out;
  const json::value* v = Get(field);
  if (!v || !v->is_object()) return out;
  for (const auto& kv : v->get_object()) {
    if (kv.value().is_string()) {
      out[std::string(kv.key().data(), kv.key().size())] =
          std::string(View(kv.value().get_string()));
    }
  }
  return out;
}

// ----- Query ---------------------------------------------------------------------------------

core::Result<Query> Query::Parse(const std::vector<std::pair<std::string, std::string>>& params,
                                 const std::vector<Field>& fields) {
  Query q;
  for (const auto& [name, value] : params) {
    const auto f = std::find_if(fields.begin(), fields.end(),
                                [&n = name](const Field& x) { return x.name == n; });
    if (f == fields.end()) {
      std::string allowed = AllowedNames(fields);
      return Fail(Error::Invalid(name, "unknown query parameter \"" + name + "\"" +
                                           (allowed.empty() ? "; this endpoint takes none"
                                                            : "; the parameters are: " + allowed)));
    }
    if (std::any_of(q.values_.begin(), q.values_.end(),
                    [&n = name](const auto& kv) { return kv.first == n; })) {
      return Fail(Error::Invalid(name, "is given more than once"));
    }
    q.values_.emplace_back(name, value);
    if (value.empty()) continue;
    TANDEM_TRY(CheckText(*f, value));
  }
  for (const Field& f : fields) {
    if (f.required && !q.Get(f.name)) return Fail(Error::Invalid(f.name, "is required"));
  }
  return q;
}

const std::string* Query::Get(std::string_view name) const {
  for (const auto& [k, v] : values_) {
    if (k == name && !v.empty()) return &v;
  }
  return nullptr;
}

bool Query::Has(std::string_view name) const {
  return Get(name) != nullptr;
}

std::string Query::Text(std::string_view name) const {
  return OptText(name).value_or("");
}

std::optional<std::string> Query::OptText(std::string_view name) const {
  const std::string* v = Get(name);
  return v ? std::optional<std::string>(*v) : std::nullopt;
}

std::optional<core::Id> Query::Id(std::string_view name) const {
  return Int(name);
}

std::optional<std::int64_t> Query::Int(std::string_view name) const {
  const std::string* v = Get(name);
  return v ? ParseInt(*v) : std::nullopt;
}

std::optional<bool> Query::Bool(std::string_view name) const {
  const std::string* v = Get(name);
  if (!v) return std::nullopt;
  return *v == "true";
}

std::optional<core::Instant> Query::Time(std::string_view name) const {
  const std::string* v = Get(name);
  return v ? core::ParseInstant(*v) : std::nullopt;
}

std::optional<core::Date> Query::Day(std::string_view name) const {
  const std::string* v = Get(name);
  return v ? core::ParseDate(*v) : std::nullopt;
}

std::optional<double> Query::Number(std::string_view name) const {
  const std::string* v = Get(name);
  return v ? ParseNumber(*v) : std::nullopt;
}

std::vector<std::pair<std::string, double>> Body::NumberMap(std::string_view field) const {
  std::vector<std::pair<std::string, double>> out;
  const json::value* v = Get(field);
  if (!v || !v->is_object()) return out;
  for (const auto& kv : v->get_object()) {
    if (kv.value().is_number()) {
      out.emplace_back(std::string(kv.key().data(), kv.key().size()),
                       kv.value().to_number<double>());
    }
  }
  return out;
}

// ----- Money ---------------------------------------------------------------------------------

core::Result<std::int64_t> ParseMoney(const json::value& v, std::string_view field) {
  const std::string name(field);
  const auto bad = [&] {
    return Fail(Error::Invalid(
        name, "must be a non-negative amount with at most two decimals, below 10^12"));
  };
  if (v.is_int64()) {
    const std::int64_t units = v.get_int64();
    if (units < 0 || units > kMaxMoneyUnits) return bad();
    return units * 100;
  }
  if (!v.is_double()) return bad();
  const double d = v.get_double();
  if (!std::isfinite(d) || d < 0 || d > static_cast<double>(kMaxMoneyUnits)) return bad();
  if (d == 0) return 0;
  // The shortest text that reads back as the same double is the number the client wrote
  // (for amounts of up to 15 significant digits), so decimals are counted on it, not on the
  // binary value: 0.29 has two decimals even though 0.29 * 100 is 28.999999999999996.
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed);
  if (ec != std::errc()) return bad();
  std::string_view text(buf, static_cast<std::size_t>(end - buf));
  const auto dot = text.find('.');
  std::string_view whole = text.substr(0, dot);
  std::string_view frac = dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  if (frac.size() > 2) return bad();
  auto units = ParseInt(whole);
  if (!units) return bad();
  std::int64_t cents = 0;
  for (std::size_t i = 0; i < 2; ++i) {
    cents = cents * 10 + (i < frac.size() ? frac[i] - '0' : 0);
  }
  return *units * 100 + cents;
}

json::value MoneyJson(std::int64_t minor) {
  if (minor % 100 == 0) return json::value(minor / 100);
  return json::value(static_cast<double>(minor) / 100.0);
}

// ----- OpenAPI -------------------------------------------------------------------------------

json::object OpenApiField(const Field& f) {
  json::object s;
  auto values = [&] {
    json::array a;
    for (const auto& v : f.values) a.emplace_back(v);
    return a;
  };
  switch (f.kind) {
    case Kind::kString: s["type"] = "string"; break;
    case Kind::kId:
      s["type"] = "integer";
      s["format"] = "int64";
      s["minimum"] = 1;
      break;
    case Kind::kInteger:
      s["type"] = "integer";
      s["format"] = "int64";
      if (f.max > f.min) {
        s["minimum"] = f.min;
        s["maximum"] = f.max;
      }
      break;
    case Kind::kBoolean: s["type"] = "boolean"; break;
    case Kind::kInstant:
      s["type"] = "string";
      s["format"] = "date-time";
      break;
    case Kind::kDate:
      s["type"] = "string";
      s["format"] = "date";
      break;
    case Kind::kEnum:
      s["type"] = "string";
      s["enum"] = values();
      break;
    case Kind::kEnumList: {
      s["type"] = "array";
      json::object items;
      items["type"] = "string";
      items["enum"] = values();
      s["items"] = std::move(items);
      s["uniqueItems"] = true;
      break;
    }
    case Kind::kMoney:
      s["type"] = "number";
      s["minimum"] = 0;
      s["maximum"] = kMaxMoneyUnits;
      s["multipleOf"] = 0.01;
      break;
    case Kind::kStringMap: {
      s["type"] = "object";
      json::object str;
      str["type"] = "string";
      s["additionalProperties"] = std::move(str);
      break;
    }
    case Kind::kNumber: s["type"] = "number"; break;
    case Kind::kStringList:
      s["type"] = "array";
      s["items"] = json::object{{"type", "string"}};
      break;
    case Kind::kIdList:
      s["type"] = "array";
      s["items"] = json::object{{"type", "integer"}, {"format", "int64"}, {"minimum", 1}};
      s["uniqueItems"] = true;
      s["maxItems"] = 1000;
      break;
    case Kind::kNumberMap: {
      s["type"] = "object";
      s["additionalProperties"] = json::object{{"type", "number"}};
      break;
    }
    case Kind::kNested:
    case Kind::kObject:
      if (f.nullable || !f.doc.empty()) {
        // $ref may have no siblings in OpenAPI 3.0; allOf carries nullable and the text.
        json::array all;
        all.emplace_back(json::object{{"$ref", "#/components/schemas/" + f.ref}});
        s["allOf"] = std::move(all);
      } else {
        s["$ref"] = "#/components/schemas/" + f.ref;
      }
      break;
    case Kind::kNestedList:
    case Kind::kList: {
      s["type"] = "array";
      s["items"] = json::object{{"$ref", "#/components/schemas/" + f.ref}};
      break;
    }
  }
  if (f.nullable) s["nullable"] = true;
  if (!f.doc.empty()) s["description"] = f.doc;
  return s;
}

json::object OpenApiSchema(const Schema& schema) {
  json::object s;
  s["type"] = "object";
  if (!schema.doc.empty()) s["description"] = schema.doc;
  json::object props;
  json::array required;
  for (const auto& f : schema.fields) {
    props[f.name] = OpenApiField(f);
    if (f.required) required.emplace_back(f.name);
  }
  s["properties"] = std::move(props);
  if (!required.empty()) s["required"] = std::move(required);
  s["additionalProperties"] = schema.open;
  return s;
}

}  // namespace tandem::api
