/* Nashir newsroom: right-to-left rich-text editor, paste cleaner, autosave and delete
   confirmations.

   Loaded as a classic deferred script under `script-src 'self'`: no modules, no build step,
   no inline handlers, no eval, no style attributes written from strings. Without JavaScript
   the form still works: the textarea holds the article's HTML and the server sanitizes it.
   With JavaScript the textarea is hidden (it stays in the form and is what gets submitted)
   and a contenteditable surface edits the same HTML; the textarea is kept in sync.

   Chromium's document.execCommand is deprecated but still the only way to get native undo
   and IME-friendly editing, so formatting goes through it where Chromium does the right
   thing; where it does not (figures, leaving a quotation, lists nested inside <p>) small
   Range/DOM fixes follow. */
(function () {
  'use strict';

  // ---------------------------------------------------------------------------------------
  // Vocabulary

  /** What a paste may bring: the news basics. Clipboard HTML (Word, Google Docs, web pages)
      carries far more, nearly all of it junk. The image button's <figure> is included so
      figures copied from an article paste back as figures. */
  const PASTE = {
    tags: new Set([
      'p', 'h2', 'h3', 'h4', 'strong', 'em', 'a', 'blockquote', 'ul', 'ol', 'li', 'br', 'img',
      'figure', 'figcaption',
    ]),
    attributes: { a: ['href'], img: ['src', 'alt'] },
    generic: [],
    /** h1 is the page title, so pasted h1s step down; h5/h6 step up to the smallest kept. */
    rename: { b: 'strong', i: 'em', h1: 'h2', h5: 'h4', h6: 'h4' },
    /** Relative addresses in a clipboard point at some other site: dropped. */
    relative: false,
  };
  /** What the stored article may hold: the server's allow-list (nashir-core sanitize.rs).
      Loading and saving use it, so opening an imported article and saving it keeps its
      tables, relative links and the rest; only paste is held to the short list above.
      div is left out on purpose: it becomes <p> (or is unwrapped), as for pastes. */
  const STORED = {
    tags: new Set([
      ...PASTE.tags, 'h5', 'h6', 'u', 's', 'sub', 'sup', 'q', 'cite', 'table', 'thead', 'tbody',
      'tfoot', 'tr', 'th', 'td', 'caption', 'pre', 'code', 'hr', 'span', 'bdi', 'abbr',
    ]),
    attributes: {
      a: ['href', 'title'], img: ['src', 'alt', 'width', 'height', 'title'],
      th: ['colspan', 'rowspan', 'scope'], td: ['colspan', 'rowspan'], abbr: ['title'], hr: ['class'],
    },
    generic: ['dir', 'lang'],
    rename: { b: 'strong', i: 'em', h1: 'h2' },
    relative: true,
  };
  /** Removed with their content: not text a reporter meant to paste. */
  const DROP = new Set([
    'script', 'style', 'meta', 'link', 'xml', 'title', 'head', 'template', 'iframe', 'frame',
    'frameset', 'object', 'embed', 'noscript', 'svg', 'math', 'canvas', 'video', 'audio',
    'source', 'track', 'map', 'input', 'select', 'textarea', 'button', 'option', 'datalist',
  ]);
  /** Block containers that, when not allowed, become a <p> if they hold only inline
      content (else they are unwrapped). */
  const CONTAINERS = new Set([
    'div', 'section', 'article', 'header', 'footer', 'main', 'aside', 'nav', 'center',
    'address', 'td', 'th', 'caption', 'dd', 'dt', 'pre', 'hgroup', 'details', 'summary',
    'form', 'fieldset', 'legend',
  ]);
  /** Block-level elements (never wrapped into a <p>). */
  const BLOCKS = new Set([
    'p', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'ul', 'ol', 'li', 'figure', 'figcaption',
    'div', 'table', 'pre', 'hr',
  ]);
  /** Kept even when empty: void elements and table structure (an empty cell is a cell). */
  const KEEP_EMPTY = new Set(['br', 'img', 'hr', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'caption']);
  /** Blocks whose text direction is decided by their own first strong character. */
  const DIR_AUTO = 'p, h2, h3, h4, h5, h6, blockquote, li, figcaption, div';
  /** Zero-width and bidi-override junk. ZWNJ/ZWJ (U+200C/D) and LRM/RLM (U+200E/F) are kept:
      they carry meaning in Arabic and Persian text. Embeddings/overrides (U+202A–E) are
      dropped: unbalanced ones scramble the rest of the paragraph (and RLO can spoof text). */
  const JUNK_CHARS = /[\u200B\u2060\uFEFF\u202A-\u202E]/g;
  const LINK_SCHEMES = ['http:', 'https:', 'mailto:'];
  const IMAGE_SCHEMES = ['http:', 'https:'];

  /** The interface strings in Arabic: what shows when the page gives none of its own. The
      newsroom's editor page gives them in the site's language, from the theme's
      locales/LANG/newsroom.ftl, as a JSON block (`<script type="application/json"
      id="nr-editor-strings">`); a site theme's editor page without that block gets these. */
  const ARABIC = {
    saving: 'جارٍ الحفظ التلقائي…',
    /** `{time}` is replaced by the time of the save. */
    saved: 'حُفظت المسودة تلقائياً في {time}',
    failed: 'تعذّر الحفظ التلقائي',
    conflict: 'تعذّر الحفظ التلقائي: عدّل شخص آخر هذه المقالة؛ انسخ تعديلاتك وأعد تحميل الصفحة',
    session: 'تعذّر الحفظ التلقائي: ربما انتهت الجلسة؛ سجّل الدخول في نافذة أخرى',
    linkPrompt: 'عنوان الرابط (https://… أو mailto:…). اتركه فارغاً لإزالة الرابط:',
    linkInvalid: 'رابط غير صالح: يُقبل فقط ما يبدأ بـ http:// أو https:// أو mailto:',
    imagePrompt: 'رابط الصورة (يبدأ بـ https://):',
    imageInvalid: 'رابط صورة غير صالح: يُقبل فقط ما يبدأ بـ https://',
    altPrompt: 'نص بديل يصف الصورة لمن لا يراها:',
    noFiles: 'لا يمكن لصق الملفات هنا؛ استخدم زر «صورة بالرابط».',
    toolbar: 'أدوات التنسيق',
    paragraph: 'فقرة',
    heading: 'عنوان',
    headingLabel: 'عنوان فرعي',
    bold: 'غامق',
    italic: 'مائل',
    link: 'رابط',
    quote: 'اقتباس',
    ul: '• قائمة',
    ulLabel: 'قائمة نقطية',
    ol: 'قائمة مرقمة',
    olLabel: 'قائمة مرقمة',
    image: 'صورة',
    imageLabel: 'صورة بالرابط',
    library: 'من المكتبة',
    libraryLabel: 'صورة من المكتبة',
    librarySearch: 'ابحث في المكتبة',
    librarySearchPlaceholder: 'ابحث في المكتبة…',
    libraryCancel: 'إلغاء',
    libraryEmpty: 'لا صور جاهزة في المكتبة.',
    libraryFailed: 'تعذّر تحميل المكتبة.',
  };

  /** The page's strings (see ARABIC), read once the page is parsed. */
  let pageStrings = null;
  function pageStringTable() {
    if (pageStrings) return pageStrings;
    let table = {};
    const block = document.getElementById('nr-editor-strings');
    if (block) {
      try {
        const parsed = JSON.parse(block.textContent);
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) table = parsed;
      } catch {
        // A broken block: the Arabic strings.
      }
    }
    // Before the page is parsed the block may still be on its way: read it again later.
    if (document.readyState !== 'loading') pageStrings = table;
    return table;
  }

  /** The interface string `key`: the page's, else the built-in Arabic one. */
  function s(key) {
    const table = pageStringTable();
    const value = Object.prototype.hasOwnProperty.call(table, key) ? table[key] : null;
    return typeof value === 'string' && value !== '' ? value : ARABIC[key];
  }

  /** The toolbar, in order. `text` is the key of what shows; `label` the key of the
      accessible name (both in ARABIC and the page's strings). */
  const BUTTONS = [
    { command: 'paragraph', text: 'paragraph', label: 'paragraph' },
    { command: 'heading', text: 'heading', label: 'headingLabel' },
    { command: 'bold', text: 'bold', label: 'bold', keys: 'B' },
    { command: 'italic', text: 'italic', label: 'italic', keys: 'I' },
    { command: 'link', text: 'link', label: 'link', keys: 'K' },
    { command: 'quote', text: 'quote', label: 'quote' },
    { command: 'ul', text: 'ul', label: 'ulLabel' },
    { command: 'ol', text: 'ol', label: 'olLabel' },
    { command: 'image', text: 'image', label: 'imageLabel' },
    { command: 'library', text: 'library', label: 'libraryLabel' },
  ];
  /** Buttons that reflect the caret's formatting through aria-pressed. */
  const TOGGLES = ['heading', 'bold', 'italic', 'link', 'quote', 'ul', 'ol'];

  // ---------------------------------------------------------------------------------------
  // Small helpers

  /** An absolute URL with an allowed scheme, normalized (percent-encoded, no whitespace), or
      ''. With `relative`, a relative address ("/media/a.jpg", "../x") is kept as written
      when it resolves to an allowed scheme (the server keeps those too). */
  function safeUrl(value, schemes, relative = false) {
    const text = String(value || '').trim();
    if (!text) return '';
    try {
      if (/^[a-z][a-z0-9+.\-]*:/i.test(text)) {
        const url = new URL(text);
        return schemes.includes(url.protocol) ? url.href : '';
      }
      if (!relative) return '';
      return schemes.includes(new URL(text, window.location.href).protocol) ? text : '';
    } catch {
      return '';
    }
  }

  /** What a person typed into a prompt, made into a URL: bare domains get https://, bare
      e-mail addresses get mailto: (people type "example.com" under time pressure). */
  function urlFromPerson(input, schemes) {
    let value = String(input || '').trim();
    if (!value) return '';
    const hasScheme = /^[a-z][a-z0-9+.-]*:/i.test(value);
    if (!hasScheme && schemes.includes('mailto:') && /^[^\s@/]+@[^\s@/]+\.[^\s@/]+$/.test(value)) {
      value = 'mailto:' + value;
    } else if (!hasScheme && /^(www\.)?[^\s/:@]+\.[^\s/:@]{2,}([/?#]|$)/i.test(value)) {
      value = 'https://' + value;
    }
    return safeUrl(value, schemes);
  }

  /** CSS declarations of a style attribute, lower-cased, `!important` dropped. Parsed by hand
      because the attribute belongs to an inert document and Word's CSS is not always valid.
      (`data-nr-style` is the style attribute renamed by defuse(), below.) */
  function styleOf(el) {
    const map = new Map();
    for (const decl of (el.getAttribute('data-nr-style') || el.getAttribute('style') || '').split(';')) {
      const colon = decl.indexOf(':');
      if (colon > 0) {
        map.set(
          decl.slice(0, colon).trim().toLowerCase(),
          decl.slice(colon + 1).replace(/!important/i, '').trim().toLowerCase(),
        );
      }
    }
    return map;
  }

  /** true = bold, false = explicitly not bold, null = unsaid. */
  function boldness(style) {
    const value = style.get('font-weight');
    if (!value) return null;
    if (value === 'bold' || value === 'bolder') return true;
    if (value === 'normal' || value === 'lighter') return false;
    const weight = parseInt(value, 10);
    return Number.isFinite(weight) ? weight >= 600 : null;
  }

  function italicness(style) {
    const value = style.get('font-style');
    if (!value) return null;
    return value.startsWith('italic') || value.startsWith('oblique');
  }

  /** Visible text (whitespace, including no-break spaces, does not count). */
  function hasText(node) {
    return /\S/.test(node.textContent || '');
  }

  function hasContent(el) {
    return hasText(el) || !!el.querySelector('img');
  }

  function isBlock(node) {
    return node.nodeType === Node.ELEMENT_NODE && BLOCKS.has(node.localName);
  }

  function hasBlockChild(el) {
    return Array.from(el.children).some((child) => BLOCKS.has(child.localName));
  }

  function unwrap(el) {
    el.replaceWith(...el.childNodes);
  }

  function rename(el, name) {
    const renamed = el.ownerDocument.createElement(name);
    renamed.append(...el.childNodes);
    el.replaceWith(renamed);
    return renamed;
  }

  /** Wraps all children of `el` in a new `name` element (for bold/italic given by CSS). */
  function wrapChildren(el, name) {
    const wrapper = el.ownerDocument.createElement(name);
    wrapper.append(...el.childNodes);
    el.append(wrapper);
  }

  function isWhitespaceText(node) {
    return node.nodeType === Node.TEXT_NODE && !/\S/.test(node.data);
  }

  // ---------------------------------------------------------------------------------------
  // The cleaner. Pasted HTML never touches the live document: it is parsed by DOMParser into
  // an inert document (no scripts run, no images load), cleaned there, serialized, and only
  // the clean string is inserted.

  const STYLE_ELEMENT = /<style(?=[\s/>])[^>]*>[\s\S]*?(?:<\/style\s*>|$)/gi;

  /** Chromium checks even an inert DOMParser document against the page's CSP: every
      <style> element, style="…" and on…="…" attribute in pasted HTML would log a violation
      (nothing runs, but the console fills with errors). So before parsing, <style> blocks
      are removed and, inside start tags only, `style` is renamed `data-nr-style` (still read
      for bold/italic/Word lists) and `on…` handlers `data-nr-on…` (dropped later with all
      other attributes). A linear, quote-aware scan of tags: text is never touched. */
  function defuse(html) {
    html = html.replace(STYLE_ELEMENT, '');
    const n = html.length;
    const tagStart = /<[a-zA-Z]/g;
    let out = '';
    let copied = 0;
    let match;
    while ((match = tagStart.exec(html))) {
      let j = match.index + 1;
      while (j < n && !/[\s/>]/.test(html[j])) j++; // tag name
      while (j < n) {
        while (j < n && /[\s/]/.test(html[j])) j++;
        if (j >= n || html[j] === '>') break;
        const nameStart = j;
        j++; // a name may start with "=" (the tokenizer allows it)
        while (j < n && !/[\s/>=]/.test(html[j])) j++;
        const name = html.slice(nameStart, j).toLowerCase();
        if (name === 'style' || name.startsWith('on')) {
          out += html.slice(copied, nameStart) + 'data-nr-' + name;
          copied = j;
        }
        while (j < n && /\s/.test(html[j])) j++;
        if (html[j] !== '=') continue;
        j++;
        while (j < n && /\s/.test(html[j])) j++;
        const quote = html[j];
        if (quote === '"' || quote === "'") {
          const end = html.indexOf(quote, j + 1);
          j = end < 0 ? n : end + 1;
        } else {
          while (j < n && !/[\s>]/.test(html[j])) j++;
        }
      }
      tagStart.lastIndex = j;
    }
    return out + html.slice(copied);
  }

  /** Word marks list paragraphs with `mso-list` styles and draws the bullet as text inside
      a `mso-list:Ignore` span. Turn runs of such paragraphs into real lists before cleaning
      drops the styles that identify them. Nesting levels are flattened. */
  function convertWordLists(root) {
    const doc = root.ownerDocument;
    const items = Array.from(root.querySelectorAll('[data-nr-style*="mso-list" i]')).filter((el) => {
      const value = styleOf(el).get('mso-list') || '';
      return value && value !== 'ignore' && el.localName === 'p';
    });
    for (const item of items) {
      let marker = '';
      for (const span of item.querySelectorAll('[data-nr-style*="mso-list" i]')) {
        if (styleOf(span).get('mso-list') === 'ignore') {
          marker += span.textContent;
          span.remove();
        }
      }
      // "1." "أ)" "iv." and the like are ordered; "·" "o" "§" (Symbol/Wingdings bullets) are not.
      const ordered = /^\s*\(?([0-9\u0660-\u0669\u06F0-\u06F9]+|[a-z]|[ivxlc]+|[\u0621-\u064A])[.)\-]/i.test(marker);
      const type = ordered ? 'ol' : 'ul';
      let previous = item.previousSibling;
      while (previous && (isWhitespaceText(previous) || previous.nodeType === Node.COMMENT_NODE)) {
        previous = previous.previousSibling;
      }
      let list = previous && previous.localName === type && previous.hasAttribute('data-word-list') ? previous : null;
      if (!list) {
        list = doc.createElement(type);
        list.setAttribute('data-word-list', '');
        item.before(list);
      }
      list.append(rename(item, 'li'));
    }
  }

  /** Cleans the children of `parent`, depth first (children are final before their parent). */
  function cleanChildren(parent, profile) {
    for (const child of Array.from(parent.childNodes)) cleanNode(child, profile);
  }

  function cleanNode(node, profile) {
    if (node.nodeType === Node.TEXT_NODE) {
      let text = node.data.replace(JUNK_CHARS, '');
      // Line breaks in HTML source are spaces; a no-break space from Word or from Chromium's
      // own editing is a space too (it would glue words and clutter stored HTML and diffs).
      // Preformatted text keeps its spacing.
      if (!(profile.tags.has('pre') && node.parentElement && node.parentElement.closest('pre'))) {
        text = text.replace(/[\r\n\t\u00A0]/g, ' ').replace(/ {2,}/g, ' ');
      }
      if (text !== node.data) node.data = text;
      if (!text) node.remove();
      return;
    }
    // Comments go, and with them Word's conditional comments (<!--[if gte mso 9]>…) and
    // the "downlevel-revealed" <![if !supportLists]> markers, which parse as comments too.
    if (node.nodeType !== Node.ELEMENT_NODE) {
      node.remove();
      return;
    }
    const el = node;
    const name = el.localName;
    // <o:p> holds Word's empty-paragraph &nbsp;; v:* is VML drawing. Other prefixed tags
    // (st1:place, w:sdt …) wrap real text and are unwrapped below.
    if (DROP.has(name) || name === 'o:p' || name.startsWith('v:')) {
      el.remove();
      return;
    }
    const style = styleOf(el);
    if (style.get('mso-list') === 'ignore' || style.get('display') === 'none') {
      el.remove();
      return;
    }

    cleanChildren(el, profile);

    const bold = boldness(style);
    const italic = italicness(style);
    let target = profile.rename[name] || name;
    // Google Docs wraps the whole clipboard in <b style="font-weight:normal"
    // id="docs-internal-guid-…">; any b/strong/i/em explicitly styled back to normal is not
    // emphasis either.
    if (/^docs-internal-guid/.test(el.id)) target = null;
    if (target === 'strong' && bold === false) target = null;
    if (target === 'em' && italic === false) target = null;
    if (CONTAINERS.has(target) && !profile.tags.has(target)) target = hasBlockChild(el) ? null : 'p';
    if (target === 'figure' && !el.querySelector('img')) target = hasBlockChild(el) ? null : 'p';
    if (target === 'figcaption' && (!el.parentElement || el.parentElement.localName !== 'figure')) target = 'p';

    // Bold and italic said with CSS (Google Docs, Word, copied web pages) become markup.
    if (bold === true && target !== 'strong' && hasText(el)) wrapChildren(el, 'strong');
    if (italic === true && target !== 'em' && hasText(el)) wrapChildren(el, 'em');

    if (!target || !profile.tags.has(target)) {
      unwrap(el);
      return;
    }

    // Only the profile's attributes survive (never style, class but hr's, id, on*…), in their
    // original order so revisions diff cleanly; addresses are checked.
    const keep = new Set([...(profile.attributes[target] || []), ...profile.generic]);
    const kept = [];
    for (const attr of Array.from(el.attributes)) {
      if (!keep.has(attr.name)) continue;
      let value = attr.value.replace(JUNK_CHARS, '');
      if (attr.name === 'href') value = safeUrl(value, LINK_SCHEMES, profile.relative);
      else if (attr.name === 'src') value = safeUrl(value, IMAGE_SCHEMES, profile.relative);
      else if (attr.name === 'alt') value = value.trim();
      if (value || attr.name === 'alt') kept.push([attr.name, value]);
    }
    const out = target === name ? el : rename(el, target);
    for (const attr of Array.from(out.attributes)) out.removeAttribute(attr.name);
    for (const [attrName, value] of kept) out.setAttribute(attrName, value);
    if (target === 'a' && !out.hasAttribute('href')) {
      // Anchors without a usable href (Word bookmarks, javascript:, foreign relative) keep
      // their text.
      unwrap(out);
    } else if (target === 'img') {
      // file:///C:/… from Word, data: screenshots, blob: — none would work on the site.
      if (!out.hasAttribute('src')) out.remove();
      else if (!out.hasAttribute('alt')) out.setAttribute('alt', '');
    } else if (target === 'span' && !out.attributes.length) {
      // A span is only worth keeping for its language or direction (<span lang="en">).
      unwrap(out);
    }
  }

  /** Structure fixes after the element-by-element pass. `inlineAllowed`: a paste of only
      inline content stays inline (so it lands inside the paragraph at the caret). */
  function finishTree(root, inlineAllowed) {
    // Google Docs puts <p> inside every <li>; a list item is already a paragraph.
    for (const p of Array.from(root.querySelectorAll('li > p'))) {
      const next = p.nextElementSibling;
      if (next && next.localName === 'p') p.after(p.ownerDocument.createElement('br'));
      unwrap(p);
    }
    // Orphan list items (a copied fragment of a list) become paragraphs.
    for (const li of Array.from(root.querySelectorAll('li'))) {
      const parent = li.parentElement;
      if (!parent || (parent.localName !== 'ul' && parent.localName !== 'ol')) rename(li, 'p');
    }
    // Emphasis inside emphasis, links inside links, bold inside headings: redundant.
    for (const el of Array.from(root.querySelectorAll('strong strong, h2 strong, h3 strong, h4 strong, em em, a a'))) {
      unwrap(el);
    }
    // An inline element around blocks (e.g. <a><p>…</p></a>) cannot stay; keep the blocks.
    for (const el of Array.from(root.querySelectorAll('strong, em, a'))) {
      if (el.isConnected && el.querySelector('p, h2, h3, h4, h5, h6, blockquote, ul, ol, li, figure, table, pre, hr')) unwrap(el);
    }
    // Headings and paragraphs holding blocks (after unwrapping) are split around them.
    for (const el of Array.from(root.querySelectorAll('p, h2, h3, h4, h5, h6'))) {
      if (el.isConnected && hasBlockChild(el)) liftBlocks(el);
    }
    // Empty elements go, deepest first; trailing <br>s of non-empty blocks go.
    const all = Array.from(root.querySelectorAll('*')).reverse();
    for (const el of all) {
      if (!el.isConnected) continue;
      const name = el.localName;
      if (KEEP_EMPTY.has(name)) continue;
      if (!hasContent(el)) {
        el.remove();
        continue;
      }
      if (BLOCKS.has(name) && name !== 'pre') {
        let last = el.lastChild;
        while (last && (isWhitespaceText(last) || (last.nodeType === Node.ELEMENT_NODE && last.localName === 'br'))) {
          const prev = last.previousSibling;
          last.remove();
          last = prev;
        }
        trimEdges(el);
      }
    }
    wrapInlineRuns(root, inlineAllowed);
    for (const quote of Array.from(root.querySelectorAll('blockquote'))) wrapInlineRuns(quote, true);
    for (const el of root.querySelectorAll(DIR_AUTO)) el.setAttribute('dir', 'auto');
  }

  /** Removes leading and trailing spaces inside a block (they come from source formatting). */
  function trimEdges(block) {
    const first = block.firstChild;
    if (first && first.nodeType === Node.TEXT_NODE) {
      first.data = first.data.replace(/^\s+/, '');
      if (!first.data) first.remove();
    }
    const last = block.lastChild;
    if (last && last.nodeType === Node.TEXT_NODE) {
      last.data = last.data.replace(/\s+$/, '');
      if (!last.data) last.remove();
    }
  }

  /** Replaces a paragraph/heading that contains blocks by those blocks, with the inline
      runs around them kept as paragraphs/headings of the same kind. */
  function liftBlocks(el) {
    const doc = el.ownerDocument;
    let run = null;
    for (const child of Array.from(el.childNodes)) {
      if (isBlock(child)) {
        run = null;
        el.before(child);
      } else if (run || !isWhitespaceText(child)) {
        if (!run) {
          run = doc.createElement(el.localName);
          for (const attr of Array.from(el.attributes)) run.setAttribute(attr.name, attr.value);
          el.before(run);
        }
        run.append(child);
      }
    }
    el.remove();
  }

  /** Where `container` holds blocks, consecutive inline nodes become a <p>; runs of only
      whitespace and <br> (Google Docs puts <br> between its blocks) are dropped. */
  function wrapInlineRuns(container, inlineAllowed) {
    const children = Array.from(container.childNodes);
    const mixed = children.some(isBlock);
    if (!mixed && inlineAllowed) return;
    const doc = container.ownerDocument;
    let run = [];
    const flush = (before) => {
      const meaningful = run.some((n) => !(isWhitespaceText(n) || n.localName === 'br'));
      if (meaningful) {
        const p = doc.createElement('p');
        container.insertBefore(p, before);
        p.append(...run);
        trimEdges(p);
      } else {
        for (const n of run) n.remove();
      }
      run = [];
    };
    for (const child of children) {
      if (isBlock(child)) flush(child);
      else run.push(child);
    }
    flush(null);
  }

  /** Cleans HTML. mode 'paste': the short allow-list, and inline-only input stays inline.
      mode 'output' (loading and saving): the server's allow-list; blocks only, one top-level
      block per line (readable revision diffs). */
  function cleanHtml(html, mode) {
    const doc = new DOMParser().parseFromString(defuse(String(html == null ? '' : html)), 'text/html');
    const root = doc.body;
    convertWordLists(root);
    cleanChildren(root, mode === 'paste' ? PASTE : STORED);
    finishTree(root, mode === 'paste');
    if (mode !== 'output') return root.innerHTML;
    return Array.from(root.children, (el) => el.outerHTML).join('\n');
  }

  /** Plain text to paragraphs: blank lines separate paragraphs (single newlines inside them
      become <br>); text without blank lines has one paragraph per line (chat apps, notes). */
  function plainTextToHtml(text) {
    const doc = document.implementation.createHTMLDocument('');
    const normalized = String(text).replace(/\r\n?/g, '\n').replace(JUNK_CHARS, '').trim();
    const blocks = /\n[ \t]*\n/.test(normalized) ? normalized.split(/\n[ \t]*\n+/) : normalized.split('\n');
    for (const block of blocks) {
      if (!/\S/.test(block)) continue;
      const p = doc.createElement('p');
      p.setAttribute('dir', 'auto');
      block.trim().split('\n').forEach((line, i) => {
        if (i) p.append(doc.createElement('br'));
        p.append(doc.createTextNode(line));
      });
      doc.body.append(p);
    }
    return doc.body.innerHTML;
  }

  function figureHtml(src, alt) {
    const doc = document.implementation.createHTMLDocument('');
    const figure = doc.createElement('figure');
    const img = doc.createElement('img');
    img.setAttribute('src', src);
    img.setAttribute('alt', alt);
    figure.append(img);
    return figure.outerHTML;
  }

  // ---------------------------------------------------------------------------------------
  // Selection helpers

  function selectionIn(surface) {
    const sel = window.getSelection();
    if (!sel || !sel.rangeCount) return null;
    const range = sel.getRangeAt(0);
    return surface.contains(range.commonAncestorContainer) ? range : null;
  }

  /** The element at the caret (the anchor's element), or null outside the surface. */
  function caretElement(surface) {
    const range = selectionIn(surface);
    if (!range) return null;
    const node = range.startContainer;
    return node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
  }

  function closestIn(surface, selector) {
    const el = caretElement(surface);
    const found = el && el.closest(selector);
    return found && surface.contains(found) && found !== surface ? found : null;
  }

  function placeCaret(node, offset) {
    const sel = window.getSelection();
    sel.collapse(node, offset);
  }

  /** Inserts HTML at the caret through the editing pipeline (one undo step); falls back to
      Range insertion where insertHTML is unsupported. The HTML is already clean. */
  function insertHtml(html) {
    if (document.execCommand('insertHTML', false, html)) return;
    const sel = window.getSelection();
    if (!sel.rangeCount) return;
    const range = sel.getRangeAt(0);
    range.deleteContents();
    const parsed = new DOMParser().parseFromString(html, 'text/html').body;
    const fragment = document.createDocumentFragment();
    for (const node of Array.from(parsed.childNodes)) fragment.append(document.importNode(node, true));
    const last = fragment.lastChild;
    range.insertNode(fragment);
    if (last) {
      range.setStartAfter(last);
      range.collapse(true);
      sel.removeAllRanges();
      sel.addRange(range);
    }
  }

  // ---------------------------------------------------------------------------------------
  // The editor

  const editors = [];
  let uid = 0;

  function emptyParagraph() {
    const p = document.createElement('p');
    p.setAttribute('dir', 'auto');
    p.setAttribute('data-rte-empty', '');
    p.append(document.createElement('br'));
    return p;
  }

  function attach(textarea) {
    if (textarea.dataset.richEditorReady) return;
    textarea.dataset.richEditorReady = '1';
    const id = ++uid;

    const surface = document.createElement('div');
    surface.className = 'rte-surface';
    surface.id = textarea.id ? `${textarea.id}-surface` : `rte-surface-${id}`;
    surface.contentEditable = 'true';
    surface.setAttribute('dir', 'auto');
    surface.setAttribute('role', 'textbox');
    surface.setAttribute('aria-multiline', 'true');
    surface.spellcheck = true;

    // The <label for=…> names the surface and, clicked, focuses it (the textarea is hidden).
    const labels = Array.from(textarea.labels || []);
    if (labels.length) {
      labels.forEach((label, i) => {
        if (!label.id) label.id = `${surface.id}-label${i ? '-' + i : ''}`;
        label.addEventListener('click', (event) => {
          event.preventDefault();
          surface.focus();
        });
      });
      surface.setAttribute('aria-labelledby', labels.map((l) => l.id).join(' '));
    } else if (textarea.getAttribute('aria-label')) {
      surface.setAttribute('aria-label', textarea.getAttribute('aria-label'));
    }
    // Hints and error messages of the field describe the surface, as they did the textarea.
    for (const attr of ['aria-describedby', 'aria-invalid']) {
      if (textarea.hasAttribute(attr)) surface.setAttribute(attr, textarea.getAttribute(attr));
    }
    // A hidden required control blocks submission with an unfocusable-control error; the
    // server validates the body anyway.
    if (textarea.required) {
      textarea.required = false;
      surface.setAttribute('aria-required', 'true');
    }

    const toolbar = buildToolbar(surface);

    // Start from the textarea's HTML, cleaned the same way as pastes, built in an inert
    // document and imported node by node (never innerHTML on the live page).
    const initial = new DOMParser().parseFromString(cleanHtml(textarea.value, 'output'), 'text/html').body;
    const nodes = Array.from(initial.childNodes, (node) => document.importNode(node, true));
    surface.replaceChildren(...nodes);
    if (!surface.firstElementChild) surface.replaceChildren(emptyParagraph());

    textarea.before(toolbar, surface);
    textarea.hidden = true;

    const editor = { textarea, surface, toolbar, form: textarea.form, savedRange: null, composing: false, internalDrag: false };
    editors.push(editor);

    normalize(editor);
    sync(editor);

    toolbar.addEventListener('click', (event) => {
      const button = event.target.closest('button[data-command]');
      if (!button) return;
      // The clicked button becomes the toolbar's tab stop.
      for (const b of toolbar.querySelectorAll('button')) b.tabIndex = b === button ? 0 : -1;
      run(editor, button.dataset.command);
    });
    surface.addEventListener('input', (event) => {
      // Moving nodes while an IME composes (Arabic keyboards on Android do) breaks the
      // composition; tidy up when it ends.
      if (!event.isComposing && !editor.composing) normalize(editor);
      sync(editor);
      updateToolbar(editor);
    });
    surface.addEventListener('compositionstart', () => { editor.composing = true; });
    surface.addEventListener('compositionend', () => {
      editor.composing = false;
      normalize(editor);
      sync(editor);
    });
    surface.addEventListener('paste', (event) => onPaste(editor, event));
    surface.addEventListener('dragstart', () => { editor.internalDrag = true; });
    surface.addEventListener('dragend', () => { editor.internalDrag = false; });
    surface.addEventListener('dragover', (event) => {
      // Files cannot be dropped in; taking the dragover stops the browser opening the file.
      if (event.dataTransfer && Array.from(event.dataTransfer.types).includes('Files')) event.preventDefault();
    });
    surface.addEventListener('drop', (event) => onDrop(editor, event));
    surface.addEventListener('keydown', (event) => {
      // Ctrl/Cmd+K: link. event.code, because with an Arabic layout event.key is "ن".
      // Ctrl/Cmd+B and +I are left to the browser's native editing.
      if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && (event.code === 'KeyK' || (event.key || '').toLowerCase() === 'k')) {
        event.preventDefault();
        run(editor, 'link');
      }
    });
    return editor;
  }

  function buildToolbar(surface) {
    const toolbar = document.createElement('div');
    toolbar.className = 'rte-toolbar';
    toolbar.setAttribute('role', 'toolbar');
    toolbar.setAttribute('aria-label', s('toolbar'));
    toolbar.setAttribute('aria-controls', surface.id);
    const mac = /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
    BUTTONS.forEach((spec, i) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'rte-button';
      button.dataset.command = spec.command;
      const label = s(spec.label);
      button.textContent = s(spec.text);
      button.setAttribute('aria-label', label);
      button.title = spec.keys ? `${label} (${mac ? '⌘' : 'Ctrl+'}${spec.keys})` : label;
      if (spec.keys) button.setAttribute('aria-keyshortcuts', `Control+${spec.keys} Meta+${spec.keys}`);
      if (TOGGLES.includes(spec.command)) button.setAttribute('aria-pressed', 'false');
      // One tab stop for the whole toolbar; arrow keys move inside it (ARIA toolbar pattern).
      button.tabIndex = i === 0 ? 0 : -1;
      toolbar.append(button);
    });
    // Pressing a button must not take the caret out of the surface.
    toolbar.addEventListener('mousedown', (event) => {
      if (event.target.closest('button')) event.preventDefault();
    });
    toolbar.addEventListener('keydown', (event) => {
      const buttons = Array.from(toolbar.querySelectorAll('button'));
      const current = buttons.indexOf(document.activeElement);
      if (current < 0) return;
      // In a right-to-left toolbar the next button is to the left.
      const rtl = getComputedStyle(toolbar).direction === 'rtl';
      const step = { ArrowLeft: rtl ? 1 : -1, ArrowRight: rtl ? -1 : 1 }[event.key];
      let next = null;
      if (step) next = (current + step + buttons.length) % buttons.length;
      else if (event.key === 'Home') next = 0;
      else if (event.key === 'End') next = buttons.length - 1;
      if (next === null) return;
      event.preventDefault();
      buttons[current].tabIndex = -1;
      buttons[next].tabIndex = 0;
      buttons[next].focus();
    });
    return toolbar;
  }

  /** Live tidying after each input or command, careful with the caret: only attributes
      change, except stray top-level inline content, which is wrapped in a <p> (the text
      nodes survive the move, so the selection is put back on them). */
  function normalize(editor) {
    const { surface } = editor;
    const sel = window.getSelection();
    const saved = sel && sel.rangeCount && surface.contains(sel.anchorNode)
      ? [sel.anchorNode, sel.anchorOffset, sel.focusNode, sel.focusOffset]
      : null;
    let moved = false;

    // Chromium leaves style spans when merging a heading into a paragraph, and copies of
    // its own content carry classes; neither belongs in an article.
    for (const el of surface.querySelectorAll('[style], [class]')) {
      el.removeAttribute('style');
      if (el.localName !== 'hr') el.removeAttribute('class');
    }
    // insertUnorderedList on a <p> nests the list inside the <p>: lift it out.
    for (const el of surface.querySelectorAll('p, h2, h3, h4')) {
      if (el.isConnected && hasBlockChild(el)) {
        liftBlocks(el);
        moved = true;
      }
    }
    // Text typed straight into the surface (after select-all + delete) gets a paragraph.
    let run = null;
    for (const node of Array.from(surface.childNodes)) {
      if (isBlock(node) || (!run && isWhitespaceText(node))) {
        run = null;
        continue;
      }
      if (!run) {
        run = document.createElement('p');
        surface.insertBefore(run, node);
      }
      run.append(node);
      moved = true;
    }
    if (!surface.firstElementChild) {
      surface.replaceChildren(emptyParagraph());
      if (document.activeElement === surface) placeCaret(surface.firstElementChild, 0);
      return;
    }
    for (const el of surface.querySelectorAll(DIR_AUTO)) {
      if (el.getAttribute('dir') !== 'auto') el.setAttribute('dir', 'auto');
      // An empty block with dir=auto resolves to left-to-right (no strong character yet),
      // which would put the caret at the wrong edge; the stylesheet makes these inherit.
      el.toggleAttribute('data-rte-empty', !hasContent(el));
    }
    if (moved && saved && saved.every((x, i) => i % 2 || surface.contains(x))) {
      try {
        sel.setBaseAndExtent(saved[0], saved[1], saved[2], saved[3]);
      } catch {
        // Offsets no longer valid: leave the browser's own caret.
      }
    }
  }

  function serialize(editor) {
    return cleanHtml(editor.surface.innerHTML, 'output');
  }

  function sync(editor) {
    const value = serialize(editor);
    if (editor.textarea.value !== value) editor.textarea.value = value;
  }

  function syncForm(form) {
    for (const editor of editors) if (editor.form === form) sync(editor);
  }

  /** Puts focus and the last known selection back in the surface before a command (a
      toolbar button reached by keyboard has taken focus; prompts may move the selection). */
  function restoreSelection(editor) {
    const { surface } = editor;
    // Read before focusing: focus() on a contenteditable without the selection puts the
    // caret at its start.
    const current = selectionIn(surface);
    let range = current ? current.cloneRange() : null;
    if (!range && editor.savedRange && surface.contains(editor.savedRange.commonAncestorContainer)) {
      range = editor.savedRange;
    }
    if (document.activeElement !== surface) surface.focus({ preventScroll: true });
    const sel = window.getSelection();
    sel.removeAllRanges();
    if (range) {
      sel.addRange(range);
    } else {
      // No selection yet: the end of the text.
      const range = document.createRange();
      const last = surface.lastElementChild || surface;
      range.selectNodeContents(last);
      range.collapse(false);
      sel.addRange(range);
    }
  }

  function run(editor, command) {
    const { surface } = editor;
    restoreSelection(editor);
    switch (command) {
      case 'paragraph': {
        leaveList(surface);
        unquote(surface);
        document.execCommand('formatBlock', false, 'p');
        break;
      }
      case 'heading': {
        document.execCommand('formatBlock', false, closestIn(surface, 'h2') ? 'p' : 'h2');
        break;
      }
      case 'bold':
      case 'italic':
        document.execCommand(command);
        break;
      case 'quote': {
        if (!unquote(surface)) document.execCommand('formatBlock', false, 'blockquote');
        break;
      }
      case 'ul':
      case 'ol':
        toggleList(surface, command);
        break;
      case 'link':
        link(editor);
        break;
      case 'image':
        image(editor);
        break;
      case 'library':
        library(editor);
        return;
      default:
        return;
    }
    normalize(editor);
    sync(editor);
    updateToolbar(editor);
  }

  /** Runs `change` (DOM work that moves nodes but keeps text nodes) and puts the selection
      back on the same text. */
  function keepingSelection(change) {
    const sel = window.getSelection();
    const saved = sel.rangeCount ? [sel.anchorNode, sel.anchorOffset, sel.focusNode, sel.focusOffset] : null;
    change();
    if (!saved || !saved[0].isConnected || !saved[2].isConnected) return;
    try {
      sel.setBaseAndExtent(...saved);
    } catch {
      // Offsets no longer valid; the browser keeps a caret nearby.
    }
  }

  /** The list buttons. Making a list is Chromium's insertUnorderedList/insertOrderedList;
      switching its type and leaving it are DOM work, because Chromium does those by
      re-parsing serialized markup with inline styles, which `style-src 'self'` reports as
      CSP violations (and blocks). */
  function toggleList(surface, type) {
    const li = closestIn(surface, 'li');
    const list = li && li.parentElement;
    if (!list || (list.localName !== 'ul' && list.localName !== 'ol')) {
      document.execCommand(type === 'ol' ? 'insertOrderedList' : 'insertUnorderedList');
    } else if (list.localName !== type) {
      keepingSelection(() => rename(list, type));
    } else {
      leaveList(surface);
    }
  }

  /** Takes the selected items of the caret's list out of it, as paragraphs; the items
      before and after stay lists. */
  function leaveList(surface) {
    const first = closestIn(surface, 'li');
    const list = first && first.parentElement;
    if (!list || (list.localName !== 'ul' && list.localName !== 'ol')) return;
    const range = selectionIn(surface);
    const items = Array.from(list.children).filter((li) => li.localName === 'li' && range && range.intersectsNode(li));
    if (!items.length) return;
    keepingSelection(() => {
      const after = document.createElement(list.localName);
      let node = items[items.length - 1].nextSibling;
      while (node) {
        const next = node.nextSibling;
        after.append(node);
        node = next;
      }
      let anchor = list;
      for (const li of items) {
        const p = rename(li, 'p');
        p.setAttribute('dir', 'auto');
        anchor.after(p);
        anchor = p;
        if (!p.firstChild) p.append(document.createElement('br'));
      }
      if (after.children.length) anchor.after(after);
      if (!list.children.length) list.remove();
    });
  }

  /** Removes the blockquote around the caret, if any. execCommand('outdent') leaves bare text
      and <br>s behind, so this is DOM work: the quotation's content moves out, inline runs
      as paragraphs. Returns whether there was a quotation. */
  function unquote(surface) {
    const quote = closestIn(surface, 'blockquote');
    if (!quote) return false;
    keepingSelection(() => {
      if (hasBlockChild(quote)) {
        wrapInlineRuns(quote, false);
        unwrap(quote);
      } else {
        rename(quote, 'p').setAttribute('dir', 'auto');
      }
    });
    return true;
  }

  function link(editor) {
    const { surface } = editor;
    const range = selectionIn(surface)?.cloneRange() || null;
    const existing = closestIn(surface, 'a');
    const answer = window.prompt(s('linkPrompt'), existing ? existing.getAttribute('href') : '');
    restoreSelection(editor);
    const sel = window.getSelection();
    if (range) {
      sel.removeAllRanges();
      sel.addRange(range);
    }
    if (answer === null) return; // cancelled
    if (existing && !answer.trim()) {
      // Empty answer on a link: remove the link, keep the text.
      const whole = document.createRange();
      whole.selectNodeContents(existing);
      sel.removeAllRanges();
      sel.addRange(whole);
      document.execCommand('unlink');
      return;
    }
    const href = urlFromPerson(answer, LINK_SCHEMES);
    if (!href) {
      window.alert(s('linkInvalid'));
      return;
    }
    if (existing && sel.isCollapsed) {
      // Caret inside a link: change that link's address.
      const whole = document.createRange();
      whole.selectNodeContents(existing);
      sel.removeAllRanges();
      sel.addRange(whole);
      document.execCommand('createLink', false, href);
    } else if (sel.isCollapsed) {
      // Nothing selected: the address itself is the link text (as typed, so Arabic stays
      // readable, not percent-encoded). insertText, then createLink over it: both undoable,
      // and unlike insertHTML into running text, no CSP report (see toggleList).
      const text = answer.trim();
      document.execCommand('insertText', false, text);
      const range = sel.rangeCount ? sel.getRangeAt(0) : null;
      const node = range && range.startContainer;
      const end = range && range.startOffset;
      if (node && node.nodeType === Node.TEXT_NODE && end >= text.length && node.data.slice(end - text.length, end) === text) {
        sel.setBaseAndExtent(node, end - text.length, node, end);
        document.execCommand('createLink', false, href);
        sel.collapseToEnd();
      }
    } else {
      document.execCommand('createLink', false, href);
    }
  }

  function image(editor) {
    const { surface } = editor;
    const range = selectionIn(surface)?.cloneRange() || null;
    const answer = window.prompt(s('imagePrompt'), '');
    if (answer === null || !answer.trim()) return;
    const src = urlFromPerson(answer, ['https:']);
    if (!src) {
      window.alert(s('imageInvalid'));
      return;
    }
    const alt = window.prompt(s('altPrompt'), '');
    if (alt === null) return; // cancelled: no image rather than an image without a description
    insertFigure(editor, range, src, alt.trim());
  }

  /** Puts a figure at `range` (the caret when the dialog opened) as its own block. */
  function insertFigure(editor, range, src, alt) {
    const { surface } = editor;
    restoreSelection(editor);
    const sel = window.getSelection();
    if (range) {
      sel.removeAllRanges();
      sel.addRange(range);
    }
    // insertHTML of a <figure> inside a non-empty paragraph unwraps the figure and splits the
    // words; into an empty paragraph it replaces the paragraph. So: an empty paragraph after
    // the caret's top-level block (unless that block is already empty), then the figure into
    // it, then a paragraph to keep writing in.
    let block = caretElement(surface);
    while (block && block.parentElement !== surface) block = block.parentElement;
    if (!block || hasContent(block) || block.localName !== 'p') {
      const p = emptyParagraph();
      if (block) block.after(p);
      else surface.append(p);
      block = p;
    }
    placeCaret(block, 0);
    insertHtml(figureHtml(src, alt) + '<p dir="auto"><br></p>');
  }

  /** A dialog of the media library's photos: one chosen goes into the text with its alt text. */
  function library(editor) {
    const range = selectionIn(editor.surface)?.cloneRange() || null;
    const source = editor.textarea.dataset.library;
    if (!source) return;
    const dialog = document.createElement('dialog');
    dialog.className = 'rte-library';
    dialog.setAttribute('aria-label', s('libraryLabel'));
    const search = document.createElement('input');
    search.type = 'search';
    search.setAttribute('aria-label', s('librarySearch'));
    search.placeholder = s('librarySearchPlaceholder');
    const list = document.createElement('ul');
    list.className = 'rte-library__list';
    const close = document.createElement('button');
    close.type = 'button';
    close.textContent = s('libraryCancel');
    close.addEventListener('click', () => dialog.close());
    dialog.append(search, list, close);
    dialog.addEventListener('close', () => dialog.remove());
    document.body.append(dialog);
    const load = () => {
      fetch(source + '?q=' + encodeURIComponent(search.value), { credentials: 'same-origin' })
        .then((r) => r.json())
        .then((photos) => {
          list.replaceChildren();
          for (const photo of photos) {
            const li = document.createElement('li');
            const pick = document.createElement('button');
            pick.type = 'button';
            const thumb = document.createElement('img');
            thumb.src = photo.thumb;
            thumb.alt = '';
            const name = document.createElement('span');
            name.textContent = photo.title;
            name.dir = 'auto';
            pick.append(thumb, name);
            pick.addEventListener('click', () => {
              let alt = photo.alt;
              if (!alt) {
                const typed = window.prompt(s('altPrompt'), '');
                if (typed === null) return;
                alt = typed.trim();
              }
              dialog.close();
              insertFigure(editor, range, photo.src, alt);
              normalize(editor);
              sync(editor);
              updateToolbar(editor);
            });
            li.append(pick);
            list.append(li);
          }
          if (!photos.length) list.textContent = s('libraryEmpty');
        })
        .catch(() => { list.textContent = s('libraryFailed'); });
    };
    let timer = 0;
    search.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(load, 250);
    });
    dialog.showModal();
    load();
  }

  /** aria-pressed mirrors the formatting at the caret, so the buttons double as indicators. */
  function updateToolbar(editor) {
    const { surface, toolbar } = editor;
    if (!selectionIn(surface)) return;
    const state = {
      heading: !!closestIn(surface, 'h2'),
      quote: !!closestIn(surface, 'blockquote'),
      link: !!closestIn(surface, 'a'),
      ul: !!closestIn(surface, 'ul'),
      ol: !!closestIn(surface, 'ol'),
      bold: !!closestIn(surface, 'strong, b') || safeQuery('bold'),
      italic: !!closestIn(surface, 'em, i') || safeQuery('italic'),
    };
    for (const button of toolbar.querySelectorAll('button[aria-pressed]')) {
      const pressed = String(!!state[button.dataset.command]);
      if (button.getAttribute('aria-pressed') !== pressed) button.setAttribute('aria-pressed', pressed);
    }
  }

  function safeQuery(command) {
    try {
      return document.queryCommandState(command);
    } catch {
      return false;
    }
  }

  // ---------------------------------------------------------------------------------------
  // Paste and drop

  const BLOCK_START = /^<(p|h[2-4]|blockquote|ul|ol|figure)[\s>]/;

  function insertClean(editor, html, text) {
    let clean = '';
    if (html) clean = cleanHtml(html, 'paste');
    else if (text && /\n/.test(text.trim())) clean = plainTextToHtml(text);
    else if (text) document.execCommand('insertText', false, text.replace(JUNK_CHARS, ''));
    if (clean) {
      if (BLOCK_START.test(clean)) openEmptyBlock(editor.surface);
      insertHtml(clean);
    }
    normalize(editor);
    sync(editor);
  }

  /** The block at the caret. */
  function caretBlock(surface) {
    return closestIn(surface, 'p, h2, h3, h4, li, blockquote, div');
  }

  /** Pasted paragraphs start on a paragraph of their own: the caret's paragraph is split
      and an empty one opened between the halves. Besides being what a reporter pasting
      whole paragraphs wants, this keeps Chromium from merging the first pasted paragraph
      into the current one, which it does by re-parsing styled markup (a CSP report under
      `style-src 'self'`); insertHTML into an empty paragraph simply replaces it. */
  function openEmptyBlock(surface) {
    const sel = window.getSelection();
    if (!sel.isCollapsed) document.execCommand('delete');
    let block = caretBlock(surface);
    if (!block || !hasContent(block)) return;
    if (!caretAtStart(block)) {
      document.execCommand('insertParagraph');
      block = caretBlock(surface);
      if (!block || !hasContent(block)) return;
    }
    // At the start of a non-empty block, Enter opens an empty one before it.
    document.execCommand('insertParagraph');
    block = caretBlock(surface);
    const empty = block && block.previousElementSibling;
    if (empty && !hasContent(empty)) placeCaret(empty, 0);
  }

  function caretAtStart(block) {
    const sel = window.getSelection();
    if (!sel.rangeCount) return false;
    const before = document.createRange();
    before.setStart(block, 0);
    before.setEnd(sel.anchorNode, sel.anchorOffset);
    return !/\S/.test(before.toString()) && !before.cloneContents().querySelector('img');
  }

  function onPaste(editor, event) {
    const data = event.clipboardData;
    if (!data) return; // very old browsers: let the native paste happen; sync cleans it
    event.preventDefault();
    const html = data.getData('text/html');
    const text = data.getData('text/plain');
    if (!html && !text) {
      if (data.files && data.files.length) announce(editor, s('noFiles'));
      return;
    }
    insertClean(editor, html, text);
  }

  function onDrop(editor, event) {
    // Moving text inside the editor stays native (it moves rather than copies).
    if (editor.internalDrag || !event.dataTransfer) return;
    event.preventDefault();
    const html = event.dataTransfer.getData('text/html');
    const text = event.dataTransfer.getData('text/plain');
    if (!html && !text) {
      announce(editor, s('noFiles'));
      return;
    }
    // Put the caret where the drop happened.
    let range = null;
    if (document.caretRangeFromPoint) {
      range = document.caretRangeFromPoint(event.clientX, event.clientY);
    } else if (document.caretPositionFromPoint) {
      const pos = document.caretPositionFromPoint(event.clientX, event.clientY);
      if (pos) {
        range = document.createRange();
        range.setStart(pos.offsetNode, pos.offset);
      }
    }
    editor.surface.focus({ preventScroll: true });
    if (range && editor.surface.contains(range.startContainer)) {
      const sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
    }
    insertClean(editor, html, text);
  }

  function statusFor(form) {
    return (form && form.querySelector('[data-autosave-status]')) || document.querySelector('[data-autosave-status]');
  }

  function announce(editor, message) {
    const status = statusFor(editor.form);
    if (status) status.textContent = message;
  }

  // Remember the last selection inside each surface (toolbar commands restore it) and keep
  // the buttons' pressed state current. One listener for all editors, coalesced per frame.
  let selectionFrame = 0;
  document.addEventListener('selectionchange', () => {
    if (selectionFrame) return;
    selectionFrame = requestAnimationFrame(() => {
      selectionFrame = 0;
      for (const editor of editors) {
        const range = selectionIn(editor.surface);
        if (range) {
          editor.savedRange = range.cloneRange();
          updateToolbar(editor);
        }
      }
    });
  });

  // ---------------------------------------------------------------------------------------
  // Autosave

  const AUTOSAVE_FIELDS = ['title', 'body', 'excerpt'];
  const AUTOSAVE_EVERY_MS = 5000;

  function hhmm(date) {
    return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
  }

  /** Autosave state per form, read by the submit handler. */
  const autosaves = new WeakMap();

  function setupAutosave(form) {
    const url = form.dataset.autosaveUrl;
    if (!url) return;
    const status = statusFor(form);
    const state = { lastSaved: '', inFlight: false, submitting: false, stopped: false };
    autosaves.set(form, state);

    const field = (name) => {
      const el = form.elements.namedItem(name);
      return el && typeof el.value === 'string' ? el : null;
    };
    const csrf = () => form.dataset.csrf || field('csrf_token')?.value || '';
    const setStatus = (text) => {
      if (status) status.textContent = text;
    };
    const snapshot = () => {
      syncForm(form);
      return JSON.stringify(AUTOSAVE_FIELDS.map((name) => field(name)?.value ?? ''));
    };
    /** The fields, url-encoded: the newsroom parses application/x-www-form-urlencoded
        bodies only (nashir-web extract.rs, `Form`). A FormData body would go as
        multipart/form-data, which it would read as an empty form; URLSearchParams goes
        url-encoded from both fetch and sendBeacon. */
    const payload = () => {
      const data = new URLSearchParams();
      // Beacons cannot carry headers, so the token also travels as a field.
      data.append('csrf_token', field('csrf_token')?.value || csrf());
      for (const name of ['version', ...AUTOSAVE_FIELDS]) {
        const el = field(name);
        if (el) data.append(name, el.value);
      }
      return data;
    };

    // What the page was served with counts as saved: opening an article saves nothing.
    state.lastSaved = snapshot();

    async function save() {
      if (state.inFlight || state.submitting || state.stopped) return;
      const snap = snapshot();
      if (snap === state.lastSaved) return;
      state.inFlight = true;
      setStatus(s('saving'));
      try {
        const response = await fetch(url, {
          method: 'POST',
          body: payload(),
          credentials: 'same-origin',
          headers: { 'X-CSRF-Token': csrf(), Accept: 'application/json' },
          signal: typeof AbortSignal.timeout === 'function' ? AbortSignal.timeout(20000) : undefined,
        });
        if (state.submitting) return; // the real save is under way; its page replaces this one
        // A redirect is the login page answering for an expired session, not a save.
        if (response.redirected || response.status === 401 || response.status === 403) {
          setStatus(s('session'));
          return;
        }
        if (response.status === 409) {
          // Someone saved a newer version: retrying would only fail again.
          state.stopped = true;
          clearInterval(timer);
          setStatus(s('conflict'));
          return;
        }
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        state.lastSaved = snap;
        // If the server bumps the version on autosave it says so; the final save then
        // carries the right version instead of tripping the conflict check.
        if ((response.headers.get('content-type') || '').includes('json')) {
          const body = await response.json().catch(() => null);
          const version = field('version');
          if (body && version && body.version != null && /^\d+$/.test(String(body.version))) {
            version.value = String(body.version);
          }
        }
        setStatus(s('saved').replace('{time}', hhmm(new Date())));
      } catch {
        setStatus(s('failed'));
      } finally {
        state.inFlight = false;
      }
    }

    /** Leaving or hiding the page: unsaved changes go by beacon (survives the unload).
        Browsers cap a beacon at 64 KiB; a longer body is refused (sendBeacon returns false)
        and only the 5-second autosave will have carried it. */
    function flush() {
      if (state.submitting || state.stopped || !navigator.sendBeacon) return;
      const snap = snapshot();
      if (snap === state.lastSaved) return;
      // Counted as saved once queued, so pagehide right after visibilitychange sends once.
      if (navigator.sendBeacon(url, payload())) state.lastSaved = snap;
    }

    const timer = setInterval(save, AUTOSAVE_EVERY_MS);
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') flush();
    });
    window.addEventListener('pagehide', flush);
    window.addEventListener('pageshow', (event) => {
      // Back from the back/forward cache after a submit: this page is live again.
      if (event.persisted) state.submitting = false;
    });
  }

  // ---------------------------------------------------------------------------------------
  // Submit: confirmations first (capture phase, before anything else sees the submit), then
  // the final sync (bubble phase, after any other script had its say).

  const hasSubmitter = typeof SubmitEvent !== 'undefined' && 'submitter' in SubmitEvent.prototype;

  document.addEventListener('submit', (event) => {
    const form = event.target;
    const button = hasSubmitter ? event.submitter : null;
    const message = button && button.hasAttribute('data-confirm')
      ? button.getAttribute('data-confirm')
      : form.getAttribute('data-confirm');
    if (message !== null && !window.confirm(message)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener('click', (event) => {
    const button = event.target.closest && event.target.closest('button[data-confirm]');
    if (!button) return;
    // Submit buttons are asked once, in the submit handler (which knows the submitter).
    if (button.type === 'submit' && button.form && hasSubmitter) return;
    if (!window.confirm(button.getAttribute('data-confirm'))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener('submit', (event) => {
    const form = event.target;
    syncForm(form);
    const autosave = autosaves.get(form);
    if (event.defaultPrevented || !autosave) return;
    // A submit into another window (preview in a new tab) leaves this page editing.
    const target = (event.submitter && event.submitter.getAttribute('formtarget')) || form.target;
    if (target && target !== '_self') return;
    autosave.submitting = true;
  });

  // Anyone building FormData from the form (the submit itself included) gets fresh HTML.
  document.addEventListener('formdata', (event) => {
    for (const editor of editors) {
      const { textarea } = editor;
      if (editor.form === event.target && textarea.name && !textarea.disabled) {
        event.formData.set(textarea.name, serialize(editor));
      }
    }
  });

  // ---------------------------------------------------------------------------------------
  // Start

  function start() {
    // Enter makes <p>, not <div> (Chromium's default); bold/italic make elements, not
    // style attributes. Both are document-wide settings.
    document.execCommand('defaultParagraphSeparator', false, 'p');
    document.execCommand('styleWithCSS', false, false);
    document.querySelectorAll('textarea[data-rich-editor]').forEach(attach);
    // After the editors, so the first snapshot holds their normalized HTML.
    document.querySelectorAll('form[data-autosave-url]').forEach(setupAutosave);
  }

  window.NashirEditor = Object.freeze({
    /** Cleans pasted HTML (Word, Google Docs, web pages) to the editor's allow-list. */
    cleanPastedHtml: (html) => cleanHtml(html, 'paste'),
  });

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
