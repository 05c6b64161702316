// Packs the CLI for a GPU machine that has no Node and no node_modules (the `device` tool's): one self-contained
// cli.js (every package inlined but Dawn's `webgpu`), Dawn's linux-x64 dawn.node and this Node binary xz-compressed,
// Debian's libvulkan.so.1, bench/torch_lstm_bench.py, and run.sh, which unpacks them once and runs the CLI with the
// NVIDIA Vulkan driver when the machine has it.
//   npm run bundle:gpu [-- --out DIR] [--xz-level 0-9]        (default .gpu-bundle/, level 6)
// then on the GPU machine: sh .gpu-bundle/run.sh bench --node --configs S,M,L,XL --designs --torch cuda
// test/bench/gpu_bundle.test.ts builds one and runs it from outside the project on this machine's SwiftShader.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readdirSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** What the device tool carries beside the working tree, all paths together. */
export const CARRY_LIMIT_BYTES = 64 * 1024 * 1024;
/** Where Debian's libvulkan1 puts the loader Dawn opens. */
const VULKAN_LOADER = '/usr/lib/x86_64-linux-gnu/libvulkan.so.1';
/** The NVIDIA driver manifest on the device tool's machines (its README). */
export const NVIDIA_ICD = '/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json';

export interface GpuBundleOptions {
  /** The bundle's folder (emptied first). */
  outDir: string;
  /** xz preset for node and dawn.node: 6 packs Node into ~24 MB in ~30 s here, 0 into ~30 MB in ~5 s. */
  xzLevel?: number;
}

export interface GpuBundle {
  outDir: string;
  /** Every file with its size, largest first. */
  files: { path: string; bytes: number }[];
  totalBytes: number;
}

/** The launcher: unpacks Node and dawn.node beside themselves on first use (xz, or Python's lzma where xz is missing),
 *  puts the bundled Vulkan loader first, names the NVIDIA driver when it is there and none was named, runs the CLI. */
const RUN_SH = `#!/bin/sh
# Runs the lstm-playground CLI from this bundle (scripts/gpu_bundle.ts): sh run.sh <command> [flags]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
unpack() { # $1.xz -> $1, once
  [ -f "$1" ] && return 0
  if command -v xz >/dev/null 2>&1; then xz -dc "$1.xz" > "$1.part"
  else python3 -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$1.xz" "$1.part"; fi
  mv "$1.part" "$1"
}
unpack "$here/bin/node"
chmod +x "$here/bin/node"
unpack "$here/node_modules/webgpu/dist/linux-x64/dawn.node"
export LD_LIBRARY_PATH="$here/lib\${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
if [ -z "\${VK_DRIVER_FILES:-}" ] && [ -z "\${VK_ICD_FILENAMES:-}" ] && [ -f ${NVIDIA_ICD} ]; then
  export VK_DRIVER_FILES=${NVIDIA_ICD}
fi
exec "$here/bin/node" "$here/cli.js" "$@"
`;

function xz(src: string, dest: string, level: number): void {
  const out = execFileSync('xz', [`-${level}`, '-T0', '-c', src], { maxBuffer: 1 << 30 });
  writeFileSync(dest, out);
}

function listFiles(dir: string): { path: string; bytes: number }[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => {
      const path = join(e.parentPath, e.name);
      return { path: relative(dir, path), bytes: statSync(path).size };
    })
    .sort((a, b) => b.bytes - a.bytes);
}

/** Builds the bundle; throws when this machine cannot make one (not linux-x64, no xz) or it would not fit the carry. */
export async function buildGpuBundle({ outDir, xzLevel = 6 }: GpuBundleOptions): Promise<GpuBundle> {
  if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error(`the GPU bundle is for linux-x64 machines; this is ${process.platform}-${process.arch}`);
  if (!Number.isInteger(xzLevel) || xzLevel < 0 || xzLevel > 9) throw new Error(`--xz-level must be 0 to 9, got ${xzLevel}`);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });

  await build({
    configFile: false,
    root: ROOT,
    publicDir: false,
    logLevel: 'warn',
    build: {
      ssr: join(ROOT, 'src/cli/main.ts'),
      outDir,
      emptyOutDir: false,
      target: 'node20',
      minify: false,
      rollupOptions: { output: { entryFileNames: 'cli.js', format: 'es', codeSplitting: false } },
    },
    // Every package inlined, so the bundle needs no node_modules, except Dawn (a native addon, copied below) and the
    // browser bench's Vite and Playwright, which the GPU machine has no Chromium for (they load only when it runs).
    ssr: { target: 'node', noExternal: true, external: ['webgpu', 'vite', '@playwright/test'] },
  });

  const webgpu = join(ROOT, 'node_modules/webgpu');
  const dawnDir = join(outDir, 'node_modules/webgpu/dist/linux-x64');
  mkdirSync(dawnDir, { recursive: true });
  for (const f of ['package.json', 'index.js', 'LICENSE.md']) copyFileSync(join(webgpu, f), join(outDir, 'node_modules/webgpu', f));
  xz(join(webgpu, 'dist/linux-x64/dawn.node'), join(dawnDir, 'dawn.node.xz'), xzLevel);

  mkdirSync(join(outDir, 'bin'));
  xz(process.execPath, join(outDir, 'bin/node.xz'), xzLevel);
  mkdirSync(join(outDir, 'lib'));
  copyFileSync(realpathSync(VULKAN_LOADER), join(outDir, 'lib/libvulkan.so.1'));
  mkdirSync(join(outDir, 'bench'));
  copyFileSync(join(ROOT, 'bench/torch_lstm_bench.py'), join(outDir, 'bench/torch_lstm_bench.py'));
  writeFileSync(join(outDir, 'run.sh'), RUN_SH);
  chmodSync(join(outDir, 'run.sh'), 0o755);

  const files = listFiles(outDir);
  const totalBytes = files.reduce((s, f) => s + f.bytes, 0);
  if (totalBytes > CARRY_LIMIT_BYTES)
    throw new Error(`the bundle is ${(totalBytes / 2 ** 20).toFixed(1)} MiB, over the ${CARRY_LIMIT_BYTES / 2 ** 20} MiB the device tool carries; try a higher --xz-level`);
  return { outDir, files, totalBytes };
}

async function main(argv: string[]): Promise<void> {
  let outDir = join(ROOT, '.gpu-bundle');
  let xzLevel = 6;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') outDir = resolve(argv[++i] ?? '');
    else if (argv[i] === '--xz-level') xzLevel = Number(argv[++i]);
    else throw new Error(`unknown flag ${argv[i]} (flags: --out DIR, --xz-level 0-9)`);
  }
  const t0 = performance.now();
  const bundle = await buildGpuBundle({ outDir, xzLevel });
  for (const f of bundle.files) process.stdout.write(`${(f.bytes / 2 ** 20).toFixed(2).padStart(7)} MiB  ${f.path}\n`);
  process.stdout.write(
    `${(bundle.totalBytes / 2 ** 20).toFixed(1)} MiB in ${relative(process.cwd(), outDir) || '.'} (${((performance.now() - t0) / 1000).toFixed(0)} s); ` +
      `on the GPU machine: sh ${relative(ROOT, outDir)}/run.sh bench --node --configs S,M,L,XL --designs --torch cuda\n`,
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`gpu_bundle: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
