// @ts-check
/* Agent console (support group): the queue of every organisation with its filters, the
   ticket with internal notes, status and priority, and raising a ticket on a customer's
   behalf. Built from the pieces of tickets.js. */
(() => {
  "use strict";
  const P = window.Portal;
  const { h, fill, note } = P;
  const T = P.tickets;

  const consoleFor = (box) => {
    const orgs = new Set();
    const datalist = h("datalist", { id: "portal-orgs" });
    const raise = h("section", { class: "portal-panel", "aria-label": "New ticket", hidden: true });
    const queue = h("section", { class: "portal-panel", "aria-label": "Queue" });
    const detail = h("section", { class: "portal-panel portal-agent-detail", "aria-label": "Selected ticket" });
    fill(box, h("div", { class: "portal-actions" },
      P.button("raise", "New ticket", true, { "aria-expanded": "false" })), raise, queue, detail, datalist);

    const open = (number) => {
      const url = new URL(location.href);
      url.searchParams.set("n", number);
      history.replaceState(history.state, "", url); // shareable address, no extra history entry
      const el = h("div");
      fill(detail, el);
      T.ticketDetail(el, number, { agent: true, focus: true });
    };
    T.ticketList(queue, { agent: true, open });
    P.on(box, "queue", (items) => {
      items.forEach((t) => orgs.add(t.org));
      fill(datalist, [...orgs].sort().map((o) => h("option", { value: o })));
    });
    P.delegate(box, {
      click: {
        raise: (b) => {
          const show = raise.hidden;
          raise.hidden = !show;
          b.setAttribute("aria-expanded", String(show));
          if (show) {
            T.ticketForm(P.fresh(raise), { agent: true, onCreated: (t) => open(t.number) });
            raise.querySelector("input").focus();
          }
        },
      },
    });
    const n = new URLSearchParams(location.search).get("n");
    if (/^\d{1,9}$/.test(n || "")) open(Number(n));
  };

  P.widget("agent-console", (root) => {
    const show = () => {
      if (!P.user()) return fill(root, P.signedOut("Sign in above with your support account to work the queue."));
      if (!P.isSupport()) {
        return fill(root, note("The agent console is for the support team. Your organisation's tickets are on the Support page."),
          h("p", {}, h("a", { href: P.siteUrl("support/") }, "Go to Support")));
      }
      consoleFor(P.fresh(root));
    };
    P.onUser(root, show);
    show();
  });
})();
