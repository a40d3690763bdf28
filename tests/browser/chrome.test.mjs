// The site's chrome on a phone and on paper: at 390 px and 1280 px the home and article
// pages never scroll sideways, the breaking-news ticker is one line and every tap target is
// at least 24 px (screenshots kept as artifacts), in the Arabic site and in the English one,
// whose layout is compared with the Arabic one's mirror image; at 320 px no public page
// scrolls sideways; the ticker turns, pauses with its
// button and with focus, and stays still for readers who asked for less motion; an article
// prints without navigation, ticker or forms, with link addresses.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDemo } from './server.mjs';
import { launch, artifacts } from './browser.mjs';

let server;
let english;
let pages;

/** One URL per public page type, found by following the site's own links. */
async function publicPages(base) {
  const home = await (await fetch(base + '/')).text();
  const hrefs = [...home.matchAll(/href="(\/[^"#?]*)"/g)].map((m) => m[1]);
  const article = hrefs.find((h) => /^\/news\/\d+\//.test(h));
  const articleHtml = await (await fetch(base + article)).text();
  return {
    home: '/',
    article,
    category: hrefs.find((h) => h.startsWith('/category/')),
    tag: (articleHtml.match(/href="(\/tag\/[^"]+)"/) || [])[1],
    author: (articleHtml.match(/href="(\/author\/[^"]+)"/) || [])[1],
    search: '/search?q=' + encodeURIComponent('بغداد'),
    'not found': '/no-such-page',
  };
}

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  server = await startDemo();
  pages = await publicPages(server.url);
  for (const [kind, path] of Object.entries(pages)) assert.ok(path, `a ${kind} page in the demo`);
});

after(async () => {
  await server?.stop();
  await english?.stop();
});

/** Whether the page scrolls sideways, and the ticker's height against one line. */
async function layout(page) {
  return page.evaluate(() => {
    const ticker = document.querySelector('.ticker:not([hidden]) .ticker__inner');
    const line = document.querySelector('.ticker__label');
    const small = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, summary')]
      .filter((el) => {
        const r = el.getBoundingClientRect();
        // Not shown (the ticker's items other than the current one are clipped to nothing).
        if (r.width < 2 || r.height < 2 || el.closest('.ticker__item:not(.is-current)')) return false;
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

/** The horizontal extent of the page's main boxes, measured from the start edge. */
async function boxes(page) {
  return page.evaluate(() => {
    const rtl = document.documentElement.dir === 'rtl';
    const width = document.documentElement.clientWidth;
    const out = {};
    for (const sel of ['.masthead__inner', '.ticker__inner', '.catnav__list', 'main', '.top__lead', '.top__latest', '.block .grid',
      '.article', '.author-box', '.related', '.comment-form', '.sitefoot .wrap']) {
      const el = document.querySelector(sel);
      if (!el) continue;
      const r = el.getBoundingClientRect();
      out[sel] = rtl ? [Math.round(width - r.right), Math.round(r.width)] : [Math.round(r.left), Math.round(r.width)];
    }
    return out;
  });
}

test('home and article pages fit 390 px and 1280 px with a one-line ticker and 24 px targets, in Arabic and in English (its mirror image); no page scrolls sideways at 320 px', async () => {
  english = await startDemo(['--locale', 'en']);
  const context = await launch();
  try {
    const page = await context.newPage();
    for (const width of [390, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      for (const kind of ['home', 'article']) {
        const measured = {};
        for (const [language, site] of [['ar', server], ['en', english]]) {
          await page.goto(site.url + pages[kind]);
          const l = await layout(page);
          await page.screenshot({ path: join(artifacts, `audit-${kind}-${language}-${width}.png`), fullPage: false });
          const where = `${kind} (${language}) at ${width}px`;
          assert.ok(l.overflow <= 0, `${where} scrolls sideways by ${l.overflow}px`);
          assert.ok(l.tickerHeight > 0, `${where}: the demo's ticker is shown`);
          assert.ok(l.tickerHeight <= l.lineHeight + 16, `${where}: the ticker is ${l.tickerHeight}px tall, one line is ${l.lineHeight}px`);
          assert.deepEqual(l.small, [], `${where}: targets under 24 px`);
          measured[language] = await boxes(page);
        }
        // The English page is the Arabic page mirrored: every main box starts as far from
        // its start edge and is as wide.
        assert.ok(Object.keys(measured.ar).length >= 5, `${kind}: the page's boxes are found`);
        for (const [sel, [start, w]] of Object.entries(measured.ar)) {
          const [enStart, enWidth] = measured.en[sel] ?? [];
          assert.ok(Math.abs(enStart - start) <= 2 && Math.abs(enWidth - w) <= 2,
            `${kind} at ${width}px, ${sel}: Arabic starts ${start}px from the right and is ${w}px wide; English starts ${enStart}px from the left and is ${enWidth}px wide`);
        }
      }
    }
    await page.setViewportSize({ width: 320, height: 700 });
    for (const [kind, path] of Object.entries(pages)) {
      for (const site of [server, english]) {
        await page.goto(site.url + path);
        const l = await layout(page);
        assert.ok(l.overflow <= 0, `${kind} at 320px scrolls sideways by ${l.overflow}px`);
      }
    }
  } finally {
    await context.close();
  }
});

test('the ticker turns, pauses with its button and with focus, and stays still for less motion', async () => {
  const context = await launch();
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
  const context = await launch();
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
