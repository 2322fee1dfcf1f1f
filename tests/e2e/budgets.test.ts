/**
 * Page weight as a test: sizes are deterministic for a build, unlike times.
 * Fails when a page type goes over its total or JavaScript budget (an article
 * may ship at most 5 kB of JavaScript) or any one file over the budget for
 * its kind. The budgets live in bench/budgets.mjs, shared with bench:pages.
 */
import { expect, inject, test } from 'vitest';
import { FILE_BUDGETS, PAGE_BUDGETS, weighPage } from '../../bench/budgets.mjs';
import { useSiteBrowser } from './browser.ts';

const baseUrl = inject('baseUrl');
const openPage = useSiteBrowser(baseUrl);

test.each(PAGE_BUDGETS)('$type ($path) stays within $total bytes, $js of them JavaScript', async (budget) => {
  const { context } = await openPage({ viewport: { width: 390, height: 844 } });
  try {
    const weight = await weighPage(context, `${baseUrl}${budget.path}`);
    const tooBig = weight.files.filter(
      (file: { kind: keyof typeof FILE_BUDGETS; size: number }) => file.size > FILE_BUDGETS[file.kind],
    );
    expect(tooBig).toEqual([]);
    expect(weight.bytes.js).toBeLessThanOrEqual(budget.js);
    expect(weight.total).toBeLessThanOrEqual(budget.total);
  } finally {
    await context.close();
  }
});
