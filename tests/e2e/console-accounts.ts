/**
 * Organisers' accounts and sessions for the console's tests: accounts made
 * with the CLI's own command (the password through its reader, as standard
 * input would give it), and signing in over HTTP or in a browser page.
 */
import type { Page } from 'playwright-core';
import { runCommand } from '../../src/cli/main.ts';
import { postForm } from './forms.ts';

export const TEST_PASSWORD = 'mat-khau-thu-nghiem-2026';
let accountCounter = 0;

/** A new account name no other test uses. */
export const newUsername = (prefix = 'nv') => `${prefix}${Date.now() % 100_000}.${++accountCounter}`;

/** Makes an account with `npm run signups -- user add` in the database at `db`. */
export async function addAccount(
  db: string,
  username: string,
  role: 'admin' | 'staff',
  drives: readonly string[] = [],
  password = TEST_PASSWORD,
): Promise<void> {
  const lines: string[] = [];
  await runCommand(
    ['user', 'add', username, '--role', role, ...drives.flatMap((d) => ['--drive', d]), '--db', db],
    (line) => lines.push(line),
    new Date(),
    () => Promise.resolve(password),
  );
}

/** Signs in over HTTP; the Cookie header of the session, or throws with the status. */
export async function signIn(baseUrl: string, username: string, password = TEST_PASSWORD): Promise<string> {
  const response = await postForm(baseUrl, '/to-chuc/dang-nhap/', { username, password });
  const cookie = response.headers.get('set-cookie');
  if (response.status !== 303 || !cookie) throw new Error(`sign-in failed with ${response.status}`);
  return cookie.split(';', 1)[0] ?? '';
}

/** Signs in through the form in a browser page, which then holds the session. */
export async function signInPage(page: Page, baseUrl: string, username: string, password = TEST_PASSWORD) {
  await page.goto(`${baseUrl}/to-chuc/dang-nhap/`);
  await page.fill('#ten-dang-nhap', username);
  await page.fill('#mat-khau', password);
  await Promise.all([page.waitForURL(`${baseUrl}/to-chuc/`), page.click('button:has-text("Đăng nhập")')]);
}
