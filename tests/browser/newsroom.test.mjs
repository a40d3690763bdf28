// The newsroom in a real browser: an editor writes an Arabic article in the rich editor
// (types, bolds a word, adds a link), publishes it and finds it on the home page; a
// contributor sees no publish button, and a forged publish request is refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addUser, logIn, startDemo } from './server.mjs';
import { launch, artifacts } from './browser.mjs';

let server;
let data;

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  data = mkdtempSync(join(tmpdir(), 'nashir-newsroom-'));
  addUser(data, 'editor@example.com', 'محررة الأخبار', 'editor');
  addUser(data, 'contrib@example.com', 'مساهم', 'contributor');
  server = await startDemo([], { dataDir: data });
});

after(async () => {
  await server?.stop();
  rmSync(data, { recursive: true, force: true });
});

test('an editor writes in the rich editor, publishes, and the article is on the home page', async () => {
  const context = await launch();
  try {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.setViewportSize({ width: 390, height: 844 });
    await logIn(page, server.url, 'editor@example.com');
    await page.goto(server.url + '/newsroom/articles/new');
    const title = 'افتتاح جسر جديد يربط ضفتي دجلة في بغداد';
    await page.fill('#title', title);
    const surface = page.locator('.rte-surface');
    await surface.click();
    await page.keyboard.type('قال المهندس المسؤول إن الجسر الجديد سيخفف الزحام');
    // Select the word "الجديد" and make it bold with the toolbar.
    await surface.evaluate((el) => {
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      let node;
      while ((node = walker.nextNode())) {
        const at = node.textContent.indexOf('الجديد');
        if (at >= 0) {
          const range = document.createRange();
          range.setStart(node, at);
          range.setEnd(node, at + 'الجديد'.length);
          const sel = window.getSelection();
          sel.removeAllRanges();
          sel.addRange(range);
          return;
        }
      }
    });
    await page.click('.rte-toolbar [data-command="bold"]');
    // Select "الزحام" and link it.
    await surface.evaluate((el) => {
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      let node;
      while ((node = walker.nextNode())) {
        const at = node.textContent.indexOf('الزحام');
        if (at >= 0) {
          const range = document.createRange();
          range.setStart(node, at);
          range.setEnd(node, at + 'الزحام'.length);
          const sel = window.getSelection();
          sel.removeAllRanges();
          sel.addRange(range);
          return;
        }
      }
    });
    page.once('dialog', (d) => d.accept('https://traffic.example/baghdad'));
    await page.click('.rte-toolbar [data-command="link"]');
    const html = await page.inputValue('textarea[name=body]');
    assert.match(html, /<(strong|b)>الجديد<\/(strong|b)>/);
    assert.match(html, /<a href="https:\/\/traffic\.example\/baghdad"[^>]*>الزحام<\/a>/);
    await page.screenshot({ path: join(artifacts, 'newsroom-editor-390.png'), fullPage: true });
    await Promise.all([page.waitForURL(/\/newsroom\/articles\/\d+\?saved=1/), page.click('button[value="publish"]')]);
    await page.goto(server.url + '/');
    const link = page.locator('main a', { hasText: title }).first();
    await link.waitFor();
    await Promise.all([page.waitForURL(/\/news\/\d+\//), link.click()]);
    const body = page.locator('[data-region="article"] .article__body');
    assert.equal(await body.locator('strong, b').first().textContent(), 'الجديد');
    assert.equal(await body.locator('a[href="https://traffic.example/baghdad"]').textContent(), 'الزحام');
    assert.deepEqual(errors, [], 'no script errors or CSP violations');
  } finally {
    await context.close();
  }
});

test('a contributor sees no publish button and a forged publish request is refused', async () => {
  const context = await launch();
  try {
    const page = await context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await logIn(page, server.url, 'contrib@example.com');
    await page.goto(server.url + '/newsroom/articles/new');
    assert.equal(await page.locator('button[value="publish"]').count(), 0);
    assert.equal(await page.locator('button[value="submit"]').count(), 1);
    await page.screenshot({ path: join(artifacts, 'newsroom-contributor-1280.png'), fullPage: true });
    const status = await page.evaluate(async () => {
      const form = document.querySelector('#article-form');
      const body = new URLSearchParams({ csrf_token: form.dataset.csrf, title: 'نشر مزور', body: '<p>x</p>', action: 'publish' });
      const r = await fetch('/newsroom/articles', { method: 'POST', body, redirect: 'manual' });
      return r.status;
    });
    assert.equal(status, 403);
  } finally {
    await context.close();
  }
});
