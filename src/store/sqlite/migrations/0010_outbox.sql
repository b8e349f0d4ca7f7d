-- Notifications (docs/notifications.md): the outbox written in the same transaction as the
-- change it announces, the fan-out cursor, webhook subscriptions, deliveries (webhook POSTs
-- and emails, with their retries) and in-app notifications.

-- One row per announced change. Append-only; contact_id and user_id are plain numbers, not
-- foreign keys, so a message outlives the records it names.
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  event_type TEXT NOT NULL CONSTRAINT event_type CHECK (length(event_type) BETWEEN 3 AND 64),
  contact_id INTEGER,
  user_id INTEGER,
  payload TEXT NOT NULL CONSTRAINT payload CHECK (json_valid(payload)),
  created_at INTEGER NOT NULL
);

-- How far each consumer of the outbox has read (the last id it handled).
CREATE TABLE outbox_cursors (
  consumer TEXT PRIMARY KEY,
  last_id INTEGER NOT NULL CHECK (last_id >= 0)
);

CREATE TABLE webhook_subscriptions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  url TEXT NOT NULL,
  secret TEXT NOT NULL CHECK (length(secret) >= 32),
  description TEXT NOT NULL DEFAULT '',
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at INTEGER NOT NULL,
  created_by INTEGER REFERENCES users (id),
  -- A removed subscription keeps its row so its deliveries stay readable; it receives nothing.
  deleted_at INTEGER
);

CREATE TABLE webhook_subscription_events (
  subscription_id INTEGER NOT NULL REFERENCES webhook_subscriptions (id),
  event_type TEXT NOT NULL,
  PRIMARY KEY (event_type, subscription_id)
);

-- Webhook POSTs and emails to send, with their attempts. `uid` is the delivery id receivers
-- use to drop duplicates (delivery is at least once).
CREATE TABLE deliveries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  uid TEXT NOT NULL UNIQUE,
  channel TEXT NOT NULL CHECK (channel IN ('webhook', 'email')),
  outbox_id INTEGER NOT NULL REFERENCES outbox (id),
  subscription_id INTEGER REFERENCES webhook_subscriptions (id),
  user_id INTEGER REFERENCES users (id),
  target TEXT NOT NULL,
  event_type TEXT NOT NULL,
  subject TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at INTEGER NOT NULL,
  last_attempt_at INTEGER,
  last_status INTEGER,
  last_error TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  delivered_at INTEGER,
  CHECK ((channel = 'webhook') = (subscription_id IS NOT NULL))
);
CREATE INDEX deliveries_due ON deliveries (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX deliveries_by_subscription ON deliveries (subscription_id, id);

-- In-app notifications, one per user and outbox message.
CREATE TABLE notifications (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id INTEGER NOT NULL REFERENCES users (id),
  outbox_id INTEGER NOT NULL REFERENCES outbox (id),
  event_type TEXT NOT NULL,
  title TEXT NOT NULL,
  payload TEXT NOT NULL,
  contact_id INTEGER,
  created_at INTEGER NOT NULL,
  is_read INTEGER NOT NULL DEFAULT 0 CHECK (is_read IN (0, 1)),
  read_at INTEGER,
  UNIQUE (outbox_id, user_id)
);
CREATE INDEX notifications_inbox ON notifications (user_id, is_read, id);
