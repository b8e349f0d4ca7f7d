// The mapping between events and their rows, written once for both backends (the reader and
// binder interfaces of rows.hpp).
#pragma once

#include <string_view>

#include "core/event.hpp"
#include "store/common/rows.hpp"

namespace tandem::store::rows {

inline constexpr std::string_view kEventColumns =
    "id, event_id, type, occurred_at, received_at, contact_id, email, anonymous_id, utm_source, "
    "utm_medium, utm_campaign, properties";
// The columns an insert binds, in BindEvent's order (every column but id).
inline constexpr std::string_view kEventInsertColumns =
    "event_id, type, occurred_at, received_at, contact_id, email, anonymous_id, utm_source, "
    "utm_medium, utm_campaign, properties";
inline constexpr int kEventInsertColumnCount = 11;

template <ColumnReader R>
core::Event ReadEvent(const R& s) {
  core::Event e;
  e.id = s.Int(0);
  e.event_id = s.Text(1);
  e.type = s.Text(2);
  e.occurred_at = core::FromMillis(s.Int(3));
  e.received_at = core::FromMillis(s.Int(4));
  e.contact_id = s.OptInt(5);
  e.email = s.Text(6);
  e.anonymous_id = s.Text(7);
  e.utm_source = s.Text(8);
  e.utm_medium = s.Text(9);
  e.utm_campaign = s.Text(10);
  e.properties = s.Text(11);
  return e;
}

template <ParameterBinder B>
void BindEvent(B& s, const core::Event& e) {
  s.Bind(std::string_view(e.event_id))
      .Bind(std::string_view(e.type))
      .Bind(core::ToMillis(e.occurred_at))
      .Bind(core::ToMillis(e.received_at))
      .Bind(e.contact_id)
      .Bind(std::string_view(e.email))
      .Bind(std::string_view(e.anonymous_id))
      .Bind(std::string_view(e.utm_source))
      .Bind(std::string_view(e.utm_medium))
      .Bind(std::string_view(e.utm_campaign))
      .Bind(std::string_view(e.properties));
}

}  // namespace tandem::store::rows
