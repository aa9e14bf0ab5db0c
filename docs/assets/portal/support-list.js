// @ts-check
/* The my-tickets widget (the Support page): the ticket list, its view, filters, search and page
   kept in the address, so Back and reload find it as it was. */
(() => {
  "use strict";
  const P = window.Portal;
  const { ticketList } = /** @type {PortalTickets} */ (P.tickets);

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
