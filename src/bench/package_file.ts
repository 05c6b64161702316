// Finds one of the package's own files (under bench/) above a module, whether it runs from src/, dist-cli/ or a copied bundle.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The nearest `relative` above the module at `moduleUrl` (its import.meta.url); throws naming it where there is none. */
export function packageFile(moduleUrl: string, relative: string): string {
  let dir = dirname(fileURLToPath(moduleUrl));
  for (;;) {
    const path = join(dir, relative);
    if (existsSync(path)) return path;
    const up = dirname(dir);
    if (up === dir) throw new Error(`${relative} was not found above this module; run the bench from the project folder.`);
    dir = up;
  }
}
