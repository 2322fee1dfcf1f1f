/**
 * Which pages get a share image of their own, and what it says. The images
 * are drawn by src/pages/og/[...path].png.ts; pages link them in their head
 * through shareImageFor().
 */
import { getCollection } from 'astro:content';
import { getArticles, getCampaign, getDrives } from '../shared/content.ts';
import { formatDate, formatLongDate, formatTimeRange } from '../shared/dates.ts';
import { SLOGAN } from '../shared/site.ts';
import type { ShareImageInput } from './share-image.ts';
import { DRIVES_TITLE } from '../drives/words.ts';

import { shareImageKey } from '../shared/links.ts';
export interface PageShareImage {
  /** Path of the PNG under the site root, e.g. "/og/tin-tuc/abc.png". */
  path: string;
  /** What the image shows, for people who cannot see it. */
  alt: string;
}

export function shareImagePath(key: string): string {
  return `/og/${key}.png`;
}

export function shareImageFor(key: string, title: string): PageShareImage {
  return { path: shareImagePath(key), alt: `Ảnh chia sẻ: “${title}”, kèm khẩu hiệu “${SLOGAN}”` };
}

/**
 * An article's picture as a file to draw from: Astro keeps the file's path on the image's
 * metadata (fsPath, not enumerable). SVG drawings stay out: the share image is then the
 * usual one with the title.
 */
function photoFile(image: { format: string } | undefined): string | undefined {
  const path = (image as { fsPath?: unknown } | undefined)?.fsPath;
  return typeof path === 'string' && image?.format !== 'svg' ? path : undefined;
}

/** Every page image to draw, by key (the path under /og/ without .png). */
export async function shareImageInputs(): Promise<{ key: string; input: ShareImageInput }[]> {
  const campaign = await getCampaign();
  const common = { slogan: SLOGAN, organisers: `${campaign.organiser.name} · ${campaign.partner.name}` };
  const articles = (await getArticles()).map(({ id, entry }) => ({
    key: shareImageKey.article(id),
    input: {
      ...common,
      kicker: 'Tin tức',
      title: entry.data.title,
      subtitle: formatDate(entry.data.date),
      photo: photoFile(entry.data.image?.src),
    },
  }));
  const drives = (await getDrives()).map((drive) => ({
    key: shareImageKey.drive(drive.slug),
    input: {
      ...common,
      kicker: drive.status === 'cancelled' ? `${DRIVES_TITLE} · ĐÃ HỦY` : DRIVES_TITLE,
      title: drive.name,
      subtitle: `${formatLongDate(drive.start)}, ${formatTimeRange(drive.start, drive.end)} · ${drive.address}`,
    },
  }));
  const pages = (await getCollection('pages')).map((page) => ({
    key: shareImageKey.page(page.id),
    input: { ...common, title: page.data.title, subtitle: page.data.description },
  }));
  const home = {
    key: shareImageKey.home,
    input: { ...common, title: campaign.name, subtitle: `${campaign.unitsGiven} đơn vị máu đã được hiến` },
  };
  return [home, ...articles, ...drives, ...pages];
}
