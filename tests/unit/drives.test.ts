import { describe, expect, test } from 'vitest';
import {
  compareForList,
  directionsLinks,
  drivePhase,
  driveSlots,
  isOpen,
  nextOpenDrives,
  type DriveTimes,
} from '../../src/drives/drives.ts';
import { formatTimeRange } from '../../src/shared/dates.ts';

const at = (iso: string) => new Date(iso);
const drive = (id: string, start: string, hours: number, status: DriveTimes['status'] = 'scheduled') => ({
  id,
  start: at(start),
  end: new Date(at(start).getTime() + hours * 3_600_000),
  status,
});
const NOW = at('2026-11-26T09:00:00+07:00');

describe('drivePhase', () => {
  test.each([
    [drive('later', '2026-12-05T07:00:00+07:00', 4), 'upcoming'],
    [drive('now', '2026-11-26T07:00:00+07:00', 4), 'ongoing'],
    [drive('done', '2026-11-25T07:00:00+07:00', 4), 'ended'],
    [drive('marked-finished-early', '2026-11-26T07:00:00+07:00', 4, 'finished'), 'ended'],
    [drive('called-off', '2026-12-05T07:00:00+07:00', 4, 'cancelled'), 'cancelled'],
  ] as const)('%o is %s', (d, phase) => {
    expect(drivePhase(d, NOW)).toBe(phase);
  });

  test('a drive ends at its end time exactly', () => {
    const d = drive('edge', '2026-11-26T05:00:00+07:00', 4);
    expect(drivePhase(d, NOW)).toBe('ended');
    expect(isOpen(d, new Date(NOW.getTime() - 1))).toBe(true);
  });
});

describe('list order and next drives', () => {
  const drives = [
    drive('past-old', '2025-06-14T07:00:00+07:00', 4, 'finished'),
    drive('soon-cancelled', '2026-12-06T07:00:00+07:00', 4, 'cancelled'),
    drive('later', '2027-01-10T07:00:00+07:00', 4),
    drive('past-recent', '2026-10-17T13:30:00+07:00', 3, 'finished'),
    drive('soon', '2026-12-05T07:00:00+07:00', 4),
    drive('ongoing', '2026-11-26T07:00:00+07:00', 4),
  ];

  test('still to come soonest first (cancelled ones kept in place), then past ones latest first', () => {
    expect([...drives].sort(compareForList(NOW)).map((d) => d.id)).toEqual([
      'ongoing',
      'soon',
      'soon-cancelled',
      'later',
      'past-recent',
      'past-old',
    ]);
  });

  test('the order is decided by the moment given, so an aged page re-sorts', () => {
    const later = at('2026-12-31T00:00:00+07:00');
    expect([...drives].sort(compareForList(later)).map((d) => d.id)).toEqual([
      'later',
      'soon-cancelled',
      'soon',
      'ongoing',
      'past-recent',
      'past-old',
    ]);
  });

  test('next open drives skip cancelled and past ones', () => {
    expect(nextOpenDrives(drives, NOW, 3).map((d) => d.id)).toEqual(['ongoing', 'soon', 'later']);
    expect(nextOpenDrives(drives, at('2028-01-01T00:00:00+07:00'), 3)).toEqual([]);
  });
});

describe('driveSlots', () => {
  test('cuts the drive into slots named by their start with the +07:00 offset', () => {
    const slots = driveSlots({
      start: at('2026-12-05T07:00:00+07:00'),
      end: at('2026-12-05T09:00:00+07:00'),
      slots: { minutes: 30, places: 12 },
    });
    expect(slots.map((s) => s.id)).toEqual([
      '2026-12-05T07:00:00+07:00',
      '2026-12-05T07:30:00+07:00',
      '2026-12-05T08:00:00+07:00',
      '2026-12-05T08:30:00+07:00',
    ]);
    expect(slots.map((s) => formatTimeRange(s.start, s.end))).toEqual([
      '07:00–07:30',
      '07:30–08:00',
      '08:00–08:30',
      '08:30–09:00',
    ]);
    expect(slots.every((s) => s.places === 12)).toBe(true);
  });

  test('one slot when the slot is the whole drive', () => {
    const slots = driveSlots({
      start: at('2026-12-05T13:30:00+07:00'),
      end: at('2026-12-05T16:30:00+07:00'),
      slots: { minutes: 180, places: 40 },
    });
    expect(slots).toHaveLength(1);
    expect(slots[0]?.id).toBe('2026-12-05T13:30:00+07:00');
  });
});

describe('directionsLinks', () => {
  test('point to the coordinates, with the name encoded for the map app', () => {
    const links = directionsLinks({ latitude: 9.1781, longitude: 105.1534 }, 'Hội trường Công an');
    expect(links.google).toBe('https://www.google.com/maps/dir/?api=1&destination=9.1781,105.1534');
    expect(links.openStreetMap).toContain('to=9.1781,105.1534');
    expect(links.geo).toBe('geo:9.1781,105.1534?q=9.1781,105.1534(H%E1%BB%99i%20tr%C6%B0%E1%BB%9Dng%20C%C3%B4ng%20an)');
  });
});
