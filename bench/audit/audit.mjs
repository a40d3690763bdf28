// Runs Lighthouse on each page type of the demo site, in Arabic and served in English
// (`--locale en`; NASHIR_AUDIT_LOCALES=ar for one), and prints one table of scores.
// NASHIR_AUDIT_ARGS adds settings to `nashir serve` (e.g. "--index-search");
// NASHIR_AUDIT_ONLY keeps the pages whose name contains it (e.g. "search").
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const bin = process.env.NASHIR_BIN;
const PASSWORD = 'كلمة-سر-طويلة-1';
const rows = [];

async function audit(locale) {
  const data = mkdtempSync(join(tmpdir(), 'nashir-audit-'));
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('NASHIR_')));
  env.NASHIR_LOG = 'warn';
  const add = spawnSync(bin, ['user', 'add', '--email', 'editor@example.com', '--name', 'محررة', '--role', 'editor', '--data-dir', data], { input: PASSWORD + '\n', env });
  if (add.status !== 0) throw new Error(add.stderr.toString());
  const server = spawn(bin, ['serve', '--demo', '--listen', '127.0.0.1:0', '--data-dir', data, '--locale', locale, ...(process.env.NASHIR_AUDIT_ARGS || '').split(' ').filter(Boolean)], { cwd: data, env, stdio: ['ignore', 'pipe', 'inherit'] });
  const base = await new Promise((resolve) => {
    createInterface({ input: server.stdout }).on('line', (l) => {
      const m = l.match(/^Nashir is serving (http:\/\/\S+?)\/?$/);
      if (m) resolve(m[1]);
    });
  });
  // Let the demo's photos be drawn.
  await new Promise((r) => setTimeout(r, 8000));

  const home = await (await fetch(base + '/')).text();
  const hrefs = [...home.matchAll(/href="(\/[^"#?]*)"/g)].map((m) => m[1]);
  let article = hrefs.find((h) => /^\/news\/\d+\//.test(h));
  for (const a of new Set(hrefs.filter((h) => /^\/news\/\d+\//.test(h)))) {
    const html = await (await fetch(base + a)).text();
    if (html.includes('class="comment"') && html.includes('<img')) { article = a; break; }
  }
  const articleHtml = await (await fetch(base + article)).text();
  const pick = (re, html) => (html.match(re) || [])[1];

  // A newsroom session for the staff pages.
  const loginPage = await fetch(base + '/newsroom/login');
  const csrf = pick(/name="csrf_token" value="([^"]+)"/, await loginPage.text());
  const login = await fetch(base + '/newsroom/login', {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email: 'editor@example.com', password: PASSWORD, csrf_token: csrf, next: '/newsroom/articles' }),
  });
  const cookie = (login.headers.get('set-cookie') || '').split(';')[0];
  const list = await (await fetch(base + '/newsroom/articles', { headers: { cookie } })).text();
  const editor = pick(/href="(\/newsroom\/articles\/\d+)"/, list);

  const targets = [
    ['home', '/', false],
    ['article (photo, comments)', article, false],
    ['category', pick(/href="(\/category\/[^"]+)"/, home), false],
    ['tag', pick(/href="(\/tag\/[^"]+)"/, articleHtml), false],
    ['author', pick(/href="(\/author\/[^"]+)"/, articleHtml), false],
    ['search', '/search?q=' + encodeURIComponent('بغداد'), false],
    ['newsroom: article list', '/newsroom/articles', true],
    ['newsroom: editor', editor, true],
  ];
  const lighthouse = join(import.meta.dirname, 'node_modules', '.bin', 'lighthouse');
  for (const [name, path, staff] of targets.filter(([name]) => name.includes(process.env.NASHIR_AUDIT_ONLY || ''))) {
    const out = join(data, 'report.json');
    const args = [
      base + path, '--quiet', '--output=json', `--output-path=${out}`,
      '--only-categories=performance,accessibility,best-practices,seo',
      '--chrome-flags=--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --no-first-run',
    ];
    if (staff) args.push(`--extra-headers=${JSON.stringify({ Cookie: cookie })}`);
    const r = spawnSync(lighthouse, args, { env: { ...process.env, CHROME_PATH: '/usr/bin/chromium' }, encoding: 'utf8' });
    if (r.status !== 0) { rows.push([`${name} (${locale})`, 'failed: ' + r.stderr.split('\n').slice(-3).join(' ')]); continue; }
    const report = JSON.parse(readFileSync(out, 'utf8'));
    const score = (c) => Math.round((report.categories[c]?.score ?? 0) * 100);
    const failing = Object.values(report.audits).filter((a) => a.score !== null && a.score < 0.9 && a.scoreDisplayMode !== 'informative' && a.scoreDisplayMode !== 'manual' && a.scoreDisplayMode !== 'notApplicable').map((a) => a.id);
    rows.push([`${name} (${locale})`, score('performance'), score('accessibility'), score('best-practices'), score('seo'), failing.slice(0, 6).join(', ')]);
  }
  server.kill('SIGTERM');
  rmSync(data, { recursive: true, force: true });
}

for (const locale of (process.env.NASHIR_AUDIT_LOCALES || 'ar,en').split(',')) await audit(locale);
console.log('| page | performance | accessibility | best practices | SEO | audits under 0.9 |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) console.log('| ' + r.join(' | ') + ' |');
