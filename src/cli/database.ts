/** The helpers the commands on the sign-up database share: open it, and name a drive that exists. */
import { existsSync } from 'node:fs';
import { contentDir } from '../build-settings.ts';
import { SignupStore } from '../signup/store.ts';
import { UsageError } from './command.ts';

export function openStore(path: string, mustExist: boolean): SignupStore {
  if (mustExist && !existsSync(path)) {
    throw new UsageError(
      `Không có cơ sở dữ liệu đăng ký ở ${path}: chưa ai đăng ký, hoặc SIGNUP_DB / --db cần chỉ đến tệp của máy chủ.`,
    );
  }
  return new SignupStore(path);
}

/** The store opened for one command and closed after it, whatever it throws. */
export function withStore<T>(path: string, mustExist: boolean, use: (store: SignupStore) => T): T {
  const store = openStore(path, mustExist);
  try {
    return use(store);
  } finally {
    store.close();
  }
}

/** The --drive typed, if a drive of the content (CONTENT_DIR) or of the sign-ups has that name. */
export function requireDrive(store: SignupStore, slug: string | undefined): string {
  if (!slug) throw new UsageError('Cần ghi --drive <mã-đợt>, ví dụ --drive gia-rai-12-12-2026');
  const known = existsSync(`${contentDir()}/drives/${slug}.yaml`) || store.drives().some((d) => d.drive === slug);
  if (!known) {
    const withSignups = store.drives().map((d) => d.drive);
    throw new UsageError(
      `Không có đợt "${slug}" (không có tệp content/drives/${slug}.yaml và không có đăng ký nào).` +
        (withSignups.length ? ` Các đợt có đăng ký: ${withSignups.join(', ')}` : ''),
    );
  }
  return slug;
}
