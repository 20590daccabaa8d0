/**
 * Finds keys that appear twice in one object of a JSON text (JSON.parse keeps the last one silently).
 * Call it on text JSON.parse accepted. One linear pass; positions are 1-based line and column.
 */
export interface DuplicateKey {
  /** Path of the object holding the key, as keys and indexes from the root. */
  path: (string | number)[];
  key: string;
  first: { line: number; column: number };
  second: { line: number; column: number };
}

export function findDuplicateKeys(text: string, max = 20): DuplicateKey[] {
  const out: DuplicateKey[] = [];
  const path: (string | number)[] = [];
  let i = 0;
  const ws = () => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };
  const str = (): string => {
    const start = i;
    i++;
    let escaped = false;
    while (i < text.length) {
      const c = text[i]!;
      if (c === '"') break;
      if (c === '\\') {
        escaped = true;
        i += 2;
      } else i++;
    }
    i++;
    const raw = text.slice(start, i);
    return escaped ? (JSON.parse(raw) as string) : raw.slice(1, -1);
  };
  const scalar = () => {
    while (i < text.length && !',]} \t\r\n'.includes(text[i]!)) i++;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const seen = new Map<string, number>();
      for (;;) {
        ws();
        if (text[i] === '}') return void i++;
        if (text[i] === ',') {
          i++;
          continue;
        }
        const at = i;
        const key = str();
        const before = seen.get(key);
        if (before !== undefined) {
          if (out.length < max) out.push({ path: [...path], key, first: position(text, before), second: position(text, at) });
        } else seen.set(key, at);
        ws();
        i++; // ':'
        path.push(key);
        value();
        path.pop();
      }
    } else if (c === '[') {
      i++;
      let n = 0;
      for (;;) {
        ws();
        if (text[i] === ']') return void i++;
        if (text[i] === ',') {
          i++;
          continue;
        }
        path.push(n++);
        value();
        path.pop();
      }
    } else if (c === '"') str();
    else scalar();
  };
  value();
  return out;
}

function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let k = text.indexOf('\n'); k !== -1 && k < offset; k = text.indexOf('\n', k + 1)) {
    line++;
    lineStart = k + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
