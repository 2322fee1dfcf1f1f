/**
 * The console's preview (src/editor/preview.ts) shows what the build's body check saw: the body
 * read as MDX, never as Markdown, so raw HTML that CommonMark would start inside a code span
 * crossing lines stays code text, and nothing but Markdown's own elements reaches the page.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ARTICLE_COMPONENTS, PAGE_COMPONENTS } from '../../src/news/body-components.ts';
import { renderPreview } from '../../src/editor/preview.ts';

const LIVE_MARKUP = /<(?:div|script|img|style|form|iframe|details|svg|object|embed|link|meta|input|button)\b/i;

function shown(body: string): string {
  const outcome = renderPreview(body, ARTICLE_COMPONENTS);
  if (!outcome.ok) throw new Error(outcome.problems.join(' '));
  return outcome.html;
}

describe('renderPreview', () => {
  test('headings, bold, lists, links and tables are drawn as the site draws them', () => {
    const html = shown(
      '## Một buổi sáng\n\nNhiều người **lần đầu** hiến máu, "vui".\n\n- Một\n- Hai\n\n[Đăng ký](/dang-ky/)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n',
    );
    expect(html).toContain('<h2 id="một-buổi-sáng">Một buổi sáng</h2>');
    expect(html).toContain('<strong>lần đầu</strong>');
    expect(html).toContain('“vui”');
    expect(html).toMatch(/<ul>\s*<li>Một<\/li>/);
    expect(html).toContain('<a href="/dang-ky/">Đăng ký</a>');
    expect(html).toContain('<table>');
  });

  test("a page's own component is drawn as a note saying where it goes", () => {
    const outcome = renderPreview('Trước\n\n<EligibilityCalculator />\n\nSau\n', PAGE_COMPONENTS);
    expect(outcome.ok && outcome.html).toContain('(Phần «EligibilityCalculator» của trang web hiện ở đây.)');
  });

  test.each([
    'Tin mới `\n<div style="position:fixed;inset:0">Phiên đăng nhập đã hết hạn<form method="post" action="/to-chuc/xuat-ban/"></form></div> `\n',
    '`a\n<img src=x onerror=alert(1)>`\n',
    '`a\n<script>alert(1)</script>`\n',
    '`a\n<style>body{display:none}</style>`\n',
    '`a\n<details open><summary>x</summary></details>`\n',
  ])('raw HTML that only CommonMark would start stays code text: %j', (body) => {
    const html = shown(body);
    expect(html).not.toMatch(LIVE_MARKUP);
    expect(html).toContain('<code>');
  });

  test('a body with code is refused, naming the line', () => {
    const outcome = renderPreview('Chào\n\n{process.exit(1)}\n', ARTICLE_COMPONENTS);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.problems[0]).toMatch(/^Dòng 3:/);
  });

  test('whatever is typed, the preview either refuses it or holds no live markup (fuzz)', () => {
    const piece = fc.constantFrom(
      '`',
      '\n',
      '\n\n',
      '<div>',
      '</div>',
      '<img src=x onerror=alert(1)>',
      '<script>x</script>',
      '<style>p{}</style>',
      '**đậm**',
      '# Tiêu đề',
      '- mục',
      '[a](/b/)',
      '<!-- x -->',
      '```\n',
      '    ',
      'chữ ',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 24 }), (pieces) => {
        const outcome = renderPreview(pieces.join(''), ARTICLE_COMPONENTS);
        if (outcome.ok) expect(outcome.html).not.toMatch(LIVE_MARKUP);
      }),
      { numRuns: 300 },
    );
  });
});
