/**
 * Where each person stands at a drive, from their sign-up record: the one
 * word the roster shows, and the figures the desk counts. Pure, shared by the
 * console's pages, its live figures and the CLI.
 */
import type { SignupRecord } from '../signup/store.ts';

export type DeskStatus = 'signed-up' | 'arrived' | 'gave' | 'deferred' | 'no-show' | 'cancelled';

export function deskStatus(signup: Pick<SignupRecord, 'cancelledAt' | 'desk'>): DeskStatus {
  if (signup.cancelledAt) return 'cancelled';
  if (signup.desk.outcome) return signup.desk.outcome;
  return signup.desk.arrivedAt ? 'arrived' : 'signed-up';
}

/** The counts the desk shows for a slot or a whole drive. */
export interface DeskFigures {
  signedUp: number;
  arrived: number;
  gave: number;
  deferred: number;
  noShow: number;
  walkIns: number;
  /** One unit per gift. */
  units: number;
}

export const NO_FIGURES: DeskFigures = {
  signedUp: 0,
  arrived: 0,
  gave: 0,
  deferred: 0,
  noShow: 0,
  walkIns: 0,
  units: 0,
};

export function addFigures(a: DeskFigures, b: DeskFigures): DeskFigures {
  return {
    signedUp: a.signedUp + b.signedUp,
    arrived: a.arrived + b.arrived,
    gave: a.gave + b.gave,
    deferred: a.deferred + b.deferred,
    noShow: a.noShow + b.noShow,
    walkIns: a.walkIns + b.walkIns,
    units: a.units + b.units,
  };
}

/** The phone as the roster shows it before anyone asks for it: the last three digits. */
export function maskedPhone(formatted: string): string {
  return formatted.replace(/^\d{4} \d{3} (\d{3})$/, '···· ··· $1');
}
