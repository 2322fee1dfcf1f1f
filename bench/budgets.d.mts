// Types for bench/budgets.mjs, used from TypeScript tests.
import type { BrowserContext } from 'playwright-core';

export interface PageBudget {
  type: string;
  path: string;
  total: number;
  js: number;
}
export type Kind = 'html' | 'css' | 'js' | 'font' | 'img' | 'other';
export const PAGE_BUDGETS: PageBudget[];
export const FILE_BUDGETS: Record<Kind, number>;
export const RESOURCE_KINDS: Record<string, Kind>;
export function weighPage(
  context: BrowserContext,
  url: string,
): Promise<{
  bytes: Record<Kind, number>;
  total: number;
  files: { path: string; kind: Kind; size: number }[];
  requests: number;
}>;
