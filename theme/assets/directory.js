/*
 * Filters for the directory page (programs/). The page works without this script: it
 * shows the first page of a plain HTML list whose other pages (programs/page/2/, ...) are
 * linked below it, and CSS hides the form the generator wrote when scripting is off. The
 * script takes out the cards that do not match, counts what each option would leave, and
 * keeps the choices in the address (query string), so a filtered list can be shared,
 * bookmarked and left with the back button.
 *
 * When the page holds every program, the cards are the data (facet values in data
 * attributes). When it holds only the first page, the script fetches programs/cards.json
 * (same origin) the first time it is needed - the visitor touches a filter, or opened a
 * filtered address - and draws cards from the page's <template>, setting every value as
 * text. Nothing is stored: the address is the only memory.
 */
(function () {
  "use strict";

  var TEXT_KEY = "words"; /* not "q": Material opens its search dialog for ?q= */
  var SORT_KEY = "sort";
  var active = null;
  /* The parsed cards file by address, for this visit only: instant navigation back to the
     directory does not fetch it again. */
  var loads = Object.create(null);

  function load(address) {
    if (!loads[address]) {
      loads[address] = window.fetch(address, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      });
      loads[address].catch(function () { delete loads[address]; });
    }
    return loads[address];
  }

  /* A card's searchable text: what it shows (the data-slot texts and its flags). */
  function searchable(texts) {
    return texts.join(" ").toLowerCase();
  }

  /* An item per card already in the page. */
  function fromCard(facets) {
    return function (card, position) {
      var texts = Array.prototype.map.call(card.querySelectorAll("[data-slot], .pd-flag"), function (node) { return node.textContent; });
      return {
        id: card.id,
        card: card,
        position: position,
        reviewed: card.getAttribute("data-reviewed") || "",
        text: searchable(texts),
        values: facets.map(function (facet) { return (card.getAttribute("data-" + facet.key) || "").split(" ").filter(Boolean); })
      };
    };
  }

  /* An item per program of cards.json (see generator/peerdir/cards.py); its card is drawn
     when first shown. */
  function fromData(data, facets) {
    var columns = facets.map(function (facet) { return data.facets.indexOf(facet.key); });
    var reviewed = data.fields.indexOf("reviewed");
    return data.cards.map(function (row, position) {
      var fields = row[1].map(function (n) { return data.texts[n]; });
      var flags = row[3].map(function (n) { return data.flags[n]; });
      return {
        id: row[0],
        card: null,
        position: position,
        fields: fields,
        flags: flags,
        reviewed: fields[reviewed] || "",
        text: searchable(fields.concat(flags.map(function (flag) { return flag[1]; }))),
        values: columns.map(function (c) {
          return c < 0 ? [] : row[2][c].map(function (n) { return data.values[c][n]; });
        })
      };
    });
  }

  function words(text) {
    return text.toLowerCase().split(/\s+/).filter(Boolean);
  }

  function Finder(form) {
    var list = document.querySelector("[data-pd-listing]");
    this.form = form;
    this.list = list;
    this.text = form.querySelector("#pd-words");
    this.sort = form.querySelector("#pd-sort");
    this.status = form.querySelector("[data-pd-count]");
    this.activeCount = form.querySelector("[data-pd-active]");
    this.details = form.querySelector("[data-pd-facets]");
    this.more = document.querySelector("[data-pd-more]");
    this.pages = document.querySelector("[data-pd-pages]");
    this.template = form.querySelector("template[data-pd-card]");
    this.source = form.getAttribute("data-pd-cards");
    this.fields = [];
    /* Cards shown at a time (the generator decides): showing thousands costs the browser
       hundreds of milliseconds of style and layout at every click; a page of them, a few. */
    this.page = parseInt(form.getAttribute("data-pd-page"), 10) || 100;
    this.limit = this.page;
    this.order = "name";
    this.typing = false;
    this.statusTimer = 0;
    this.facets = Array.prototype.map.call(form.querySelectorAll("fieldset[data-facet]"), function (fieldset) {
      var inputs = Array.prototype.slice.call(fieldset.querySelectorAll("input[type=checkbox]"));
      return {
        key: fieldset.getAttribute("data-facet"),
        all: fieldset.getAttribute("data-match") === "all",
        inputs: inputs,
        counts: inputs.map(function (input) { return input.parentNode.querySelector("[data-count]"); })
      };
    });
    var total = parseInt(form.getAttribute("data-pd-total"), 10) || 0;
    this.complete = list.children.length >= total;
    this.loading = false;
    this.then = null;
    this.items = this.complete ? Array.prototype.map.call(list.children, fromCard(this.facets)) : [];
    this.sorted = this.items;
    if (!this.complete) {
      /* "Show more programs" takes the place of the page links while the script runs. */
      if (this.pages) this.pages.hidden = true;
      if (this.more) this.more.hidden = false;
    }
    this.bind();
    this.fromAddress();
    form.setAttribute("data-pd-ready", "");
    /* Closed by default, so the list is in view at once; open when a shared link ticks some. */
    if (this.selectedCount() > 0) this.details.open = true;
  }

  Finder.prototype.bind = function () {
    var self = this;
    this.form.addEventListener("submit", function (event) { event.preventDefault(); });
    this.form.addEventListener("change", function (event) {
      if (event.target === self.text) return;
      self.typing = false;
      self.limit = self.page;
      self.refresh(true);
      self.save(false);
    });
    this.text.addEventListener("input", function () {
      self.limit = self.page;
      self.refresh(false);
      self.save(self.typing);
      self.typing = true;
    });
    this.form.querySelector("[data-pd-clear]").addEventListener("click", function () {
      self.facets.forEach(function (facet) {
        facet.inputs.forEach(function (input) { input.checked = false; });
      });
      self.text.value = "";
      self.sort.value = "name";
      self.typing = false;
      self.limit = self.page;
      self.refresh(true);
      self.save(false);
    });
    if (this.more) {
      this.more.querySelector("button").addEventListener("click", function () {
        var first = self.complete ? self.shown : self.list.children.length;
        self.limit = first + self.page;
        self.refresh(true, function () {
          /* Keyboard and screen-reader users land on the first card just shown. */
          var next = self.sorted.filter(function (item) { return item.shown; })[first];
          if (next) next.card.querySelector("a").focus();
        });
      });
    }
  };

  Finder.prototype.selectedCount = function () {
    return this.facets.reduce(function (sum, facet) {
      return sum + facet.inputs.filter(function (input) { return input.checked; }).length;
    }, 0);
  };

  /* True when the form asks for anything but the whole list in name order. */
  Finder.prototype.filtered = function () {
    return this.selectedCount() > 0 || this.text.value.trim() !== "" || this.sort.value !== "name";
  };

  /* The list brought up to the form: at once when every program is known, else once
     cards.json has arrived (then ``then`` runs too). */
  Finder.prototype.refresh = function (announceNow, then) {
    if (this.complete) {
      this.update(announceNow);
      if (then) then();
      return;
    }
    this.then = then || null; /* the visitor's latest action wins */
    if (this.loading) return;
    this.loading = true;
    var self = this;
    this.list.setAttribute("aria-busy", "true");
    this.say("Loading the whole directory…");
    load(new URL(this.source, window.location.href).href).then(function (data) {
      if (!self.form.isConnected) return;
      self.fields = data.fields;
      self.items = fromData(data, self.facets);
      self.sorted = self.items;
      self.order = "name";
      self.complete = true;
      self.loading = false;
      /* The server's cards make way for the same cards drawn from the data. */
      self.list.textContent = "";
      self.list.removeAttribute("aria-busy");
      self.update(true);
      var after = self.then;
      self.then = null;
      if (after) after();
    }, function () {
      if (!self.form.isConnected) return;
      self.loading = false;
      self.then = null;
      self.list.removeAttribute("aria-busy");
      if (self.pages) self.pages.hidden = false;
      if (self.more) self.more.hidden = true;
      self.say("The filters could not load the whole directory. The page links below the list lead to every program.");
    });
  };

  /* A card for an item of cards.json: a copy of the page's <template>, every value set as text. */
  Finder.prototype.draw = function (item) {
    var card = this.template.content.firstElementChild.cloneNode(true);
    card.setAttribute("id", item.id);
    this.facets.forEach(function (facet, f) { card.setAttribute("data-" + facet.key, item.values[f].join(" ")); });
    card.setAttribute("data-reviewed", item.reviewed);
    card.querySelector("a").setAttribute("href", (this.template.getAttribute("data-prefix") || "") + encodeURIComponent(item.id) + "/");
    this.fields.forEach(function (name, n) {
      var slot = card.querySelector('[data-slot="' + name + '"]');
      if (slot) slot.textContent = item.fields[n];
    });
    var flags = card.querySelector(".pd-flag");
    var holder = flags.parentNode;
    item.flags.forEach(function (flag) {
      var copy = flags.cloneNode(false);
      copy.setAttribute("class", "pd-flag pd-flag--" + flag[0]);
      copy.textContent = flag[1];
      holder.appendChild(copy);
    });
    holder.removeChild(flags);
    if (!item.flags.length) holder.parentNode.removeChild(holder);
    return card;
  };

  Finder.prototype.say = function (text) {
    window.clearTimeout(this.statusTimer);
    if (this.status.textContent !== text) this.status.textContent = text;
  };

  /* The address holds the state: ?profession=nurses&country=AU&words=phone&sort=reviewed */
  Finder.prototype.fromAddress = function () {
    var params = new URLSearchParams(window.location.search);
    this.facets.forEach(function (facet) {
      var wanted = params.getAll(facet.key);
      facet.inputs.forEach(function (input) { input.checked = wanted.indexOf(input.value) >= 0; });
    });
    this.text.value = params.get(TEXT_KEY) || "";
    this.sort.value = params.get(SORT_KEY) === "reviewed" ? "reviewed" : "name";
    this.typing = false;
    this.limit = this.page;
    /* The server's first page is already right for an unfiltered address. */
    if (this.complete || this.filtered()) this.refresh(true);
  };

  Finder.prototype.save = function (replace) {
    var params = new URLSearchParams(window.location.search);
    var keys = this.facets.map(function (facet) { return facet.key; }).concat([TEXT_KEY, SORT_KEY]);
    keys.forEach(function (key) { params.delete(key); });
    this.facets.forEach(function (facet) {
      facet.inputs.forEach(function (input) {
        if (input.checked) params.append(facet.key, input.value);
      });
    });
    if (this.text.value.trim()) params.set(TEXT_KEY, this.text.value.trim());
    if (this.sort.value !== "name") params.set(SORT_KEY, this.sort.value);
    var query = params.toString();
    var address = window.location.pathname + (query ? "?" + query : "");
    if (address === window.location.pathname + window.location.search) return;
    if (replace) {
      window.history.replaceState(null, "", address);
    } else {
      window.history.pushState(null, "", address);
    }
  };

  Finder.prototype.update = function (announceNow) {
    var facets = this.facets;
    var ticked = facets.map(function (facet) {
      return facet.inputs.filter(function (input) { return input.checked; }).map(function (input) { return input.value; });
    });
    var counts = facets.map(function () { return Object.create(null); });
    var needles = words(this.text.value);
    var matched = 0;
    var shown = [];

    function keeps(values, wanted, all) {
      if (wanted.length === 0) return true;
      for (var i = 0; i < wanted.length; i++) {
        var has = values.indexOf(wanted[i]) >= 0;
        if (all && !has) return false;
        if (!all && has) return true;
      }
      return all;
    }

    function tally(f, values) {
      for (var v = 0; v < values.length; v++) counts[f][values[v]] = (counts[f][values[v]] || 0) + 1;
    }

    for (var i = 0; i < this.sorted.length; i++) {
      var item = this.sorted[i];
      var visible = needles.every(function (needle) { return item.text.indexOf(needle) >= 0; });
      if (visible) {
        /* A program kept by every facet but one still counts towards that facet's options
           ("any" facets widen): ticking such an option would bring it in. */
        var failed = -1;
        for (var f = 0; f < facets.length; f++) {
          if (!keeps(item.values[f], ticked[f], facets[f].all)) {
            if (failed >= 0) { failed = -2; break; }
            failed = f;
          }
        }
        if (failed === -1) {
          for (var g = 0; g < facets.length; g++) tally(g, item.values[g]);
        } else if (failed >= 0 && !facets[failed].all) {
          tally(failed, item.values[failed]);
        }
        visible = failed === -1;
      }
      if (visible) matched++;
      item.shown = visible && matched <= this.limit;
    }
    this.render();

    facets.forEach(function (facet, f) {
      facet.inputs.forEach(function (input, n) {
        var count = counts[f][input.value] || 0;
        var text = "(" + count + ")";
        if (facet.counts[n].textContent !== text) facet.counts[n].textContent = text;
        input.parentNode.classList.toggle("pd-option--empty", count === 0 && !input.checked);
      });
    });
    this.matched = matched;
    this.shown = Math.min(matched, this.limit);
    if (this.more) this.more.hidden = this.shown >= matched;
    var selected = this.selectedCount();
    this.activeCount.textContent = selected ? "(" + selected + " ticked)" : "";
    window.clearTimeout(this.statusTimer);
    if (announceNow) {
      this.announce();
    } else {
      /* While someone types, announce the count once they pause, not at every key. */
      this.statusTimer = window.setTimeout(this.announce.bind(this), 500);
    }
  };

  Finder.prototype.announce = function () {
    var total = this.items.length;
    var text;
    if (this.matched === 0) {
      text = "No program matches. Untick a filter, or use Clear all.";
    } else if (this.shown < this.matched && this.matched === total) {
      text = "Showing the first " + this.shown + " of " + total + " programs.";
    } else if (this.shown < this.matched) {
      text = this.matched + " of " + total + " programs match; showing the first " + this.shown + ".";
    } else if (this.matched === total) {
      text = "Showing all " + total + " programs.";
    } else {
      text = "Showing " + this.matched + " of " + total + " programs.";
    }
    this.say(text);
  };

  /* Only the cards shown are in the document; the others wait outside it. Hiding them in
     place would leave thousands of display:none siblings, and Chromium's style and layout
     work at every click grows with them. Cards keep their relative order, so one merge pass
     inserts and removes just the cards that change. */
  Finder.prototype.render = function () {
    var list = this.list;
    if (this.reorder()) list.textContent = "";
    var cursor = list.firstChild;
    for (var i = 0; i < this.sorted.length; i++) {
      var item = this.sorted[i];
      if (item.shown && !item.card) item.card = this.draw(item);
      var card = item.card;
      if (!card) continue;
      var attached = card.parentNode === list;
      if (item.shown) {
        if (card === cursor) {
          cursor = cursor.nextSibling;
        } else {
          list.insertBefore(card, cursor);
        }
      } else if (attached) {
        if (card === cursor) cursor = cursor.nextSibling;
        list.removeChild(card);
      }
    }
  };

  /* True when the sort order changed (the attached cards are then out of order). */
  Finder.prototype.reorder = function () {
    var order = this.sort.value;
    if (order === this.order) return false;
    this.order = order;
    var items = this.items.slice();
    if (order === "reviewed") {
      items.sort(function (a, b) {
        if (a.reviewed !== b.reviewed) return a.reviewed < b.reviewed ? 1 : -1;
        return a.position - b.position;
      });
    } else {
      items.sort(function (a, b) { return a.position - b.position; });
    }
    this.sorted = items;
    return true;
  };

  function start() {
    var form = document.getElementById("pd-filters");
    active = form && document.querySelector("[data-pd-listing]") ? new Finder(form) : null;
  }

  /* Back and forward between filtered states of the same page. */
  window.addEventListener("popstate", function () {
    if (active && active.form.isConnected) active.fromAddress();
  });

  /* Material's instant navigation swaps pages without reloading scripts: document$ fires
     for every page shown, the first one included. */
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(start);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
