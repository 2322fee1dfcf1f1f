import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { prunePage, pruneSheet, wordsOf } from '../../src/server/page-styles.ts';

const hash = (css: string) => `'sha256-${createHash('sha256').update(css).digest('base64')}'`;
const page = (css: string, body: string, policyExtra = '') =>
  `<!DOCTYPE html><html><head><meta http-equiv="content-security-policy" content="default-src 'self'; style-src 'self' ${hash(css)}${policyExtra}"><style>${css}</style></head><body>${body}</body></html>`;

describe('the rules a page keeps of its stylesheet', () => {
  const sheet =
    '@layer theme{:root{--color-brand:#b91c1c}}@layer base{*,:before{box-sizing:border-box}h1{margin:0}}' +
    '@layer utilities{.flex{display:flex}.grid{display:grid}.sm\\:grid-cols-2{@media (width>=40rem){grid-template-columns:repeat(2,minmax(0,1fr))}}' +
    '.hover\\:text-brand{&:hover{@media (hover:hover){color:var(--color-brand)}}}.w-\\[calc\\(100\\%-1rem\\)\\]{width:calc(100% - 1rem)}}' +
    '@layer components{.prose-vi h2{font-size:1.5rem}.phase-badge[data-phase=over]{color:gray}:where(.roster>:not(:last-child)){margin:0}}' +
    '@media print{.poster{display:block}}@keyframes spin{from{rotate:0}to{rotate:1turn}}';

  test('rules for classes the page and its scripts never name go, with the at-rules left empty', () => {
    const used = wordsOf('<div class="flex sm:grid-cols-2 prose-vi"><h2>x</h2></div>');
    const pruned = pruneSheet(sheet, (name) => used.has(name));
    expect(pruned).toContain('.flex{display:flex}');
    expect(pruned).toContain('.sm\\:grid-cols-2{@media (width>=40rem)');
    expect(pruned).toContain('.prose-vi h2');
    expect(pruned).not.toContain('.grid{');
    expect(pruned).not.toContain('hover\\:text-brand');
    expect(pruned).not.toContain('phase-badge');
    expect(pruned).not.toContain('@media print');
    // No classes, or classes only inside :where(): they stay.
    expect(pruned).toContain('*,:before{box-sizing:border-box}');
    expect(pruned).toContain('h1{margin:0}');
    expect(pruned).toContain(':where(.roster>:not(:last-child))');
    expect(pruned).toContain('@keyframes spin{from{rotate:0}to{rotate:1turn}}');
    expect(pruned).toContain(':root{--color-brand:#b91c1c}');
  });

  test('a class an island adds from its script stays, as does one the page names in a string with \\n', () => {
    const scripts = wordsOf('e.classList.add(`grid`);let t="a\\nhover:text-brand";');
    const pruned = pruneSheet(sheet, (name) => scripts.has(name));
    expect(pruned).toContain('.grid{display:grid}');
    expect(pruned).toContain('hover\\:text-brand');
  });

  test('a class name with characters that cannot be split out of markup always stays', () => {
    const pruned = pruneSheet('.content-\\[\\"x\\"\\]{content:"x"}.gone{color:red}', () => false);
    expect(pruned).toContain('content-');
    expect(pruned).not.toContain('.gone');
  });

  test('of a selector list, only the selectors that cannot match go', () => {
    expect(pruneSheet('.a,.b,p{color:red}', (name) => name === 'b')).toBe('.b,p{color:red}');
  });

  test('a page gets the smaller sheet and its policy the sheet’s new hash', () => {
    const css = '.flex{display:flex}.grid{display:grid}';
    const html = page(css, '<main class="flex">x</main>');
    const pruned = prunePage(html, new Set());
    expect(pruned).toContain('<style>.flex{display:flex}</style>');
    expect(pruned).toContain(hash('.flex{display:flex}'));
    expect(pruned).not.toContain(hash(css));
  });

  test('a style the policy does not name, or a page without a policy, is left as it is', () => {
    const css = '.grid{display:grid}';
    const unhashed = page('.other{}', '', '').replace('<style>.other{}</style>', `<style>${css}</style>`);
    expect(prunePage(unhashed, new Set())).toBe(unhashed);
    const bare = `<html><head><style>${css}</style></head><body></body></html>`;
    expect(prunePage(bare, new Set())).toBe(bare);
  });

  test('whatever the sheet, pruning never throws and never keeps a rule for a class no one names', () => {
    const className = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);
    fc.assert(
      fc.property(fc.array(className, { maxLength: 12 }), fc.array(className, { maxLength: 6 }), (classes, named) => {
        const css = classes.map((c) => `.${c}{color:red}`).join('');
        const pruned = pruneSheet(css, (name) => named.includes(name));
        for (const c of classes) expect(pruned.includes(`.${c}{`)).toBe(named.includes(c));
      }),
      { numRuns: 200 },
    );
  });
});
