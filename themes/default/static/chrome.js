// The site's chrome on every public page: the breaking-news ticker shows one item at a time
// and turns to the next every few seconds (paused by its button, while pointed at or
// focused, and not on its own when the reader asked for less motion); the category bar
// shows a hint while more categories lie past its edge. Without JavaScript the ticker's
// items scroll sideways within one line and the bar scrolls as it is.
(() => {
  const ticker = document.querySelector('.ticker');
  const items = ticker ? [...ticker.querySelectorAll('.ticker__item')] : [];
  const pause = ticker && ticker.querySelector('.ticker__pause');
  if (items.length > 1 && pause) {
    const still = window.matchMedia('(prefers-reduced-motion: reduce)');
    let current = 0;
    let paused = still.matches;
    let held = false;
    const show = (i) => {
      items.forEach((li, n) => li.classList.toggle('is-current', n === i));
      current = i;
    };
    ticker.classList.add('ticker--rotating');
    show(0);
    const label = () => {
      pause.setAttribute('aria-pressed', String(paused));
      pause.textContent = paused ? pause.dataset.play : pause.dataset.pause;
    };
    pause.hidden = false;
    label();
    pause.addEventListener('click', () => {
      paused = !paused;
      label();
      if (!paused) show((current + 1) % items.length);
    });
    // Tabbing into the ticker walks its items: the focused one is shown and nothing turns.
    ticker.addEventListener('focusin', (e) => {
      held = true;
      const li = e.target.closest('.ticker__item');
      if (li) show(items.indexOf(li));
    });
    ticker.addEventListener('focusout', () => { held = false; });
    ticker.addEventListener('pointerenter', () => { held = true; });
    ticker.addEventListener('pointerleave', () => { held = false; });
    setInterval(() => {
      if (!paused && !held && !document.hidden) show((current + 1) % items.length);
    }, 5000);
  }

  const nav = document.querySelector('.catnav');
  const list = nav && nav.querySelector('.catnav__list');
  if (list) {
    const hint = () => {
      const room = list.scrollWidth - list.clientWidth;
      // scrollLeft runs negative in right-to-left lists.
      nav.classList.toggle('catnav--more', room > 2 && Math.abs(list.scrollLeft) < room - 2);
    };
    list.addEventListener('scroll', hint, { passive: true });
    window.addEventListener('resize', hint);
    hint();
  }
})();
