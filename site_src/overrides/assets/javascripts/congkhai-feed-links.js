// Material for MkDocs 9.8 treats every <link rel="alternate"> as a language version of the site and
// downloads the sitemap.xml beside it, when the page is ready (its bundle queries
// "link[rel=alternate]" once, on DOMContentLoaded). The portal's alternate links are its RSS feeds:
// three sitemaps per page view, growing with the portal. This script runs in <head>, before the
// theme's bundle, so its listener runs first: it hides the feed links' "alternate" from that one
// query and gives it back in the next task. The HTML sent keeps rel="alternate" for feed readers.
(function () {
  document.addEventListener("DOMContentLoaded", function () {
    var feeds = document.querySelectorAll('link[rel="alternate"][type="application/rss+xml"]');
    for (var i = 0; i < feeds.length; i++) feeds[i].rel = "alternate-feed";
    setTimeout(function () {
      for (var j = 0; j < feeds.length; j++) feeds[j].rel = "alternate";
    }, 0);
  }, { once: true });
})();
