// Reads declarations out of WGSL source text: the scalar consts, the overrides and the uniform structs the host must
// agree with (kernel_sizes.ts, stats_slots.ts, uniforms.ts). Only the simple forms the engine's shaders use.

/** The source without comments (line and block), so commented-out declarations do not count. */
function code(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');
}

/** Every `const NAME[: u32|i32] = 12u;` (integer literal) by name. */
export function wgslIntConsts(source: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of code(source).matchAll(/\bconst\s+(\w+)\s*(?::\s*[ui]32\s*)?=\s*(\d+)[ui]?\s*;/g)) {
    if (out.has(m[1])) throw new Error(`WGSL const ${m[1]} is declared twice`);
    out.set(m[1], Number(m[2]));
  }
  return out;
}

/** The overrides a module declares, and whether each has an initializer (one without must be set by the host). */
export function wgslOverrides(source: string): { name: string; initialized: boolean }[] {
  return [...code(source).matchAll(/\boverride\s+(\w+)\s*(?::\s*\w+\s*)?(=)?/g)].map((m) => ({ name: m[1], initialized: m[2] === '=' }));
}

export interface WgslField {
  name: string;
  type: string;
}

/** The fields of `struct name { … }` in order; throws when the module has no such struct. */
export function wgslStruct(source: string, name: string): WgslField[] {
  const m = new RegExp(`\\bstruct\\s+${name}\\s*\\{([^}]*)\\}`).exec(code(source));
  if (!m) throw new Error(`WGSL struct ${name} not found`);
  return m[1]
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f !== '')
    .map((f) => {
      const field = /^(\w+)\s*:\s*(\w+)$/.exec(f);
      if (!field) throw new Error(`WGSL struct ${name}: cannot read the field "${f}"`);
      return { name: field[1], type: field[2] };
    });
}
