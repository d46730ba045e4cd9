/*
 * Filters for the directory page (programs/). The page is complete without this script:
 * every program is in the plain HTML list, and CSS hides the form the generator wrote
 * when scripting is off. The script hides the cards that do not match, counts what
 * each option would leave, and keeps the choices in the address (query string), so a
 * filtered list can be shared, bookmarked and left with the back button.
 *
 * Nothing is fetched and nothing is stored: the cards carry their facet values in data
 * attributes, and the address is the only memory.
 */
(function () {
  "use strict";

  var TEXT_KEY = "words"; /* not "q": Material opens its search dialog for ?q= */
  var SORT_KEY = "sort";
  var active = null;

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
    var facets = this.facets;
    this.items = Array.prototype.map.call(list.children, function (card, position) {
      return {
        card: card,
        position: position,
        reviewed: card.getAttribute("data-reviewed") || "",
        text: card.textContent.toLowerCase(),
        values: facets.map(function (facet) { return (card.getAttribute("data-" + facet.key) || "").split(" ").filter(Boolean); })
      };
    });
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
      self.update(true);
      self.save(false);
    });
    this.text.addEventListener("input", function () {
      self.update(false);
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
      self.update(true);
      self.save(false);
    });
  };

  Finder.prototype.selectedCount = function () {
    return this.facets.reduce(function (sum, facet) {
      return sum + facet.inputs.filter(function (input) { return input.checked; }).length;
    }, 0);
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
    this.update(true);
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
    var shown = 0;

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

    for (var i = 0; i < this.items.length; i++) {
      var item = this.items[i];
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
      if (item.card.hidden === visible) item.card.hidden = !visible;
      if (visible) shown++;
    }

    facets.forEach(function (facet, f) {
      facet.inputs.forEach(function (input, n) {
        var count = counts[f][input.value] || 0;
        var text = "(" + count + ")";
        if (facet.counts[n].textContent !== text) facet.counts[n].textContent = text;
        input.parentNode.classList.toggle("pd-option--empty", count === 0 && !input.checked);
      });
    });
    this.reorder();
    this.shown = shown;
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
    var shown = this.shown;
    var text;
    if (shown === total) {
      text = "Showing all " + total + " programs.";
    } else if (shown === 0) {
      text = "No program matches. Untick a filter, or use Clear all.";
    } else {
      text = "Showing " + shown + " of " + total + (total === 1 ? " program." : " programs.");
    }
    if (this.status.textContent !== text) this.status.textContent = text;
  };

  Finder.prototype.reorder = function () {
    var order = this.sort.value;
    if (order === this.order) return;
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
    var fragment = document.createDocumentFragment();
    items.forEach(function (item) { fragment.appendChild(item.card); });
    this.list.appendChild(fragment);
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
