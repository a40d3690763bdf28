// Starts the real `nashir serve --demo` on an ephemeral loopback port with a temporary data
// folder, for one browser test file; stops it afterwards.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export function nashirBinary() {
  const candidates = [
    process.env.NASHIR_BIN,
    process.env.CARGO_TARGET_DIR && join(process.env.CARGO_TARGET_DIR, 'debug', 'nashir'),
    join(import.meta.dirname, '..', '..', 'target', 'debug', 'nashir'),
  ].filter(Boolean);
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`no nashir binary; build it first (looked in ${candidates.join(', ')})`);
  return found;
}

export async function startDemo(extraArgs = [], { dataDir } = {}) {
  const data = dataDir ?? mkdtempSync(join(tmpdir(), 'nashir-browser-'));
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('NASHIR_')));
  env.NASHIR_LOG = 'warn';
  const child = spawn(nashirBinary(), ['serve', '--demo', '--listen', '127.0.0.1:0', '--data-dir', data, ...extraArgs], {
    cwd: data,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('nashir did not start in 60 s')), 60_000);
    child.once('exit', (code) => reject(new Error(`nashir exited with ${code}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = line.match(/^Nashir is serving (http:\/\/\S+?)\/?$/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
  });
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      if (!dataDir) rmSync(data, { recursive: true, force: true });
    },
  };
}

/** The password every test account gets. */
export const PASSWORD = 'كلمة-سر-طويلة-1';

/** Adds a newsroom account to a data folder with `nashir user add` (the password on stdin). */
export function addUser(data, email, name, role) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('NASHIR_')));
  const r = spawnSync(nashirBinary(), ['user', 'add', '--email', email, '--name', name, '--role', role, '--data-dir', data], { input: PASSWORD + '\n', env });
  if (r.status !== 0) throw new Error(`nashir user add failed: ${r.stderr}`);
}

/** Logs `page` into the newsroom of the site at `base` through its login form. */
export async function logIn(page, base, email) {
  await page.goto(base + '/newsroom/login');
  await page.fill('#email', email);
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForURL((u) => u.pathname.startsWith('/newsroom/') && !u.pathname.startsWith('/newsroom/login')), page.click('button[type=submit]')]);
}
