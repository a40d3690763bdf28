// Debian's Chromium, headless, with the flags this machine's closed network needs.
import { chromium } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function launch(options = {}) {
  const userData = mkdtempSync(join(tmpdir(), 'nashir-chromium-'));
  return chromium.launchPersistentContext(userData, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync',
    ],
    ...options,
  });
}

export const artifacts = process.env.NASHIR_ARTIFACTS || join(import.meta.dirname, '..', '..', 'artifacts');
