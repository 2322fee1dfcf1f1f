/**
 * Reminders (src/reminders/, docs/developers.md "Reminders"): who agreed to be reminded and
 * how, the waitlist of full slots with the places held for it, the outbox of messages, and
 * the lease that lets one process at a time send them.
 */
export const migration = `CREATE TABLE reminder_contacts (
     id INTEGER PRIMARY KEY,
     consent_at TEXT NOT NULL,
     email TEXT,
     push_subscription TEXT,
     webhook INTEGER NOT NULL DEFAULT 0,
     -- Bearer of the one-click stop link in every message: random, 128 bits.
     stop_token TEXT NOT NULL UNIQUE,
     stopped_at TEXT,
     -- Set when a channel failed for good (push 404/410, an address the mail server refused).
     email_ended_at TEXT,
     push_ended_at TEXT,
     webhook_ended_at TEXT
   );
   ALTER TABLE signups ADD COLUMN reminder_contact INTEGER REFERENCES reminder_contacts (id);
   -- The slot's reminders and the gift's messages are put in the outbox once each.
   ALTER TABLE signups ADD COLUMN reminders_planned INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE signups ADD COLUMN gift_planned INTEGER NOT NULL DEFAULT 0;
   CREATE INDEX signups_by_contact ON signups (reminder_contact) WHERE reminder_contact IS NOT NULL;
   CREATE INDEX signups_to_plan ON signups (id) WHERE reminder_contact IS NOT NULL AND reminders_planned = 0;
   CREATE INDEX signups_gifts_to_plan ON signups (id) WHERE reminder_contact IS NOT NULL AND gift_planned = 0;
   CREATE TABLE waitlist (
     id INTEGER PRIMARY KEY,
     code TEXT NOT NULL UNIQUE,
     drive TEXT NOT NULL,
     slot TEXT NOT NULL,
     slot_end TEXT NOT NULL,
     full_name TEXT NOT NULL,
     phone TEXT NOT NULL,
     birth_year INTEGER NOT NULL,
     sex TEXT NOT NULL CHECK (sex IN ('female', 'male')),
     weight_kg REAL NOT NULL,
     last_donation TEXT,
     team_code TEXT,
     created_at TEXT NOT NULL,
     form_nonce TEXT,
     reminder_contact INTEGER NOT NULL REFERENCES reminder_contacts (id),
     state TEXT NOT NULL DEFAULT 'waiting'
       CHECK (state IN ('waiting', 'offered', 'accepted', 'expired', 'left', 'closed')),
     offer_token TEXT UNIQUE,
     offered_at TEXT,
     -- An offered place counts as taken until then (places left, takePlace).
     hold_until TEXT,
     signup_code TEXT
   );
   CREATE INDEX waitlist_queue ON waitlist (drive, slot, id) WHERE state = 'waiting';
   CREATE INDEX waitlist_holds ON waitlist (drive, slot, slot_end) WHERE state = 'offered';
   CREATE INDEX waitlist_by_form ON waitlist (form_nonce) WHERE form_nonce IS NOT NULL;
   CREATE INDEX waitlist_by_phone ON waitlist (phone);
   CREATE TABLE reminder_outbox (
     id INTEGER PRIMARY KEY,
     -- kind:subject[:slot]: a message is put in once whoever plans it and however often.
     dedupe_key TEXT NOT NULL,
     channel TEXT NOT NULL CHECK (channel IN ('email', 'push', 'webhook')),
     kind TEXT NOT NULL,
     contact INTEGER NOT NULL,
     signup_code TEXT,
     waitlist_id INTEGER,
     drive TEXT NOT NULL,
     due_at TEXT NOT NULL,
     expires_at TEXT NOT NULL,
     state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed', 'dropped')),
     attempts INTEGER NOT NULL DEFAULT 0,
     next_try_at TEXT NOT NULL,
     last_error TEXT,
     created_at TEXT NOT NULL,
     sent_at TEXT,
     UNIQUE (dedupe_key, channel)
   );
   CREATE INDEX outbox_due ON reminder_outbox (next_try_at, id) WHERE state = 'pending';
   CREATE INDEX outbox_by_contact ON reminder_outbox (contact);
   CREATE TABLE reminder_lease (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at TEXT NOT NULL);`;
