// @ts-check
/* Agent console (support group), a two-pane workspace: the queue (views Unassigned / Mine /
   All with their counts, filters, an organisation picker by name, pages) on the left, the
   ticket on the right (the ticket-detail view of ticket-detail.js, with assignment, macros and
   a customer panel around it). View, filters and the open ticket live in the address; j/k move
   in the queue, Enter opens, r goes to the response, a assigns to me, Escape returns. */
(() => {
  "use strict";
  const P = window.Portal;
  const { h, fill, note, busy, button, field, options } = P;
  const T = P.tickets;
  const C = P.contract;
  const VIEWS = [["unassigned", "Unassigned"], ["mine", "Mine"], ["all", "All"]];
  const FILTERS = ["status", "priority", "tag", "org", "q", "sort"];
  const KEYS = "portal.agent.keys"; // the single-letter keys can be switched off (WCAG 2.1.4)
  const KEY = { q: "search" }; // ?q= in the address opens Material's site search
  const SLA = { ok: "SLA ok", at_risk: "SLA at risk", breached: "SLA breached" };

  // --- plain-language errors: by the field the API names, else by status -----------------------
  const FIELD = {
    org: "That organisation is not known: pick one from the list.",
    q: "That search is too long or empty: shorten it, or clear the field.",
    cursor: "This page of the queue is out of date: start again from the first page.",
    assignee: "Only members of the support team can be assignees.",
    version: "Someone else changed this ticket since you opened it: it is shown as it is now.",
  };
  const STATUS = {
    401: "Your session has ended: sign in again.",
    403: "This needs a support account.",
    404: "This ticket does not exist, or was removed.",
    409: "Someone else changed this ticket since you opened it: it is shown as it is now. Apply your change again.",
    413: "That is too long to send.",
    429: "The portal is busy: try again in a moment.",
    503: "The portal is busy: try again in a moment.",
  };
  /** @param {any} error */
  const plain = (error) => {
    const named = /^(?:query\.|body\.)?(\w+)\b[^:]*:/.exec(error.detail || error.message || "");
    if (error.status === 400 && named && FIELD[named[1]]) return FIELD[named[1]];
    if (STATUS[error.status]) return STATUS[error.status];
    if (error.status === 400) return "The portal refused this: check the filters and the text, and try again.";
    return "The portal could not be reached: check your connection and try again.";
  };

  // --- the address: view, filters, the open ticket ------------------------------------------
  const fromUrl = () => {
    const q = new URLSearchParams(location.search);
    const s = { view: VIEWS.some(([v]) => v === q.get("view")) ? q.get("view") : "all", n: 0 };
    FILTERS.forEach((k) => { s[k] = q.get(KEY[k] || k) || ""; });
    const n = q.get("n") || "";
    s.n = /^\d{1,9}$/.test(n) ? Number(n) : 0;
    return s;
  };
  const toUrl = (s) => {
    const q = new URLSearchParams();
    if (s.view !== "all") q.set("view", s.view);
    FILTERS.forEach((k) => s[k] && q.set(KEY[k] || k, s[k]));
    if (s.n) q.set("n", s.n);
    const url = new URL(location.href);
    url.search = `${q}`;
    return url.href;
  };

  const due = (t) => t.first_response_due_at || t.next_response_due_at;
  const sla = (t) => {
    const at = due(t);
    return h("span", { class: `portal-sla portal-sla--${t.sla_state}` }, SLA[t.sla_state] || t.sla_state,
      at && [", due ", h("time", { datetime: at, title: new Date(at).toLocaleString() }, P.ago(at))]);
  };
  const typing = (el) => el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));

  const consoleFor = (box) => {
    let s = fromUrl();
    let pages = [null];
    let next = null;
    let items = [];
    let counts = null;
    let ticket = null; // the open ticket as this console last read it (assignment, customer panel)
    let macros = null;
    let armed = null; // a macro's status, to set once the response it filled is sent
    let supportUsers = [];
    const orgNames = {};
    const me = () => (P.user() || {}).email;

    const live = h("p", { class: "portal-sr", "aria-live": "polite" });
    const tabs = h("div", { class: "portal-agent-views", role: "group", "aria-label": "Views" });
    const orgs = h("select", { name: "org", "data-action": "filter" }, h("option", { value: "" }, "Any"));
    const search = h("input", { name: "q", type: "search", "data-action": "search", autocomplete: "off" });
    const filters = h("form", { class: "portal-filters portal-agent-filters", role: "search", "aria-label": "Filter the queue",
      "data-action": "searchNow" },
    field("Status", h("select", { name: "status", "data-action": "filter" }, options(C.statuses, s.status, "Any"))),
    field("Priority", h("select", { name: "priority", "data-action": "filter" }, options(C.priorities, s.priority, "Any"))),
    field("Tag", h("select", { name: "tag", "data-action": "filter" }, options(C.tags, s.tag, "Any"))),
    field("Organisation", orgs),
    field("Sort", h("select", { name: "sort", "data-action": "filter" },
      h("option", { value: "" }, "Latest activity"), h("option", { value: "due", selected: s.sort === "due" }, "Due soonest"))),
    field("Search", search));
    search.value = s.q;
    const results = h("div", { class: "portal-results" });
    const queue = h("section", { class: "portal-agent-queue", "aria-label": "Queue" }, tabs, filters, live, results);
    const tools = h("div", { class: "portal-agent-tools" });
    const detail = h("div", { class: "portal-agent-ticket" });
    const customer = h("aside", { class: "portal-agent-customer", "aria-label": "Customer" });
    const pane = h("section", { class: "portal-agent-detail", "aria-label": "Selected ticket" },
      button("back", "Back to the queue", false, { class: "md-button portal-agent-back" }), tools, detail, customer);
    const raise = h("section", { class: "portal-panel", "aria-label": "New ticket", hidden: true });
    const say = h("p", { class: "portal-sr", "aria-live": "assertive" });
    fill(box, h("div", { class: "portal-actions portal-agent-bar" },
      P.button("raise", "New ticket", true, { "aria-expanded": "false" }),
      h("label", { class: "portal-check portal-hint" }, h("input", { type: "checkbox", name: "keys", "data-action": "keys",
        checked: localStorage.getItem(KEYS) !== "off" }),
      "Keys: j / k move in the queue, Enter opens, r writes a response (Ctrl+Enter sends), a assigns to you, Escape returns to the queue.")),
    raise, h("div", { class: "portal-agent-panes" }, queue, pane), say);
    const layout = () => box.classList.toggle("portal-agent--open", !!s.n);

    // --- counts and views --------------------------------------------------------------------
    const renderTabs = () => fill(tabs, VIEWS.map(([v, label]) => {
      const n = counts && (v === "all" ? counts.open + counts.pending : counts[v]);
      return h("button", { type: "button", class: "portal-agent-view", "data-action": "view", "data-view": v,
        "aria-pressed": String(s.view === v) }, label, n != null && h("span", { class: "portal-count-badge" },
        h("span", { class: "portal-sr" }, ": "), `${n}`, h("span", { class: "portal-sr" }, " open or pending")));
    }), counts && !!counts.breached && h("span", { class: "portal-sla portal-sla--breached" }, `${counts.breached} breached`));
    const loadCounts = async () => {
      try { counts = await P.api("GET", "/tickets/counts"); } catch { counts = null; }
      renderTabs();
    };

    // --- the queue -------------------------------------------------------------------------
    const query = () => {
      const q = new URLSearchParams({ limit: "25" });
      if (s.view !== "all") q.set("view", s.view);
      FILTERS.forEach((k) => s[k] && q.set(k, s[k]));
      if (pages[pages.length - 1]) q.set("cursor", pages[pages.length - 1]);
      return `/tickets?${q}`;
    };
    const row = (t) => h("li", { class: "portal-ticket portal-agent-row" },
      h("a", { href: toUrl({ ...s, n: t.number }), "data-action": "pick", "data-number": t.number,
        "aria-current": t.number === s.n ? "true" : null },
      h("span", { class: "portal-agent-row-title" }, h("span", { class: "portal-num" }, `#${t.number}`), " ", t.title),
      h("span", { class: "portal-agent-row-meta" },
        P.badge(t.status), h("span", { class: `portal-prio portal-prio--${t.priority}` }, t.priority),
        h("span", { class: "portal-org" }, t.org),
        h("span", {}, t.assignee ? t.assignee.split("@")[0] : "unassigned"),
        t.status !== "closed" && sla(t), P.time(t.updated_at))));
    let latest = 0;
    const load = async () => {
      const mine = ++latest;
      results.setAttribute("aria-busy", "true");
      if (!results.firstChild) fill(results, busy("Loading the queue…"));
      try {
        const page = await P.api("GET", query());
        if (mine !== latest) return;
        items = page.items;
        next = page.next_cursor;
        const pageNo = pages.length;
        const focused = /** @type {HTMLElement} */ (document.activeElement);
        const kept = results.contains(focused) && focused.dataset.number;
        fill(results, items.length ? h("ol", { class: "portal-list portal-agent-rows" }, items.map(row))
          : note(s.view === "mine" ? "Nothing in your view: take a ticket from Unassigned." : "No tickets match this view."),
        (pageNo > 1 || next) && h("nav", { class: "portal-pager", "aria-label": "Pages of the queue" },
          button("prev", "Previous", false, { disabled: pageNo === 1 }), h("span", {}, `Page ${pageNo}`),
          button("next", "Next", false, { disabled: !next })));
        if (kept) /** @type {HTMLElement} */ (results.querySelector(`[data-number="${kept}"]`) || results).focus();
        live.textContent = `${items.length} ticket${items.length === 1 ? "" : "s"} in this view, page ${pageNo}.`;
      } catch (error) {
        if (mine === latest) fill(results, note(plain(error), "error"), button("reload", "Try again"));
      } finally { if (mine === latest) results.removeAttribute("aria-busy"); }
    };
    const restart = () => { pages = [null]; history.replaceState(null, "", toUrl(s)); load(); };
    const refresh = () => { load(); loadCounts(); };

    // --- the open ticket: assignment and macros around the ticket view, the customer beside it ---
    const renderTools = () => {
      const t = ticket;
      const others = supportUsers.filter((u) => u !== t.assignee);
      fill(tools, h("form", { class: "portal-inline portal-agent-assign", "data-action": "reassign", "aria-label": "Assignment" },
        h("p", { class: "portal-agent-assignee" }, h("strong", {}, "Assignee: "), t.assignee || "nobody", " · ", sla(t)),
        t.assignee !== me() && button("assignMe", "Assign to me", true),
        !!others.length && field("Reassign to", h("select", { name: "assignee" }, options(others, ""))),
        !!others.length && h("button", { type: "submit", class: "md-button" }, "Reassign"),
        t.assignee && button("unassign", "Unassign")));
    };
    // The macro picker sits in the response form of the ticket view (put back after each rendering).
    const picker = () => h("div", { class: "portal-inline portal-agent-macro", role: "group", "aria-label": "Macros" },
      field("Macro", h("select", { name: "macro" }, macros.map((m) => h("option", { value: m.id },
        m.title, m.status ? ` (sets ${m.status})` : "")))),
      button("insertMacro", "Insert macro"),
      armed && h("p", { class: "portal-hint portal-agent-armed" },
        `Sending this response also sets the status to ${armed.status}. `,
        button("disarm", "Keep the status", false, { class: "portal-link" })));
    const placePicker = () => {
      const form = detail.querySelector("form[data-action=respond]");
      if (!form || !macros || !macros.length) return;
      const old = form.querySelector(".portal-agent-macro");
      const fresh = picker();
      if (old) { fresh.querySelector("select").value = old.querySelector("select").value; old.replaceWith(fresh); }
      else form.prepend(fresh);
    };
    new MutationObserver(() => {
      const form = detail.querySelector("form[data-action=respond]");
      if (form && !form.querySelector(".portal-agent-macro")) placePicker();
    }).observe(detail, { childList: true, subtree: true });
    const settle = (promise) => promise.then((value) => ({ value }), (error) => ({ error }));
    const renderCustomer = async (t) => {
      const head = h("h3", {}, "Customer: ", orgNames[t.org] || t.org);
      fill(customer, head, busy("Loading the customer…"));
      const [lic, open] = await Promise.all([settle(P.api("GET", `/licenses?org=${t.org}`)),
        settle(P.api("GET", `/tickets?org=${t.org}&status=open&limit=11`))]);
      if (!ticket || ticket.number !== t.number) return;
      const others = open.value && open.value.items.filter((o) => o.number !== t.number).slice(0, 10);
      fill(customer, head, h("p", { class: "portal-hint" }, "Requester ", t.requester),
        h("h4", {}, "Licenses"), lic.error ? note(plain(lic.error), "error")
          : lic.value.items.length ? h("ul", { class: "portal-agent-facts" }, lic.value.items.map((l) => h("li", {},
            `${l.product} ${l.edition} `, h("span", { class: `portal-lic portal-lic--${l.status}` }, l.status),
            h("span", { class: "portal-hint" }, ` ${l.status === "expired" ? "expired" : "expires"} `,
              h("time", { datetime: l.expires_at }, new Date(l.expires_at).toLocaleDateString()))))) : h("p", {}, "No licenses."),
        h("h4", {}, "Other open tickets"), open.error ? note(plain(open.error), "error")
          : others.length ? h("ul", { class: "portal-agent-facts" }, others.map((o) => h("li", {},
            h("a", { href: toUrl({ ...s, n: o.number }), "data-action": "pick", "data-number": o.number },
              h("span", { class: "portal-num" }, `#${o.number}`), " ", o.title)))) : h("p", {}, "None."));
    };
    const readTicket = async (number) => {
      try {
        ticket = await P.api("GET", `/tickets/${number}`);
        if (number !== s.n) return;
        renderTools();
        renderCustomer(ticket);
      } catch (error) { fill(tools); fill(customer); }
    };
    const show = (focus) => {
      layout();
      if (!s.n) {
        ticket = null;
        fill(tools);
        fill(customer);
        return fill(detail, h("p", { class: "portal-hint" }, "Open a ticket from the queue: click it, or press j and Enter."));
      }
      armed = null;
      const el = h("div");
      fill(detail, el);
      T.ticketDetail(el, s.n, { agent: true, focus });
      results.querySelectorAll("[aria-current]").forEach((a) => a.removeAttribute("aria-current"));
      results.querySelector(`[data-number="${s.n}"]`)?.setAttribute("aria-current", "true");
      return readTicket(s.n);
    };
    const openTicket = (number) => {
      if (number === s.n) return P.focus(detail, "h2");
      s = { ...s, n: number };
      history.pushState({ agent: true }, "", toUrl(s));
      show(true);
    };
    // Escape and "Back to the queue": the queue's row of the ticket takes the focus; on a phone,
    // where the ticket replaces the queue, the queue comes back (Back in the browser does too).
    const toQueue = () => {
      const n = s.n;
      if (n && !matchMedia("(min-width: 62.5em)").matches) {
        if (history.state && history.state.agent) return history.back();
        s = { ...s, n: 0 };
        history.pushState(null, "", toUrl(s));
        show(false);
      }
      /** @type {HTMLElement} */ (results.querySelector(`[data-number="${n}"]`) || results.querySelector("a") || queue).focus();
    };
    // Assignment: with the version this console read; a refusal re-reads the ticket.
    const assign = async (assignee, text) => {
      if (!ticket) return;
      const inTools = tools.contains(document.activeElement); // else the focus stays where it is (the queue)
      try {
        await P.api("PATCH", `/tickets/${ticket.number}`, { version: ticket.version, assignee });
        say.textContent = text;
        refresh();
        await show(false);
        if (inTools) P.focus(tools, "[data-action=unassign]", "button");
      } catch (error) {
        await readTicket(ticket.number);
        tools.prepend(note(plain(error), "error"));
      }
    };
    // A sent response that a macro with a status filled: set that status, then show the ticket.
    const applyArmed = async () => {
      const a = armed;
      armed = null;
      if (!a || !ticket) return refresh();
      try {
        const t = await P.api("GET", `/tickets/${ticket.number}`);
        const last = t.messages[t.messages.length - 1];
        if (last && !last.internal && last.body === a.body && t.status !== a.status) {
          await P.api("PATCH", `/tickets/${t.number}`, { version: t.version, status: a.status });
          say.textContent = `Response sent; the status is ${a.status}.`;
          show(false);
        }
      } catch (error) { tools.prepend(note(plain(error), "error")); }
      refresh();
    };

    P.delegate(box, {
      change: {
        filter: (el) => { s[el.name] = el.value; restart(); },
        keys: (el) => localStorage.setItem(KEYS, el.checked ? "on" : "off"),
      },
      input: { search: (el) => {
        clearTimeout(el.timer);
        el.timer = setTimeout(() => { const v = el.value.trim(); if (v !== s.q) { s.q = v; restart(); } }, 350);
      } },
      submit: {
        searchNow: () => { s.q = search.value.trim(); restart(); },
        reassign: (form) => assign(form.elements.assignee.value, `Assigned to ${form.elements.assignee.value}.`),
      },
      click: {
        view: (b) => { s.view = b.dataset.view; renderTabs(); restart(); },
        next: () => { pages.push(next); load(); },
        prev: () => { pages.pop(); load(); },
        reload: load,
        // Ours, not Material's instant navigation (which would fetch the page again).
        pick: (a, e) => { e.stopPropagation(); openTicket(Number(a.dataset.number)); },
        back: toQueue,
        assignMe: () => assign(me(), "Assigned to you."),
        unassign: () => assign(null, "Unassigned."),
        disarm: () => { armed = null; placePicker(); P.focus(detail, "select[name=macro]"); },
        insertMacro: async (b) => {
          const id = /** @type {HTMLSelectElement} */ (detail.querySelector("select[name=macro]")).value;
          const m = macros.find((x) => x.id === id);
          const body = /** @type {HTMLTextAreaElement} */ (detail.querySelector("textarea[name=body]"));
          try {
            const r = await P.api("GET", `/macros/${encodeURIComponent(id)}/render?ticket=${s.n}`);
            body.value = body.value.trim() ? `${body.value.trimEnd()}\n\n${r.body}` : r.body;
            body.dispatchEvent(new Event("input", { bubbles: true }));
            const internal = /** @type {HTMLInputElement} */ (detail.querySelector("input[name=internal]"));
            if (internal) internal.checked = false;
            armed = r.status ? { status: r.status } : null;
            placePicker();
            say.textContent = `Macro ${m ? m.title : ""} inserted into the response${armed ? `; sending it sets the status to ${armed.status}` : ""}.`;
            body.focus();
          } catch (error) { b.parentNode.append(note(plain(error), "error")); }
        },
        raise: (b) => {
          const showForm = raise.hidden;
          raise.hidden = !showForm;
          b.setAttribute("aria-expanded", String(showForm));
          if (showForm) {
            T.ticketForm(P.fresh(raise), { agent: true, onCreated: (t) => openTicket(t.number) });
            raise.querySelector("input").focus();
          }
        },
      },
    });
    // The response a macro filled: remember its text when sent, so its status follows it.
    detail.addEventListener("submit", (e) => {
      const form = /** @type {HTMLFormElement} */ (e.target);
      if (form.dataset.action !== "respond") return;
      const internal = form.elements.namedItem("internal");
      if (armed && !(internal && /** @type {HTMLInputElement} */ (internal).checked)) {
        armed.body = /** @type {HTMLTextAreaElement} */ (form.elements.namedItem("body")).value.trim();
      } else armed = null;
    }, true);
    detail.addEventListener("keydown", (e) => {
      const t = /** @type {HTMLElement} */ (e.target);
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && t.matches("textarea[name=body]")) {
        e.preventDefault();
        /** @type {HTMLFormElement} */ (t.closest("form")).requestSubmit();
      }
    });
    P.on(box, "tickets", () => (armed && armed.body ? applyArmed() : (refresh(), ticket && readTicket(ticket.number))));

    // --- keyboard ---------------------------------------------------------------------------
    const move = (by) => {
      const links = [...results.querySelectorAll(".portal-agent-rows > li > a")];
      if (!links.length) return;
      const at = links.indexOf(/** @type {any} */ (document.activeElement));
      const from = at >= 0 ? at : Math.max(links.findIndex((a) => a.hasAttribute("aria-current")), by > 0 ? -1 : 0);
      const to = Math.min(links.length - 1, Math.max(0, from + by));
      /** @type {HTMLElement} */ (links[to]).focus();
      const t = items[to];
      if (t) say.textContent = `${to + 1} of ${links.length}: ticket ${t.number}, ${t.title}, ${t.status}, ${t.priority}.`;
    };
    const keys = (e) => {
      if (!box.isConnected) return document.removeEventListener("keydown", keys);
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === "Escape") {
        if (typing(e.target)) /** @type {HTMLElement} */ (e.target).blur();
        return toQueue();
      }
      if (typing(e.target) || localStorage.getItem(KEYS) === "off") return;
      const act = { j: () => move(1), k: () => move(-1), r: () => s.n && P.focus(detail, "textarea[name=body]"),
        a: () => ticket && ticket.assignee !== me() && assign(me(), "Assigned to you.") }[e.key];
      if (act) { e.preventDefault(); act(); }
    };
    document.addEventListener("keydown", keys);
    // Back and Forward within the console are ours: Material's instant navigation would reload the page.
    const here = location.pathname;
    window.addEventListener("popstate", function back(e) {
      if (!box.isConnected) return window.removeEventListener("popstate", back, true);
      if (location.pathname !== here) return;
      e.stopImmediatePropagation();
      const was = s;
      s = fromUrl();
      filters.querySelectorAll("select").forEach((el) => { el.value = s[el.name]; });
      search.value = s.q;
      if (FILTERS.some((k) => was[k] !== s[k]) || was.view !== s.view) { pages = [null]; renderTabs(); load(); }
      if (was.n !== s.n) {
        show(false);
        if (!s.n) /** @type {HTMLElement} */ (results.querySelector(`[data-number="${was.n}"]`) || queue).focus();
      }
    }, true);

    // --- start: organisation names, support users and macros once; then the queue ----------------
    P.api("GET", "/orgs").then(({ items: all }) => {
      all.forEach((o) => { orgNames[o.org] = o.name; });
      fill(orgs, h("option", { value: "" }, "Any"), all.map((o) => h("option", { value: o.org, selected: o.org === s.org }, o.name)));
    }).catch(() => fill(orgs, h("option", { value: "" }, "Any"), s.org && h("option", { value: s.org, selected: true }, s.org)));
    P.api("GET", `/orgs/${P.user().org}/users`).then(({ items: u }) => {
      supportUsers = u.filter((x) => x.roles.includes("support")).map((x) => x.email);
      if (ticket) renderTools();
    }).catch(() => {});
    P.api("GET", "/macros").then(({ items: m }) => { macros = m; placePicker(); }).catch(() => { macros = []; });
    renderTabs();
    loadCounts();
    load();
    show(!!s.n);
  };

  P.widget("agent-console", (root) => {
    const showConsole = () => {
      if (!P.user()) return fill(root, P.signedOut("Sign in above with your support account to work the queue."));
      if (!P.isSupport()) {
        return fill(root, note("The agent console is for the support team. Your organisation's tickets are on the Support page."),
          h("p", {}, h("a", { href: P.siteUrl("support/") }, "Go to Support")));
      }
      consoleFor(P.fresh(root));
    };
    P.onUser(root, showConsole);
    showConsole();
  });
})();
