// Audits every page type as browsers and checkers see it, in the Arabic (right-to-left) demo
// site and in the same site served in English (`--locale en`, left to right):
// - axe-core (in Chromium) finds no violation of any impact on the public pages and the
//   newsroom's pages;
// - the Nu HTML Checker (vnu.jar, on Debian's Java) reports no error on the public pages and
//   on the HTML each feed item carries;
// - the English site's interface is English (no Arabic outside the content), with Latin
//   digits and English dates, and text of the other direction reads in its own direction: an
//   Arabic quote in an English article, an English name at the start of an Arabic headline.
// (the layout, ticker and print checks are in chrome.test.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addUser, logIn, startDemo } from './server.mjs';
import { launch, artifacts } from './browser.mjs';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const VNU = require('vnu-jar');
const ARABIC = /[\u0600-\u06FF]/;
// The two sites: the demo in Arabic, and the same demo served in English.
const sites = { ar: { args: [] }, en: { args: ['--locale', 'en'] } };

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

/** Publishes an article through the newsroom's own form; returns its public path. */
async function publish(site, title, body) {
  const context = await launch();
  try {
    const page = await context.newPage();
    await logIn(page, site.url, 'admin@example.com');
    await page.goto(site.url + '/newsroom/articles/new');
    const location = await page.evaluate(async ([title, body]) => {
      const form = document.querySelector('#article-form');
      const fields = new URLSearchParams({ csrf_token: form.dataset.csrf, title, body, excerpt: '', action: 'publish' });
      const r = await fetch('/newsroom/articles', { method: 'POST', body: fields });
      return r.url;
    }, [title, body]);
    assert.match(location, /\/newsroom\/articles\/\d+/, 'published');
    const home = await (await fetch(site.url + '/')).text();
    const path = [...home.matchAll(/<a href="(\/news\/\d+\/[^"]+)"[^>]*>([^<]*)<\/a>/g)].find((m) => m[2] === title.replace(/&/g, '&amp;'));
    assert.ok(path, `«${title}» on the home page`);
    return path[1];
  } finally {
    await context.close();
  }
}

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  for (const site of Object.values(sites)) {
    site.data = mkdtempSync(join(tmpdir(), 'nashir-audit-'));
    addUser(site.data, 'admin@example.com', 'مديرة الموقع', 'admin');
    site.server = await startDemo(site.args, { dataDir: site.data });
    site.url = site.server.url;
  }
  // Text of the other direction, as newsrooms write it.
  sites.en.mixed = await publish(sites.en, 'Minister quotes a proverb in Arabic at the summit',
    '<p>The minister opened with a proverb that every delegate knew.</p><blockquote><p>الصبر مفتاح الفرج، والعجلة من الشيطان.</p></blockquote><p>He then turned to the budget.</p>');
  sites.ar.mixed = await publish(sites.ar, 'Apple تطلق هاتفاً جديداً في دبي بحضور وزير الاقتصاد',
    '<p>أعلنت الشركة عن هاتفها الجديد في مؤتمر صحافي.</p><p>Tim Cook said the phone was built for the region.</p>');
  for (const site of Object.values(sites)) {
    site.pages = { ...(await publicPages(site.url)), 'article of mixed direction': site.mixed };
    for (const [kind, path] of Object.entries(site.pages)) assert.ok(path, `a ${kind} page in the demo`);
  }
});

after(async () => {
  for (const site of Object.values(sites)) {
    await site.server?.stop();
    if (site.data) rmSync(site.data, { recursive: true, force: true });
  }
});

async function axe(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
}

for (const language of Object.keys(sites)) {
  test(`axe finds no violation on any public page type (${language}), on a phone and a desktop, light and dark`, async () => {
    const site = sites[language];
    // axe is injected as a script, which the site's CSP would refuse.
    const context = await launch({ bypassCSP: true });
    try {
      const page = await context.newPage();
      const found = {};
      for (const [width, scheme] of [[390, 'light'], [1280, 'dark']]) {
        await page.setViewportSize({ width, height: 900 });
        await page.emulateMedia({ colorScheme: scheme });
        for (const [kind, path] of Object.entries(site.pages)) {
          await page.goto(site.url + path);
          const violations = await axe(page);
          if (violations.length) found[`${kind} ${width}px ${scheme}`] = violations;
        }
      }
      assert.deepEqual(found, {});
    } finally {
      await context.close();
    }
  });

  test(`axe finds no violation on the newsroom pages (${language}), on a phone and a desktop`, async () => {
    const site = sites[language];
    const context = await launch({ bypassCSP: true });
    try {
      const page = await context.newPage();
      await page.setViewportSize({ width: 1280, height: 900 });
      const found = {};
      await page.goto(site.url + '/newsroom/login');
      let violations = await axe(page);
      if (violations.length) found['/newsroom/login'] = violations;
      await logIn(page, site.url, 'admin@example.com');
      const list = await (await page.request.get(site.url + '/newsroom/articles')).text();
      const edit = list.match(/href="(\/newsroom\/articles\/\d+)"/)[1];
      const comments = await (await page.request.get(site.url + '/newsroom/comments')).text();
      const comment = (comments.match(/href="(\/newsroom\/comments\/\d+)"/) || [])[1];
      const paths = [
        '/newsroom/articles', edit, edit + '/revisions', '/newsroom/articles/new', '/newsroom/comments', comment,
        '/newsroom/categories', '/newsroom/tags', '/newsroom/breaking', '/newsroom/media', '/newsroom/users',
        '/newsroom/integrations', '/newsroom/webhooks', '/newsroom/audit', '/newsroom/password',
      ].filter(Boolean);
      for (const width of [390, 1280]) {
        await page.setViewportSize({ width, height: 900 });
        for (const path of paths) {
          const r = await page.goto(site.url + path);
          assert.equal(r.status(), 200, path);
          violations = await axe(page);
          if (violations.length) found[`${path} ${width}px`] = violations;
        }
      }
      assert.deepEqual(found, {});
    } finally {
      await context.close();
    }
  });
}

function vnu(files) {
  const r = spawnSync('java', ['-jar', VNU, '--errors-only', '--format', 'json', '--stdout', ...files], { encoding: 'utf8' });
  assert.ok(r.status === 0 || r.status === 1, `vnu ran: ${r.stderr}`);
  return JSON.parse(r.stdout || '{"messages":[]}').messages.map((m) => `${m.url.split('/').pop()}:${m.lastLine}: ${m.message} «${(m.extract || '').trim()}»`);
}

test('the Nu HTML Checker finds no error on any public page type of either site or in the feeds\' HTML', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nashir-vnu-'));
  try {
    const files = [];
    for (const [language, site] of Object.entries(sites)) {
      for (const [kind, path] of Object.entries(site.pages)) {
        const file = join(dir, `${language}-${kind.replace(/\W+/g, '-')}.html`);
        writeFileSync(file, await (await fetch(site.url + path)).text());
        files.push(file);
      }
    }
    // Each feed item's HTML, as a reader's feed app shows it inside a page.
    const feed = await (await fetch(sites.ar.url + '/feed.json')).json();
    assert.ok(feed.items.length >= 5);
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

test('the English site speaks English: interface, digits and dates; content keeps its language', async () => {
  const site = sites.en;
  const context = await launch();
  try {
    const page = await context.newPage();
    for (const [kind, path] of Object.entries(site.pages)) {
      await page.goto(site.url + path);
      assert.equal(await page.getAttribute('html', 'lang'), 'en', kind);
      assert.equal(await page.getAttribute('html', 'dir'), 'ltr', kind);
      // The interface's own words: everything but what writers and readers wrote.
      const leaks = await page.evaluate((pattern) => {
        const arabic = new RegExp(pattern);
        const content = '.card__title, .card__cat, .card__excerpt, .article__title, .article__cat, .article__standfirst, .article__body, '
          + '.article__tags, .author-box__name, .author-box__bio, .author-box__more bdi, .author-box__label bdi, .author-box__publisher > a, '
          + '.breadcrumbs, .catnav__list li:not(:first-child), .ticker__items, .masthead__name, .sitefoot strong, .sitefoot span, '
          + '.comment__author, .comment__body, .comment__card .avatar, .most-read ol, .check-also__item, .list-head__title, .list-head__description, '
          + '.list-head__subs, select option[dir], .search-hit, .search-did-you-mean a, .search-fallback a, figcaption, bdi, h1.visually-hidden, '
          + '#comment-form-title bdi, input, textarea, [data-reply-name], .search-count, .section-title a, title';
        const out = [];
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        let node;
        while ((node = walker.nextNode())) {
          if (!arabic.test(node.textContent)) continue;
          if (node.parentElement.closest(content)) continue;
          out.push(`${node.parentElement.tagName.toLowerCase()}.${node.parentElement.className}: ${node.textContent.trim().slice(0, 40)}`);
        }
        for (const el of document.querySelectorAll('[aria-label], [placeholder], [title], [data-pause], [data-play]')) {
          for (const a of ['aria-label', 'placeholder', 'title', 'data-pause', 'data-play']) {
            const v = el.getAttribute(a);
            if (v && arabic.test(v) && !el.closest('head, .comment__card, .catnav__list, .ticker__items')) out.push(`${el.tagName.toLowerCase()}[${a}]: ${v}`);
          }
        }
        return out;
      }, ARABIC.source);
      assert.deepEqual(leaks, [], `${kind}: Arabic interface text in the English site`);
      const times = await page.$$eval('time', (ts) => ts.map((t) => t.textContent));
      for (const t of times) {
        assert.doesNotMatch(t, /[\u0660-\u0669]/, `${kind}: Latin digits in «${t}»`);
        assert.doesNotMatch(t, ARABIC, `${kind}: an English date, not «${t}»`);
      }
    }
    await page.goto(site.url + site.pages.article);
    assert.match(await page.textContent('.article__published'), /Published [A-Z][a-z]+ \d{1,2}, \d{4}|Published \d{1,2} [A-Z][a-z]+ \d{4}/);
  } finally {
    await context.close();
  }
});

test('text of the other direction reads in its own direction, in both sites', async () => {
  const context = await launch();
  try {
    const page = await context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    // An Arabic quote in an English article: right to left, against the right edge.
    await page.goto(sites.en.url + sites.en.mixed);
    assert.equal(await page.getAttribute('.article__title', 'dir'), 'ltr');
    const quote = await page.evaluate(() => {
      const edge = (el) => {
        const range = document.createRange();
        range.selectNodeContents(el);
        const text = range.getBoundingClientRect();
        const box = el.getBoundingClientRect();
        return { left: Math.round(text.left - box.left), right: Math.round(box.right - text.right) };
      };
      return { quote: edge(document.querySelector('.article__body blockquote p')), english: edge(document.querySelector('.article__body > p')) };
    });
    assert.ok(quote.quote.right <= 2 && quote.quote.left > 20, `the Arabic quote hugs the right edge: ${JSON.stringify(quote)}`);
    assert.ok(quote.english.left <= 2, `English paragraphs start at the left: ${JSON.stringify(quote)}`);
    await page.screenshot({ path: join(artifacts, 'audit-en-mixed-article-1280.png'), fullPage: true });
    // An Arabic headline that starts with an English name stays right to left; the English
    // sentence in its body reads left to right.
    await page.goto(sites.ar.url + sites.ar.mixed);
    assert.equal(await page.getAttribute('.article__title', 'dir'), 'rtl');
    const firstWord = await page.evaluate(() => {
      const title = document.querySelector('.article__title');
      const range = document.createRange();
      const text = title.firstChild;
      range.setStart(text, 0);
      range.setEnd(text, 5); // "Apple"
      return { apple: range.getBoundingClientRect().right, title: title.getBoundingClientRect().right };
    });
    assert.ok(firstWord.title - firstWord.apple <= 2, `"Apple" opens the headline at its right edge: ${JSON.stringify(firstWord)}`);
    const english = await page.evaluate(() => {
      const p = [...document.querySelectorAll('.article__body p')].find((el) => el.textContent.startsWith('Tim Cook'));
      const range = document.createRange();
      range.selectNodeContents(p);
      return { left: Math.round(range.getBoundingClientRect().left - p.getBoundingClientRect().left) };
    });
    assert.ok(english.left <= 2, `the English sentence starts at the left: ${JSON.stringify(english)}`);
    await page.screenshot({ path: join(artifacts, 'audit-ar-mixed-article-1280.png'), fullPage: true });
  } finally {
    await context.close();
  }
});
