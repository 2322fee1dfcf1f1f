/**
 * The console's content forms in the browser (docs/editors.md, "Viết bài"): loaded only on
 * the article and page forms (editor/BodyEditor.astro's script).
 *
 * <markdown-editor> turns the body's <textarea> into CodeMirror 6 with its Markdown mode
 * and a toolbar (headings, bold, lists, links); the textarea stays in the form, kept equal
 * to the editor's text, so the post is the same as without JavaScript. «Xem trước» asks the
 * preview endpoint instead of posting the whole form.
 *
 * <content-form> keeps each counted field's "37/90 ký tự" current and proposes the address
 * from the title while the editor has not typed one.
 */
import { EditorView, minimalSetup } from 'codemirror';
import { markdown } from '@codemirror/lang-markdown';
import { EditorSelection } from '@codemirror/state';
import { keymap } from '@codemirror/view';
import { slugify } from '../shared/vietnamese.ts';

type Action = 'h2' | 'h3' | 'bold' | 'ul' | 'ol' | 'link';

/** Puts `prefix` at the start of every selected line (or takes it away when each has it). */
function toggleLinePrefix(view: EditorView, prefix: (index: number) => string, pattern: RegExp): boolean {
  const { state } = view;
  const changes = [];
  const seen = new Set<number>();
  for (const range of state.selection.ranges) {
    const from = state.doc.lineAt(range.from).number;
    const to = state.doc.lineAt(range.to).number;
    for (let number = from, index = 0; number <= to; number++, index++) {
      if (seen.has(number)) continue;
      seen.add(number);
      const line = state.doc.line(number);
      const existing = pattern.exec(line.text);
      if (existing) changes.push({ from: line.from, to: line.from + existing[0].length, insert: '' });
      changes.push({ from: line.from, insert: prefix(index) });
    }
  }
  view.dispatch({ changes, scrollIntoView: true });
  view.focus();
  return true;
}

function wrap(view: EditorView, before: string, after: string, placeholder: string): boolean {
  view.dispatch(
    view.state.changeByRange((range) => {
      const selected = view.state.sliceDoc(range.from, range.to) || placeholder;
      const insert = `${before}${selected}${after}`;
      return {
        changes: { from: range.from, to: range.to, insert },
        range: EditorSelection.range(range.from + before.length, range.from + before.length + selected.length),
      };
    }),
  );
  view.focus();
  return true;
}

const HEADING = /^#{1,6}\s+/;
const LIST = /^(?:[-*+]|\d+\.)\s+/;

function apply(view: EditorView, action: Action): boolean {
  switch (action) {
    case 'h2':
      return toggleLinePrefix(view, () => '## ', HEADING);
    case 'h3':
      return toggleLinePrefix(view, () => '### ', HEADING);
    case 'ul':
      return toggleLinePrefix(view, () => '- ', LIST);
    case 'ol':
      return toggleLinePrefix(view, (index) => `${index + 1}. `, LIST);
    case 'bold':
      return wrap(view, '**', '**', 'chữ đậm');
    case 'link':
      return wrap(view, '[', '](https://)', 'chữ của liên kết');
  }
}

const theme = EditorView.theme({
  '&': { backgroundColor: '#ffffff', border: '2px solid #9ca3af', borderRadius: '0.375rem', fontSize: '1rem' },
  '&.cm-focused': { outline: '3px solid #1d4ed8', outlineOffset: '2px' },
  '.cm-content': { fontFamily: 'ui-monospace, monospace', minHeight: '16rem', padding: '0.5rem 0' },
  '.cm-scroller': { maxHeight: '70vh' },
});

class MarkdownEditor extends HTMLElement {
  #view: EditorView | undefined;

  connectedCallback(): void {
    const textarea = this.querySelector('textarea');
    if (!textarea || this.#view) return;
    const label = document.querySelector(`label[for="${textarea.id}"]`);
    this.#view = new EditorView({
      doc: textarea.value,
      extensions: [
        minimalSetup,
        markdown(),
        EditorView.lineWrapping,
        theme,
        keymap.of([
          { key: 'Mod-b', run: (view) => apply(view, 'bold') },
          { key: 'Mod-k', run: (view) => apply(view, 'link') },
        ]),
        EditorView.contentAttributes.of({
          'aria-label': label?.textContent?.trim() ?? 'Nội dung',
          'aria-describedby': textarea.getAttribute('aria-describedby') ?? '',
          spellcheck: 'true',
          lang: 'vi',
        }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) textarea.value = update.state.doc.toString();
        }),
      ],
    });
    textarea.hidden = true;
    textarea.after(this.#view.dom);
    // The label now names the editor: a tap on it puts the cursor in.
    label?.addEventListener('click', () => this.#view?.focus());
    const toolbar = this.querySelector<HTMLElement>('[data-toolbar]');
    toolbar?.classList.remove('hidden');
    toolbar?.classList.add('flex');
    toolbar?.addEventListener('click', (event) => {
      const button = (event.target as Element).closest<HTMLButtonElement>('button[data-action]');
      if (button && this.#view) apply(this.#view, button.dataset['action'] as Action);
    });
    this.querySelector('[data-preview]')?.addEventListener('click', (event) => {
      event.preventDefault();
      void this.#preview();
    });
  }

  async #preview(): Promise<void> {
    const area = this.querySelector<HTMLElement>('[data-preview-area]');
    const output = this.querySelector<HTMLElement>('[data-preview-output]');
    const problems = this.querySelector<HTMLElement>('[data-preview-problems]');
    if (!area || !output || !problems || !this.#view) return;
    const form = new FormData();
    form.set('noi-dung', this.#view.state.doc.toString());
    form.set('loai', this.dataset['kind'] ?? 'bai');
    area.classList.remove('hidden');
    problems.textContent = 'Đang vẽ bản xem trước…';
    try {
      const response = await fetch(this.dataset['previewUrl'] ?? '', {
        method: 'POST',
        body: form,
        credentials: 'same-origin',
      });
      const answer = (await response.json()) as { ok: boolean; html?: string; problems?: string[] };
      problems.replaceChildren();
      if (answer.ok) {
        // The server drew it from a body that passed the build's check: Markdown, no code.
        output.innerHTML = answer.html ?? '';
      } else {
        output.replaceChildren();
        const list = document.createElement('ul');
        for (const problem of answer.problems ?? ['Chưa xem trước được.']) {
          const item = document.createElement('li');
          item.textContent = problem;
          list.append(item);
        }
        problems.append(list);
      }
    } catch {
      problems.textContent = 'Không kết nối được máy chủ: chưa xem trước được.';
    }
    area.scrollIntoView({ block: 'start' });
  }
}

class ContentForm extends HTMLElement {
  connectedCallback(): void {
    for (const field of this.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('[data-count-max]')) {
      const shown = this.querySelector<HTMLElement>(`[data-count-of="${field.id}"]`);
      const min = Number(field.dataset['countMin']);
      const max = Number(field.dataset['countMax']);
      const update = () => {
        const length = [...field.value].length;
        if (!shown) return;
        shown.textContent =
          length > max
            ? `${length}/${max} ký tự: dài quá ${length - max} ký tự.`
            : length < min
              ? `${length}/${max} ký tự: cần ít nhất ${min}.`
              : `${length}/${max} ký tự.`;
        shown.classList.toggle('text-red-800', length > max || length < min);
        shown.classList.toggle('font-semibold', length > max || length < min);
      };
      field.addEventListener('input', update);
      update();
    }
    const slug = this.querySelector<HTMLInputElement>('[data-slug-from]');
    const title = slug ? document.getElementById(slug.dataset['slugFrom'] ?? '') : null;
    if (slug && !slug.readOnly && title instanceof HTMLInputElement) {
      let typed = slug.value !== '';
      slug.addEventListener('input', () => (typed = slug.value !== ''));
      title.addEventListener('input', () => {
        if (!typed) slug.value = slugify(title.value).slice(0, 80).replace(/-+$/, '');
      });
    }
  }
}

if (!customElements.get('markdown-editor')) customElements.define('markdown-editor', MarkdownEditor);
if (!customElements.get('content-form')) customElements.define('content-form', ContentForm);
