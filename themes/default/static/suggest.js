// Search as you type: under every search box of the site, the articles the words typed so
// far are heading for (/api/v1/search/suggest), as an ARIA combobox. Up/Down choose, Enter
// opens the chosen article (or searches, when none is chosen), Escape closes. Without
// JavaScript the boxes are plain search forms.
(function () {
  'use strict';
  const WAIT_MS = 150;
  const MIN_CHARS = 2;
  let counter = 0;

  function attach(input) {
    const id = `suggest-${++counter}`;
    const list = document.createElement('ul');
    list.id = id;
    list.className = 'suggest';
    list.setAttribute('role', 'listbox');
    list.setAttribute('aria-label', document.body.dataset.suggestLabel || input.getAttribute('aria-label') || 'Search suggestions');
    list.hidden = true;
    input.parentElement.classList.add('suggest-host');
    input.insertAdjacentElement('afterend', list);
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-controls', id);
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('autocomplete', 'off');

    let timer = 0;
    let pending = null;
    let active = -1;

    const options = () => Array.from(list.querySelectorAll('[role=option]'));

    function close() {
      list.hidden = true;
      list.replaceChildren();
      active = -1;
      input.setAttribute('aria-expanded', 'false');
      input.removeAttribute('aria-activedescendant');
    }

    // Closes and forgets what was on its way: a late answer must not reopen the list.
    function dismiss() {
      clearTimeout(timer);
      if (pending) pending.abort();
      close();
    }

    function request() {
      clearTimeout(timer);
      const query = input.value;
      if (query.trim().length < MIN_CHARS) {
        dismiss();
        return;
      }
      timer = setTimeout(() => fetchFor(query), WAIT_MS);
    }

    function choose(index) {
      const items = options();
      if (!items.length) return;
      active = (index + items.length) % items.length;
      items.forEach((item, i) => item.setAttribute('aria-selected', String(i === active)));
      input.setAttribute('aria-activedescendant', items[active].id);
    }

    function show(query, results) {
      if (input.value !== query) return;
      if (!results.length) {
        close();
        return;
      }
      const items = results.map((r, i) => {
        const li = document.createElement('li');
        li.id = `${id}-${i}`;
        li.className = 'suggest__item';
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', 'false');
        const a = document.createElement('a');
        a.href = r.url;
        a.dir = 'auto';
        a.tabIndex = -1;
        // title_html is escaped by the server; only <mark> is markup.
        a.innerHTML = r.title_html;
        li.append(a);
        return li;
      });
      list.replaceChildren(...items);
      list.hidden = false;
      active = -1;
      input.setAttribute('aria-expanded', 'true');
      input.removeAttribute('aria-activedescendant');
    }

    async function fetchFor(query) {
      if (pending) pending.abort();
      pending = new AbortController();
      try {
        const r = await fetch(`/api/v1/search/suggest?q=${encodeURIComponent(query)}`, {
          signal: pending.signal,
          headers: { Accept: 'application/json' },
        });
        if (!r.ok) {
          close();
          return;
        }
        const body = await r.json();
        show(query, Array.isArray(body.results) ? body.results : []);
      } catch (e) {
        if (e.name !== 'AbortError') close();
      }
    }

    input.addEventListener('input', () => {
      // What was chosen belonged to the words before this keystroke.
      active = -1;
      options().forEach((item) => item.setAttribute('aria-selected', 'false'));
      input.removeAttribute('aria-activedescendant');
      request();
    });

    input.addEventListener('keydown', (e) => {
      if (list.hidden) {
        if (e.key === 'ArrowDown' && input.value.trim().length >= MIN_CHARS) {
          e.preventDefault();
          request();
        }
        return;
      }
      if (e.key === 'ArrowDown') {
        e.preventDefault();
        choose(active + 1);
      } else if (e.key === 'ArrowUp') {
        e.preventDefault();
        choose(active - 1);
      } else if (e.key === 'Escape') {
        e.preventDefault();
        dismiss();
      } else if (e.key === 'Enter' && active >= 0) {
        const link = options()[active]?.querySelector('a');
        if (link) {
          e.preventDefault();
          window.location.assign(link.href);
        }
      }
    });

    // A click on a suggestion lands before the box loses focus.
    list.addEventListener('mousedown', (e) => e.preventDefault());
    input.addEventListener('blur', () => dismiss());
  }

  document
    .querySelectorAll('form[role=search] input[name=q]')
    .forEach((input) => attach(input));
})();
