// For print.css: each link in the article gets its full address in data-print-url (a
// link to another page of this site may be written relative, which means nothing on
// paper). Links within the page (citations) and links that show their own address are
// left alone.
"use strict";
(function () {
  function here(url) {
    return url.origin + url.pathname === window.location.origin + window.location.pathname;
  }
  function mark() {
    document.querySelectorAll(".md-content a[href]").forEach(function (link) {
      var url = new URL(link.href);
      var text = link.textContent.trim();
      if (here(url) || text === link.href || text === decodeURI(link.href)) {
        link.classList.add("pd-no-print-url");
        link.removeAttribute("data-print-url");
        return;
      }
      link.setAttribute("data-print-url", link.href);
    });
  }
  if (typeof document$ !== "undefined") {
    document$.subscribe(mark);
  } else {
    document.addEventListener("DOMContentLoaded", mark);
  }
})();
