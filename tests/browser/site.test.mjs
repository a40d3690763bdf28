// A reader on a phone: open the home page, follow a link to an article, and read it
// without sideways scrolling. Screenshots at 390 px and 1280 px are kept as artifacts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startDemo } from './server.mjs';
import { launch, artifacts } from './browser.mjs';

let server;
let context;

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  server = await startDemo();
  context = await launch();
});

after(async () => {
  await context?.close();
  await server?.stop();
});

async function noSidewaysScroll(page) {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
}

test('a phone reader opens the home page and follows a link to an article', async () => {
  const page = await context.newPage();
  await page.setViewportSize({ width: 390, height: 844 });
  const response = await page.goto(server.url + '/');
  assert.equal(response.status(), 200);
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
  assert.ok(await noSidewaysScroll(page), 'home page scrolls sideways at 390 px');
  await page.screenshot({ path: join(artifacts, 'home-390.png'), fullPage: true });

  // The headline's link (a card's photo links to the same page, hidden from screen readers).
  const link = page.locator('main .card__title a[href^="/news/"]').first();
  const title = (await link.textContent()).trim();
  await Promise.all([page.waitForURL(/\/news\/\d+\//), link.click()]);

  const article = page.locator('[data-region="article"]');
  await article.waitFor({ state: 'visible' });
  assert.ok(await article.isVisible(), 'article region visible');
  assert.equal((await page.locator('[data-region="article"] h1').textContent()).trim(), title);
  assert.ok(await noSidewaysScroll(page), 'article page scrolls sideways at 390 px');
  const box = await article.boundingBox();
  assert.ok(box.width <= 390 && box.x >= 0, `article fits the screen: ${JSON.stringify(box)}`);
  // Body text is readable: 18–20 px with generous line height.
  const size = await page.locator('.article__body p').first().evaluate((p) => parseFloat(getComputedStyle(p).fontSize));
  assert.ok(size >= 18 && size <= 20, `body font size ${size}px`);
  await page.screenshot({ path: join(artifacts, 'article-390.png'), fullPage: true });

  await page.setViewportSize({ width: 1280, height: 900 });
  assert.ok(await noSidewaysScroll(page), 'article page scrolls sideways at 1280 px');
  await page.screenshot({ path: join(artifacts, 'article-1280.png'), fullPage: true });
  await page.goto(server.url + '/');
  await page.screenshot({ path: join(artifacts, 'home-1280.png'), fullPage: true });
  await page.close();
});

test('every public page works with JavaScript turned off', async () => {
  const noScript = await launch({ javaScriptEnabled: false });
  try {
    const page = await noScript.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(server.url + '/');
    // Not the lead story, which the first test reads in this browser (a repeat view, not sent).
  const href = await page.locator('main .card__title a[href^="/news/"]').last().getAttribute('href');
    await page.goto(server.url + href);
    assert.ok(await page.locator('[data-region="article"] h1').isVisible());
    assert.ok(await page.locator('[data-region="comment-form"] form').isVisible());
    assert.ok(await noSidewaysScroll(page));
    const missing = await page.goto(server.url + '/no-such-page');
    assert.equal(missing.status(), 404);
    assert.ok(await page.locator('#q-404').isVisible());
    await page.screenshot({ path: join(artifacts, 'not-found-390.png'), fullPage: true });
  } finally {
    await noScript.close();
  }
});

test('reading an article sends one view beacon, and reading it again soon sends none', async () => {
  const page = await context.newPage();
  const beacons = [];
  page.on('request', (req) => { if (req.url().endsWith('/views') && req.method() === 'POST') beacons.push(req.postData()); });
  await page.goto(server.url + '/');
  // Not the lead story, which the first test reads in this browser (a repeat view, not sent).
  const href = await page.locator('main .card__title a[href^="/news/"]').last().getAttribute('href');
  const id = href.split('/')[2];
  await page.goto(server.url + href);
  await page.waitForTimeout(1600);
  assert.deepEqual(beacons, [id], 'one beacon with the article id');
  await page.reload();
  await page.waitForTimeout(1600);
  assert.deepEqual(beacons, [id], 'a repeat view from the same browser is not sent');
  await page.close();
});

test('on a phone the search page shows results first, its filters behind one control', async () => {
  const page = await context.newPage();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(server.url + '/search?q=' + encodeURIComponent('بغداد'));
  const filters = page.locator('details.search-filters');
  const category = page.locator('#category');
  assert.equal(await category.isVisible(), false, 'the filters wait behind their control');
  const first = page.locator('[data-region="search-results"] h2 a').first();
  const box = await first.boundingBox();
  assert.ok(box && box.y + box.height <= 844, `the first result is on the first screen (y ${box && box.y})`);
  assert.ok(await noSidewaysScroll(page));
  await page.screenshot({ path: join(artifacts, 'search-390.png') });
  await filters.locator('summary').click();
  assert.ok(await category.isVisible(), 'one tap shows them');
  const summaryBox = await filters.locator('summary').boundingBox();
  assert.ok(summaryBox.height >= 24, 'a tap target of at least 24 px');
  // A wide screen shows them open, with no control to find.
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(server.url + '/search?q=' + encodeURIComponent('بغداد'));
  assert.ok(await page.locator('#category').isVisible(), 'open on a wide screen');
  assert.ok(await page.locator('#from').isVisible());
  await page.close();
});

test('typing in the search box suggests articles, and the keyboard opens one', async () => {
  const page = await context.newPage();
  const errors = [];
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  page.on('pageerror', (err) => errors.push(String(err)));
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(server.url + '/');
  const box = page.locator('#q-top');
  assert.equal(await box.getAttribute('role'), 'combobox');
  await box.click();
  await box.pressSequentially('بغد', { delay: 40 });
  const options = page.locator('#q-top ~ [role=listbox] [role=option]');
  await options.first().waitFor({ state: 'visible' });
  assert.equal(await box.getAttribute('aria-expanded'), 'true');
  const texts = (await options.allTextContents()).map((t) => t.trim());
  assert.ok(texts.length >= 1 && texts.length <= 6 && texts.every((t) => t.includes('بغداد')), JSON.stringify(texts));
  assert.ok(await noSidewaysScroll(page), 'the suggestions stay inside the page');
  await page.screenshot({ path: join(artifacts, 'suggest-1280.png') });

  await box.press('ArrowDown');
  assert.equal(await options.first().getAttribute('aria-selected'), 'true');
  assert.equal(await box.getAttribute('aria-activedescendant'), await options.first().getAttribute('id'));
  await Promise.all([page.waitForURL(/\/news\/\d+\//), box.press('Enter')]);
  assert.equal((await page.locator('[data-region="article"] h1').textContent()).trim(), texts[0]);

  // Escape closes the list; Enter with nothing chosen searches, as without JavaScript.
  await box.click();
  await box.pressSequentially('بغداد', { delay: 40 });
  await options.first().waitFor({ state: 'visible' });
  await box.press('Escape');
  assert.equal(await box.getAttribute('aria-expanded'), 'false');
  assert.equal(await page.locator('#q-top ~ [role=listbox]').isHidden(), true);
  // Down reopens it; Escape again, and no late answer reopens it.
  await box.press('ArrowDown');
  await options.first().waitFor({ state: 'visible' });
  await box.press('Escape');
  await page.waitForTimeout(400);
  assert.equal(await page.locator('#q-top ~ [role=listbox]').isHidden(), true);
  await Promise.all([page.waitForURL(/\/search\?q=/), box.press('Enter')]);
  assert.ok((await page.locator('[data-region="search-results"] h2 a').count()) > 0, 'the search page lists results');

  assert.deepEqual(await page.evaluate(() => window.__csp), [], 'CSP violations');
  assert.deepEqual(errors, [], 'console errors');
  await page.close();
});
