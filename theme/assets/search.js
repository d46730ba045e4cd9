/* The search box in Material's header, on Pagefind's index (pagefind/, written by
   `peerdir build`). Material's search downloads its whole index before the first result;
   Pagefind's is in chunks, fetched only for the words typed, and nothing at all is fetched
   until a visitor puts the cursor in the box.

   It keeps Material's markup, classes and keys: "/", "s" or "f" focus the box, arrows move
   through the results, Enter opens the first, Escape closes and gives focus back to where
   it was. Result text is set with textContent, and Pagefind's <mark> highlights are built
   as elements: no record text is ever parsed as HTML. No storage, no cookies, no requests
   but this site's own. */
(() => {
  const root = document.querySelector("[data-pd-search]");
  const toggle = document.getElementById("__search");
  if (!root || !toggle) return;
  const form = root.querySelector("form");
  const input = root.querySelector(".md-search__input");
  const meta = root.querySelector(".md-search-result__meta");
  const list = root.querySelector(".md-search-result__list");
  const site = new URL("..", document.currentScript.src); // the site root: this file is assets/search.js
  const config = JSON.parse(document.getElementById("__config")?.textContent || "{}");
  const words = (key, count) => String(config.translations?.[key] ?? key).replace("#", count);
  const SHOWN = 10; // results rendered at once; "Show more" adds as many again

  let pagefind = null; // the module, loaded once, on first use
  let results = []; // Pagefind's results for the current words (data loaded on demand)
  let shown = 0;
  let latest = 0; // the newest search: older answers arriving late are dropped
  let timer = 0;
  let opener = null; // what had focus before the box, to give it back on Escape

  function load() {
    pagefind ??= import(new URL("pagefind/pagefind.js", site).href).then(async (module) => {
      await module.options({ baseUrl: site.pathname });
      await module.init();
      return module;
    });
    return pagefind;
  }

  function open(state) {
    if (toggle.checked === state) return;
    toggle.checked = state;
    toggle.dispatchEvent(new Event("change"));
  }

  async function run() {
    const query = input.value.trim();
    const ticket = ++latest;
    if (!query) {
      results = [];
      list.replaceChildren();
      meta.textContent = words("search.result.placeholder", 0);
      return;
    }
    try {
      const found = await (await load()).search(query);
      if (ticket !== latest) return;
      results = found.results;
      shown = 0;
      list.replaceChildren();
      const count = results.length;
      meta.textContent = words(count === 0 ? "search.result.none" : count === 1 ? "search.result.one" : "search.result.other", count);
      await more(ticket);
    } catch (error) {
      // No index (a site built without `peerdir build`), or Pagefind could not start.
      if (ticket !== latest) return;
      meta.textContent = "Search is not available here.";
    }
  }

  async function more(ticket) {
    const next = results.slice(shown, shown + SHOWN);
    const pages = await Promise.all(next.map((result) => result.data()));
    if (ticket !== latest) return;
    shown += next.length;
    list.querySelector(".pd-search-more")?.remove();
    list.append(...pages.map(item));
    if (shown < results.length) list.append(moreButton(ticket));
  }

  function moreButton(ticket) {
    const li = element("li", "md-search-result__item pd-search-more");
    const button = element("button");
    button.type = "button";
    button.textContent = `Show more results (${results.length - shown} left)`;
    button.addEventListener("click", () => {
      const first = shown;
      more(ticket).then(() => list.querySelectorAll(".md-search-result__link")[first]?.focus());
    });
    li.append(button);
    return li;
  }

  function item(page) {
    const li = element("li", "md-search-result__item");
    const link = element("a", "md-search-result__link");
    link.href = page.url;
    const article = element("article", "md-search-result__article md-typeset");
    const title = element("div", "pd-search-result__title");
    title.textContent = page.meta?.title || page.url;
    const excerpt = element("p");
    excerpt.append(...highlighted(page.excerpt || ""));
    article.append(element("div", "md-search-result__icon md-icon"), title, excerpt);
    link.append(article);
    li.append(link);
    return li;
  }

  /* Pagefind's excerpt is the page's text with "<" and ">" escaped (nothing else) and the
     matched words in <mark>: split it at the marks, unescape each piece, set it as text. */
  function highlighted(excerpt) {
    return excerpt.split(/(<mark>[\s\S]*?<\/mark>)/).filter(Boolean).map((piece) => {
      if (!(piece.startsWith("<mark>") && piece.endsWith("</mark>"))) return document.createTextNode(unescape(piece));
      const mark = element("mark");
      mark.textContent = unescape(piece.slice(6, -7));
      return mark;
    });
  }

  function unescape(text) {
    return text.replaceAll("&lt;", "<").replaceAll("&gt;", ">");
  }

  function element(name, className) {
    const made = document.createElement(name);
    if (className) made.className = className;
    return made;
  }

  function close() {
    open(false);
    if (opener?.isConnected && opener !== document.body) opener.focus();
    else input.blur();
    opener = null;
  }

  input.addEventListener("focus", (event) => {
    if (!root.contains(event.relatedTarget)) opener = event.relatedTarget;
    open(true);
    load().catch(() => {}); // start fetching the index while the visitor types
  });
  // The header's search button (a label of the toggle, on small screens) opens the box ready to type.
  toggle.addEventListener("change", () => {
    if (toggle.checked && document.activeElement !== input) input.focus();
  });
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(run, 150);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    list.querySelector(".md-search-result__link")?.click();
  });
  form.addEventListener("reset", () => {
    setTimeout(run);
    input.focus();
  });
  // A chosen result closes the box (Material's instant navigation then loads the page).
  list.addEventListener("click", (event) => {
    if (event.target.closest("a")) open(false);
  });
  // Tabbing out of the box closes it, as Material's does.
  root.addEventListener("focusout", (event) => {
    if (event.relatedTarget && !root.contains(event.relatedTarget)) open(false);
  });
  root.addEventListener("keydown", (event) => {
    const links = [input, ...list.querySelectorAll(".md-search-result__link, .pd-search-more button")];
    const at = links.indexOf(document.activeElement);
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    } else if ((event.key === "ArrowDown" || event.key === "ArrowUp") && at >= 0 && links.length > 1) {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      links[(at + step + links.length) % links.length].focus();
    }
  });
  document.addEventListener("keydown", (event) => {
    if (event.metaKey || event.ctrlKey || event.altKey || toggle.checked) return;
    const target = event.target;
    if (target.closest?.("input, textarea, select, [contenteditable]")) return;
    if (event.key === "/" || event.key === "s" || event.key === "f") {
      event.preventDefault();
      input.focus();
      input.select();
    }
  });
})();
