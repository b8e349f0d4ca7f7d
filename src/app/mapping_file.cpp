// The mapping file reader, apart from the importer so toml++ is compiled in one unit.
#include <toml++/toml.h>

#include <sstream>

#include "app/importer.hpp"

namespace tandem::app {

using core::Error;
using core::Fail;
using core::Result;
using namespace core::imports;

namespace {

Result<std::string> StringAt(const toml::node& node, const std::string& key) {
  if (auto v = node.value<std::string>()) return *v;
  return Fail(Error::Invalid(key, key + " must be a string"));
}

}  // namespace

Result<MappingOverrides> ParseMappingFile(std::string_view text) {
  // Debian's toml++ is built with exceptions: its parse error becomes a value here.
  toml::table root;
  try {
    root = toml::parse(text);
  } catch (const toml::parse_error& err) {
    return Fail(Error::Invalid("mapping", "the mapping file is not valid TOML (line " +
                                              std::to_string(err.source().begin.line) +
                                              "): " + std::string(err.description())));
  }
  MappingOverrides out;
  for (const auto& [key_node, node] : root) {
    const std::string key(key_node.str());
    if (key == "preset") {
      TANDEM_ASSIGN(std::string v, StringAt(node, key));
      out.preset = PresetFromString(v);
      if (!out.preset) {
        return Fail(Error::Invalid(key,
                                   "preset must be generic, hubspot, salesforce or "
                                   "pipedrive, not \"" +
                                       v + "\""));
      }
    } else if (key == "date_order") {
      TANDEM_ASSIGN(std::string v, StringAt(node, key));
      out.date_order = DateOrderFromString(v);
      if (!out.date_order) {
        return Fail(Error::Invalid(key, "date_order must be mdy or dmy, not \"" + v + "\""));
      }
    } else if (key == "columns" || key == "owners" || key == "stages") {
      const toml::table* table = node.as_table();
      if (!table) return Fail(Error::Invalid(key, "[" + key + "] must be a table"));
      for (const auto& [k, v] : *table) {
        const std::string name(k.str());
        const std::string where = key + "." + name;
        TANDEM_ASSIGN(std::string value, StringAt(v, where));
        if (key == "columns") {
          auto target = TargetFromString(value);
          if (!target) {
            return Fail(
                Error::Invalid(where, "\"" + value +
                                          "\" is not a field Tandem knows "
                                          "(email, first_name, last_name, full_name, phone, "
                                          "title, company, owner, stage, lead_status, "
                                          "source, campaign, country, created_at, "
                                          "became_<stage>_at, consent, "
                                          "consent:<purpose>, custom:<name>, ignore...)"));
          }
          out.columns[name] = *target;
        } else if (key == "owners") {
          out.owners[name] = value;
        } else {
          auto stage = core::StageFromString(value);
          if (!stage) {
            return Fail(Error::Invalid(where, "\"" + value + "\" is not a Tandem stage"));
          }
          out.stages[name] = *stage;
        }
      }
    } else {
      return Fail(Error::Invalid(key, "unknown key \"" + key +
                                          "\" (known: preset, date_order, [columns], [owners], "
                                          "[stages])"));
    }
  }
  return out;
}

}  // namespace tandem::app
