/**
 * The schema of the province's place list, content/places.yaml: one entry per
 * commune or ward since 1/7/2025 (docs/editors.md, "The place list"). Editors
 * correct this file by hand, so every message is Vietnamese and names the
 * field; Astro adds the file and the entry's id in front of it.
 */
import { z } from 'astro/zod';

/**
 * A generous box around today's Cà Mau, the old Bạc Liêu included, with the
 * islands (Hòn Khoai in the south, Hòn Chuối in the west): a position outside
 * it is a typo or swapped numbers, not a place in the province.
 */
export const PROVINCE_BOUNDS = { south: 8.3, north: 9.75, west: 104.4, east: 106.0 } as const;

export function isInProvince({ latitude, longitude }: { latitude: number; longitude: number }): boolean {
  const b = PROVINCE_BOUNDS;
  return latitude >= b.south && latitude <= b.north && longitude >= b.west && longitude <= b.east;
}

export const PLACE_KINDS = ['xã', 'phường'] as const;

// The words an old district's name starts with, as Nghị quyết 1655/NQ-UBTVQH15 writes them.
const DISTRICT_NAME = /^(huyện|thành phố|thị xã) \S/;

const districtName = (field: string) =>
  z
    .string({ error: `${field} phải là tên huyện, thành phố hoặc thị xã cũ, ví dụ "huyện Thới Bình"` })
    .regex(
      DISTRICT_NAME,
      `${field} phải bắt đầu bằng "huyện", "thành phố" hoặc "thị xã" rồi đến tên, ví dụ "huyện Thới Bình", "thành phố Cà Mau"`,
    );

export const placeSchema = z
  .strictObject({
    id: z
      .string({ error: 'id là bắt buộc: tên không dấu, nối bằng gạch ngang, ví dụ "thoi-binh"' })
      .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'id chỉ gồm chữ thường không dấu, số và gạch ngang, ví dụ "thoi-binh"'),
    name: z
      .string({ error: 'name (tên xã, phường hiện nay) là bắt buộc, ví dụ "Xã Thới Bình"' })
      .regex(/^(Xã|Phường) \S/, 'name phải bắt đầu bằng "Xã" hoặc "Phường" rồi đến tên, ví dụ "Xã Thới Bình"'),
    kind: z.enum(PLACE_KINDS, { error: 'kind phải là "xã" hoặc "phường"' }),
    position: z.strictObject({
      latitude: z.number({ error: 'position.latitude phải là số độ vĩ bắc, ví dụ 9.35917' }),
      longitude: z.number({ error: 'position.longitude phải là số độ kinh đông, ví dụ 105.08528' }),
      of: z
        .string({ error: 'position.of là bắt buộc: tọa độ này là vị trí của nơi nào (ví dụ "thị trấn Thới Bình")' })
        .min(3, 'position.of là bắt buộc: tọa độ này là vị trí của nơi nào (ví dụ "thị trấn Thới Bình")'),
      source: z.url('position.source phải là địa chỉ đầy đủ của trang lấy tọa độ, bắt đầu bằng https://').optional(),
      fallback: z.string().min(10, 'position.fallback phải nói vì sao dùng vị trí của nơi khác').optional(),
    }),
    formedFrom: z
      .array(
        z.strictObject({
          name: z.string({ error: 'formedFrom: mỗi đơn vị cũ cần name, ví dụ "thị trấn Thới Bình"' }).min(3),
          district: districtName('formedFrom.district'),
          part: z.boolean({ error: 'formedFrom.part chỉ nhận true hoặc false' }).optional(),
        }),
        { error: 'formedFrom phải là danh sách các đơn vị cũ hợp thành xã, phường này' },
      )
      .min(1, 'formedFrom cần ít nhất một đơn vị cũ (xã, phường, thị trấn trước 1/7/2025)'),
    seatOf: z.array(districtName('seatOf')).default([]),
    otherNames: z.array(z.string().min(2, 'mỗi tên trong otherNames cần ít nhất 2 chữ')).max(8).default([]),
  })
  .superRefine((place, ctx) => {
    const { latitude, longitude } = place.position;
    if (!isInProvince(place.position)) {
      const b = PROVINCE_BOUNDS;
      ctx.addIssue({
        code: 'custom',
        path: ['position', 'latitude'],
        message: `vị trí ${latitude}, ${longitude} nằm ngoài tỉnh Cà Mau (vĩ độ ${b.south} đến ${b.north}, kinh độ ${b.west} đến ${b.east}); có gõ nhầm hoặc đảo ngược vĩ độ và kinh độ không?`,
      });
    }
    if (place.position.source === undefined && place.position.fallback === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['position', 'source'],
        message: 'position cần source (trang lấy tọa độ) hoặc fallback (vì sao dùng vị trí của nơi khác)',
      });
    }
    const kindWord = place.kind === 'xã' ? 'Xã' : 'Phường';
    if (!place.name.startsWith(`${kindWord} `)) {
      ctx.addIssue({
        code: 'custom',
        path: ['kind'],
        message: `kind là "${place.kind}" nhưng name "${place.name}" không bắt đầu bằng "${kindWord}"`,
      });
    }
    for (const seat of place.seatOf) {
      if (!place.formedFrom.some((unit) => unit.district === seat)) {
        ctx.addIssue({
          code: 'custom',
          path: ['seatOf'],
          message: `seatOf "${seat}" không có trong formedFrom: huyện lỵ cũ phải nằm trong một đơn vị cũ của ${seat}`,
        });
      }
    }
  });

export type PlaceData = z.output<typeof placeSchema>;
