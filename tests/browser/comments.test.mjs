// Reader comments in a real browser. An attack corpus (script tags, event-handler
// attributes, javascript: and data: URLs, entity tricks, bidi overrides, overlong text,
// invalid UTF-8) goes in as name, website and comment through the form; every page that
// shows it (the writer's held view, the refused form, the newsroom queue, the article once
// approved) is opened with alert, console and network hooked: nothing runs, nothing loads
// from elsewhere, and the text reads as typed. Then a reply is written without JavaScript
// and with it.
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
  data = mkdtempSync(join(tmpdir(), 'nashir-comments-'));
  addUser(data, 'editor@example.com', 'محررة', 'editor');
  server = await startDemo(['--comment-rate-limit', '0', '--comment-min-seconds', '0'], { dataDir: data });
});

after(async () => {
  await server?.stop();
  rmSync(data, { recursive: true, force: true });
});

// Everything a hostile page could do that we can see: dialogs, console output, errors,
// requests to anything but this server.
function watch(page) {
  const seen = { dialogs: [], console: [], errors: [], foreign: [] };
  page.on('dialog', (d) => {
    seen.dialogs.push(d.message());
    d.dismiss().catch(() => {});
  });
  // Chromium reports a refused form's 4xx answer itself; that is not the page speaking.
  page.on('console', (m) => {
    if (!/^Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) seen.console.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => seen.errors.push(e.message));
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(server.url) && !url.startsWith('data:')) seen.foreign.push(url);
  });
  return seen;
}

function clean(seen, where) {
  assert.deepEqual(seen.dialogs, [], `${where}: a dialog opened`);
  assert.deepEqual(seen.errors, [], `${where}: a script error`);
  assert.deepEqual(seen.foreign, [], `${where}: a request left the site`);
  assert.deepEqual(seen.console, [], `${where}: console output (CSP reports or script output)`);
}

const HOSTILE = [
  '<script>alert("name")</script>',
  '"><img src=x onerror=alert(1)>',
  "<svg onload=alert('svg')>",
  '&lt;script&gt;alert(2)&lt;/script&gt; &#106;avascript:alert(3)',
  'javascript:alert(4)',
  '\u202Egnp.exe\u202C و \u2066عزل\u2069 نهاية',
  "<a href=\"javascript:alert(5)\" onclick='alert(6)'>رابط</a> <iframe src=https://evil.example></iframe>",
  '<style>body{display:none}</style><link rel=stylesheet href=https://evil.example/x.css>',
];

async function firstArticle(page) {
  await page.goto(server.url + '/');
  const href = await page.locator('.card__title a').first().getAttribute('href');
  return new URL(href, server.url).pathname;
}

async function fillAndSend(page, { name, email, website = '', body }) {
  await page.fill('#comment-name', name);
  await page.fill('#comment-email', email);
  await page.fill('#comment-url', website);
  await page.fill('#comment-body', body);
  await Promise.all([page.waitForNavigation(), page.click('#comment-form button[type=submit]')]);
}

test('hostile names, websites and comments never run and read as typed on every page that shows them', async () => {
  const context = await launch();
  try {
    const page = await context.newPage();
    const seen = watch(page);
    await page.setViewportSize({ width: 390, height: 844 });
    const path = await firstArticle(page);
    const sent = [];
    for (const [i, text] of HOSTILE.entries()) {
      await page.goto(server.url + path);
      const comment = { name: text.slice(0, 90), email: `attacker${i}@example.com`, website: 'https://ok.example/page', body: `تعليق ${i}: ${text}` };
      await fillAndSend(page, comment);
      // A first comment waits: the writer's own view shows it, as typed.
      assert.match(page.url(), /unapproved=\d+&moderation-hash=/, `comment ${i} is held`);
      const id = new URL(page.url()).searchParams.get('unapproved');
      const mine = page.locator(`#comment-${id}`);
      assert.equal((await mine.locator('.comment__body').innerText()).trim(), comment.body.trim(), `body ${i} as typed`);
      assert.equal((await mine.locator('.comment__author').innerText()).trim(), comment.name.replace(/\s+/g, ' ').trim(), `name ${i} as typed`);
      assert.equal(await mine.locator('.comment__body :is(img, script, svg, iframe, style, link)').count(), 0, `no element from comment ${i}`);
      // Web addresses in the text become links that pass nothing on; nothing else does.
      for (const a of await mine.locator('.comment__body a').all()) {
        assert.match(await a.getAttribute('href'), /^https?:\/\//);
        assert.equal(await a.getAttribute('rel'), 'nofollow ugc noopener');
      }
      sent.push({ id, ...comment });
    }
    clean(seen, 'held views');
    await page.screenshot({ path: join(artifacts, 'comments-held-390.png'), fullPage: true });

    // Websites that are not web addresses are refused, kept in the form as typed.
    for (const website of ['javascript:alert(7)', 'data:text/html,<script>alert(8)</script>', 'https://x.example/"><script>alert(9)</script>']) {
      await page.goto(server.url + path);
      await fillAndSend(page, { name: 'قارئ', email: 'site@example.com', website, body: 'نص' });
      assert.equal(await page.inputValue('#comment-url'), website);
      assert.match(await page.locator('#comment-url-error').innerText(), /https:\/\//);
    }
    // Overlong text: refused beside the field, kept whole.
    await page.goto(server.url + path);
    const long = 'ك'.repeat(6000);
    await page.evaluate(() => document.querySelector('#comment-body').removeAttribute('maxlength'));
    await fillAndSend(page, { name: 'قارئ', email: 'long@example.com', body: long });
    assert.equal((await page.inputValue('#comment-body')).length, 6000);
    assert.match(await page.locator('#comment-body-error').innerText(), /٥٠٠٠/);
    // Invalid UTF-8: the browser's post is rewritten with raw bytes on the way out.
    await page.goto(server.url + path);
    await page.route('**/comments', async (route) => {
      const form = new URLSearchParams(route.request().postData());
      const raw = `token=${encodeURIComponent(form.get('token'))}&author_name=${encodeURIComponent('قارئ')}&author_email=raw%40example.com&body=${encodeURIComponent('قبل')}%FF%FE${encodeURIComponent('بعد')}`;
      await route.continue({ postData: Buffer.from(raw, 'latin1') });
    });
    await fillAndSend(page, { name: 'x', email: 'x@example.com', body: 'x' });
    await page.unroute('**/comments');
    const kept = await page.inputValue('#comment-body');
    assert.ok(kept.startsWith('قبل') && kept.endsWith('بعد') && kept.includes('\uFFFD'), kept);
    assert.match(await page.locator('#comment-body-error').innerText(), /غير مقروءة/);
    clean(seen, 'refused forms');

    // The newsroom queue shows them all, safely; the editor approves them in bulk.
    await logIn(page, server.url, 'editor@example.com');
    await page.goto(server.url + '/newsroom/comments?status=pending');
    for (const c of sent) {
      const row = page.locator(`tr[data-comment-id="${c.id}"]`);
      assert.equal((await row.locator('.nr-comment-body').innerText()).trim(), c.body.trim());
      await row.locator('input[name=ids]').check();
    }
    await page.screenshot({ path: join(artifacts, 'comments-queue-1280.png'), fullPage: true });
    await page.selectOption('select[name=action]', 'approve');
    await Promise.all([page.waitForNavigation(), page.click('form[data-moderation] .nr-toolbar button[type=submit]')]);
    assert.match(page.url(), new RegExp(`done=${sent.length}`));
    clean(seen, 'newsroom queue');

    // The public page: every comment as typed, isolated, nothing run.
    await page.context().clearCookies();
    await page.goto(server.url + path);
    for (const c of sent) {
      const el = page.locator(`#comment-${c.id}`);
      assert.equal((await el.locator('.comment__body').innerText()).trim(), c.body.trim());
      const author = el.locator('.comment__author a');
      assert.equal(await author.getAttribute('href'), c.website);
      assert.equal(await author.getAttribute('rel'), 'nofollow ugc noopener');
      assert.equal(await el.locator('.comment__author').evaluate((e) => getComputedStyle(e).unicodeBidi), 'isolate');
    }
    // Text after the comments is not reordered by an override left open in one.
    const after = await page.locator('#comment-form-title').evaluate((e) => getComputedStyle(e).direction);
    assert.equal(after, 'rtl');
    await page.screenshot({ path: join(artifacts, 'comments-article-390.png'), fullPage: true });
    clean(seen, 'article page');
  } finally {
    await context.close();
  }
});

test('a reply is written without JavaScript and with it', async () => {
  // Without JavaScript: "رد" opens the page with the form answering that comment.
  const plain = await launch({ javaScriptEnabled: false });
  let path;
  let parentId;
  try {
    const page = await plain.newPage();
    const seen = watch(page);
    path = await firstArticle(page);
    await page.goto(server.url + path);
    await fillAndSend(page, { name: 'أحمد', email: 'mustafa.zaidi@example.org', body: 'تعليق أول من قارئ معروف' });
    parentId = new URL(page.url()).hash.replace('#comment-', '');
    assert.ok(parentId, 'a known commenter lands on the comment');
    await page.click(`#comment-${parentId} .comment__reply`);
    assert.match(page.url(), new RegExp(`replytocom=${parentId}`));
    assert.equal(await page.inputValue('input[name=parent_id]'), parentId);
    assert.equal((await page.locator('#comment-form-title bdi').innerText()).trim(), 'أحمد');
    await fillAndSend(page, { name: 'سارة', email: 'mustafa.zaidi@example.org', body: 'رد بلا جافاسكربت' });
    const nested = page.locator(`#comment-${parentId} .comments__list .comment__body`, { hasText: 'رد بلا جافاسكربت' });
    assert.equal(await nested.count(), 1, 'the reply sits under its comment');
    clean(seen, 'reply without JavaScript');
  } finally {
    await plain.close();
  }

  // With JavaScript: the form moves under the comment and back.
  const context = await launch();
  try {
    const page = await context.newPage();
    const seen = watch(page);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(server.url + path);
    await page.click(`#comment-${parentId} > .comment__card .comment__reply`);
    assert.equal(page.url(), server.url + path, 'no navigation');
    assert.equal(await page.locator(`#comment-${parentId} #respond`).count(), 1, 'the form moved under the comment');
    assert.equal(await page.inputValue('input[name=parent_id]'), parentId);
    assert.equal((await page.locator('#comment-form-title').innerText()).trim(), 'ردّ على أحمد');
    await page.screenshot({ path: join(artifacts, 'comments-reply-390.png'), fullPage: true });
    await page.click('[data-cancel-reply]');
    assert.equal(await page.locator(`#comment-${parentId} #respond`).count(), 0, 'and back');
    assert.equal(await page.inputValue('input[name=parent_id]'), '');
    await page.click(`#comment-${parentId} > .comment__card .comment__reply`);
    await fillAndSend(page, { name: 'سارة', email: 'mustafa.zaidi@example.org', body: 'رد بالجافاسكربت' });
    const nested = page.locator(`#comment-${parentId} .comments__list .comment__body`, { hasText: 'رد بالجافاسكربت' });
    assert.equal(await nested.count(), 1);
    clean(seen, 'reply with JavaScript');
  } finally {
    await context.close();
  }
});
