/**
 * Limits an editor meets in the console's forms, in one place (docs/editors.md, "Ảnh của
 * bài viết"). The server's request limits are in src/server/limits.ts: a form with the
 * largest picture and a long article stays under CONTENT_SAVE_MAX_BYTES there.
 */

/** An article's picture as uploaded: a phone's photo is 2–3 MB; the re-encoded file is far smaller. */
export const ARTICLE_PICTURE_MAX_BYTES = 3 * 1024 * 1024;
/** Pixels a picture may claim before anything is decoded (a 50 kB file can claim 20,000 × 20,000). */
export const ARTICLE_PICTURE_MAX_PIXELS = 40_000_000;
/** The widest picture kept: the page shows at most 1,200 px, so twice that for sharp screens is enough. */
export const ARTICLE_PICTURE_MAX_WIDTH = 2400;
/** Previews per account per 10 minutes (each is one render of the body on the server). */
export const PREVIEW_POST_LIMIT = 120;
