// The media library in a real browser: an editor saves an article, opens the library from
// the editor, uploads a photo with its alt text through the plain file input, waits while
// its sizes are made, makes it the featured photo, puts it in the text from the editor's
// library dialog and publishes; readers get a <picture>
// whose WebP file the browser chose and loaded.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { addUser, logIn, startDemo } from './server.mjs';
import { launch, artifacts } from './browser.mjs';

let server;
let data;

function crc32(bytes) {
  let crc = 0xffffffff;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

// A drawn PNG: a sky gradient over a dark river, width × height.
function drawnPng(width, height) {
  const rows = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      const river = y > height * 0.6;
      row[1 + x * 3] = river ? 30 : 120 + Math.floor((y / height) * 120);
      row[2 + x * 3] = river ? 60 : 90 + Math.floor((x / width) * 100);
      row[3 + x * 3] = river ? 110 : 200;
    }
    rows.push(row);
  }
  const chunk = (type, body) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(body.length);
    const typed = Buffer.concat([Buffer.from(type), body]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typed));
    return Buffer.concat([len, typed, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  data = mkdtempSync(join(tmpdir(), 'nashir-media-'));
  addUser(data, 'editor@example.com', 'محررة الصور', 'editor');
  server = await startDemo([], { dataDir: data });
});

after(async () => {
  await server?.stop();
  rmSync(data, { recursive: true, force: true });
});

test('an editor uploads a photo in the library and publishes an article with it as the featured photo', async () => {
  const context = await launch();
  try {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.setViewportSize({ width: 1280, height: 900 });
    await logIn(page, server.url, 'editor@example.com');

    await page.goto(server.url + '/newsroom/articles/new');
    const title = 'نهر دجلة عند المساء في صورة جديدة';
    await page.fill('#title', title);
    await page.locator('.rte-surface').click();
    await page.keyboard.type('صورة التقطت عند الغروب.');
    await Promise.all([page.waitForURL(/\/newsroom\/articles\/\d+/), page.click('button[value=save]')]);
    const articleUrl = page.url().split('?')[0];

    await Promise.all([page.waitForURL(/\/newsroom\/media\?pick=/), page.click('text=اختر من مكتبة الصور')]);
    const file = join(data, 'tigris.png');
    writeFileSync(file, drawnPng(1400, 800));
    await page.setInputFiles('#file', file);
    await page.fill('#alt', 'نهر دجلة تحت سماء المساء');
    await page.fill('#credit', 'تصوير: محررة الصور');
    await Promise.all([page.waitForURL(/\/newsroom\/media\/\d+$/), page.click('button:has-text("ارفع")')]);
    // The page follows the work and shows the photo once its sizes are made.
    await page.locator('.nr-media-preview img').waitFor({ state: 'visible', timeout: 60000 });
    await page.screenshot({ path: join(artifacts, 'media-item-1280.png'), fullPage: true });

    await page.goto(server.url + '/newsroom/media?pick=' + articleUrl.split('/').pop());
    const tile = page.locator('.nr-media-tile', { hasText: 'تصوير: محررة الصور' }).first();
    await Promise.all([page.waitForURL((u) => u.pathname.startsWith('/newsroom/articles/')), tile.locator('button:has-text("اجعلها الصورة البارزة")').click()]);
    assert.ok(await page.locator('.nr-featured img').isVisible(), 'the editor shows the featured photo');
    // The same photo in the text, from the editor's library dialog.
    await page.locator('.rte-surface').click();
    await page.keyboard.press('End');
    await page.click('.rte-toolbar [data-command="library"]');
    const choice = page.locator('dialog.rte-library li button').first();
    await choice.waitFor({ state: 'visible' });
    await choice.click();
    assert.match(await page.locator('#body').inputValue(), /<figure><img src="\/media\/[0-9a-f]{20}\/(1280|full)\.png" alt="نهر دجلة تحت سماء المساء"><\/figure>/);
    await Promise.all([page.waitForURL(/saved|\/newsroom\/articles\/\d+/), page.click('button[value=publish]')]);

    const id = articleUrl.split('/').pop();
    await page.goto(server.url + '/news/' + id);
    const img = page.locator('.article__image picture img');
    await img.waitFor({ state: 'visible' });
    const loaded = await img.evaluate((el) => ({ natural: el.naturalWidth, current: el.currentSrc, alt: el.alt, srcset: el.getAttribute('srcset') }));
    assert.ok(loaded.natural > 0, 'the photo loaded');
    assert.match(loaded.current, /\.webp$/, `Chromium chose the WebP file: ${loaded.current}`);
    assert.equal(loaded.alt, 'نهر دجلة تحت سماء المساء');
    assert.match(loaded.srcset, / 640w/);
    assert.ok((await page.locator('.article__image figcaption').textContent()).includes('تصوير: محررة الصور'));
    const inText = page.locator('.article__body figure img');
    assert.ok(await inText.evaluate((el) => el.complete && el.naturalWidth > 0), 'the photo in the text loaded');
    await page.screenshot({ path: join(artifacts, 'article-photo-1280.png') });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
