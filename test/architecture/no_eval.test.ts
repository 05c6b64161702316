// A lint rule in test form: no eval, new Function, string timers or raw-HTML sinks anywhere in src/ (CSV headers and
// cells are rendered as text only, and the CSP forbids 'unsafe-eval').
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');

const RULES: [string, RegExp][] = [
  ['eval(…)', /(^|[^\w.$])eval\s*\(/],
  ['new Function(…)', /\bnew\s+Function\s*\(/],
  ['Function("…") constructor call', /(^|[^\w.$])Function\s*\(\s*['"`]/],
  ['setTimeout/setInterval with a code string', /\bset(Timeout|Interval)\s*\(\s*['"`]/],
  ['dangerouslySetInnerHTML', /dangerouslySetInnerHTML/],
  ['innerHTML/outerHTML assignment', /\.(inner|outer)HTML\s*\+?=/],
  ['insertAdjacentHTML', /insertAdjacentHTML/],
  ['document.write', /document\.write(ln)?\s*\(/],
  ['javascript: URL', /['"`]javascript:/i],
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.(ts|tsx|js|jsx|mjs|html)$/.test(e.name) ? [p] : [];
  });
}

function violations(text: string): string[] {
  const found: string[] = [];
  text.split('\n').forEach((line, i) => {
    for (const [name, re] of RULES) if (re.test(line)) found.push(`line ${i + 1}: ${name}: ${line.trim()}`);
  });
  return found;
}

describe('no dynamic code or raw HTML in the app', () => {
  it('the rules catch what they are meant to catch (and not look-alikes)', () => {
    const bad = ['eval("1")', 'const f = new Function("a", "return a")', 'el.innerHTML = s', '<div dangerouslySetInnerHTML={x} />', 'setTimeout("go()", 1)', 'Function("return this")()'];
    for (const line of bad) expect(violations(line).length, line).toBeGreaterThanOrEqual(1);
    const fine = ['evaluate(trainer)', 'this.evalStep(x)', 'el.textContent = s', 'setTimeout(() => go(), 1)', 'type Fn = Function;'];
    for (const line of fine) expect(violations(line), line).toEqual([]);
  });

  it('src/ and index.html contain none of them', () => {
    const files = [...sourceFiles(join(ROOT, 'src')), join(ROOT, 'index.html')];
    expect(files.length).toBeGreaterThan(20);
    const report = files.flatMap((f) => violations(readFileSync(f, 'utf8')).map((v) => `${relative(ROOT, f)} ${v}`));
    expect(report).toEqual([]);
  });
});
