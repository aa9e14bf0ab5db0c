// @ts-check
/* The ticket-detail widget (support/ticket/?n=1042, where the mails link), with drafts of the
   response and the update. */
(() => {
  "use strict";
  const P = window.Portal;
  const { fill, note } = P;
  const { ticketDetail } = /** @type {Required<PortalTickets>} */ (P.tickets);

  P.widget("ticket-detail", (root) => {
    const n = new URLSearchParams(location.search).get("n");
    const show = () => {
      if (!/^\d{1,9}$/.test(n || "")) return fill(root, note("This address names no ticket. Open one from the list of tickets.", "error"));
      if (!P.user()) return fill(root, P.signedOut(`Sign in above to open ticket #${n}.`));
      const box = P.fresh(root);
      const draft = P.drafts(String(n));
      draft.watch(box);
      // The support inbox's mails link here too: agents get their tools on this page as well.
      ticketDetail(box, Number(n), { agent: P.isSupport(), draft });
    };
    P.onUser(root, show);
    show();
    // "All tickets" returns to the list as it was last shown in this tab (its filters and page).
    const list = sessionStorage.getItem("portal.list");
    document.querySelectorAll("a.portal-back").forEach((a) => { if (list) a.setAttribute("href", list); });
  });
})();
