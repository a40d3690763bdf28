// Counts a view of this article: one beacon per browser per article per half hour, sent
// after the page has been shown for a moment (a prefetched or instantly left page is not a
// reader). Works with cached pages: the page is the same for everyone, the beacon is not.
(function () {
  var script = document.currentScript;
  var id = script && script.getAttribute('data-article');
  if (!id || !navigator.sendBeacon) return;
  var key = 'nashir-viewed-' + id;
  var halfHour = 30 * 60 * 1000;
  function send() {
    try {
      var last = Number(localStorage.getItem(key) || 0);
      if (Date.now() - last < halfHour) return;
      localStorage.setItem(key, String(Date.now()));
    } catch (e) {
      // Storage refused (private mode): count the view anyway.
    }
    navigator.sendBeacon('/views', id);
  }
  function whenSeen() {
    if (document.visibilityState === 'visible') {
      setTimeout(send, 1000);
      document.removeEventListener('visibilitychange', whenSeen);
    }
  }
  if (document.visibilityState === 'visible') setTimeout(send, 1000);
  else document.addEventListener('visibilitychange', whenSeen);
})();
