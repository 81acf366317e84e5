// Day2 pages show times in the viewer's zone. Without ?tz= the server used a default; this asks
// the browser for its zone once and reloads with it. Pages work the same without JavaScript.
(function () {
  try {
    var url = new URL(window.location.href);
    if (url.searchParams.has('tz') || !document.body.hasAttribute('data-zone-aware')) return;
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!zone) return;
    url.searchParams.set('tz', zone);
    window.location.replace(url.toString());
  } catch (e) {
    /* an old browser: the server's zone stays, and the page says which it is */
  }
})();
