/**
 * The phone channels (src/reminders/README.md, "Zalo and SMS"): a person's consent to texts
 * on their sign-up's number and when each of Zalo and SMS failed for good for them; the SMS
 * parts and the provider's message id of each outbox row; the SMS delivery receipts; the
 * Official Account's tokens (the refresh token changes at every use, so it lives here, not in
 * a setting); and the messages and SMS parts sent each day per channel, for the daily caps.
 */
export const migration = `ALTER TABLE reminder_contacts ADD COLUMN texts INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE reminder_contacts ADD COLUMN zalo_ended_at TEXT;
   ALTER TABLE reminder_contacts ADD COLUMN sms_ended_at TEXT;
   ALTER TABLE reminder_outbox ADD COLUMN parts INTEGER;
   ALTER TABLE reminder_outbox ADD COLUMN provider_id TEXT;
   -- The setup problem that stopped a row (a Zalo template refused): the console shows these.
   ALTER TABLE reminder_outbox ADD COLUMN setup_error TEXT;
   CREATE TABLE sms_receipts (
     message_id TEXT PRIMARY KEY,
     outbox_id INTEGER NOT NULL,
     part INTEGER NOT NULL,
     state TEXT,
     error TEXT,
     submitted_at TEXT NOT NULL,
     done_at TEXT
   );
   CREATE INDEX sms_receipts_by_outbox ON sms_receipts (outbox_id);
   CREATE TABLE zalo_tokens (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     refresh_token TEXT NOT NULL,
     access_token TEXT,
     access_expires_at TEXT,
     -- A hash of ZALO_REFRESH_TOKEN as last read: a new value in the setting replaces the stored one.
     seeded_from TEXT NOT NULL,
     -- Set while a refresh is under way: found set at start, the last refresh's answer was lost.
     refreshing_since TEXT,
     updated_at TEXT NOT NULL,
     -- Why the token stopped working (refused by Zalo), shown by the console and the command line.
     broken TEXT
   );
   CREATE TABLE channel_days (
     channel TEXT NOT NULL,
     day TEXT NOT NULL,
     messages INTEGER NOT NULL DEFAULT 0,
     parts INTEGER NOT NULL DEFAULT 0,
     PRIMARY KEY (channel, day)
   ) WITHOUT ROWID;`;
