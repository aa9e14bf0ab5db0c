// @ts-check
/* The my-tickets widget (the Support page): the ticket list (a view, filters, search, pages by
   cursor), its state kept in the address, so Back and reload find it as it was. The agent
   console has a queue of its own (agent.js). */
(() => {
  "use strict";
  const P = window.Portal;
  const { h, fill, field, note, busy, button } = P;
  const { tags: TAGS, statuses: STATUSES } = P.contract;
  const { tagList, ticketUrl } = /** @type {PortalTickets} */ (P.tickets);
  const VIEWS = { org: "All of my organisation's", mine: "Raised by me", following: "That I follow" };

  // --- ticket lists: filters, search, cursor pagination ----------------------------------------
  // state and pages start the list where an address left it; onShow(state, pages) follows it.
  /** @param {HTMLElement} root
      @param {{ state?: PortalListState, pages?: (string | null)[], onShow?: (state: PortalListState, pages: (string | null)[]) => void }} options */
  const ticketList = (root, { onShow, ...start }) => {
    const state = { view: "", status: "", tag: "", q: "", ...start.state };
    let pages = start.pages || [null]; // cursors of the pages seen so far; the last one is the current page
    let next = null;
    const results = h("div", { class: "portal-results" });
    const live = h("p", { class: "portal-sr", "aria-live": "polite" });
    const select = (name, label, values) => field(label, h("select", { name, "data-action": "filter" },
      P.options(values, state[name], "Any")));
    const search = h("input", { name: "q", type: "search", "data-action": "search", autocomplete: "off" });

    fill(root, h("form", { class: "portal-filters", role: "search", "aria-label": "Filter tickets",
      "data-action": "searchNow" },
    field("Show", h("select", { name: "view", "data-action": "filter" },
      P.contract.views.map((v) => h("option", { value: v === "org" ? "" : v, selected: v === state.view }, VIEWS[v])))),
    select("status", "Status", STATUSES),
    select("tag", "Tag", TAGS),
    field("Search", search)), live, results);
    const filters = root.querySelector("form");
    // The controls show the state (an address's, or cleared).
    const sync = () => Object.keys(state).forEach((k) => filters.elements[k] && (filters.elements[k].value = state[k]));
    sync();

    const query = () => {
      const params = new URLSearchParams({ limit: "10" });
      for (const [k, v] of Object.entries(state)) if (v) params.set(k, v);
      if (pages[pages.length - 1]) params.set("cursor", pages[pages.length - 1]);
      return `/tickets?${params}`;
    };
    const row = (t) => h("li", { class: "portal-ticket" },
      h("div", { class: "portal-ticket-head" },
        h("a", { href: ticketUrl(t.number) },
        h("span", { class: "portal-num" }, `#${t.number}`), " ", t.title),
        P.badge(t.status)),
      h("div", { class: "portal-ticket-meta" },
        tagList(t.tags),
        h("span", {}, "Updated ", P.time(t.updated_at), ` by ${t.updated_by}`)));

    let latest = 0;
    const load = async () => {
      const mine = ++latest; // a newer request (filters changed meanwhile) wins over a slower older one
      results.setAttribute("aria-busy", "true");
      if (!results.firstChild) fill(results, busy("Loading tickets…"));
      try {
        const page = await P.api("GET", query());
        if (mine !== latest) return;
        next = page.next_cursor;
        const filtered = Object.entries(state).some(([k, v]) => v && k !== "view");
        const pageNo = pages.length;
        fill(results, page.items.length ? h("ul", { class: "portal-list" }, page.items.map(row))
          : [note(filtered ? "No tickets match these filters."
            : state.view ? "No tickets in this view yet." : "Your organisation has no tickets yet."),
          filtered && button("clear", "Clear filters")],
        (pageNo > 1 || next) && h("nav", { class: "portal-pager", "aria-label": "Pages of tickets" },
          button("prev", "Newer", false, { disabled: pageNo === 1 }),
          h("span", {}, `Page ${pageNo}`),
          button("next", "Older", false, { disabled: !next })));
        live.textContent = `${page.items.length} ticket${page.items.length === 1 ? "" : "s"} shown, page ${pageNo}.`;
        onShow?.(state, pages);
      } catch (error) {
        if (mine === latest) fill(results, P.problem(error), button(error.status === 400 ? "clear" : "reload",
          error.status === 400 ? "Clear filters" : "Try again"));
      } finally { if (mine === latest) results.removeAttribute("aria-busy"); }
    };
    const restart = () => { pages = [null]; load(); };
    let timer;
    P.delegate(root, {
      change: { filter: (el) => { state[el.name] = el.value; restart(); } },
      input: { search: (el) => {
        clearTimeout(timer);
        timer = setTimeout(() => { const v = el.value.trim(); if (v !== state[el.name]) { state[el.name] = v; restart(); } }, 350);
      } },
      submit: { searchNow: () => {
        clearTimeout(timer);
        state.q = search.value.trim();
        restart();
      } },
      click: {
        next: () => { pages.push(next); load(); },
        prev: () => { pages.pop(); load(); },
        reload: load,
        clear: () => {
          for (const k of Object.keys(state)) if (k !== "view") state[k] = "";
          sync();
          restart();
          P.focus(filters, "select");
        },
      },
    });
    P.on(root, "tickets", load);
    load();
  };

  // --- the list's state in the address: ?view=&status=&tag=&search=&page= -------------------------------
  // Back and reload find the list as it was. A page's cursor is opaque and long: the cursors seen
  // for each set of filters stay in this tab's sessionStorage, and an address whose page this tab
  // never saw starts on the first page.
  // The address says "search" for q: Material opens its own search dialog on ?q=.
  const FILTERS = ["view", "status", "tag", "q"];
  const NAME = (k) => (k === "q" ? "search" : k);
  const CURSORS = "portal.pages";
  const filterKey = (state) => FILTERS.map((k) => state[k] || "").join("|");
  const cursors = () => { try { return JSON.parse(sessionStorage.getItem(CURSORS) || "{}"); } catch { return {}; } };
  const fromAddress = () => {
    const params = new URLSearchParams(location.search);
    const state = Object.fromEntries(FILTERS.map((k) => [k, (params.get(NAME(k)) || "").trim()]));
    const page = Math.max(1, Number(params.get("page")) || 1);
    const seen = cursors()[filterKey(state)] || [null];
    return { state, pages: seen.length >= page ? seen.slice(0, page) : [null] };
  };
  const toAddress = (state, pages) => {
    const params = new URLSearchParams();
    FILTERS.forEach((k) => state[k] && params.set(NAME(k), state[k]));
    if (pages.length > 1) params.set("page", String(pages.length));
    try { sessionStorage.setItem(CURSORS, JSON.stringify({ ...cursors(), [filterKey(state)]: pages })); } catch { /* no storage: page 1 after a reload */ }
    const search = params.toString();
    // replaceState: Back leaves the list, as it would any page, and comes back to it as it was.
    history.replaceState(history.state, "", `${location.pathname}${search ? `?${search}` : ""}${location.hash}`);
    try { sessionStorage.setItem("portal.list", location.href); } catch { /* the ticket page links the plain list */ }
  };

  P.widget("my-tickets", (root) => P.signedInOnly(root, null, (box) => ticketList(box, { ...fromAddress(), onShow: toAddress })));
})();
