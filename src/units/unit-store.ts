/**
 * The units' queries (migration 010, docs/organisers.md "Đơn vị đăng ký theo danh sách"):
 * places of a drive reserved for a registered team, the members stored against them and
 * the places returned after the deadline. A member is a sign-up of src/signup/store.ts
 * (takePlace with `unit`), so the desk, the cancel page and the reminders treat it as any
 * other person; the public count of places left sees the unfilled places as taken
 * (RESERVED there) until the deadline.
 *
 * Plain TypeScript that Node runs as it is: the server and the CLI import it directly.
 */
import { withFreshCode } from '../signup/codes.ts';
import { SignupStore, type Person, type SignupRecord, type SlotSpan } from '../signup/store.ts';
import type { ReminderChoice } from '../reminder-choice/reminder-types.ts';
import type { Database } from '../store/database.ts';

/** A slot of a drive as its file defines it now, with its size. */
export interface UnitSlot extends SlotSpan {
  places: number;
}

export interface Reservation {
  id: number;
  drive: string;
  teamCode: string;
  slot: string;
  slotEnd: string;
  places: number;
  /** The deadline, as toISOString wrote it. */
  until: string;
  createdBy: string;
  createdAt: string;
  returnedAt: string | null;
  returnedPlaces: number | null;
  /** Members stored against it and not cancelled. */
  filled: number;
}

export type ReserveResult =
  | { status: 'reserved'; reservations: Reservation[] }
  /** Fewer places free than asked, in the slot asked or in the whole drive. */
  | { status: 'not-enough'; free: number };

export interface MemberToStore {
  person: Person;
  /** The slot chosen for this member; none: the reservation with the most room. */
  slot?: string | undefined;
  /** How this member is told their code (an e-mail given on the list). */
  reminders?: ReminderChoice | undefined;
}

export type StoreMembersResult = {
  batch: number;
  stored: { index: number; signup: SignupRecord }[];
  /** Members past the places left in the unit's reservations (or in the slot they chose). */
  noRoom: number[];
};

/** A unit's figures on one drive: places and people, counts only. */
export interface Turnout {
  teamCode: string;
  name: string;
  drive: string;
  reserved: number;
  /** Members stored and not cancelled. */
  filled: number;
  arrived: number;
  gave: number;
  deferred: number;
  noShow: number;
  /** Units of blood given (a gift recorded at the desk or by `given`). */
  unitsGiven: number;
}

export interface ReturnedPlaces {
  reservation: number;
  teamCode: string;
  drive: string;
  slot: string;
  places: number;
}

interface ReservationRow {
  id: number;
  drive: string;
  team_code: string;
  slot: string;
  slot_end: string;
  places: number;
  until: string;
  created_by: string;
  created_at: string;
  returned_at: string | null;
  returned_places: number | null;
  filled: number;
}

const FILLED = `(SELECT count(*) FROM signups m WHERE m.unit_reservation = r.id AND m.cancelled_at IS NULL)`;

function toReservation(row: ReservationRow): Reservation {
  return {
    id: row.id,
    drive: row.drive,
    teamCode: row.team_code,
    slot: row.slot,
    slotEnd: row.slot_end,
    places: row.places,
    until: row.until,
    createdBy: row.created_by,
    createdAt: row.created_at,
    returnedAt: row.returned_at,
    returnedPlaces: row.returned_places,
    filled: row.filled,
  };
}

/** Whether a reservation still holds its unfilled places at `now`. */
export function isOpen(reservation: Pick<Reservation, 'until' | 'returnedAt'>, now: Date): boolean {
  return reservation.returnedAt === null && Date.parse(reservation.until) > now.getTime();
}

/**
 * `places` spread over the slots, one at a time to the slot with the most free places
 * left (the earlier on a tie), so a unit's people come through the day instead of all at
 * the opening. Null if the free places are fewer.
 */
export function spreadPlaces(
  places: number,
  free: readonly { slot: string; free: number }[],
): Map<string, number> | null {
  const left = free.map((f) => ({ ...f }));
  if (left.reduce((sum, f) => sum + Math.max(0, f.free), 0) < places) return null;
  const spread = new Map<string, number>();
  for (let i = 0; i < places; i += 1) {
    let best = left[0];
    for (const f of left) if (best && f.free > best.free) best = f;
    if (!best) return null;
    best.free -= 1;
    spread.set(best.slot, (spread.get(best.slot) ?? 0) + 1);
  }
  return spread;
}

export class UnitStore {
  readonly db: Database;
  readonly #signups: SignupStore;

  constructor(db: Database) {
    this.db = db;
    this.#signups = new SignupStore(db);
  }

  /**
   * Reserves `places` of a drive for a team until `until`: in one slot, or spread over
   * the drive's slots (spreadPlaces). Counted in the same transaction that stores them,
   * with the public form's rules (people waiting go first, other units' places taken), so
   * a reservation never promises a place someone else has.
   */
  reserve(input: {
    drive: string;
    teamCode: string;
    /** The drive's slots now; with `slot`, only that one is used. */
    slots: readonly UnitSlot[];
    slot?: string | undefined;
    places: number;
    until: Date;
    createdBy: string;
    now: Date;
  }): ReserveResult {
    return this.db.transaction(() => {
      const chosen = input.slot === undefined ? input.slots : input.slots.filter((s) => s.id === input.slot);
      const taken = this.#signups.takenBySlot(input.drive, chosen, input.now, { waitingGoFirst: true });
      const free = chosen.map((s) => ({ slot: s.id, free: Math.max(0, s.places - (taken.get(s.id) ?? 0)) }));
      const spread = spreadPlaces(input.places, free);
      if (!spread) return { status: 'not-enough', free: free.reduce((sum, f) => sum + f.free, 0) } as const;
      const insert = this.db.prepare(
        `INSERT INTO unit_reservations (drive, team_code, slot, slot_end, places, until, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *, 0 AS filled`,
      );
      const reservations: Reservation[] = [];
      for (const slot of chosen) {
        const places = spread.get(slot.id);
        if (!places) continue;
        const row = insert.get(
          input.drive,
          input.teamCode,
          slot.id,
          slot.end,
          places,
          input.until.toISOString(),
          input.createdBy,
          input.now.toISOString(),
        ) as unknown as ReservationRow;
        reservations.push(toReservation(row));
      }
      return { status: 'reserved', reservations } as const;
    });
  }

  /** Reservations of a team, or of every team, with how many each has filled; a drive's alone with `drive`. */
  reservations(filter: { teamCode?: string | undefined; drive?: string | undefined } = {}): Reservation[] {
    return (
      this.db
        .prepare(
          `SELECT r.*, ${FILLED} AS filled FROM unit_reservations r
           WHERE (:team IS NULL OR r.team_code = :team) AND (:drive IS NULL OR r.drive = :drive)
           ORDER BY r.drive, r.team_code, r.slot, r.id`,
        )
        .all({ team: filter.teamCode ?? null, drive: filter.drive ?? null }) as unknown as ReservationRow[]
    ).map(toReservation);
  }

  reservation(id: number): Reservation | undefined {
    const row = this.db.prepare(`SELECT r.*, ${FILLED} AS filled FROM unit_reservations r WHERE r.id = ?`).get(id) as
      ReservationRow | undefined;
    return row && toReservation(row);
  }

  /**
   * Stores a unit's members in one transaction, each against a reservation of the team
   * for the drive that is open and has room (the slot chosen, or the one with the most
   * room), with the batch that records who confirmed the members' consent and when.
   * Members past the room left are not stored and come back in `noRoom`.
   */
  storeMembers(input: {
    teamCode: string;
    drive: string;
    members: readonly MemberToStore[];
    storedBy: string;
    /** Law 91/2025/QH15: the focal person who confirmed the members agreed. */
    consentBy: string;
    now: Date;
  }): StoreMembersResult {
    return this.db.transaction(() => {
      const open = this.reservations({ teamCode: input.teamCode, drive: input.drive }).filter((r) =>
        isOpen(r, input.now),
      );
      const room = new Map(open.map((r) => [r.id, r.places - r.filled]));
      const { id: batch } = this.db
        .prepare(
          `INSERT INTO unit_batches (team_code, drive, stored_by, consent_by, consent_at, members)
           VALUES (?, ?, ?, ?, ?, 0) RETURNING id`,
        )
        .get(input.teamCode, input.drive, input.storedBy, input.consentBy, input.now.toISOString()) as { id: number };
      const stored: StoreMembersResult['stored'] = [];
      const noRoom: number[] = [];
      input.members.forEach((member, index) => {
        const candidates = open.filter(
          (r) => (room.get(r.id) ?? 0) > 0 && (member.slot === undefined || r.slot === member.slot),
        );
        let target = candidates[0];
        for (const r of candidates) if (target && (room.get(r.id) ?? 0) > (room.get(target.id) ?? 0)) target = r;
        if (!target) {
          noRoom.push(index);
          return;
        }
        const chosen = target;
        const result = withFreshCode((code) =>
          this.#signups.takePlace({
            code,
            drive: input.drive,
            slot: chosen.slot,
            slotEnd: chosen.slotEnd,
            // The reservation's places were counted against the slot when it was made.
            capacity: Number.MAX_SAFE_INTEGER,
            person: { ...member.person, teamCode: input.teamCode },
            now: input.now,
            reminders: member.reminders,
            unit: { reservation: chosen.id, places: chosen.places, batch },
          }),
        );
        if (result.status !== 'created') {
          noRoom.push(index);
          return;
        }
        room.set(chosen.id, (room.get(chosen.id) ?? 0) - 1);
        stored.push({ index, signup: result.signup });
      });
      this.db.prepare('UPDATE unit_batches SET members = ? WHERE id = ?').run(stored.length, batch);
      return { batch, stored, noRoom };
    });
  }

  /** A team's members on a drive (or every drive), in slot order, cancelled ones left out. */
  members(teamCode: string, drive?: string): SignupRecord[] {
    const rows = this.db
      .prepare(
        `SELECT s.code FROM signups s JOIN unit_reservations r ON r.id = s.unit_reservation
         WHERE r.team_code = :team AND (:drive IS NULL OR r.drive = :drive) AND s.cancelled_at IS NULL
         ORDER BY s.drive, s.slot, s.id`,
      )
      .all({ team: teamCode, drive: drive ?? null }) as { code: string }[];
    return rows.flatMap(({ code }) => this.#signups.byCode(code) ?? []);
  }

  /**
   * Marks the reservations past their deadline as returned, with how many places they
   * gave back: the count of places left stopped holding them at the deadline already
   * (RESERVED); this records it for the focal accounts' notice and tells the caller which
   * slots to offer the waitlist first.
   */
  returnExpired(now: Date): ReturnedPlaces[] {
    return this.db.transaction(() => {
      const due = this.db
        .prepare(
          `SELECT r.*, ${FILLED} AS filled FROM unit_reservations r
           WHERE r.returned_at IS NULL AND r.until <= ? ORDER BY r.id`,
        )
        .all(now.toISOString()) as unknown as ReservationRow[];
      const mark = this.db.prepare('UPDATE unit_reservations SET returned_at = ?, returned_places = ? WHERE id = ?');
      return due.map((row) => {
        const places = Math.max(0, row.places - row.filled);
        mark.run(now.toISOString(), places, row.id);
        return { reservation: row.id, teamCode: row.team_code, drive: row.drive, slot: row.slot, places };
      });
    });
  }

  /**
   * Each unit's turnout on each drive it had places on (reserved, filled, arrived, gave,
   * deferred, no-show, units given), of one team or drive or all, by units given.
   */
  turnout(filter: { teamCode?: string | undefined; drive?: string | undefined } = {}): Turnout[] {
    return this.db
      .prepare(
        `SELECT r.team_code AS teamCode, coalesce(t.name, r.team_code) AS name, r.drive AS drive,
                sum(r.places) AS reserved,
                coalesce(sum(m.filled), 0) AS filled, coalesce(sum(m.arrived), 0) AS arrived,
                coalesce(sum(m.gave), 0) AS gave, coalesce(sum(m.deferred), 0) AS deferred,
                coalesce(sum(m.noShow), 0) AS noShow, coalesce(sum(m.unitsGiven), 0) AS unitsGiven
         FROM unit_reservations r
         LEFT JOIN teams t ON t.code = r.team_code
         LEFT JOIN (SELECT unit_reservation AS reservation, count(*) AS filled, count(arrived_at) AS arrived,
                           sum(outcome = 'gave') AS gave, sum(outcome = 'deferred') AS deferred,
                           sum(outcome = 'no-show') AS noShow, count(donated_at) AS unitsGiven
                    FROM signups WHERE unit_reservation IS NOT NULL AND cancelled_at IS NULL
                    GROUP BY unit_reservation) m ON m.reservation = r.id
         WHERE (:team IS NULL OR r.team_code = :team) AND (:drive IS NULL OR r.drive = :drive)
         GROUP BY r.team_code, r.drive
         ORDER BY unitsGiven DESC, arrived DESC, r.team_code, r.drive`,
      )
      .all({ team: filter.teamCode ?? null, drive: filter.drive ?? null }) as unknown as Turnout[];
  }

  /** Units by units given over every drive (the honour page): counts only. */
  leadingUnits(limit = 10): { teamCode: string; name: string; drives: number; arrived: number; unitsGiven: number }[] {
    const byTeam = new Map<
      string,
      { teamCode: string; name: string; drives: number; arrived: number; unitsGiven: number }
    >();
    for (const t of this.turnout()) {
      const entry = byTeam.get(t.teamCode) ?? {
        teamCode: t.teamCode,
        name: t.name,
        drives: 0,
        arrived: 0,
        unitsGiven: 0,
      };
      entry.drives += 1;
      entry.arrived += t.arrived;
      entry.unitsGiven += t.unitsGiven;
      byTeam.set(t.teamCode, entry);
    }
    return [...byTeam.values()]
      .filter((e) => e.unitsGiven > 0)
      .sort((a, b) => b.unitsGiven - a.unitsGiven || b.arrived - a.arrived || a.teamCode.localeCompare(b.teamCode))
      .slice(0, limit);
  }

  /**
   * The retention rule (src/privacy/privacy.ts): reservations of slots that ended before
   * `before` (ISO with offset, as slots are written), and the stored lists' consent records
   * no sign-up names any more. Returns how many reservations went.
   */
  purgeOver(before: string): number {
    return this.db.transaction(() => {
      const gone = Number(this.db.prepare('DELETE FROM unit_reservations WHERE slot_end < ?').run(before).changes);
      this.db
        .prepare(
          `DELETE FROM unit_batches WHERE id NOT IN
             (SELECT unit_batch FROM signups WHERE unit_batch IS NOT NULL)`,
        )
        .run();
      return gone;
    });
  }

  /** Whether a team code is registered (a unit is a registered team). */
  hasTeam(code: string): boolean {
    return this.db.prepare('SELECT 1 FROM teams WHERE code = ?').get(code) !== undefined;
  }

  /** The registered teams, each a unit that may have places reserved. */
  teams(): { code: string; name: string }[] {
    return this.db.prepare('SELECT code, name FROM teams ORDER BY code').all() as { code: string; name: string }[];
  }

  teamName(code: string): string | undefined {
    return (this.db.prepare('SELECT name FROM teams WHERE code = ?').get(code) as { name: string } | undefined)?.name;
  }
}
