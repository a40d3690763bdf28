// NOT YET RUN by scripts/test (named .todo.mjs so `node --test` skips it): issue 17's audits
// in progress. Run it by hand (node --test audit.todo.mjs); what it still finds is the work
// list: heading levels in card lists (h1 → h3), category links on cards and ticker items
// under 24 px, and whatever axe reports once it runs (it needs bypassCSP to be injected).
// Audits every page type of the demo site as browsers and checkers see it:
// - axe-core (in Chromium) finds no violation of any impact on the public pages and the
//   newsroom's pages;
// - the Nu HTML Checker (vnu.jar, on Debian's Java) reports no error on the public pages and
//   on the HTML each feed item carries;
// (the layout, ticker and print checks are in chrome.test.mjs, which scripts/test runs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nashirBinary, startDemo } from './server.mjs';
import { launch, artifacts } from './browser.mjs';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const VNU = require('vnu-jar');
const PASSWORD = 'كلمة-سر-طويلة-1';
let server;
let data;
let pages;

function addUser(email, name, role) {
  const r = spawnSync(nashirBinary(), ['user', 'add', '--email', email, '--name', name, '--role', role, '--data-dir', data], {
    input: PASSWORD + '\n',
    env: Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('NASHIR_'))),
  });
  assert.equal(r.status, 0, r.stderr.toString());
}

/** One URL per public page type, found by following the site's own links. */
async function publicPages(base) {
  const home = await (await fetch(base + '/')).text();
  const hrefs = [...home.matchAll(/href="(\/[^"#?]*)"/g)].map((m) => m[1]);
  const first = (prefix) => hrefs.find((h) => h.startsWith(prefix) && h.length > prefix.length);
  // The article with the most comments in the demo has a photo too.
  const articles = [...new Set(hrefs.filter((h) => /^\/news\/\d+\//.test(h)))];
  let article = articles[0];
  for (const a of articles) {
    const html = await (await fetch(base + a)).text();
    if (html.includes('class="comment"') && html.includes('<img')) {
      article = a;
      break;
    }
  }
  const articleHtml = await (await fetch(base + article)).text();
  const tag = [...articleHtml.matchAll(/href="(\/tag\/[^"]+)"/g)].map((m) => m[1])[0];
  const author = [...articleHtml.matchAll(/href="(\/author\/[^"]+)"/g)].map((m) => m[1])[0];
  return {
    home: '/',
    article,
    category: first('/category/'),
    tag,
    author,
    search: '/search?q=' + encodeURIComponent('بغداد'),
    'search without results': '/search?q=' + encodeURIComponent('ززززز'),
    'not found': '/no-such-page',
  };
}

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  data = mkdtempSync(join(tmpdir(), 'nashir-audit-'));
  addUser('admin@example.com', 'مديرة الموقع', 'admin');
  server = await startDemo([], { dataDir: data });
  pages = await publicPages(server.url);
  for (const [kind, path] of Object.entries(pages)) assert.ok(path, `a ${kind} page in the demo`);
});

after(async () => {
  await server?.stop();
  rmSync(data, { recursive: true, force: true });
});

async function axe(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
}

async function logIn(page, email) {
  await page.goto(server.url + '/newsroom/login');
  await page.fill('#email', email);
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForURL((u) => u.pathname.startsWith('/newsroom/') && !u.pathname.startsWith('/newsroom/login')), page.click('button[type=submit]')]);
}

test('axe finds no violation on any public page type, on a phone and a desktop, light and dark', async () => {
  const context = await launch({ bypassCSP: true });
  try {
    const page = await context.newPage();
    const found = {};
    for (const [width, scheme] of [[390, 'light'], [1280, 'dark']]) {
      await page.setViewportSize({ width, height: 900 });
      await page.emulateMedia({ colorScheme: scheme });
      for (const [kind, path] of Object.entries(pages)) {
        await page.goto(server.url + path);
        const violations = await axe(page);
        if (violations.length) found[`${kind} ${width}px ${scheme}`] = violations;
      }
    }
    assert.deepEqual(found, {});
  } finally {
    await context.close();
  }
});

test('axe finds no violation on the newsroom pages', async () => {
  const context = await launch({ bypassCSP: true });
  try {
    const page = await context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    const found = {};
    await page.goto(server.url + '/newsroom/login');
    let violations = await axe(page);
    if (violations.length) found['/newsroom/login'] = violations;
    await logIn(page, 'admin@example.com');
    const list = await (await page.request.get(server.url + '/newsroom/articles')).text();
    const edit = list.match(/href="(\/newsroom\/articles\/\d+)"/)[1];
    const paths = [
      '/newsroom/articles', edit, '/newsroom/articles/new', '/newsroom/comments', '/newsroom/categories', '/newsroom/tags',
      '/newsroom/breaking', '/newsroom/media', '/newsroom/users', '/newsroom/nav', '/newsroom/integrations', '/newsroom/webhooks',
      '/newsroom/audit', '/newsroom/password',
    ];
    for (const width of [390, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      for (const path of paths) {
        const r = await page.goto(server.url + path);
        if (r.status() === 404) continue;
        violations = await axe(page);
        if (violations.length) found[`${path} ${width}px`] = violations;
      }
    }
    assert.deepEqual(found, {});
  } finally {
    await context.close();
  }
});

function vnu(files) {
  const r = spawnSync('java', ['-jar', VNU, '--errors-only', '--format', 'json', '--stdout', ...files], { encoding: 'utf8' });
  assert.ok(r.status === 0 || r.status === 1, `vnu ran: ${r.stderr}`);
  return JSON.parse(r.stdout || '{"messages":[]}').messages.map((m) => `${m.url.split('/').pop()}:${m.lastLine}: ${m.message} «${(m.extract || '').trim()}»`);
}

test('the Nu HTML Checker finds no error on any public page type or in the feeds\' HTML', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nashir-vnu-'));
  try {
    const files = [];
    for (const [kind, path] of Object.entries(pages)) {
      const file = join(dir, kind.replace(/\W+/g, '-') + '.html');
      writeFileSync(file, await (await fetch(server.url + path)).text());
      files.push(file);
    }
    // Each feed item's HTML, as a reader's feed app shows it inside a page.
    const feed = await (await fetch(server.url + '/feed.json')).json();
    feed.items.slice(0, 10).forEach((item, i) => {
      const file = join(dir, `feed-item-${i}.html`);
      writeFileSync(file, `<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>عنصر</title></head><body>${item.content_html}</body></html>`);
      files.push(file);
    });
    assert.deepEqual(vnu(files), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
