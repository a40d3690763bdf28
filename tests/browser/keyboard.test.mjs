// The keyboard alone, as a reader or an editor who uses no pointer (or a screen reader) would
// work: a skip link first; every control reached by Tab shows where the focus is; landmarks
// and live regions are where screen readers look for them; a reader comments and an editor
// logs in, writes with the toolbar (one tab stop, arrow keys inside) and publishes, without
// a mouse.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PASSWORD, addUser, logIn, startDemo } from './server.mjs';
import { launch, artifacts } from './browser.mjs';

let server;
let data;

before(async () => {
  data = mkdtempSync(join(tmpdir(), 'nashir-keyboard-'));
  addUser(data, 'editor@example.com', 'محررة', 'editor');
  server = await startDemo(['--comment-rate-limit', '0', '--comment-min-seconds', '0'], { dataDir: data });
});

after(async () => {
  await server?.stop();
  rmSync(data, { recursive: true, force: true });
});

/** What has the focus, and whether a ring or an underline shows it. */
function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const ring = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 1;
    const r = el.getBoundingClientRect();
    return {
      tag: el.tagName.toLowerCase(),
      id: el.id,
      cls: el.className,
      text: (el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 40),
      value: typeof el.value === 'string' ? el.value : '',
      command: el.dataset ? el.dataset.command || '' : '',
      visible: ring || style.boxShadow !== 'none',
      onScreen: r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight,
      inMain: !!el.closest('main'),
    };
  });
}

/** Tabs until `done(focus)` holds, at most `max` times; returns every stop on the way. */
async function tabUntil(page, done, max = 250) {
  const stops = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (f) stops.push(f);
    if (f && done(f)) return stops;
  }
  throw new Error(`not reached in ${max} tabs; last: ${JSON.stringify(stops.slice(-3))}`);
}

test('a reader: skip link first, a visible focus on every stop, landmarks, and a comment sent from the keyboard', async () => {
  const context = await launch();
  try {
    const page = await context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(server.url + '/');
    const href = await page.locator('.card__title a').first().getAttribute('href');
    await page.goto(server.url + href);
    // Landmarks: one banner, navigation, main, contentinfo; the article and its regions named.
    const landmarks = await page.evaluate(() => ({
      banner: document.querySelectorAll('body > header').length,
      main: document.querySelectorAll('main#main').length,
      contentinfo: document.querySelectorAll('body > footer').length,
      nav: [...document.querySelectorAll('nav')].map((n) => n.getAttribute('aria-label')).filter(Boolean).length,
      search: document.querySelectorAll('[role=search]').length,
      times: [...document.querySelectorAll('time')].every((t) => /^\d{4}-\d\d-\d\dT/.test(t.getAttribute('datetime') || '')),
      h1: document.querySelectorAll('h1').length,
    }));
    assert.deepEqual(landmarks, { banner: 1, main: 1, contentinfo: 1, nav: landmarks.nav, search: 1, times: true, h1: 1 });
    assert.ok(landmarks.nav >= 2, 'named navigation landmarks (sections, breadcrumbs)');

    await page.keyboard.press('Tab');
    let f = await focused(page);
    assert.equal(f.cls, 'skip-link', 'the first Tab reaches the skip link');
    assert.ok(f.onScreen && f.visible, 'the skip link shows when focused');
    await page.keyboard.press('Enter');
    assert.equal(new URL(page.url()).hash, '#main');
    f = (await tabUntil(page, () => true)).pop();
    assert.ok(f.inMain, `after the skip link, Tab goes on inside the main content: ${JSON.stringify(f)}`);

    // Every stop of the page shows its focus, up to the comment box.
    await page.goto(server.url + href);
    const stops = await tabUntil(page, (s) => s.id === 'comment-body');
    const unseen = stops.filter((s) => !s.visible);
    assert.deepEqual(unseen, [], 'every focused control shows a focus ring');
    assert.ok(stops.length > 10, `the page's links and controls are reached (${stops.length})`);

    // An empty comment, sent with Enter from the keyboard: the errors are announced.
    await page.keyboard.type('تعليق كتبته بلوحة المفاتيح وحدها، دون فأرة.');
    await tabUntil(page, (s) => s.id === 'comment-name');
    await page.keyboard.type('قارئة');
    await tabUntil(page, (s) => s.id === 'comment-email');
    await page.keyboard.type('not-an-email');
    await page.evaluate(() => document.querySelector('#comment-email').removeAttribute('required'));
    await page.evaluate(() => document.querySelector('#comment-email').setAttribute('type', 'text'));
    await tabUntil(page, (s) => s.tag === 'button' && s.text === 'أرسل التعليق');
    await Promise.all([page.waitForLoadState('load'), page.keyboard.press('Enter')]);
    await page.waitForSelector('#comment-email-error');
    const announced = await page.evaluate(() => ({
      alert: document.querySelector('[role=alert]')?.textContent.trim(),
      described: document.querySelector('#comment-email').getAttribute('aria-describedby'),
      invalid: document.querySelector('#comment-email').getAttribute('aria-invalid'),
      kept: document.querySelector('#comment-body').value,
    }));
    assert.ok(announced.alert, 'the form\'s message is an alert');
    assert.equal(announced.described, 'comment-email-error');
    assert.equal(announced.invalid, 'true');
    assert.equal(announced.kept, 'تعليق كتبته بلوحة المفاتيح وحدها، دون فأرة.', 'what was typed is kept');
    // Corrected from the keyboard and sent.
    await page.focus('#comment-email');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('reader@example.com');
    await tabUntil(page, (s) => s.tag === 'button' && s.text === 'أرسل التعليق');
    await Promise.all([page.waitForURL(/#comment-\d+$/), page.keyboard.press('Enter')]);
    assert.match(await page.textContent('.comment--held .comment__body, .comment:last-child .comment__body'), /بلوحة المفاتيح/);
    await page.screenshot({ path: join(artifacts, 'keyboard-comment-390.png') });
  } finally {
    await context.close();
  }
});

test('an editor: logs in, writes with the toolbar, publishes, all from the keyboard; autosave is announced', async () => {
  const context = await launch();
  try {
    const page = await context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(server.url + '/newsroom/login');
    await tabUntil(page, (s) => s.id === 'email');
    await page.keyboard.type('editor@example.com');
    await tabUntil(page, (s) => s.id === 'password');
    await page.keyboard.type(PASSWORD);
    await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/newsroom/login')), page.keyboard.press('Enter')]);

    await page.goto(server.url + '/newsroom/articles/new');
    const stops = await tabUntil(page, (s) => s.id === 'title');
    assert.deepEqual(stops.filter((s) => !s.visible), [], 'every newsroom stop shows its focus');
    const title = 'مقال كُتب بلوحة المفاتيح وحدها';
    await page.keyboard.type(title);
    // The toolbar is one tab stop, a labelled toolbar; arrows move along it.
    const bar = await tabUntil(page, (s) => s.command !== '');
    const toolbar = await page.evaluate(() => {
      const t = document.querySelector('.rte-toolbar');
      return {
        role: t.getAttribute('role'),
        label: t.getAttribute('aria-label'),
        stops: [...t.querySelectorAll('button')].filter((b) => b.tabIndex === 0).length,
        labelled: [...t.querySelectorAll('button')].every((b) => (b.getAttribute('aria-label') || b.textContent).trim().length > 0),
        inside: t.contains(document.activeElement),
      };
    });
    assert.deepEqual(toolbar, { role: 'toolbar', label: toolbar.label, stops: 1, labelled: true, inside: true }, JSON.stringify(bar.slice(-2)));
    assert.ok(toolbar.label, 'the toolbar has a name');
    const before = await page.evaluate(() => document.activeElement.dataset.command);
    await page.keyboard.press('ArrowLeft'); // in a right-to-left toolbar, the next button
    const after = await page.evaluate(() => document.activeElement.dataset.command);
    assert.notEqual(after, before, 'an arrow key moves along the toolbar');
    // Tab leaves the toolbar for the writing surface.
    await tabUntil(page, (s) => /rte-surface/.test(String(s.cls)));
    await page.keyboard.type('نص المقال من لوحة المفاتيح.');
    await page.keyboard.press('Shift+Home');
    await page.keyboard.press('Control+B');
    // Autosave speaks through a polite live region.
    const status = page.locator('[data-autosave-status]');
    assert.equal(await status.getAttribute('aria-live'), 'polite');
    await page.waitForFunction(() => document.querySelector('[data-autosave-status]').textContent.trim().length > 0, null, { timeout: 15_000 });
    // Publish: Tab to the publish button, Enter.
    await tabUntil(page, (s) => s.tag === 'button' && s.value === 'publish');
    await Promise.all([page.waitForURL(/\/newsroom\/articles\/\d+\?saved=1/), page.keyboard.press('Enter')]);
    await page.goto(server.url + '/');
    assert.ok(await page.locator('main a', { hasText: title }).count(), 'published and on the home page');
  } finally {
    await context.close();
  }
});

test('the newsroom at 390 px: the article list, the editor and the moderation queue fit, with 24 px targets, and a comment is approved there', async () => {
  const context = await launch();
  try {
    const page = await context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    // A reader's held comment waits in the queue.
    await page.goto(server.url + '/');
    const href = await page.locator('.card__title a').first().getAttribute('href');
    await page.goto(server.url + href);
    await page.fill('#comment-body', 'تعليق ينتظر المراجعة على الهاتف');
    await page.fill('#comment-name', 'قارئ جديد');
    await page.fill('#comment-email', 'new-reader@example.com');
    await Promise.all([page.waitForURL(/#comment-\d+$/), page.click('#comment-form button[type=submit]')]);

    await logIn(page, server.url, 'editor@example.com');
    for (const path of ['/newsroom/articles', '/newsroom/articles/new', '/newsroom/comments?status=pending']) {
      await page.goto(server.url + path);
      const fit = await page.evaluate(() => ({
        overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        small: [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, summary, textarea')]
          .filter((el) => {
            const r = el.getBoundingClientRect();
            if (r.width < 2 || r.height < 2 || el.closest('p, td > a:only-child')) return false;
            return r.height < 24 || r.width < 24;
          })
          .map((el) => `${el.parentElement.tagName.toLowerCase()}.${el.parentElement.className} > ${el.tagName.toLowerCase()}.${el.className} ${Math.round(el.getBoundingClientRect().width)}×${Math.round(el.getBoundingClientRect().height)} «${(el.textContent || '').trim().slice(0, 20)}»`),
        // Table rows become cards: no cell reaches past the screen.
        cellsPastEdge: [...document.querySelectorAll('td, th')].filter((c) => {
          const r = c.getBoundingClientRect();
          return r.width > 0 && (r.right > innerWidth + 1 || r.left < -1);
        }).length,
      }));
      await page.screenshot({ path: join(artifacts, `newsroom${path.replace(/[/?=]+/g, '-')}-390.png`), fullPage: true });
      assert.ok(fit.overflow <= 0, `${path} scrolls sideways by ${fit.overflow}px at 390 px`);
      assert.deepEqual(fit.small, [], `${path}: targets under 24 px`);
      assert.equal(fit.cellsPastEdge, 0, `${path}: table cells past the screen's edge`);
    }
    // The moderation queue works at this width: approve the held comment.
    const approve = page.locator('button[name=one][value^="approve:"]').first();
    await approve.scrollIntoViewIfNeeded();
    assert.ok(await approve.isVisible(), 'the approve button is on screen');
    await Promise.all([page.waitForLoadState('load'), approve.click()]);
    await page.goto(server.url + href);
    assert.ok(await page.locator('.comment__body', { hasText: 'تعليق ينتظر المراجعة على الهاتف' }).count(), 'approved and shown');
  } finally {
    await context.close();
  }
});
