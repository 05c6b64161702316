// Tests how the Node device picks its Vulkan driver before Dawn starts: the loader's manifest search (env overrides,
// XDG folders, manifests whose library is missing), the SwiftShader shortcut, and the --verbose line naming the choice.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { findVulkanDrivers, planStart, VERBOSE_ENV, verboseRequested } from '../../src/gpu/node_adapter_choice';
import { requestNodeDevice } from '../../src/gpu/node_device';

const root = mkdtempSync(join(tmpdir(), 'vk-drivers-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A folder tree standing in for one machine's Vulkan folders; nothing outside it is searched. */
function machine(name: string) {
  const base = join(root, name);
  const dir = (sub: string) => {
    const d = join(base, sub);
    mkdirSync(d, { recursive: true });
    return d;
  };
  const manifest = (sub: string, file: string, library: string) => {
    const p = join(dir(sub), file);
    writeFileSync(p, JSON.stringify({ file_format_version: '1.0.0', ICD: { library_path: library, api_version: '1.3.0' } }));
    return p;
  };
  const swiftshader = join(dir('chromium'), 'vk_swiftshader_icd.json');
  writeFileSync(swiftshader, '{}');
  const options = {
    home: join(base, 'home'),
    sysconfDirs: [join(base, 'etc')],
    fallbackConfigDirs: join(base, 'etc/xdg'),
    fallbackDataDirs: `${join(base, 'usr/local/share')}:${join(base, 'usr/share')}`,
    swiftshader: [join(base, 'missing/vk_swiftshader_icd.json'), swiftshader],
    platform: 'linux',
  };
  return { base, dir, manifest, swiftshader, options };
}

describe('findVulkanDrivers', () => {
  it('searches vulkan/icd.d in the loader order and lists the manifests there', () => {
    const m = machine('order');
    const lib = join(m.dir('lib'), 'libvulkan_real.so');
    writeFileSync(lib, '');
    const a = m.manifest('usr/share/vulkan/icd.d', 'real.json', lib);
    const b = m.manifest('etc/vulkan/icd.d', 'relative.json', '../../../lib/libvulkan_real.so');
    const found = findVulkanDrivers({}, m.options);
    expect(found.override).toBeNull();
    expect(found.searched).toEqual(
      ['home/.config', 'etc/xdg', 'etc', 'home/.local/share', 'usr/local/share', 'usr/share'].map((d) => join(m.base, d, 'vulkan/icd.d')),
    );
    expect(found.manifests).toEqual([b, a]);
    expect(found.skipped).toEqual([]);
  });

  it('reads XDG_DATA_DIRS, XDG_CONFIG_HOME and VK_ADD_DRIVER_FILES', () => {
    const m = machine('xdg');
    const lib = join(m.dir('lib'), 'libx.so');
    writeFileSync(lib, '');
    const data = m.manifest('data/vulkan/icd.d', 'd.json', lib);
    const extra = m.manifest('extra', 'e.json', lib);
    const env = { XDG_DATA_DIRS: join(m.base, 'data'), XDG_CONFIG_HOME: join(m.base, 'cfg'), VK_ADD_DRIVER_FILES: extra };
    const found = findVulkanDrivers(env, m.options);
    expect(found.searched[0]).toBe(extra);
    expect(found.searched).toContain(join(m.base, 'cfg/vulkan/icd.d'));
    expect(found.searched).not.toContain(join(m.base, 'usr/share/vulkan/icd.d'));
    expect(found.manifests).toEqual([extra, data]);
  });

  it('leaves out manifests whose library is not installed, by path or by bare name', () => {
    const m = machine('missing-lib');
    const byPath = m.manifest('usr/share/vulkan/icd.d', 'a.json', '/nonexistent/libvulkan_gone.so');
    const byName = m.manifest('usr/share/vulkan/icd.d', 'b_nvidia_icd.json', 'libGLX_not_installed_lstm_playground.so.0');
    const found = findVulkanDrivers({}, m.options);
    expect(found.manifests).toEqual([]);
    expect(found.skipped).toEqual([byPath, byName]);
    // A bare name the dynamic linker can find (here through LD_LIBRARY_PATH) counts.
    writeFileSync(join(m.dir('ldpath'), 'libGLX_not_installed_lstm_playground.so.0'), '');
    expect(findVulkanDrivers({ LD_LIBRARY_PATH: join(m.base, 'ldpath') }, m.options).manifests).toEqual([byName]);
  });

  it('lets VK_DRIVER_FILES (then VK_ICD_FILENAMES) replace the search', () => {
    const m = machine('override');
    m.manifest('usr/share/vulkan/icd.d', 'ignored.json', '/nonexistent.so');
    const nvidia = m.manifest('nvidia/share/vulkan/icd.d', 'nvidia_icd.json', 'libGLX_nvidia.so.0');
    const found = findVulkanDrivers({ VK_DRIVER_FILES: nvidia, VK_ICD_FILENAMES: '/other.json' }, m.options);
    expect([found.override, found.searched]).toEqual(['VK_DRIVER_FILES', [nvidia]]);
    expect(findVulkanDrivers({ VK_ICD_FILENAMES: '/other.json' }, m.options).override).toBe('VK_ICD_FILENAMES');
  });
});

describe('planStart', () => {
  it('goes straight to SwiftShader when the loader would find no driver', () => {
    const m = machine('no-driver');
    const plan = planStart({}, m.options);
    expect(plan.useIcd).toBe(m.swiftshader);
    expect(plan.mayFallBack).toBe(false);
    expect(plan.reason).toMatch(/^no Vulkan driver manifest in .*, so SwiftShader \(.*vk_swiftshader_icd\.json\)$/);
  });

  it('tries a real driver first and keeps SwiftShader as the fallback', () => {
    const m = machine('real-driver');
    const lib = join(m.dir('lib'), 'libvulkan_radeon.so');
    writeFileSync(lib, '');
    const manifest = m.manifest('usr/share/vulkan/icd.d', 'radeon_icd.x86_64.json', lib);
    expect(planStart({}, m.options)).toEqual({ useIcd: null, mayFallBack: true, reason: `Vulkan driver manifest ${manifest}` });
  });

  it('never overrides drivers the user named (the NVIDIA ICD through VK_DRIVER_FILES stays the first attempt)', () => {
    const m = machine('user-named');
    const env = { VK_DRIVER_FILES: '/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json' };
    expect(planStart(env, m.options)).toMatchObject({ useIcd: null, mayFallBack: false });
    expect(planStart(env, m.options).reason).toContain('VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json');
  });

  it('does nothing off Linux and says so when there is neither a driver nor SwiftShader', () => {
    const m = machine('bare');
    expect(planStart({}, { ...m.options, platform: 'darwin' }).useIcd).toBeNull();
    expect(planStart({}, { ...m.options, swiftshader: [] })).toMatchObject({ useIcd: null, mayFallBack: false, reason: expect.stringMatching(/and no SwiftShader$/) });
  });
});

describe('verboseRequested', () => {
  it('reads LSTM_PLAYGROUND_VERBOSE', () => {
    expect([undefined, '', '0', 'false', '1', 'yes'].map((v) => verboseRequested({ [VERBOSE_ENV]: v }))).toEqual([false, false, false, false, true, true]);
  });
});

describe('requestNodeDevice', () => {
  it('gives a working device and, when verbose, names the adapter and why on stderr', async () => {
    const before = process.env[VERBOSE_ENV];
    process.env[VERBOSE_ENV] = '1';
    const lines: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      const expected = planStart(); // what this machine has, decided the same way
      const { device, adapterInfo } = await requestNodeDevice();
      device.destroy();
      expect(lines.join('')).toContain(`lstm-playground: WebGPU adapter "${adapterInfo}": `);
      if (expected.useIcd) {
        expect(process.env.VK_ICD_FILENAMES).toBe(expected.useIcd);
        expect(lines.join('')).toContain('so SwiftShader');
      }
    } finally {
      spy.mockRestore();
      if (before === undefined) delete process.env[VERBOSE_ENV];
      else process.env[VERBOSE_ENV] = before;
    }
  });
});
