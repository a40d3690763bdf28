// The newsroom's rich-text editor (themes/default/static/newsroom/editor.js) and stylesheet
// (newsroom.css), in Chromium, before the newsroom routes exist: a tiny node:http server
// serves fixture pages that follow the editor page's DOM contract, the real static files,
// the production Content-Security-Policy, and records every POST (autosaves, beacons,
// submits). A reporter types Arabic, formats it, pastes from Word and Google Docs, and the
// hidden textarea — what the form submits — holds clean HTML; autosave and beacons carry it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import { join, normalize, sep } from 'node:path';
import { launch, artifacts } from './browser.mjs';

const STATIC_ROOT = join(import.meta.dirname, '..', '..', 'themes', 'default', 'static');
// The public site's policy (crates/nashir-web): no inline script, no inline style attributes.
const CSP = "default-src 'self'; img-src 'self' data: https:; style-src 'self'; script-src 'self'; " +
  "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
const TOKEN = 'csrf-token-123';
const AUTOSAVE_WAIT_MS = 7500; // a 5 s interval, plus slack for a loaded machine

// ------------------------------------------------------------------------------- fixtures

const header = `
<header class="nr-header">
  <a class="nr-brand" href="/newsroom">غرفة الأخبار — ناشر</a>
  <nav class="nr-nav" aria-label="أقسام غرفة الأخبار"><ul>
    <li><a href="/newsroom/articles" aria-current="page">المقالات</a></li>
    <li><a href="/newsroom/articles/new">مقالة جديدة</a></li>
    <li><a href="/newsroom/categories">التصنيفات</a></li>
    <li><a href="/newsroom/tags">الوسوم</a></li>
    <li><a href="/newsroom/comments">التعليقات</a></li>
    <li><a href="/newsroom/people">الفريق</a></li>
    <li><a href="/newsroom/settings">الإعدادات</a></li>
  </ul></nav>
  <div class="nr-user"><span>سارة المحرّرة</span>
    <form class="nr-logout" method="post" action="/newsroom/logout"><input type="hidden" name="csrf_token" value="${TOKEN}"><button>خروج</button></form>
  </div>
</header>`;

function page(title, main) {
  return `<!doctype html>
<html lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} — غرفة الأخبار</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/newsroom/newsroom.css">
<script src="/static/newsroom/editor.js" defer></script>
</head>
<body class="nr-body">${header}
<main class="nr-main">${main}</main>
</body>
</html>`;
}

// The stored body carries junk on purpose (a style attribute, a class, an empty paragraph):
// the editor must load it without a CSP violation and clean it.
const STORED_BODY = '<p>وزير المالية يعلن موازنة العام الجديد</p>\n' +
  '<p class="x">نص <span style="color:red">قديم</span> من المسودة</p>\n<p></p>';

// `id` tells the pages apart in the POST log: each test's autosaves and beacons (a closed
// page sends its pending changes by beacon, possibly during the next test) are its own.
// What an imported article may hold (the server's allow-list keeps it): the editor must
// load and save it without loss.
const IMPORTED_BODY = '<p dir="rtl" style="text-align:right">فقرة <sub>١</sub> مع <a href="/news/12/slug" title="خبر سابق">رابط داخلي</a> ' +
  'و<span lang="en" dir="ltr">BBC</span> و<span class="x">بلا معنى</span></p>\n' +
  '<figure><img src="/media/2024/a.jpg" alt="صورة" width="800" height="600"><figcaption>تعليق</figcaption></figure>\n' +
  '<table><thead><tr><th scope="col">البند</th><th>القيمة</th></tr></thead><tbody><tr><td>الإيرادات</td><td></td></tr></tbody></table>\n' +
  '<hr class="separator">\n<pre>سطر   أول\nسطر ثانٍ</pre>\n<h5>عنوان صغير</h5>\n' +
  '<p><a href="javascript:alert(1)">خطر</a> <img src="javascript:x" alt="x" onerror="alert(1)"></p>';

const editorPage = (id, body = STORED_BODY) => page('تحرير المقالة', `
<h1 class="nr-title">تحرير المقالة</h1>
<div class="nr-notice nr-notice--info"><p>تُحفظ المسودة تلقائياً كل بضع ثوانٍ.</p></div>
<form class="nr-form" id="article-form" method="post" action="/newsroom/articles/42"
      data-autosave-url="/newsroom/articles/42/autosave?page=${id}" data-csrf="${TOKEN}">
  <input type="hidden" name="csrf_token" value="${TOKEN}">
  <input type="hidden" name="version" value="3">
  <div class="nr-form__main">
    <p class="field"><label for="title">العنوان <span class="nr-required">*</span></label>
      <input id="title" name="title" value="الموازنة الجديدة" required></p>
    <div class="field field--editor">
      <label for="body">النص</label>
      <textarea id="body" name="body" data-rich-editor rows="20">${escapeHtml(body)}</textarea>
    </div>
    <p class="field"><label for="excerpt">الملخص</label>
      <textarea id="excerpt" name="excerpt" aria-describedby="excerpt-hint">ملخص قصير</textarea>
      <span class="field__hint" id="excerpt-hint">يظهر في القوائم ونتائج البحث.</span></p>
  </div>
  <div class="nr-form__side">
    <p class="field"><label for="slug">المعرّف في الرابط</label>
      <input id="slug" name="slug" value="budget-2025-a-very-long-slug-that-must-not-push-the-page-sideways" dir="ltr"></p>
    <p class="field field--error"><label for="category">التصنيف <span class="nr-required">*</span></label>
      <select id="category" name="category"><option value="">—</option><option>اقتصاد</option></select>
      <span class="field__error">اختر تصنيفاً.</span></p>
    <p class="field"><label><input type="checkbox" name="sticky"> تثبيت في الصفحة الأولى</label></p>
  </div>
  <p class="nr-autosave-status" data-autosave-status aria-live="polite"></p>
  <div class="nr-actions">
    <button class="nr-button nr-button--primary" name="action" value="save">حفظ</button>
    <button class="nr-button nr-button--secondary" name="action" value="submit">إرسال للمراجعة</button>
    <button class="nr-button nr-button--danger" name="action" value="delete" data-confirm="حذف المقالة نهائياً؟">حذف</button>
  </div>
</form>
<form class="nr-inline-form" method="post" action="/newsroom/articles/42/unpublish" data-confirm="إلغاء نشر المقالة؟">
  <input type="hidden" name="csrf_token" value="${TOKEN}">
  <button class="nr-button nr-button--danger">إلغاء النشر</button>
</form>`);

const listPage = page('المقالات', `
<h1 class="nr-title">المقالات</h1>
<div class="nr-notice nr-notice--success"><p>حُفظت المقالة.</p></div>
<div class="nr-notice nr-notice--warning"><p>مقالتان تنتظران المراجعة منذ أكثر من ساعة.</p></div>
<form class="nr-toolbar" method="get" action="/newsroom/articles">
  <label>بحث <input type="search" name="q" value=""></label>
  <label>الحالة <select name="state"><option>الكل</option><option>مسودة</option><option>بانتظار المراجعة</option></select></label>
  <label>التصنيف <select name="category"><option>الكل</option><option>اقتصاد</option></select></label>
  <button class="nr-button nr-button--secondary">تصفية</button>
</form>
<table class="nr-table">
  <thead><tr><th>العنوان</th><th>الحالة</th><th>الكاتب</th><th>آخر تعديل</th><th>إجراءات</th></tr></thead>
  <tbody>
    <tr><td data-label="العنوان"><a href="/newsroom/articles/42">وزير المالية يعلن موازنة العام الجديد بعجز أقل من المتوقع</a></td>
      <td data-label="الحالة"><span class="nr-badge nr-badge--draft">مسودة</span></td>
      <td data-label="الكاتب">سارة المحرّرة</td><td data-label="آخر تعديل">١٢:٣٠</td>
      <td data-label="إجراءات"><form class="nr-inline-form" method="post" action="/newsroom/articles/42/delete" data-confirm="حذف؟"><button class="nr-button nr-button--danger">حذف</button></form></td></tr>
    <tr><td data-label="العنوان"><a href="/newsroom/articles/43">https://example.com/a/very/long/address/without/any/spaces/that/would/overflow/a/phone</a></td>
      <td data-label="الحالة"><span class="nr-badge nr-badge--pending">بانتظار المراجعة</span></td>
      <td data-label="الكاتب">أحمد</td><td data-label="آخر تعديل">أمس</td>
      <td data-label="إجراءات"><form class="nr-inline-form" method="post" action="/newsroom/articles/43/state"><select name="state"><option>نشر</option></select><button class="nr-button">تطبيق</button></form></td></tr>
    <tr><td data-label="العنوان">مجدولة</td><td data-label="الحالة"><span class="nr-badge nr-badge--scheduled">مجدولة</span></td><td data-label="الكاتب">منى</td><td data-label="آخر تعديل">غداً</td><td data-label="إجراءات"></td></tr>
    <tr><td data-label="العنوان">منشورة</td><td data-label="الحالة"><span class="nr-badge nr-badge--published">منشورة</span></td><td data-label="الكاتب">منى</td><td data-label="آخر تعديل">أمس</td><td data-label="إجراءات"></td></tr>
    <tr><td data-label="العنوان">ملغاة</td><td data-label="الحالة"><span class="nr-badge nr-badge--unpublished">غير منشورة</span></td><td data-label="الكاتب">منى</td><td data-label="آخر تعديل">أمس</td><td data-label="إجراءات"></td></tr>
  </tbody>
</table>
<h2>التصنيفات</h2>
<ul class="nr-tree"><li><a href="#">أخبار</a><ul><li><a href="#">محلية</a><ul><li><a href="#">العاصمة</a></li></ul></li><li><a href="#">دولية</a></li></ul></li><li><a href="#">اقتصاد</a></li></ul>
<ul class="nr-tree"><li class="nr-depth-0"><details><summary><strong>أخبار</strong> <small dir="ltr">/news</small> · 12 مقال</summary>
  <form class="nr-form" method="post" action="/newsroom/categories/1"><p class="field"><label>الاسم <input name="name" value="أخبار"></label></p>
  <div class="nr-actions"><button class="nr-button nr-button--secondary">حفظ</button></div></form></details></li>
  <li class="nr-depth-1"><details open><summary><strong>محلية</strong> <small dir="ltr">/news/local</small> · 3 مقال</summary>
  <form class="nr-form" method="post" action="/newsroom/categories/2"><p class="field"><label>الاسم <input name="name" value="محلية"></label></p></form></details></li>
  <li class="nr-depth-2"><details><summary><strong>العاصمة</strong> <small dir="ltr">/news/local/capital-city-with-a-long-path</small> · 1 مقال</summary></details></li>
  <li class="nr-depth-6"><details><summary><strong>عميق جداً</strong> <small dir="ltr">/a/b/c/d/e/f/g</small></summary></details></li></ul>
<h2>مقارنة النسخ</h2>
<div class="nr-diff">&lt;p dir="auto"&gt;يعلن <del>موازنة</del><ins>الموازنة الجديدة https://example.com/another/very/long/address/without/spaces</ins>&lt;/p&gt;</div>
<div class="nr-actions"><a class="nr-button nr-button--primary" href="/newsroom/articles/new">مقالة جديدة</a><button class="nr-button" disabled>معطّل</button></div>`);

const loginPage = `<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>الدخول</title><link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/newsroom/newsroom.css"></head>
<body class="nr-body"><main class="nr-login"><h1 class="nr-title">الدخول إلى غرفة الأخبار</h1>
<div class="nr-notice nr-notice--error"><p>البريد أو كلمة المرور غير صحيحة.</p></div>
<form method="post" action="/newsroom/login"><p class="field"><label for="email">البريد</label><input id="email" type="email" name="email"></p>
<p class="field"><label for="password">كلمة المرور</label><input id="password" type="password" name="password"></p>
<div class="nr-actions"><button class="nr-button nr-button--primary">دخول</button></div></form></main></body></html>`;

function escapeHtml(s) {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

// ------------------------------------------------------------------------------- server

const TYPES = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

async function startFixture() {
  const posts = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://fixture');
    const send = (status, type, body, extra = {}) => {
      res.writeHead(status, { 'content-type': type, 'content-security-policy': CSP, 'x-content-type-options': 'nosniff', ...extra });
      res.end(body);
    };
    try {
      if (req.method === 'POST') {
        const chunks = [];
        for await (const chunk of req) chunks.push(chunk);
        const raw = Buffer.concat(chunks);
        const form = await new Response(raw, { headers: { 'content-type': req.headers['content-type'] || '' } }).formData();
        const post = { path: url.pathname, page: url.searchParams.get('page'), at: Date.now(), headers: req.headers, fields: Object.fromEntries(form) };
        posts.push(post);
        if (url.pathname.endsWith('/autosave')) {
          // Answer the way a server bumping the version would.
          return send(200, 'application/json', JSON.stringify({ ok: true, version: Number(post.fields.version) + 1 }));
        }
        // The real save answers slowly: autosave must stay quiet while it is in flight.
        await new Promise((r) => setTimeout(r, Number(url.searchParams.get('delay') || 0) || 6000));
        return send(200, 'text/html; charset=utf-8', page('حُفظ', '<p class="nr-notice nr-notice--success">حُفظت المقالة.</p>'));
      }
      if (url.pathname === '/newsroom/articles/42') return send(200, 'text/html; charset=utf-8', editorPage(url.searchParams.get('page') || 'default', url.searchParams.get('body') === 'imported' ? IMPORTED_BODY : STORED_BODY));
      if (url.pathname === '/newsroom/articles') return send(200, 'text/html; charset=utf-8', listPage);
      if (url.pathname === '/newsroom/login') return send(200, 'text/html; charset=utf-8', loginPage);
      if (url.pathname.startsWith('/media/')) return send(200, 'image/png', PNG);
      if (url.pathname.startsWith('/static/')) {
        const file = normalize(join(STATIC_ROOT, decodeURIComponent(url.pathname.slice('/static/'.length))));
        if (!file.startsWith(STATIC_ROOT + sep)) return send(403, 'text/plain', 'no');
        const body = await readFile(file).catch(() => null);
        if (!body) return send(404, 'text/plain', 'not found');
        return send(200, TYPES[file.slice(file.lastIndexOf('.'))] || 'application/octet-stream', body, { 'cache-control': 'no-store' });
      }
      return send(404, 'text/plain', 'not found');
    } catch (err) {
      send(500, 'text/plain', String(err));
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    posts,
    stop: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }),
  };
}

// ------------------------------------------------------------------------------- helpers

let fixture;
let context;

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  fixture = await startFixture();
  context = await launch();
  // Image URLs in tests are answered locally (the machine has no outside network).
  await context.route('https://images.example/**', (route) => route.fulfill({ status: 200, contentType: 'image/png', body: PNG }));
});

after(async () => {
  await context?.close();
  await fixture?.stop();
});

/** Opens a page, collecting console errors, page errors and CSP violations. */
async function open(path, width = 390) {
  const p = await context.newPage();
  const errors = [];
  p.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  p.on('pageerror', (err) => errors.push(String(err)));
  await p.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await p.setViewportSize({ width, height: 844 });
  const response = await p.goto(fixture.url + path);
  assert.equal(response.status(), 200);
  return { page: p, errors };
}

async function assertClean(p, errors, { chromiumEditingStyles = false } = {}) {
  // Chromium's own paragraph merging (a native Backspace between paragraphs) re-parses
  // markup carrying inline styles; `style-src 'self'` blocks and reports that. It is not the
  // editor's doing and cannot be prevented from a page; only the test that does such a
  // merge tolerates exactly that report.
  const own = (list, chromium) => (chromiumEditingStyles ? list.filter((x) => !chromium.test(x)) : list);
  if (!p.isClosed()) assert.deepEqual(own(await p.evaluate(() => window.__csp), /^style-src-attr inline$/), [], 'CSP violations');
  assert.deepEqual(own(errors, /^Applying inline style violates/), [], 'console errors');
}

/** Answers dialogs in order: a string accepts a prompt with it, true accepts, false
    dismisses. Returns the log of dialogs seen. */
function answerDialogs(p, answers) {
  const seen = [];
  p.on('dialog', async (dialog) => {
    seen.push({ type: dialog.type(), message: dialog.message() });
    const answer = answers.shift();
    if (answer === undefined) throw new Error(`unexpected ${dialog.type()}: ${dialog.message()}`);
    if (answer === false) await dialog.dismiss();
    else await dialog.accept(typeof answer === 'string' ? answer : undefined);
  });
  return seen;
}

/** Selects the first occurrence of `word` inside the surface. */
async function selectWord(p, word) {
  const ok = await p.evaluate((w) => {
    const surface = document.querySelector('.rte-surface');
    const walker = document.createTreeWalker(surface, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.data.indexOf(w);
      if (at >= 0) {
        surface.focus();
        getSelection().setBaseAndExtent(node, at, node, at + w.length);
        return true;
      }
    }
    return false;
  }, word);
  assert.ok(ok, `word ${word} not found in the surface`);
}

/** Puts the caret at the end (or start) of the block containing `word`. */
async function caretIn(p, word, atEnd = true) {
  await p.evaluate(([w, end]) => {
    const surface = document.querySelector('.rte-surface');
    const block = [...surface.querySelectorAll('p, h2, li, blockquote')].find((b) => b.textContent.includes(w));
    surface.focus();
    const range = document.createRange();
    range.selectNodeContents(block);
    range.collapse(!end);
    getSelection().removeAllRanges();
    getSelection().addRange(range);
  }, [word, atEnd]);
}

const bodyValue = (p) => p.inputValue('#body');
const noSidewaysScroll = (p) => p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
const autosaves = (id) => fixture.posts.filter((x) => x.path === '/newsroom/articles/42/autosave' && x.page === id);

async function waitFor(predicate, ms, what) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const value = predicate();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out after ${ms} ms waiting for ${what}`);
}

/** Pastes through a real paste event (what Ctrl+V fires), at the caret. */
async function paste(p, items) {
  await p.evaluate((entries) => {
    const data = new DataTransfer();
    for (const [type, value] of entries) data.setData(type, value);
    document.querySelector('.rte-surface').dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, Object.entries(items));
}
const pasteText = (p, text) => paste(p, { 'text/plain': text });

/** Every block of the stored HTML: dir="auto", no style/class, no junk. */
async function assertTidy(p, html) {
  const problems = await p.evaluate((value) => {
    const out = [];
    const body = new DOMParser().parseFromString(value, 'text/html').body;
    for (const el of body.querySelectorAll('p, h2, h3, h4, li, blockquote')) {
      if (el.getAttribute('dir') !== 'auto') out.push(`no dir=auto: ${el.outerHTML}`);
      if (el.lastChild && el.lastChild.nodeName === 'BR') out.push(`trailing br: ${el.outerHTML}`);
      if (!el.textContent.trim() && !el.querySelector('img')) out.push(`empty block: ${el.outerHTML}`);
    }
    for (const el of body.querySelectorAll('[style], [class], span, font, b, i, div, [data-rte-empty]')) out.push(`junk: ${el.outerHTML}`);
    for (const el of body.querySelectorAll('p p, p ul, p ol, p blockquote, p figure')) out.push(`bad nesting: ${el.parentElement.outerHTML}`);
    if (/[\u200B\uFEFF]/.test(value)) out.push('zero-width characters');
    return out;
  }, html);
  assert.deepEqual(problems, [], html);
}

// ------------------------------------------------------------------------------- tests

test('the editor replaces the textarea: toolbar, surface, cleaned initial HTML', async () => {
  const { page: p, errors } = await open('/newsroom/articles/42');
  assert.ok(await p.locator('#body').isHidden(), 'textarea hidden');
  assert.equal(await p.locator('#article-form #body').count(), 1, 'textarea still in the form');

  const toolbar = p.locator('.rte-toolbar[role="toolbar"]');
  assert.equal(await toolbar.count(), 1);
  const buttons = await toolbar.locator('button').evaluateAll((bs) => bs.map((b) => ({
    command: b.dataset.command, type: b.getAttribute('type'), label: b.getAttribute('aria-label'), title: b.title, text: b.textContent,
  })));
  assert.deepEqual(buttons.map((b) => b.command), ['paragraph', 'heading', 'bold', 'italic', 'link', 'quote', 'ul', 'ol', 'image', 'library']);
  for (const b of buttons) {
    assert.equal(b.type, 'button', b.command);
    assert.match(b.label, /[\u0600-\u06FF]/, `${b.command} has an Arabic aria-label`);
    assert.ok(b.title.startsWith(b.label), `${b.command} title`);
  }
  assert.equal(buttons.find((b) => b.command === 'heading').label, 'عنوان فرعي');
  assert.equal(buttons.find((b) => b.command === 'image').label, 'صورة بالرابط');

  const surface = p.locator('.rte-surface');
  assert.equal(await surface.getAttribute('contenteditable'), 'true');
  assert.equal(await surface.getAttribute('dir'), 'auto');
  assert.equal(await surface.getAttribute('role'), 'textbox');
  assert.equal(await surface.getAttribute('aria-multiline'), 'true');
  // The toolbar and the surface come before the textarea, in that order.
  assert.deepEqual(await p.evaluate(() => {
    const t = document.querySelector('#body');
    return [t.previousElementSibling.className, t.previousElementSibling.previousElementSibling.className];
  }), ['rte-surface', 'rte-toolbar']);
  // The label names the surface and, clicked, focuses it.
  assert.equal(await p.evaluate(() => document.getElementById(document.querySelector('.rte-surface').getAttribute('aria-labelledby')).textContent), 'النص');
  await p.click('label[for="body"]');
  assert.ok(await surface.evaluate((s) => document.activeElement === s), 'label focuses the surface');
  // One tab stop in the toolbar; arrows move through it (left is "next" right to left).
  assert.equal(await toolbar.locator('button[tabindex="0"]').count(), 1);
  await toolbar.locator('button[tabindex="0"]').focus();
  await p.keyboard.press('ArrowLeft');
  assert.equal(await p.evaluate(() => document.activeElement.dataset.command), 'heading');
  await p.keyboard.press('End');
  assert.equal(await p.evaluate(() => document.activeElement.dataset.command), 'library');
  await p.keyboard.press('ArrowLeft');
  assert.equal(await p.evaluate(() => document.activeElement.dataset.command), 'paragraph');

  // The stored junk (style, class, empty paragraph) is gone, and loading it broke no CSP rule.
  assert.equal(await bodyValue(p),
    '<p dir="auto">وزير المالية يعلن موازنة العام الجديد</p>\n<p dir="auto">نص قديم من المسودة</p>');
  // Reading direction: Arabic paragraphs right to left, and so is an empty new line.
  await caretIn(p, 'المسودة');
  await p.keyboard.press('Enter');
  assert.deepEqual(await p.evaluate(() => [...document.querySelectorAll('.rte-surface p')].map((el) => getComputedStyle(el).direction)), ['rtl', 'rtl', 'rtl']);
  await p.keyboard.type('Latin paragraph');
  assert.equal(await p.evaluate(() => getComputedStyle(document.querySelector('.rte-surface p:last-child')).direction), 'ltr');

  assert.ok(await noSidewaysScroll(p), 'editor page scrolls sideways at 390 px');
  await p.screenshot({ path: join(artifacts, 'newsroom-editor-390.png'), fullPage: true });
  await assertClean(p, errors);
  await p.close();
});

test('an imported article keeps what the server allows (tables, relative links, pre…)', async () => {
  const { page: p, errors } = await open('/newsroom/articles/42?page=imported&body=imported', 390);
  assert.equal(await bodyValue(p), [
    '<p dir="auto">فقرة <sub>١</sub> مع <a href="/news/12/slug" title="خبر سابق">رابط داخلي</a> و<span lang="en" dir="ltr">BBC</span> وبلا معنى</p>',
    '<figure><img src="/media/2024/a.jpg" alt="صورة" width="800" height="600"><figcaption dir="auto">تعليق</figcaption></figure>',
    '<table><thead><tr><th scope="col">البند</th><th>القيمة</th></tr></thead><tbody><tr><td>الإيرادات</td><td></td></tr></tbody></table>',
    '<hr class="separator">',
    '<pre>سطر   أول\nسطر ثانٍ</pre>',
    '<h5 dir="auto">عنوان صغير</h5>',
    '<p dir="auto">خطر</p>',
  ].join('\n'));
  assert.ok(await noSidewaysScroll(p), 'imported article scrolls sideways at 390 px');
  await assertClean(p, errors);
  await p.close();
});

test('typing Arabic, bold, italic, link, heading, quote, lists, image: the textarea follows', async () => {
  const { page: p, errors } = await open('/newsroom/articles/42', 1280);
  const dialogs = answerDialogs(p, [
    'https://example.com/budget', // link on a selection
    'javascript:alert(1)', true, // refused, with an alert
    'nashir.example/a', // Ctrl+K with no selection: bare domain, becomes https://
    'https://images.example/chart.png', 'رسم بياني للموازنة', // image + alt
  ]);

  await caretIn(p, 'المسودة');
  await p.keyboard.press('Enter');
  await p.keyboard.type('الحكومة تقر خطة الإنفاق للسنة المقبلة');

  await selectWord(p, 'خطة');
  await p.click('.rte-toolbar [data-command="bold"]');
  assert.equal(await p.getAttribute('[data-command="bold"]', 'aria-pressed'), 'true');
  await selectWord(p, 'للسنة');
  await p.keyboard.press('Control+i'); // native shortcut
  await selectWord(p, 'الإنفاق');
  await p.click('.rte-toolbar [data-command="link"]');
  await selectWord(p, 'الحكومة');
  await p.click('.rte-toolbar [data-command="link"]'); // javascript: is refused

  let html = await bodyValue(p);
  assert.match(html, /<p dir="auto">الحكومة تقر <strong>خطة<\/strong> <a href="https:\/\/example\.com\/budget">الإنفاق<\/a> <em>للسنة<\/em> المقبلة<\/p>/, html);
  assert.doesNotMatch(html, /javascript:/);
  assert.deepEqual(dialogs.slice(0, 3).map((d) => d.type), ['prompt', 'prompt', 'alert']);

  // Ctrl+K with a collapsed caret inserts the address as the link text.
  await caretIn(p, 'الحكومة');
  await p.keyboard.press('Control+k');
  await p.keyboard.type(' للمزيد');
  html = await bodyValue(p);
  assert.match(html, /<a href="https:\/\/nashir\.example\/a">nashir\.example\/a<\/a> للمزيد<\/p>/, html);

  // Block formats.
  await caretIn(p, 'وزير');
  await p.click('[data-command="heading"]');
  assert.equal(await p.getAttribute('[data-command="heading"]', 'aria-pressed'), 'true');
  await caretIn(p, 'قديم');
  await p.click('[data-command="quote"]');
  assert.match(await bodyValue(p), /<blockquote dir="auto">نص قديم من المسودة<\/blockquote>/);
  await p.click('[data-command="quote"]'); // toggles back
  await p.click('[data-command="ul"]');
  html = await bodyValue(p);
  assert.match(html, /^<h2 dir="auto">وزير المالية يعلن موازنة العام الجديد<\/h2>\n<ul><li dir="auto">نص قديم من المسودة<\/li><\/ul>\n/, html);
  await p.click('[data-command="ol"]'); // switches the list type
  assert.match(await bodyValue(p), /<ol><li dir="auto">نص قديم من المسودة<\/li><\/ol>/);
  await p.click('[data-command="paragraph"]'); // out of the list, plain paragraph again
  assert.match(await bodyValue(p), /<\/h2>\n<p dir="auto">نص قديم من المسودة<\/p>\n/);

  // Image by URL: a figure after the caret's paragraph, the caret in a fresh paragraph after it.
  await caretIn(p, 'وزير', false);
  await p.click('[data-command="image"]');
  await p.keyboard.type('بعد الصورة');
  html = await bodyValue(p);
  assert.match(html, /<\/h2>\n<figure><img src="https:\/\/images\.example\/chart\.png" alt="رسم بياني للموازنة"><\/figure>\n<p dir="auto">بعد الصورة<\/p>\n/, html);
  assert.ok(await p.locator('.rte-surface figure img').evaluate((img) => img.complete && img.naturalWidth === 1), 'image loaded');

  // Enter at the end of a paragraph, then a second line: new blocks get dir="auto" too.
  await caretIn(p, 'للمزيد');
  await p.keyboard.press('Enter');
  await p.keyboard.type('فقرة أخيرة');
  html = await bodyValue(p);
  assert.match(html, /<p dir="auto">فقرة أخيرة<\/p>$/, html);
  await assertTidy(p, html);
  assert.equal(dialogs.length, 6);
  await assertClean(p, errors);
  await p.close();
});

const WORD_HTML = `<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word" xmlns="http://www.w3.org/TR/REC-html40">
<head><meta http-equiv=Content-Type content="text/html; charset=utf-8"><meta name=ProgId content=Word.Document><meta name=Generator content="Microsoft Word 15">
<link rel=File-List href="file:///C:/Users/sara/AppData/Local/Temp/msohtmlclip1/01/clip_filelist.xml">
<!--[if gte mso 9]><xml><o:OfficeDocumentSettings><o:AllowPNG/></o:OfficeDocumentSettings></xml><![endif]-->
<style><!-- /* Style Definitions */ p.MsoNormal, li.MsoNormal {mso-style-unhide:no; margin:0cm; font-size:12.0pt;} --></style>
</head>
<body lang=EN-US style='tab-interval:36.0pt;word-wrap:break-word'>
<!--StartFragment-->
<p class=MsoNormal dir=RTL style='text-align:right;direction:rtl;unicode-bidi:embed'><b><span lang=AR-SA style='font-size:14.0pt;font-family:"Simplified Arabic",serif;mso-bidi-font-weight:normal'>أعلنت</span></b><span lang=AR-SA style='font-size:14.0pt;font-family:"Simplified Arabic",serif'> الحكومة اليوم عن <i style='mso-bidi-font-style:normal'>خطة</i>&nbsp;جديدة\u200B<o:p></o:p></span></p>
<p class=MsoNormal dir=RTL style='text-align:right;direction:rtl;unicode-bidi:embed'><span lang=AR-SA><o:p>&nbsp;</o:p></span></p>
<p class=MsoListParagraphCxSpFirst dir=RTL style='margin-top:0cm;margin-right:36.0pt;text-indent:-18.0pt;mso-list:l0 level1 lfo1;direction:rtl;unicode-bidi:embed'><![if !supportLists]><span style='font-family:Symbol;mso-fareast-font-family:Symbol;mso-bidi-font-family:Symbol'><span style='mso-list:Ignore'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp; </span></span></span><![endif]><span dir=RTL></span><span lang=AR-SA>البند الأول<o:p></o:p></span></p>
<p class=MsoListParagraphCxSpLast dir=RTL style='margin-top:0cm;margin-right:36.0pt;text-indent:-18.0pt;mso-list:l0 level1 lfo1;direction:rtl;unicode-bidi:embed'><![if !supportLists]><span style='font-family:Symbol'><span style='mso-list:Ignore'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span></span><![endif]><span lang=AR-SA>البند الثاني<o:p></o:p></span></p>
<p class=MsoNormal dir=RTL style='text-align:right;direction:rtl'><font face="Arial"><a href="https://example.com/report">التقرير الكامل</a></font><span lang=AR-SA> و<a href="#_ftn1" name="_ftnref1" title=""><span class=MsoFootnoteReference>[1]</span></a></span><v:shape id="_x0000_i1025" type="#_x0000_t75"><v:imagedata src="file:///C:/Users/x.png"/></v:shape><img width=100 height=50 src="file:///C:/Users/sara/AppData/Local/Temp/msohtmlclip1/01/clip_image001.png" v:shapes="_x0000_i1025"></p>
<h1 style='mso-margin-top-alt:auto'><a name="_Toc1"></a><span lang=AR-SA>عنوان من وورد</span></h1>
<!--EndFragment-->
</body></html>`;

const DOCS_HTML = '<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-1a2b3c4d-7fff-0a1b-2c3d-4e5f60718293">' +
  '<h1 dir="rtl" style="line-height:1.38;margin-top:20pt;margin-bottom:6pt;"><span style="font-size:20pt;font-family:Arial;color:#000000;background-color:transparent;font-weight:400;font-style:normal;font-variant:normal;text-decoration:none;vertical-align:baseline;white-space:pre;white-space:pre-wrap;">عنوان التقرير</span></h1>' +
  '<p dir="rtl" style="line-height:1.38;margin-top:0pt;margin-bottom:0pt;"><span style="font-size:11pt;font-family:Arial;color:#000000;background-color:transparent;font-weight:700;font-style:normal;vertical-align:baseline;white-space:pre-wrap;">نص غامق</span>' +
  '<span style="font-size:11pt;font-family:Arial;color:#000000;background-color:transparent;font-weight:400;font-style:italic;vertical-align:baseline;white-space:pre-wrap;"> ونص مائل</span>' +
  '<span style="font-size:11pt;font-family:Arial;color:#000000;font-weight:400;font-style:normal;">&nbsp;وعادي.</span></p><br>' +
  '<ul style="margin-top:0;margin-bottom:0;padding-inline-start:48px;"><li dir="rtl" style="list-style-type:disc;font-size:11pt;font-family:Arial;" aria-level="1"><p dir="rtl" style="line-height:1.38;text-align:right;margin-top:0pt;margin-bottom:0pt;" role="presentation"><span style="font-size:11pt;font-weight:400;">نقطة أولى</span></p></li></ul>' +
  '<p dir="ltr" style="line-height:1.38;"><a href="https://www.google.com/url?q=https://example.org/&amp;sa=D" style="text-decoration:none;"><span style="color:#1155cc;text-decoration:underline;">English link</span></a></p></b><br class="Apple-interchange-newline">';

const HOSTILE_HTML = '<div onclick="alert(1)">قبل <img src=x onerror="alert(1)"><a href="javascript:alert(1)">اضغط هنا</a>' +
  '<script>alert(1)</script><iframe src="https://evil.example/"></iframe><svg onload="alert(1)"><text>x</text></svg></div>' +
  '<table><tr><td>خلية أولى</td><td><p>خلية <u>ثانية</u></p></td></tr></table><div><div>داخلية</div></div>' +
  '<font color=red>أحمر</font><img src="data:image/png;base64,AAAA" alt="لصقة"><img src="https://images.example/ok.png" alt="صورة" class="x" width="10">';

test('pasted Word, Google Docs and hostile HTML is cleaned to the allow-list', async () => {
  const { page: p, errors } = await open('/newsroom/articles/42', 1280);
  const clean = (html) => p.evaluate((h) => window.NashirEditor.cleanPastedHtml(h), html);

  const word = await clean(WORD_HTML);
  for (const junk of ['mso', 'Mso', 'o:p', '<!--', 'style=', 'class=', '<span', '<font', 'xml', 'Symbol', '·', 'file:', 'v:', '_ftn', '_Toc', 'lang=', '<h1', '\u200B', '&nbsp;']) {
    assert.ok(!word.includes(junk), `Word junk ${JSON.stringify(junk)} survived:\n${word}`);
  }
  assert.equal(word,
    '<p dir="auto"><strong>أعلنت</strong> الحكومة اليوم عن <em>خطة</em> جديدة</p>' +
    '<ul><li dir="auto">البند الأول</li><li dir="auto">البند الثاني</li></ul>' +
    '<p dir="auto"><a href="https://example.com/report">التقرير الكامل</a> و[1]</p>' +
    '<h2 dir="auto">عنوان من وورد</h2>');

  const docs = await clean(DOCS_HTML);
  assert.equal(docs,
    '<h2 dir="auto">عنوان التقرير</h2>' +
    '<p dir="auto"><strong>نص غامق</strong><em> ونص مائل</em> وعادي.</p>' +
    '<ul><li dir="auto">نقطة أولى</li></ul>' +
    '<p dir="auto"><a href="https://www.google.com/url?q=https://example.org/&amp;sa=D">English link</a></p>');

  const hostile = await clean(HOSTILE_HTML);
  for (const bad of ['onclick', 'onerror', 'onload', 'javascript:', '<script', '<iframe', '<svg', 'data:', '<table', '<td', '<div', '<u>', '<font', 'width=', 'class=']) {
    assert.ok(!hostile.includes(bad), `${bad} survived:\n${hostile}`);
  }
  for (const text of ['قبل', 'اضغط هنا', 'خلية أولى', 'خلية ثانية', 'داخلية', 'أحمر']) assert.ok(hostile.includes(text), `lost ${text}: ${hostile}`);
  assert.ok(hostile.includes('<img src="https://images.example/ok.png" alt="صورة">'), hostile);

  // Inline-only HTML stays inline (it lands inside the paragraph at the caret).
  assert.equal(await clean('<span style="font-weight:bold">عاجل</span>: نص'), '<strong>عاجل</strong>: نص');

  // Real paste events into the surface: Google Docs HTML at the end of a paragraph, then
  // plain text with lines in a new paragraph, then Word's bold word inside running text,
  // then one line of plain text.
  await caretIn(p, 'المسودة');
  await paste(p, { 'text/html': DOCS_HTML, 'text/plain': 'ignored when HTML is there' });
  await p.keyboard.press('Enter');
  await pasteText(p, 'سطر أول\r\nسطر ثانٍ\n\n');
  await selectWord(p, 'قديم');
  await paste(p, { 'text/html': '<meta charset="utf-8"><b style="mso-bidi-font-weight:normal"><span lang=AR-SA style="font-size:14pt">جديد</span></b>' });
  await selectWord(p, 'المالية');
  await pasteText(p, 'الاقتصاد\u200B');
  // Lines pasted inside a paragraph split it: the lines come between its halves.
  await selectWord(p, 'يعلن');
  await p.evaluate(() => getSelection().collapseToEnd());
  await pasteText(p, 'أ\nب');
  const html = await bodyValue(p);
  assert.match(html, /^<p dir="auto">وزير الاقتصاد يعلن<\/p>\n<p dir="auto">أ<\/p>\n<p dir="auto">ب<\/p>\n<p dir="auto">موازنة العام الجديد<\/p>\n/, html);
  assert.match(html, /<h2 dir="auto">عنوان التقرير<\/h2>/, html);
  assert.match(html, /<ul><li dir="auto">نقطة أولى<\/li><\/ul>/, html);
  assert.match(html, /<p dir="auto">سطر أول<\/p>\n<p dir="auto">سطر ثانٍ<\/p>/, html);
  assert.match(html, /<p dir="auto">نص <strong>جديد<\/strong> من المسودة/, html);
  assert.doesNotMatch(html, /docs-internal|style=|<span|<b[ >]/, html);
  await assertTidy(p, html);
  await assertClean(p, errors);
  await p.close();
});

test('a native Backspace joining paragraphs leaves no span in the stored HTML', async () => {
  const { page: p, errors } = await open('/newsroom/articles/42', 1280);
  await caretIn(p, 'قديم', false);
  await p.keyboard.press('Backspace');
  const html = await bodyValue(p);
  assert.equal(html, '<p dir="auto">وزير المالية يعلن موازنة العام الجديدنص قديم من المسودة</p>');
  await assertTidy(p, html);
  await assertClean(p, errors, { chromiumEditingStyles: true });
  await p.close();
});

test('autosave posts changes every 5 s with the CSRF token; beacons on hide and on leaving', async () => {
  const { page: p, errors } = await open('/newsroom/articles/42?page=autosave', 1280);
  const mine = () => autosaves('autosave');
  // Opening the article saves nothing.
  await p.waitForTimeout(5600);
  assert.equal(mine().length, 0, 'autosave without changes');

  await p.fill('#title', 'الموازنة الجديدة: التفاصيل');
  await caretIn(p, 'المسودة');
  await p.keyboard.type(' وتعديل جديد');
  const changedAt = Date.now();
  const save = await waitFor(() => mine()[0], AUTOSAVE_WAIT_MS, 'an autosave POST');
  assert.ok(save.at - changedAt < AUTOSAVE_WAIT_MS, `autosave came ${save.at - changedAt} ms after the change`);
  // Url-encoded, the only body the newsroom's form parser reads (a FormData body would be
  // multipart and read as an empty form).
  assert.match(save.headers['content-type'], /^application\/x-www-form-urlencoded/);
  assert.equal(save.headers['x-csrf-token'], TOKEN);
  assert.deepEqual(Object.keys(save.fields).sort(), ['body', 'csrf_token', 'excerpt', 'title', 'version']);
  assert.equal(save.fields.csrf_token, TOKEN);
  assert.equal(save.fields.version, '3');
  assert.equal(save.fields.title, 'الموازنة الجديدة: التفاصيل');
  assert.equal(save.fields.excerpt, 'ملخص قصير');
  assert.match(save.fields.body, /<p dir="auto">نص قديم من المسودة وتعديل جديد<\/p>/);
  await p.waitForFunction(() => /^حُفظت المسودة تلقائياً في \d\d:\d\d$/.test(document.querySelector('[data-autosave-status]').textContent));
  // The server's new version is adopted, so the final save will not look stale.
  assert.equal(await p.inputValue('input[name="version"]'), '4');

  // Hidden tab: pending changes go by beacon (no headers possible: the token is a field).
  await p.keyboard.type(' ثم إضافة');
  await p.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
    delete document.visibilityState;
  });
  const beacon = await waitFor(() => mine().find((x) => x.at > save.at && x.fields.body.includes('ثم إضافة')), 3000, 'a beacon on visibilitychange');
  assert.equal(beacon.headers['x-csrf-token'], undefined);
  assert.match(beacon.headers['content-type'], /^application\/x-www-form-urlencoded/);
  assert.equal(beacon.fields.csrf_token, TOKEN);
  assert.equal(beacon.fields.version, '4');

  // Leaving the page: pagehide sends what is pending.
  await p.keyboard.type(' وأخيراً');
  await assertClean(p, errors);
  await p.goto('about:blank');
  const last = await waitFor(() => mine().find((x) => x.fields.body.includes('وأخيراً')), 3000, 'a beacon on pagehide');
  assert.equal(last.fields.csrf_token, TOKEN);
  assert.match(last.fields.body, /نص قديم من المسودة وتعديل جديد ثم إضافة وأخيراً<\/p>/);
  await p.close();
});

test('delete confirmations, and the submit carries the synced HTML with no autosave during it', async () => {
  const { page: p, errors } = await open('/newsroom/articles/42?page=submit', 1280);
  const dialogs = answerDialogs(p, [false, false]);
  const postsBefore = fixture.posts.length;

  await p.click('button[value="delete"]');
  await p.click('form[data-confirm] button');
  await p.waitForTimeout(300);
  assert.deepEqual(dialogs.map((d) => [d.type, d.message]), [['confirm', 'حذف المقالة نهائياً؟'], ['confirm', 'إلغاء نشر المقالة؟']]);
  assert.equal(fixture.posts.length, postsBefore, 'a refused confirmation still submitted');

  await caretIn(p, 'وزير');
  await p.keyboard.type(' اليوم');
  const clickedAt = Date.now();
  await p.click('button[value="save"]');
  // The server holds the save for 6 s: longer than the autosave interval.
  const submit = await waitFor(() => fixture.posts.find((x) => x.path === '/newsroom/articles/42' && x.at >= clickedAt), 8000, 'the form POST');
  assert.equal(submit.fields.action, 'save');
  assert.equal(submit.fields.csrf_token, TOKEN);
  assert.match(submit.headers['content-type'], /^application\/x-www-form-urlencoded/);
  // Browsers send a textarea's line breaks as CRLF.
  assert.equal(submit.fields.body.replace(/\r\n/g, '\n'),
    '<p dir="auto">وزير المالية يعلن موازنة العام الجديد اليوم</p>\n<p dir="auto">نص قديم من المسودة</p>');
  await p.waitForSelector('text=حُفظت المقالة.', { timeout: 10000 });
  assert.deepEqual(autosaves('submit').filter((x) => x.at >= clickedAt), [], 'autosave or beacon during the submit');
  await assertClean(p, errors);
  await p.close();
});

test('newsroom pages fit a 390 px phone and a desktop, in light and dark', async () => {
  for (const scheme of ['light', 'dark']) {
    for (const [path, name] of [['/newsroom/articles', 'list'], ['/newsroom/login', 'login'], ['/newsroom/articles/42', 'editor']]) {
      for (const width of [390, 1280]) {
        const { page: p, errors } = await open(path, width);
        await p.emulateMedia({ colorScheme: scheme });
        assert.ok(await noSidewaysScroll(p), `${name} scrolls sideways at ${width} px (${scheme})`);
        if (name === 'list') {
          // Phones: rows are cards labelled by data-label; desktops: a table.
          const shape = await p.evaluate(() => {
            const td = document.querySelector('.nr-table td');
            return [getComputedStyle(td.parentElement).display, getComputedStyle(td).display, getComputedStyle(td, '::before').content];
          });
          assert.deepEqual(shape, width === 390 ? ['block', 'flow-root', '"العنوان"'] : ['table-row', 'table-cell', 'none']);
        }
        if (name === 'editor') {
          const [size, lineHeight] = await p.locator('.rte-surface').evaluate((s) => [getComputedStyle(s).fontSize, getComputedStyle(s).lineHeight]);
          assert.deepEqual([size, lineHeight], ['18px', '32.4px']);
          // A long unbroken address typed into the article still wraps.
          await caretIn(p, 'المسودة');
          await p.keyboard.type(' https://example.com/' + 'a'.repeat(120));
          assert.ok(await noSidewaysScroll(p), `editor with a long URL scrolls sideways at ${width} px`);
          // The toolbar stays at the top of the screen while a long article scrolls under it.
          await pasteText(p, Array.from({ length: 30 }, (_, i) => `فقرة رقم ${i + 1}`).join('\n'));
          await p.evaluate(() => {
            const s = document.querySelector('.rte-surface');
            window.scrollTo(0, s.getBoundingClientRect().top + window.scrollY + 120);
          });
          const top = await p.locator('.rte-toolbar').evaluate((t) => t.getBoundingClientRect().top);
          assert.ok(Math.abs(top) < 1, `toolbar top ${top}`);
          await p.evaluate(() => window.scrollTo(0, 0));
        }
        if (scheme === 'dark') {
          assert.equal(await p.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(18, 19, 21)');
        }
        await p.screenshot({ path: join(artifacts, `newsroom-${name}-${width}${scheme === 'dark' ? '-dark' : ''}.png`), fullPage: true });
        await assertClean(p, errors);
        await p.close();
      }
    }
  }
});

test('without JavaScript the body is a plain textarea', async () => {
  const noScript = await launch({ javaScriptEnabled: false });
  try {
    const p = await noScript.newPage();
    await p.setViewportSize({ width: 390, height: 844 });
    await p.goto(fixture.url + '/newsroom/articles/42');
    assert.ok(await p.locator('#body').isVisible());
    assert.equal(await p.locator('.rte-toolbar, .rte-surface').count(), 0);
    assert.equal(await p.inputValue('#body'), STORED_BODY);
    assert.ok(await noSidewaysScroll(p));
  } finally {
    await noScript.close();
  }
});
