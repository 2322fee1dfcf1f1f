/**
 * Posting the site's forms as a browser without JavaScript would: with the
 * page's origin and a form token. Tokens come from the places-left answer,
 * as the sign-up island gets them, and are aged past the too-fast check once
 * per server (a token serves any number of posts with different phones).
 */
const aged = new Map<string, Promise<string>>();

/** A valid form token of the server at `baseUrl`, issued more than 3 s ago. */
export function agedFormToken(baseUrl: string, driveSlug: string): Promise<string> {
  let token = aged.get(baseUrl);
  if (!token) {
    token = (async () => {
      const response = await fetch(`${baseUrl}/api/diem-hien-mau/${driveSlug}/cho-trong.json`);
      const issued = response.headers.get('X-Form-Token');
      if (!issued) throw new Error(`no form token from ${baseUrl} (${response.status})`);
      await new Promise((done) => setTimeout(done, 3_200));
      return issued;
    })();
    aged.set(baseUrl, token);
  }
  return token;
}

export interface PostOptions {
  origin?: string;
  headers?: Record<string, string>;
}

/** Posts url-encoded fields to `path` (e.g. /dang-ky/?_action=signup), as a form would. */
export function postForm(baseUrl: string, path: string, fields: Record<string, string>, options: PostOptions = {}) {
  return fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: {
      Origin: options.origin ?? new URL(baseUrl).origin,
      'Content-Type': 'application/x-www-form-urlencoded',
      ...options.headers,
    },
    body: new URLSearchParams(fields),
    redirect: 'manual',
  });
}

export const codeOf = (html: string) => /data-confirmation-code="([0-9A-Z]{10})"/.exec(html)?.[1];
