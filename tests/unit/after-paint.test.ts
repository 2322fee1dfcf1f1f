import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { AFTER_PAINT_ISLANDS, afterPaintChunk } from '../../src/shared/after-paint-chunk.ts';

const moduleFile = (module: string) => fileURLToPath(new URL(module, new URL('../../src/shared/', import.meta.url)));

describe('the islands added after the largest paint', () => {
  test.each(AFTER_PAINT_ISLANDS.filter(({ selector }) => selector !== 'body'))(
    '<$selector> is defined by its module ($module)',
    ({ selector, module }) => {
      const file = moduleFile(module);
      expect(existsSync(file)).toBe(true);
      expect(readFileSync(file, 'utf8')).toContain(`customElements.define('${selector}'`);
    },
  );

  test('no component adds one of them with a script of its own as well (it would load before the paint)', () => {
    const src = fileURLToPath(new URL('../../src/', import.meta.url));
    const components = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.astro'));
    for (const { module } of AFTER_PAINT_ISLANDS) {
      const name = module.split('/').pop() ?? '';
      for (const component of components) {
        const scripts = readFileSync(join(src, component), 'utf8').match(/<script>[\s\S]*?<\/script>/g) ?? [];
        expect(scripts.join('\n'), `${component} imports ${name}`).not.toContain(`/${name}'`);
      }
    }
  });

  test('the loader, as `astro dev` serves it, adds each island whose element is in the page, once', () => {
    const plugin = afterPaintChunk();
    const hooks = plugin as unknown as {
      configResolved: (config: { command: string }) => void;
      resolveId: (id: string) => string | undefined;
      load: (id: string) => string | undefined;
    };
    hooks.configResolved({ command: 'serve' });
    const id = hooks.resolveId('virtual:after-paint-islands') ?? '';
    const source = hooks.load(id) ?? '';
    for (const { selector } of AFTER_PAINT_ISLANDS) expect(source).toContain(JSON.stringify(selector));
    expect(source).toContain("'largest-contentful-paint'");
    expect(source).toMatch(/if \(added\) return;/);
    expect(hooks.resolveId('something-else')).toBeUndefined();
  });
});
