#include "app/outbox.hpp"

#include "app/notifications.hpp"

#include <cstdio>

namespace tandem::app {

void AppendJsonString(std::string& out, std::string_view value) {
  out.push_back('"');
  for (char ch : value) {
    auto c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out.push_back(ch);
        }
    }
  }
  out.push_back('"');
}

void Payload::Key(std::string_view key) {
  if (text_.size() > 1) text_.push_back(',');
  AppendJsonString(text_, key);
  text_.push_back(':');
}

Payload& Payload::Str(std::string_view key, std::string_view value) {
  Key(key);
  AppendJsonString(text_, value);
  return *this;
}

Payload& Payload::Int(std::string_view key, std::int64_t value) {
  Key(key);
  text_ += std::to_string(value);
  return *this;
}

Payload& Payload::Int(std::string_view key, const std::optional<std::int64_t>& value) {
  if (!value) return Null(key);
  return Int(key, *value);
}

Payload& Payload::Bool(std::string_view key, bool value) {
  Key(key);
  text_ += value ? "true" : "false";
  return *this;
}

Payload& Payload::Time(std::string_view key, core::Instant value) {
  return Str(key, core::FormatInstant(value));
}

Payload& Payload::Time(std::string_view key, const std::optional<core::Instant>& value) {
  if (!value) return Null(key);
  return Time(key, *value);
}

Payload& Payload::Raw(std::string_view key, std::string_view json) {
  Key(key);
  text_ += json;
  return *this;
}

Payload& Payload::Null(std::string_view key) {
  Key(key);
  text_ += "null";
  return *this;
}

Payload ContactPayload(const core::Contact& c) {
  Payload p;
  p.Int("contact_id", c.id)
      .Str("email", c.email)
      .Str("first_name", c.first_name)
      .Str("last_name", c.last_name)
      .Int("company_id", c.company_id)
      .Int("owner_id", c.owner_id)
      .Str("stage", core::ToString(c.stage));
  return p;
}

Result<Id> Announce(store::Tx& tx, std::string_view event_type, std::optional<Id> contact_id,
                    std::optional<Id> user_id, std::string payload, core::Instant now) {
  core::OutboxMessage m;
  m.event_type = std::string(event_type);
  m.contact_id = contact_id;
  m.user_id = user_id;
  m.payload = std::move(payload);
  m.created_at = now;
  return tx.outbox().Append(m);
}

Result<void> AnnounceMql(store::Tx& tx, const core::Contact& c, std::optional<core::Stage> from,
                         std::string_view cause, std::string_view reason, core::Instant now) {
  auto p = ContactPayload(c);
  if (from) {
    p.Str("from_stage", core::ToString(*from));
  } else {
    p.Null("from_stage");
  }
  p.Str("cause", cause).Str("reason", reason).Time("at", now);
  TANDEM_TRY(Announce(tx, core::kEventContactMql, c.id, std::nullopt, p.Done(), now));
  return {};
}

Result<void> OutboxHandoffNotifier::Publish(store::Tx& tx, const HandoffEvent& e) {
  TANDEM_ASSIGN(auto contact, tx.contacts().Get(e.contact_id));
  Payload p;
  if (contact) {
    p = ContactPayload(*contact);
  } else {
    p.Int("contact_id", e.contact_id);  // erased meanwhile: the message still names it
  }
  for (const auto& [key, value] : e.fields) {
    const bool id = key.size() > 3 && key.ends_with("_id") && !value.empty() &&
                    value.find_first_not_of("0123456789") == std::string::npos && value.size() < 19;
    if (id) {
      p.Int(key, std::stoll(value));
    } else {
      p.Str(key, value);
    }
  }
  p.Time("at", e.at);
  TANDEM_TRY(Announce(tx, e.type, e.contact_id, e.recipient_id, p.Done(), e.at));
  if (dispatcher_ != nullptr) TANDEM_TRY(dispatcher_->DispatchIn(tx));
  return {};
}

}  // namespace tandem::app
