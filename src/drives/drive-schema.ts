/**
 * The schema of a drive file, content/drives/<slug>.yaml. The file name is
 * the drive's address on the site; see yaml-folder-loader.ts. Messages are
 * Vietnamese, for the editor who fixes the file (docs/editors.md).
 */
import { z } from 'astro/zod';
import { DRIVE_STATUSES } from './drives.ts';
import { isInVietnam, VIETNAM_BOUNDS } from './geo.ts';
import { phoneNumber, vietnamTime } from '../shared/content-fields.ts';
import { useVietnameseErrors } from '../shared/zod-vietnamese.ts';
import { slotFitMessage } from './slot-fit.ts';

// The checks without a message of their own speak Vietnamese wherever a drive is checked.
useVietnameseErrors();

export const MAX_DRIVE_HOURS = 16;

export const driveSchema = z
  .strictObject({
    name: z
      .string()
      .min(10, 'name (tên buổi hiến máu) cần ít nhất 10 ký tự: đây là tiêu đề trang của buổi')
      .max(90, 'name (tên buổi hiến máu) tối đa 90 ký tự, để vừa danh sách và khi chia sẻ'),
    organiser: z.string().min(3, 'organiser (đơn vị tổ chức) là bắt buộc: ai tổ chức buổi hiến máu'),
    address: z.string().min(10, 'address (địa chỉ) phải viết đầy đủ: số nhà hoặc tên toà nhà, đường, xã/phường'),
    commune: z.string().min(3, 'commune (xã/phường) là bắt buộc: tên xã, phường từ 1/7/2025, ví dụ "Phường An Xuyên"'),
    oldNames: z
      .array(z.string().min(2, 'mỗi tên trong oldNames (tên cũ) cần ít nhất 2 ký tự'))
      .max(8, 'oldNames (tên cũ) tối đa 8 tên')
      .default([]),
    latitude: z.number({ error: 'latitude (vĩ độ) phải là một số độ vĩ bắc, ví dụ 9.1769' }),
    longitude: z.number({ error: 'longitude (kinh độ) phải là một số độ kinh đông, ví dụ 105.1524' }),
    start: vietnamTime('start'),
    end: vietnamTime('end'),
    slots: z.strictObject({
      minutes: z
        .number()
        .int('slots.minutes (độ dài mỗi lượt) phải là số phút nguyên')
        .min(10, 'slots.minutes (độ dài mỗi lượt) ít nhất 10 phút'),
      places: z
        .number()
        .int('slots.places (số chỗ mỗi lượt) phải là số nguyên')
        .positive('slots.places (số chỗ mỗi lượt) ít nhất là 1: mỗi lượt nhận được bao nhiêu người hiến'),
    }),
    status: z.enum(DRIVE_STATUSES, { error: `status (trạng thái) phải là một trong: ${DRIVE_STATUSES.join(', ')}` }),
    unitsTarget: z.number().int().positive('unitsTarget (chỉ tiêu, số đơn vị máu) phải là số nguyên lớn hơn 0'),
    unitsGiven: z
      .number()
      .int()
      .nonnegative('unitsGiven (số đơn vị máu đã nhận) phải là số nguyên, từ 0 trở lên')
      .optional(),
    phone: phoneNumber('phone'),
    notes: z.string().max(600, 'notes (ghi chú) tối đa 600 ký tự').optional(),
  })
  .superRefine((drive, ctx) => {
    const position = { latitude: drive.latitude, longitude: drive.longitude };
    if (!isInVietnam(position)) {
      const b = VIETNAM_BOUNDS;
      ctx.addIssue({
        code: 'custom',
        path: ['latitude'],
        message: `vĩ độ ${drive.latitude}, kinh độ ${drive.longitude} nằm ngoài Việt Nam (vĩ độ từ ${b.south} đến ${b.north}, kinh độ từ ${b.west} đến ${b.east}); có gõ nhầm hoặc đảo ngược latitude và longitude không?`,
      });
    }
    const minutes = (drive.end.getTime() - drive.start.getTime()) / 60_000;
    if (minutes <= 0) {
      ctx.addIssue({ code: 'custom', path: ['end'], message: 'end (giờ kết thúc) phải sau start (giờ bắt đầu)' });
      return;
    }
    if (minutes > MAX_DRIVE_HOURS * 60) {
      ctx.addIssue({
        code: 'custom',
        path: ['end'],
        message: `end (giờ kết thúc) phải trong vòng ${MAX_DRIVE_HOURS} giờ kể từ start; buổi hiến máu kéo dài nhiều ngày thì mỗi ngày một tệp`,
      });
    }
    const slotMessage = slotFitMessage(drive.start, drive.end, drive.slots.minutes);
    if (slotMessage) ctx.addIssue({ code: 'custom', path: ['slots', 'minutes'], message: slotMessage });
    if (drive.status === 'finished' && drive.unitsGiven === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['unitsGiven'],
        message:
          'unitsGiven (số đơn vị máu đã nhận) là bắt buộc khi status là finished: buổi đã nhận được bao nhiêu đơn vị máu',
      });
    }
    if (drive.status !== 'finished' && drive.unitsGiven !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['unitsGiven'],
        message: 'unitsGiven chỉ ghi cho buổi đã xong: đổi status thành finished, hoặc xoá dòng unitsGiven',
      });
    }
  });

export type DriveData = z.output<typeof driveSchema>;
