/**
 * Which names a content file may have, checked before any file or git call
 * sees them (docs/editors.md, "Lịch sử"). An allow-list rather than a list of
 * tricks: the folders editors write and ASCII slugs only, so `../`, `%2e%2e`,
 * NUL, look-alike letters (Cyrillic а, fullwidth ．), `.git/` and device
 * names are refused because they are not on it, not because each was foreseen.
 */

/** The folders and files of content/ an editor may touch, and their kinds. */
const SHAPES: readonly RegExp[] = [
  /^(?:news|pages)\/[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?\.mdx?$/,
  /^news\/images\/[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?\.(?:svg|png|jpe?g|webp)$/,
  /^drives\/[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?\.ya?ml$/,
  /^(?:campaign|places)\.yaml$/,
];

/** Names Windows and some tools treat as devices, whatever the extension. */
const RESERVED = /^(?:con|prn|aux|nul|com[0-9]|lpt[0-9])$/;

export const MAX_PATH_LENGTH = 160;

export type PathCheck = { ok: true; path: string } | { ok: false; message: string };

/**
 * The path inside the content repository `input` names (a leading `content/`
 * is allowed, as editors see it), or why it is refused, in Vietnamese.
 */
export function checkContentPath(input: unknown): PathCheck {
  if (typeof input !== 'string' || input.length === 0) {
    return { ok: false, message: 'Chưa chọn tệp nội dung (ví dụ news/bai-viet.mdx).' };
  }
  if (input.length > MAX_PATH_LENGTH) {
    return { ok: false, message: `Tên tệp dài quá ${MAX_PATH_LENGTH} ký tự.` };
  }
  const path = input.startsWith('content/') ? input.slice('content/'.length) : input;
  const stem =
    path
      .split('/')
      .at(-1)
      ?.replace(/\.[a-z]+$/, '') ?? '';
  if (!SHAPES.some((shape) => shape.test(path)) || RESERVED.test(stem)) {
    return {
      ok: false,
      message:
        'Tên tệp không hợp lệ: chỉ nhận tệp trong news/, pages/, drives/ (hoặc campaign.yaml, places.yaml), tên viết thường không dấu, chữ số và gạch nối.',
    };
  }
  return { ok: true, path };
}

/** A commit id as git prints it in full (SHA-1), or a shortened one of at least 7 digits. */
export function isCommitId(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{7,40}$/.test(value);
}
