/**
 * The appeals' share images (drawn with the others by src/pages/og/[...path].png.ts): the
 * need in large type with the slogan, one per ABO group, the same whatever the level, so
 * they are drawn once at build and a shared card never goes stale.
 */
import type { ShareImageInput } from '../sharing/share-image.ts';
import { shareImageKey } from '../shared/links.ts';
import { ABO_GROUPS, groupList } from './blood.ts';

export function appealShareImages(common: {
  slogan: string;
  organisers: string;
}): { key: string; input: ShareImageInput }[] {
  return ABO_GROUPS.map((abo) => ({
    key: shareImageKey.appeal(abo.slug),
    input: {
      ...common,
      kicker: 'Lời kêu gọi hiến máu',
      title: `Cần gấp máu nhóm ${abo.name}`,
      subtitle: `Nhóm ${groupList(abo.groups)} · Tìm điểm hiến máu gần bạn`,
    },
  }));
}
