// Which Vulkan driver Dawn should start with in Node, decided before the first instance exists: Dawn prints the
// Vulkan loader's "vkCreateInstance: Found no drivers!" / VK_ERROR_INCOMPATIBLE_DRIVER to stderr from native code
// when it finds none, so on a machine without a driver we go straight to SwiftShader instead of trying and failing.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** Environment variable that asks for start-up detail (set by the CLI's global --verbose). */
export const VERBOSE_ENV = 'LSTM_PLAYGROUND_VERBOSE';

export function verboseRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = env[VERBOSE_ENV];
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

/** Where SwiftShader's Vulkan ICD sits when a chromium package is installed (Debian's first). */
export const SWIFTSHADER_ICDS = [
  '/usr/lib/chromium/vk_swiftshader_icd.json',
  '/usr/lib/chromium-browser/vk_swiftshader_icd.json',
  '/usr/lib64/chromium-browser/vk_swiftshader_icd.json',
];

/** The first SwiftShader ICD manifest present, or null. */
export function findSwiftShader(candidates: string[] = SWIFTSHADER_ICDS): string | null {
  return candidates.find((p) => existsSync(p)) ?? null;
}

export interface DriverSearch {
  /** 'VK_DRIVER_FILES' or 'VK_ICD_FILENAMES' when that variable replaces the loader's own search; null otherwise. */
  override: string | null;
  /** Driver manifests the loader would read (ones whose library is known to be missing are left out). */
  manifests: string[];
  /** Manifests found but left out because their library is missing. */
  skipped: string[];
  /** The directories (or files) looked in, in the loader's order. */
  searched: string[];
}

export interface SearchOptions {
  /** System folders the loader was built with; the defaults match the Linux loader (tests point them elsewhere). */
  sysconfDirs?: string[];
  fallbackConfigDirs?: string;
  fallbackDataDirs?: string;
  home?: string;
}

function splitList(value: string | undefined): string[] {
  return (value ?? '').split(':').filter((s) => s.length > 0);
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

let ldCache: string | null | undefined;

/** Whether dlopen could find a bare library name: LD_LIBRARY_PATH, /etc/ld.so.cache, then the default folders. */
function libraryFindable(name: string, env: NodeJS.ProcessEnv): boolean {
  const dirs = [...splitList(env.LD_LIBRARY_PATH), ...LIB_DIRS];
  if (dirs.some((d) => existsSync(join(d, name)))) return true;
  if (ldCache === undefined) {
    try {
      ldCache = readFileSync('/etc/ld.so.cache', 'latin1');
    } catch {
      ldCache = null;
    }
  }
  // No cache to read: assume it is there, as the loader will find out anyway.
  return ldCache === null || ldCache.includes(`\0${name}\0`) || ldCache.includes(`/${name}\0`);
}

const LIB_DIRS = ['/lib', '/usr/lib', '/lib64', '/usr/lib64', '/lib/x86_64-linux-gnu', '/usr/lib/x86_64-linux-gnu', '/lib/aarch64-linux-gnu', '/usr/lib/aarch64-linux-gnu'];

/** False when the manifest's library is known to be missing (the loader would skip it); unreadable ones count. */
function libraryPresent(manifest: string, env: NodeJS.ProcessEnv): boolean {
  let lib: unknown;
  try {
    lib = (JSON.parse(readFileSync(manifest, 'utf8')) as { ICD?: { library_path?: unknown } }).ICD?.library_path;
  } catch {
    return true; // let the loader decide
  }
  if (typeof lib !== 'string' || lib.length === 0) return true;
  // A path is relative to the manifest; a bare name goes through the dynamic linker's search.
  return lib.includes('/') ? existsSync(resolve(dirname(manifest), lib)) : libraryFindable(lib, env);
}

function manifestsIn(entry: string): string[] {
  if (isDir(entry)) {
    let names: string[];
    try {
      names = readdirSync(entry);
    } catch {
      return [];
    }
    return names.filter((n) => n.endsWith('.json')).sort().map((n) => join(entry, n));
  }
  return existsSync(entry) ? [entry] : [];
}

/**
 * The Vulkan driver manifests the Linux loader would find, searched the way it does: VK_DRIVER_FILES (or the older
 * VK_ICD_FILENAMES) replaces the search; otherwise VK_ADD_DRIVER_FILES, then vulkan/icd.d under XDG_CONFIG_HOME,
 * XDG_CONFIG_DIRS, /etc, /usr/local/etc, XDG_DATA_HOME and XDG_DATA_DIRS.
 */
export function findVulkanDrivers(env: NodeJS.ProcessEnv = process.env, o: SearchOptions = {}): DriverSearch {
  const override = env.VK_DRIVER_FILES ? 'VK_DRIVER_FILES' : env.VK_ICD_FILENAMES ? 'VK_ICD_FILENAMES' : null;
  let searched: string[];
  if (override) {
    searched = splitList(env[override]);
  } else {
    const home = o.home ?? env.HOME ?? homedir();
    const configDirs = [env.XDG_CONFIG_HOME || join(home, '.config'), ...splitList(env.XDG_CONFIG_DIRS || (o.fallbackConfigDirs ?? '/etc/xdg'))];
    const dataDirs = [env.XDG_DATA_HOME || join(home, '.local/share'), ...splitList(env.XDG_DATA_DIRS || (o.fallbackDataDirs ?? '/usr/local/share:/usr/share'))];
    const sysconf = o.sysconfDirs ?? ['/etc', '/usr/local/etc'];
    searched = [
      ...splitList(env.VK_ADD_DRIVER_FILES),
      ...[...configDirs, ...sysconf, ...dataDirs].map((d) => join(d, 'vulkan/icd.d')),
    ];
  }
  searched = [...new Set(searched)];
  const found = [...new Set(searched.flatMap(manifestsIn))];
  const manifests = found.filter((m) => libraryPresent(m, env));
  return { override, manifests, skipped: found.filter((m) => !manifests.includes(m)), searched };
}

export interface StartPlan {
  /** Set VK_ICD_FILENAMES to this before the first instance (no driver of its own: SwiftShader); null: leave the loader be. */
  useIcd: string | null;
  /** Whether a failed first attempt may still fall back to SwiftShader (not when the user named the drivers). */
  mayFallBack: boolean;
  /** Why, in a few words, for the --verbose line. */
  reason: string;
}

/** Linux only: on other systems Dawn uses D3D12 or Metal and the loader is not involved. */
export function planStart(
  env: NodeJS.ProcessEnv = process.env,
  o: SearchOptions & { platform?: string; swiftshader?: string[] } = {},
): StartPlan {
  if ((o.platform ?? process.platform) !== 'linux') return { useIcd: null, mayFallBack: false, reason: 'default backend' };
  const search = findVulkanDrivers(env, o);
  const swiftshader = findSwiftShader(o.swiftshader);
  if (search.override) {
    return { useIcd: null, mayFallBack: false, reason: `${search.override}=${env[search.override]} names the Vulkan drivers` };
  }
  if (search.manifests.length > 0) {
    return { useIcd: null, mayFallBack: swiftshader !== null, reason: `Vulkan driver manifest ${search.manifests.join(', ')}` };
  }
  const none = `no Vulkan driver manifest in ${search.searched.join(', ')}${
    search.skipped.length ? ` (${search.skipped.join(', ')} names a library that is not installed)` : ''
  }`;
  if (swiftshader) {
    return {
      useIcd: swiftshader,
      mayFallBack: false,
      reason: `${none}, so SwiftShader (${swiftshader})`,
    };
  }
  return { useIcd: null, mayFallBack: false, reason: `${none} and no SwiftShader` };
}
