/** The confirmation codes typed after `cancel` and `given`, read one by one as the commands did together. */
import { normalizeCode } from '../signup/codes.ts';
import { UsageError } from './command.ts';

/** Checks that there is at least one code; each typed code is checked when its turn comes, after the ones before it ran. */
export function requireCodes(command: string, rest: readonly string[]): void {
  if (rest.length === 0) throw new UsageError(`Lệnh ${command} cần mã xác nhận, ví dụ ${command} 7K3Q-9XWD-2P`);
}

export function readCode(typed: string): string {
  const code = normalizeCode(typed);
  if (!code) throw new UsageError(`"${typed}" không phải mã xác nhận (10 chữ và số, ví dụ 7K3Q-9XWD-2P)`);
  return code;
}
