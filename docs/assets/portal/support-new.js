// @ts-check
/* The new-ticket widget (support/new/): the form, knowledge-base suggestions while the title is
   typed, the page it was raised from (?page=&title=) named in the description, and a draft. */
(() => {
  "use strict";
  const P = window.Portal;
  const { h, fill } = P;
  const { ticketForm } = /** @type {PortalTickets} */ (P.tickets);

  // --- knowledge-base suggestions from the site's own search index ---------------------------------
  let articles;
  // Search-index text carries markup: parse it inertly and keep the text.
  const plain = (html) => new DOMParser().parseFromString(html, "text/html").body.textContent || "";
  const loadArticles = () => (articles ||= fetch(P.siteUrl("search/search_index.json"))
    .then((r) => r.json())
    .then((index) => index.docs
      .filter((d) => /^kb\/[^#]+\/$/.test(d.location) && d.location !== "kb/tags/")
      .map((d) => ({ href: P.siteUrl(d.location), title: plain(d.title), text: plain(d.text).toLowerCase() })))
    .catch(() => { articles = null; return []; }));
  const STOP = new Set("the and for with not but are was can does how why what when from this that".split(" "));
  const suggest = async (title) => {
    const words = title.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 2 && !STOP.has(w));
    if (!words.length) return [];
    const scored = (await loadArticles()).map((a) => ({ a, score: words.reduce((sum, w) =>
      sum + (a.title.toLowerCase().includes(w) ? 3 : 0) + (a.text.includes(w) ? 1 : 0), 0) }));
    return scored.filter((s) => s.score > 1).sort((x, y) => y.score - x.score).slice(0, 5).map((s) => s.a);
  };
  const suggestions = (title, box) => {
    clearTimeout(box.timer);
    box.timer = setTimeout(async () => {
      const found = await suggest(title);
      fill(box, !!found.length && [
        h("p", { class: "portal-suggest-title" }, `${found.length} knowledge-base article${found.length > 1 ? "s" : ""} may answer this:`),
        h("ul", {}, found.map((a) => h("li", {}, h("a", { href: a.href, target: "_blank", rel: "noopener" },
          a.title, h("span", { class: "portal-sr" }, " (opens in a new tab)"))))),
      ]);
    }, 250);
  };

  // "Still need help? Raise a ticket" links here with ?page=<site path>&title=<its title>: the
  // description starts by naming that page (of this site only).
  const about = () => {
    const params = new URLSearchParams(location.search);
    const page = params.get("page");
    if (!page) return "";
    const url = new URL(page.replace(/^\/+/, ""), P.siteUrl(""));
    if (url.origin !== location.origin) return "";
    return `About the page: ${(params.get("title") || url.pathname).trim().slice(0, 150)} (${url.href})\n\n`;
  };

  P.widget("new-ticket", (root) => P.signedInOnly(root, "Sign in above to raise a ticket.", (box) => {
    const draft = P.drafts("new");
    draft.watch(box);
    ticketForm(box, { suggest: suggestions, draft, description: about() });
  }));
})();
