/**
 * A site with every reminder channel configured, on a database of its own,
 * and the loopback peers it sends to: an SMTP server (mail read back by
 * mailparser), a Web Push service (VAPID checked, aes128gcm decrypted; https
 * with a certificate made for 127.0.0.1, trusted through NODE_EXTRA_CA_CERTS),
 * and the SMS gateway's webhook (HMAC checked). `cli` runs
 * `npm run signups -- …` as its own process, as an operator or cron would.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import webpush from 'web-push';
import { startSite } from '../../scripts/start-site.mjs';
import { FIXTURE_DIST } from '../../scripts/fixture-site.mjs';
import {
  loopbackCertificate,
  startPushService,
  startSmtpReceiver,
  startWebhookReceiver,
} from '../../scripts/reminder-peers.mjs';
import { freshFormToken, postForm } from './forms.ts';

export const WEBHOOK_SECRET = 'bi-mat-cua-cong-tin-nhan-thu-nghiem-2026';
export const MAIL_FROM = 'Hội Chữ thập đỏ tỉnh Cà Mau <nhac-hen@hienmau.example>';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node src/cli/main.ts …` with `env` and waits for it; `onStart` gets the process. */
export function runCli(
  args: readonly string[],
  env: Record<string, string>,
  onStart?: (child: ReturnType<typeof spawn>) => void,
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', 'src/cli/main.ts', ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    onStart?.(child);
  });
}

export async function startReminderSite(options: { scheduler?: boolean; env?: Record<string, string> } = {}) {
  const folder = mkdtempSync(join(tmpdir(), 'reminders-e2e-'));
  const db = join(folder, 'signups.sqlite');
  const vapid = webpush.generateVAPIDKeys();
  const certificate = loopbackCertificate();
  const smtp = await startSmtpReceiver({ refuse: (address) => (address.startsWith('tu-choi') ? 550 : undefined) });
  const push = await startPushService({ vapidPublicKey: vapid.publicKey, certificate });
  const hook = await startWebhookReceiver({
    secret: WEBHOOK_SECRET,
    status: (data) => (data.to === '+84399999999' ? 410 : 202),
  });
  const env: Record<string, string> = {
    SITE_DIST: FIXTURE_DIST,
    SIGNUP_DB: db,
    SIGNUP_RATE_LIMIT: '100000',
    SMTP_URL: smtp.url,
    MAIL_FROM,
    VAPID_PUBLIC_KEY: vapid.publicKey,
    VAPID_PRIVATE_KEY: vapid.privateKey,
    VAPID_SUBJECT: 'mailto:nhac-hen@hienmau.example',
    PUSH_SERVICES: push.origin,
    REMINDER_WEBHOOK_URL: hook.url,
    REMINDER_WEBHOOK_SECRET: WEBHOOK_SECRET,
    REMINDER_SCHEDULER: options.scheduler ? '1' : '0',
    // web-push speaks https only: the loopback push service's certificate is trusted like a CA.
    NODE_EXTRA_CA_CERTS: certificate.certFile,
    ...options.env,
  };
  const site = await startSite(env);
  // Links in messages lead to this server.
  const cliEnv = { ...env, SITE_URL: site.url };
  return {
    site,
    url: site.url,
    db,
    folder,
    smtp,
    push,
    hook,
    vapid,
    env: cliEnv,
    cli: (args: readonly string[]) => runCli(args, cliEnv),
    async stop() {
      await site.stop();
      await Promise.all([smtp.close(), push.close(), hook.close()]);
      certificate.remove();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

export type ReminderSite = Awaited<ReturnType<typeof startReminderSite>>;

let people = 0;
const LETTERS = 'ABCDEGHIKLMNOPQRSTUVXY';

/** A name of letters only (the form refuses digits) and a phone no other test uses. */
export function newPerson(): { fullName: string; phone: string } {
  people += 1;
  const n = people + (Date.now() % 10_000) * 100;
  const name = [...String(n)]
    .map((d) => LETTERS[Number(d)] ?? 'A')
    .join('')
    .toLowerCase();
  return {
    fullName: `Lê Văn ${name.charAt(0).toUpperCase()}${name.slice(1)}`,
    phone: `091${String(n).padStart(7, '0').slice(-7)}`,
  };
}

/** Posts the sign-up form (as a browser without JavaScript would) with `extra` fields; the answer. */
export async function postSignup(
  baseUrl: string,
  drive: string,
  slot: string,
  extra: Record<string, string>,
  action: 'signup' | 'joinWaitlist' = 'signup',
) {
  const person = newPerson();
  const response = await postForm(baseUrl, `/dang-ky/?_action=${action}`, {
    drive,
    slot,
    fullName: person.fullName,
    phone: person.phone,
    birthYear: '1990',
    sex: 'male',
    weightKg: '60',
    consent: 'yes',
    formToken: await freshFormToken(baseUrl, drive),
    ...extra,
  });
  return { response, html: await response.text(), person };
}
