/**
 * How every content YAML file is read (campaign.yaml, places.yaml, drives/*.yaml): values as
 * written (the YAML core schema: no timestamps, so a "+07:00" stays in the text), a key given
 * twice refused, and no anchors or aliases at all. An editor never needs `&name`/`*name`, and
 * a file whose aliases nest ("billion laughs": ten aliases of ten aliases, nine deep) would
 * expand to a billion values when the content layer copies and stores it; such a file is
 * refused before anything is expanded, naming the line (docs/editors.md, "When the build
 * stops"). Parsing is by the maintained `yaml` package, whose own alias limit stays on as a
 * second guard.
 */
import { isAlias, LineCounter, parseDocument, visit, type Node } from 'yaml';

/** A content file that cannot be read: the message names the file and the line. */
export class ContentYamlError extends Error {
  override name = 'ContentYamlError';
}

const MAX_YAML_BYTES = 2 * 1024 * 1024;

function lineOf(counter: LineCounter, node: Node | undefined): number {
  const offset = node?.range?.[0];
  return offset === undefined ? 1 : counter.linePos(offset).line;
}

/** The file's value, or a ContentYamlError in Vietnamese. `shown` is the name the message gives. */
export function parseContentYaml(text: string, shown: string): unknown {
  if (text.length > MAX_YAML_BYTES) {
    throw new ContentYamlError(`${shown}: tệp quá lớn (hơn 2 MB); một tệp nội dung chỉ vài trăm dòng.`);
  }
  const counter = new LineCounter();
  const document = parseDocument(text, {
    schema: 'core',
    merge: false,
    uniqueKeys: true,
    lineCounter: counter,
    prettyErrors: false,
  });
  const [firstError] = document.errors;
  if (firstError) {
    const position = counter.linePos(firstError.pos[0]);
    const where = `dòng ${position.line}, cột ${position.col} (${position.line}:${position.col})`;
    const duplicate = firstError.code === 'DUPLICATE_KEY' ? ': một trường được ghi hai lần' : '';
    throw new ContentYamlError(
      `${shown} không đúng cú pháp YAML ở ${where}${duplicate}. Kiểm tra dấu hai chấm sau tên trường, thụt lề bằng dấu cách và các dấu ngoặc [ ] có đủ đôi.`,
      { cause: firstError },
    );
  }
  let aliasLine: number | undefined;
  visit(document, {
    Node(_key, node) {
      if (!isAlias(node) && !node.anchor) return undefined;
      aliasLine = lineOf(counter, node);
      return visit.BREAK;
    },
  });
  if (aliasLine !== undefined) {
    throw new ContentYamlError(
      `${shown}, dòng ${aliasLine}: tệp nội dung không được dùng neo và bí danh YAML (&tên, *tên). Viết thẳng giá trị vào từng trường.`,
    );
  }
  return document.toJS({ maxAliasCount: 0 });
}
