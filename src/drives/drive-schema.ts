/**
 * The schema of a drive file, content/drives/<slug>.yaml. The file name is
 * the drive's address on the site; see loaders/yaml-folder.ts.
 */
import { z } from 'astro/zod';
import { DRIVE_STATUSES } from './drives.ts';
import { formatTime } from '../shared/dates.ts';
import { isInVietnam, VIETNAM_BOUNDS } from './geo.ts';
import { phoneNumber, vietnamTime } from '../shared/content-fields.ts';

const MAX_DRIVE_HOURS = 16;

/** Slot lengths between 10 minutes and the whole drive that divide it evenly, as a hint. */
function slotLengthsThatFit(minutes: number): number[] {
  return [10, 15, 20, 30, 40, 45, 60, 90, 120, 180, 240].filter((m) => m <= minutes && minutes % m === 0);
}

export const driveSchema = z
  .strictObject({
    name: z
      .string()
      .min(10, 'name must be at least 10 characters: it is the heading of the drive page')
      .max(90, 'name must be at most 90 characters so it fits in lists and shares'),
    organiser: z.string().min(3, 'organiser is required: who runs the drive'),
    address: z.string().min(10, 'address must be written in full: house or building, street, commune'),
    commune: z.string().min(3, 'commune is required: the commune or ward name since 1/7/2025, e.g. "Phường An Xuyên"'),
    oldNames: z
      .array(z.string().min(2, 'each of oldNames needs at least 2 characters'))
      .max(8, 'oldNames can have at most 8 names')
      .default([]),
    latitude: z.number({ error: 'latitude must be a number of degrees north, e.g. 9.1769' }),
    longitude: z.number({ error: 'longitude must be a number of degrees east, e.g. 105.1524' }),
    start: vietnamTime('start'),
    end: vietnamTime('end'),
    slots: z.strictObject({
      minutes: z
        .number()
        .int('slots.minutes must be a whole number of minutes')
        .min(10, 'slots.minutes must be at least 10'),
      places: z
        .number()
        .int('slots.places must be a whole number')
        .positive('slots.places must be at least 1: how many donors each slot can take'),
    }),
    status: z.enum(DRIVE_STATUSES, { error: `status must be one of: ${DRIVE_STATUSES.join(', ')}` }),
    unitsTarget: z.number().int().positive('unitsTarget must be a whole number above 0'),
    unitsGiven: z.number().int().nonnegative('unitsGiven must be a whole number, 0 or more').optional(),
    phone: phoneNumber('phone'),
    notes: z.string().max(600, 'notes must be at most 600 characters').optional(),
  })
  .superRefine((drive, ctx) => {
    const position = { latitude: drive.latitude, longitude: drive.longitude };
    if (!isInVietnam(position)) {
      const b = VIETNAM_BOUNDS;
      ctx.addIssue({
        code: 'custom',
        path: ['latitude'],
        message: `latitude ${drive.latitude}, longitude ${drive.longitude} is outside Vietnam (latitude ${b.south} to ${b.north}, longitude ${b.west} to ${b.east}); were they swapped or mistyped?`,
      });
    }
    const minutes = (drive.end.getTime() - drive.start.getTime()) / 60_000;
    if (minutes <= 0) {
      ctx.addIssue({ code: 'custom', path: ['end'], message: 'end must be after start' });
      return;
    }
    if (minutes > MAX_DRIVE_HOURS * 60) {
      ctx.addIssue({
        code: 'custom',
        path: ['end'],
        message: `end must be within ${MAX_DRIVE_HOURS} hours of start; a drive over several days needs one file per day`,
      });
    }
    if (minutes % drive.slots.minutes !== 0) {
      const fits = slotLengthsThatFit(minutes);
      ctx.addIssue({
        code: 'custom',
        path: ['slots', 'minutes'],
        message: `slots.minutes (${drive.slots.minutes}) must divide the drive evenly: it runs ${minutes} minutes, ${formatTime(drive.start)} to ${formatTime(drive.end)}${fits.length ? `; try ${fits.join(', ')}` : ''}`,
      });
    }
    if (drive.status === 'finished' && drive.unitsGiven === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['unitsGiven'],
        message: 'unitsGiven is required when status is finished: how many units of blood were given',
      });
    }
    if (drive.status !== 'finished' && drive.unitsGiven !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['unitsGiven'],
        message: 'unitsGiven is only for finished drives: set status to finished, or remove unitsGiven',
      });
    }
  });

export type DriveData = z.output<typeof driveSchema>;
