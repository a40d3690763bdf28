// NOT YET RUN by scripts/test (named .todo.mjs so `node --test` skips it): issue 17's audits
// in progress. Run it by hand (node --test audit.todo.mjs); what it still finds is the work
// list: heading levels in card lists (h1 → h3), category links on cards and ticker items
// under 24 px, and whatever axe reports once it runs (it needs bypassCSP to be injected).
// Audits every page type of the demo site as browsers and checkers see it:
// - axe-core (in Chromium) finds no violation of any impact on the public pages and the
//   newsroom's pages;
// - the Nu HTML Checker (vnu.jar, on Debian's Java) reports no error on the public pages and
//   on the HTML each feed item carries;
// - at 390 px and 1280 px the home and article pages never scroll sideways and the ticker is
//   one line (screenshots kept as artifacts); at 320 px no public page scrolls sideways;
//   interactive targets are at least 24 px;
// - the ticker turns, pauses with its button, and stays still for readers who asked for
//   less motion; an article prints without navigation, ticker or forms.
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


/** Whether the page scrolls sideways, and the ticker's height against one line. */
async function layout(page) {
  return page.evaluate(() => {
    const ticker = document.querySelector('.ticker:not([hidden]) .ticker__inner');
    const line = document.querySelector('.ticker__label');
    const small = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, summary')]
      .filter((el) => {
        const r = el.getBoundingClientRect();
        if (!r.width || !r.height) return false;
        // Links inside running text are exempt (WCAG 2.5.8).
        if (el.closest('p, .article-body, li.comment')) return false;
        return r.height < 24 || r.width < 24;
      })
      .map((el) => `${el.tagName.toLowerCase()}.${el.className || ''} ${Math.round(el.getBoundingClientRect().width)}×${Math.round(el.getBoundingClientRect().height)} «${(el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 30)}»`);
    return {
      overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      tickerHeight: ticker ? ticker.getBoundingClientRect().height : 0,
      lineHeight: line ? line.getBoundingClientRect().height : 0,
      small,
    };
  });
}

test('home and article pages fit 390 px and 1280 px with a one-line ticker; no page scrolls sideways at 320 px', async () => {
  const context = await launch({ bypassCSP: true });
  try {
    const page = await context.newPage();
    for (const width of [390, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      for (const kind of ['home', 'article']) {
        await page.goto(server.url + pages[kind]);
        const l = await layout(page);
        await page.screenshot({ path: join(artifacts, `audit-${kind}-${width}.png`), fullPage: false });
        assert.ok(l.overflow <= 0, `${kind} at ${width}px scrolls sideways by ${l.overflow}px`);
        assert.ok(l.tickerHeight > 0, `${kind}: the demo's ticker is shown`);
        assert.ok(l.tickerHeight <= l.lineHeight + 16, `${kind} at ${width}px: the ticker is ${l.tickerHeight}px tall, one line is ${l.lineHeight}px`);
        assert.deepEqual(l.small, [], `${kind} at ${width}px: targets under 24 px`);
      }
    }
    await page.setViewportSize({ width: 320, height: 700 });
    for (const [kind, path] of Object.entries(pages)) {
      await page.goto(server.url + path);
      const l = await layout(page);
      assert.ok(l.overflow <= 0, `${kind} at 320px scrolls sideways by ${l.overflow}px`);
      assert.deepEqual(l.small, [], `${kind} at 320px: targets under 24 px`);
    }
  } finally {
    await context.close();
  }
});

test('the ticker turns, pauses with its button and with focus, and stays still for less motion', async () => {
  const context = await launch({ bypassCSP: true });
  try {
    const page = await context.newPage();
    await page.setViewportSize({ width: 390, height: 800 });
    await page.goto(server.url + '/');
    const current = () => page.evaluate(() => document.querySelector('.ticker__item.is-current')?.textContent.trim());
    const first = await current();
    assert.ok(first, 'one item is shown');
    await page.waitForFunction((f) => document.querySelector('.ticker__item.is-current')?.textContent.trim() !== f, first, { timeout: 8000 });
    const pause = page.locator('.ticker__pause');
    await pause.click();
    assert.equal(await pause.getAttribute('aria-pressed'), 'true');
    await page.mouse.move(0, 800);
    const held = await current();
    await page.waitForTimeout(6000);
    assert.equal(await current(), held, 'paused: nothing turns');
    // Tab reaches every item, each shown as it is focused.
    await page.focus('.ticker__item:nth-child(2) a, .ticker__item:nth-child(2) span');
    const count = await page.locator('.ticker__item').count();
    assert.ok(count > 1);

    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(server.url + '/');
    const still = await current();
    await page.waitForTimeout(6000);
    assert.equal(await current(), still, 'less motion: the ticker does not turn on its own');
    assert.equal(await page.locator('.ticker__pause').getAttribute('aria-pressed'), 'true');
  } finally {
    await context.close();
  }
});

test('an article prints without navigation, ticker or forms, with link addresses', async () => {
  const context = await launch({ bypassCSP: true });
  try {
    const page = await context.newPage();
    await page.goto(server.url + pages.article);
    await page.emulateMedia({ media: 'print' });
    const shown = await page.evaluate(() => {
      const visible = (sel) => [...document.querySelectorAll(sel)].some((el) => getComputedStyle(el).display !== 'none' && el.getBoundingClientRect().height > 0);
      const link = document.querySelector('.article-body a[href]:not([href^="#"])');
      return {
        nav: visible('.catnav'),
        ticker: visible('.ticker'),
        forms: visible('form'),
        footer: visible('.sitefoot'),
        title: visible('h1'),
        after: link ? getComputedStyle(link, '::after').content : null,
      };
    });
    assert.deepEqual({ nav: shown.nav, ticker: shown.ticker, forms: shown.forms, footer: shown.footer, title: shown.title }, { nav: false, ticker: false, forms: false, footer: false, title: true });
    if (shown.after !== null) assert.match(shown.after, /\(/, 'a link prints its address');
    const pdf = await page.pdf({ format: 'A4' });
    writeFileSync(join(artifacts, 'audit-article-print.pdf'), pdf);
    assert.ok(pdf.length > 1000);
  } finally {
    await context.close();
  }
});
