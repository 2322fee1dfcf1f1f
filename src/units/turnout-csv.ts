/**
 * Units' turnout as a CSV for Excel, written as the sign-ups' export is
 * (src/console/signups-csv.ts): UTF-8 with BOM, CRLF, and every cell that starts with
 * = + - @ neutralised, so a unit named "=HYPERLINK(…)" is text, not a formula.
 */
import { csvCell } from '../console/signups-csv.ts';
import type { Turnout } from './unit-store.ts';

export const TURNOUT_HEADERS = [
  'Mã đơn vị',
  'Đơn vị',
  'Đợt hiến máu',
  'Chỗ giữ',
  'Đã điền',
  'Đã đến',
  'Đã hiến',
  'Tạm hoãn',
  'Không đến',
  'Đơn vị máu',
];

export function turnoutRow(t: Turnout): (string | number)[] {
  return [t.teamCode, t.name, t.drive, t.reserved, t.filled, t.arrived, t.gave, t.deferred, t.noShow, t.unitsGiven];
}

export function turnoutCsv(rows: readonly Turnout[]): string {
  const lines = [TURNOUT_HEADERS, ...rows.map(turnoutRow)].map((row) => row.map(csvCell).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
