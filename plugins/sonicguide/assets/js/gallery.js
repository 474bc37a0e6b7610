/*
 * sonicguide gallery and share links: progressive enhancement, no dependencies, no network.
 *
 * - [data-sg-gallery]: shows the filter form and hides the cards ([data-sg-card]) that do not
 *   match the chosen industry, origin tier and sonic attribute. Each card carries its facets in
 *   data-industry, data-tier and data-attributes (a JSON list). The live region
 *   [data-sg-filter-status] announces "N brands shown". Filters are mirrored in the address
 *   (?industry=...&tier=...&attribute=...) so a filtered gallery can be shared.
 * - [data-sg-compare-brands]: the comparison's headers with data-sg-sort become sort buttons
 *   (one click sorts by that column in its first order, a second click reverses it; aria-sort on
 *   the sorted header); the "Sort by" form [data-sg-cmp-sort], shown in the card view of narrow
 *   screens, sorts the same way. Each sortable cell carries its value in data-sort (a number for
 *   data-sg-sort-type="number"); rows without a value go last in either order. The live region
 *   [data-sg-cmp-status] announces the order. Without JavaScript the table stays as rendered.
 * - [data-sg-share-link]: "Copy link" forms on brand pages build `page?t=TIME#ASSET-ID` (the
 *   scheme player.js reads) and copy it to the clipboard.
 *
 * Initialised through Material's `document$` (instant navigation) when present, otherwise (and
 * when document$ completes without a value, as it does on file://) on DOMContentLoaded; init()
 * is idempotent.
 */
(() => {
  "use strict";
  const FACETS = ["industry", "tier", "attribute"];

  const cardMatches = (card, chosen) => {
    if (chosen.industry && card.dataset.industry !== chosen.industry) return false;
    if (chosen.tier && card.dataset.tier !== chosen.tier) return false;
    if (chosen.attribute) {
      let attributes = [];
      try {
        attributes = JSON.parse(card.dataset.attributes || "[]");
      } catch (err) {
        attributes = [];
      }
      if (!attributes.includes(chosen.attribute)) return false;
    }
    return true;
  };

  const enhanceGallery = (gallery) => {
    const form = gallery.querySelector("[data-sg-filters]");
    const status = gallery.querySelector("[data-sg-filter-status]");
    const empty = gallery.querySelector("[data-sg-empty]");
    if (!form || !status) return;
    const controls = {};
    for (const facet of FACETS) controls[facet] = form.querySelector(`[data-sg-facet="${facet}"]`);

    const apply = (announce) => {
      const chosen = {};
      for (const facet of FACETS) chosen[facet] = controls[facet] ? controls[facet].value : "";
      let shown = 0;
      for (const card of gallery.querySelectorAll("[data-sg-card]")) {
        const match = cardMatches(card, chosen);
        card.hidden = !match;
        if (match) shown += 1;
      }
      if (empty) empty.hidden = shown !== 0;
      const text = `${shown} brand${shown === 1 ? "" : "s"} shown`;
      if (announce || status.textContent !== text) status.textContent = text;
      const params = new URLSearchParams(location.search);
      for (const facet of FACETS) {
        if (chosen[facet]) params.set(facet, chosen[facet]);
        else params.delete(facet);
      }
      const query = params.toString();
      const url = location.pathname + (query ? "?" + query : "") + location.hash;
      if (url !== location.pathname + location.search + location.hash) {
        try {
          history.replaceState(history.state, "", url);
        } catch (err) {
          /* some file:// contexts refuse replaceState; filtering still works */
        }
      }
    };

    // Restore filters from the address, keeping only values that exist as options.
    const params = new URLSearchParams(location.search);
    for (const facet of FACETS) {
      const control = controls[facet];
      const wanted = params.get(facet);
      if (control && wanted && [...control.options].some((o) => o.value === wanted)) control.value = wanted;
    }
    form.addEventListener("change", () => apply(true));
    form.addEventListener("submit", (e) => e.preventDefault());
    form.addEventListener("reset", () => setTimeout(() => apply(true), 0));
    const clear = gallery.querySelector("[data-sg-clear]");
    if (clear) clear.addEventListener("click", () => {
      form.reset();
      const first = controls.industry || form.querySelector("select");
      if (first) first.focus();
    });
    form.hidden = false;
    apply(false);
  };

  const enhanceComparison = (root) => {
    const table = root.querySelector("[data-sg-compare-table] table");
    const form = root.querySelector("[data-sg-cmp-sort]");
    const status = root.querySelector("[data-sg-cmp-status]");
    if (!table || !table.tBodies[0]) return;
    const body = table.tBodies[0];
    const headers = [...table.querySelectorAll("thead th[data-sg-sort]")];
    const select = form ? form.querySelector("select") : null;
    const allHeaders = [...table.querySelectorAll("thead th")];

    const value = (row, column, numeric) => {
      const cell = row.children[column];
      const raw = cell ? cell.getAttribute("data-sort") : null;
      if (raw === null || raw === "") return null;
      if (!numeric) return raw;
      const number = Number(raw);
      return Number.isFinite(number) ? number : null;
    };

    const sort = (key, order) => {
      const header = headers.find((h) => h.dataset.sgSort === key);
      if (!header) return;
      const column = allHeaders.indexOf(header);
      const numeric = header.dataset.sgSortType === "number";
      const sign = order === "descending" ? -1 : 1;
      const rows = [...body.rows].map((row, index) => ({ row, index, key: value(row, column, numeric) }));
      rows.sort((a, b) => {
        if (a.key === null || b.key === null) {
          if (a.key === b.key) return a.index - b.index;
          return a.key === null ? 1 : -1;
        }
        const diff = numeric ? a.key - b.key : a.key.localeCompare(b.key);
        return diff !== 0 ? sign * diff : a.index - b.index;
      });
      for (const { row } of rows) body.appendChild(row);
      for (const h of headers) {
        if (h === header) h.setAttribute("aria-sort", order);
        else h.removeAttribute("aria-sort");
      }
      if (select) select.value = `${key}:${order}`;
      if (status) status.textContent = `Sorted by ${header.textContent.trim()}, ${order}.`;
    };

    for (const header of headers) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "sg-cmp-sortbutton";
      button.textContent = header.textContent.trim();
      header.textContent = "";
      header.appendChild(button);
      button.addEventListener("click", () => {
        const current = header.getAttribute("aria-sort");
        const first = header.dataset.sgSortFirst || "ascending";
        const order = current === first ? (first === "ascending" ? "descending" : "ascending") : first;
        sort(header.dataset.sgSort, order);
      });
    }
    if (form && select) {
      select.value = "";
      select.addEventListener("change", () => {
        const [key, order] = select.value.split(":");
        if (key) sort(key, order);
      });
      form.addEventListener("submit", (e) => e.preventDefault());
      form.hidden = false;
    }
  };

  /** Seconds from "12", "12.5" or "1:30"; null otherwise. */
  const parseTime = (text) => {
    const match = /^\s*(?:(\d+):)?(\d+(?:\.\d+)?)\s*$/.exec(text || "");
    if (!match) return null;
    return (match[1] ? Number(match[1]) * 60 : 0) + Number(match[2]);
  };

  const enhanceShareLink = (form) => {
    const status = form.querySelector(".sg-share-status");
    const input = form.querySelector("input[name=t]");
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const seconds = parseTime(input && input.value);
      const base = location.href.split("#")[0].split("?")[0];
      const query = seconds && seconds > 0 ? "?t=" + String(Math.round(seconds * 10) / 10) : "";
      const link = base + query + "#" + encodeURIComponent(form.dataset.assetId);
      if (input && input.value.trim() && seconds === null) {
        status.textContent = "Write the time as seconds or minutes:seconds, e.g. 0:05.";
        return;
      }
      try {
        await navigator.clipboard.writeText(link);
        status.textContent = "Link copied.";
      } catch (err) {
        // No clipboard (file://, permissions): show the link so it can be copied by hand.
        status.textContent = link;
      }
      form.dataset.sgLink = link;
    });
    form.hidden = false;
  };

  const init = () => {
    for (const gallery of document.querySelectorAll("[data-sg-gallery]:not([data-sg-enhanced])")) {
      gallery.setAttribute("data-sg-enhanced", "");
      enhanceGallery(gallery);
    }
    for (const root of document.querySelectorAll("[data-sg-compare-brands]:not([data-sg-enhanced])")) {
      root.setAttribute("data-sg-enhanced", "");
      enhanceComparison(root);
    }
    for (const form of document.querySelectorAll("[data-sg-share-link]:not([data-sg-enhanced])")) {
      form.setAttribute("data-sg-enhanced", "");
      enhanceShareLink(form);
    }
  };

  const initWhenReady = () => {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init, { once: true });
    else init();
  };
  if (window.document$ && typeof window.document$.subscribe === "function") {
    // On file:// with navigation.instant, Material completes document$ before it ever emits
    // (its instant-navigation observable is empty there): fall back to DOMContentLoaded.
    window.document$.subscribe({ next: init, complete: initWhenReady });
  } else {
    initWhenReady();
  }
})();
