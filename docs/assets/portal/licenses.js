// @ts-check
/* License widgets: my-licenses (the organisation's list), license-detail (opened from the list
   or from licenses/?id=<id>, the address the reminder mails link to) and license-lookup
   (public, by key). Built from the helpers of portal.js. */
(() => {
  "use strict";
  const P = window.Portal;
  const { h, fill, note, busy, button, signedOut, signedInOnly } = P;
  const KEY = P.pattern("key"); // tested on the upper-cased key

  const name = (l) => `${l.product} ${l.edition}`;
  const date = (iso) => new Date(iso).toLocaleDateString(undefined, { dateStyle: "medium" });
  const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const left = (l) => /^(active|expiring)$/.test(l.status) && `, ${plural(l.days_left, "day")} left`;
  const expiry = (l) => [l.days_left > 0 ? "Expires " : "Expired ", date(l.expires_at),
    left(l) || [" (", P.time(l.expires_at), ")"]];
  const mask = (l) => l.key_masked.replace(/\*/g, "•");
  const table = (heads, rows) => h("table", {}, h("thead", {}, h("tr", {}, heads.map((t) => h("th", { scope: "col" }, t)))),
    h("tbody", {}, rows.map(([attrs, ...cells]) => h("tr", attrs, cells.map((c) => h("td", {}, c))))));
  const caps = (list) => (list.length ? table(["Capability", "State", "Limit"], list.map((c) =>
    [{ class: c.enabled ? null : "portal-off" }, c.name, c.enabled ? "enabled" : "disabled", c.limit || "—"]))
    : h("p", {}, "No capabilities are listed."));
  // The reason to act, when there is one: close to expiry, expired, suspended.
  /** @type {(l: { status: string, days_left: number, expires_at: string }) => [string, string] | undefined} */
  const warning = (l) => ({
    expiring: [`Expires in ${plural(l.days_left, "day")}, on ${date(l.expires_at)}: arrange the renewal with the Vendor now.`, "warn"],
    expired: [`Expired on ${date(l.expires_at)}: deployments report it as expired. Renew it with the Vendor.`, "bad"],
    suspended: ["Suspended by the Vendor: deployments report it as suspended. ", "bad"],
  })[l.status];
  // Customers of the organisation may ask for a renewal right there (support and admins renew instead).
  const renewable = (l) => /^(expiring|expired)$/.test(l.status) && P.user() && !P.isSupport() && "id" in l;
  const warn = (l) => warning(l) && P.add(note(...warning(l)),
    [l.status === "suspended" && h("a", { href: P.siteUrl("support/") }, "Contact support to re-activate it."),
      renewable(l) && h("span", { class: "portal-actions portal-renew" }, button("renew", "Request renewal"),
        h("span", { class: "portal-hint", role: "status", "data-renewal": "" }))]);
  const used = (l) => l.max_deployments == null ? plural(l.deployments_total, "deployment")
    : `${l.deployments_total} of ${plural(l.max_deployments, "deployment")}`;

  // --- my licenses ---
  const list = (root) => {
    // Support and admins see every organisation's licenses: each labelled, and a filter by organisation.
    const agent = P.isSupport();
    const orgs = new Set();
    const filter = h("select", { name: "org", "data-action": "filter" });
    const results = h("div", { "aria-live": "polite" });
    let cursor = null;
    // The license shown in the detail is marked in the list.
    const current = () => root.querySelectorAll("a[data-id]").forEach((a) =>
      a.setAttribute("aria-current", a.dataset.id === new URLSearchParams(location.search).get("id")));
    const row = (l) => h("li", { class: "portal-ticket" },
      h("div", { class: "portal-ticket-head" },
        h("a", { href: P.siteUrl(`licenses/?id=${l.id}`), "data-action": "open", "data-id": l.id, "aria-label": name(l) },
          l.product), h("span", { class: "portal-tag" }, l.edition), P.badge(l.status),
        agent && h("span", { class: "portal-org", title: "Organisation" }, l.org)),
      h("div", { class: "portal-ticket-meta" }, h("span", {}, ...expiry(l)), h("span", {}, used(l)),
        h("span", { class: "portal-key" }, "Key ", h("code", {}, mask(l)))));
    const load = async (more) => {
      if (!more) fill(results, busy("Loading licenses…"));
      try {
        const params = new URLSearchParams();
        if (filter.value) params.set("org", filter.value);
        if (more && cursor) params.set("cursor", cursor);
        const query = params.toString();
        const page = await P.api("GET", `/licenses${query ? `?${query}` : ""}`);
        cursor = page.next_cursor;
        page.items.forEach((l) => orgs.add(l.org));
        if (agent) fill(filter, P.options([...orgs].sort(), filter.value, "All organisations"));
        const ul = more ? results.querySelector("ul") : h("ul", { class: "portal-list", "aria-label": "Licenses" });
        P.add(ul, page.items.map(row));
        if (!more) fill(results, page.items.length ? ul : note(agent ? "No licenses match." : "Your organisation has no licenses yet."));
        results.querySelector("[data-action=more]")?.remove();
        if (cursor) results.append(button("more", "More licenses"));
        current();
      } catch (error) { fill(results, note(error.message, "error"), button("reload", "Try again")); }
    };
    fill(root, agent && h("form", { class: "portal-filters", role: "search", "aria-label": "Filter licenses" },
      P.field("Organisation", filter)), results);
    P.delegate(root, { change: { filter: () => load(false) }, click: { reload: () => load(false), more: () => load(true),
      open: (/** @type {HTMLAnchorElement} */ a, /** @type {MouseEvent} */ event) => {
      if (event.ctrlKey || event.metaKey) return window.open(a.href, "_blank"); // the reader asked for a new tab
      event.stopPropagation(); // the detail is on this page: no instant navigation
      const url = new URL(location.href);
      url.searchParams.set("id", a.dataset.id);
      history.replaceState(history.state, "", url); // shareable, no extra history entry
      P.emit("license", a.dataset.id);
      current();
    } } });
    load(false);
  };
  P.widget("my-licenses", (root) => signedInOnly(root, "Sign in above to see your organisation's licenses.", list));

  // --- license detail ---
  const detail = (root, id, focus) => {
    const path = `/licenses/${encodeURIComponent(id)}`;
    let lic;
    // Visible, and announced: cleared first so that a second "Copied" is announced again.
    const status = () => h("span", { class: "portal-hint", role: "status" });
    const keyStatus = status();
    const fileStatus = status();
    const releaseStatus = status();
    let deployments = [], more = null;
    const say = (el, text) => { el.textContent = ""; setTimeout(() => { el.textContent = text; }, 50); };
    const render = () => {
      const l = lic;
      const row = (label, ...value) => [h("dt", {}, label), h("dd", {}, ...value)];
      fill(root, h("article", { class: "portal-detail", "aria-labelledby": "portal-lic" },
        h("h2", { id: "portal-lic", tabindex: "-1" }, name(l)),
        warn(l),
        h("dl", { class: "portal-meta" },
          row("Status", P.badge(l.status)), row("Expiry", ...expiry(l)), row("Issued", date(l.issued_at)),
          P.isSupport() && row("Organisation", h("span", { class: "portal-org" }, l.org)),
          row("License id", h("code", {}, l.id)),
          row("Deployments", used(l), l.max_deployments == null ? " (no limit)" : ""),
          row("Key", h("span", { class: "portal-actions portal-key" }, h("code", {}, mask(l)),
            button("reveal", "Reveal"), button("copy", "Copy"), keyStatus))),
        /^(active|expiring)$/.test(l.status) && h("div", { class: "portal-actions" },
          button("download", "Download license file", true), fileStatus),
        h("h3", {}, "Capabilities"), caps(l.capabilities),
        h("h3", {}, `Deployments (${used(l)})`),
        l.max_deployments != null && l.deployments_total >= l.max_deployments && note(
          `All ${plural(l.max_deployments, "deployment")} of this license are in use: a new installation cannot check in. `
          + "Release one that no longer runs, or ask the Vendor for a higher limit.", "warn"),
        deployments.length ? h("div", { class: "portal-deployments" }, table(["Instance", "Host name", "Version", "Last seen", h("span", { class: "portal-sr" }, "Release")],
          deployments.map((d) => [{ "data-instance": d.instance_id }, h("code", {}, d.instance_id), d.hostname, d.version,
            P.time(d.last_seen_at), button("release", "Release", false, { "data-instance": d.instance_id,
              "aria-label": `Release ${d.instance_id}` })])))
          : h("p", {}, "No deployment has checked in with this key yet."),
        more && button("moreDeployments", "More deployments"), releaseStatus));
    };
    const load = async () => {
      fill(root, busy("Loading the license…"));
      try {
        lic = await P.api("GET", path);
        deployments = lic.deployments;
        more = lic.deployments_next_cursor;
        render();
      } catch (error) {
        fill(root, note(error.status === 404 ? `License ${id} does not exist, or belongs to another organisation.`
          : error.message, "error"), !(error.status < 500) && button("retry", "Try again"));
      }
      if (focus) P.focus(root, "h2, .portal-note");
    };
    P.delegate(root, { click: {
      retry: load,
      moreDeployments: async (b) => {
        b.disabled = true;
        try {
          const page = await P.api("GET", `${path}/deployments?cursor=${encodeURIComponent(more)}`);
          deployments = deployments.concat(page.items);
          more = page.next_cursor;
          render();
        } catch (error) { b.disabled = false; say(releaseStatus, error.message); }
      },
      // Two steps, so a slip of the finger frees no slot: Release, then Confirm.
      release: async (b) => {
        const instance = b.dataset.instance;
        if (b.textContent === "Release") {
          b.textContent = "Confirm";
          b.classList.add("md-button--primary");
          return say(releaseStatus, `Select Confirm to release ${instance}; it stops counting against the limit.`);
        }
        b.disabled = true;
        try {
          await P.send("DELETE", `${path}/deployments/${encodeURIComponent(instance)}`);
          deployments = deployments.filter((d) => d.instance_id !== instance);
          lic.deployments_total -= 1;
          render();
          say(releaseStatus, `Released ${instance}. If it checks in again, it counts as a new deployment.`);
        } catch (error) { b.disabled = false; say(releaseStatus, `Releasing failed: ${error.message}`); }
      },
      renew: async (b) => {
        const out = root.querySelector("[data-renewal]");
        b.disabled = true;
        try {
          const { ticket } = await P.api("POST", `${path}/renewal-request`, {}, { "Idempotency-Key": P.newKey() });
          fill(out, "Renewal requested: ", h("a", { href: P.siteUrl(`support/ticket/?n=${ticket.number}`) },
            `ticket #${ticket.number}`), ". The Vendor answers there.");
        } catch (error) { b.disabled = false; fill(out, `Requesting failed: ${error.message}`); }
      },
      reveal: (b) => {
        const shown = b.textContent === "Reveal";
        b.textContent = shown ? "Hide" : "Reveal";
        b.previousSibling.textContent = shown ? lic.key : mask(lic);
      },
      copy: async () => {
        try { await navigator.clipboard.writeText(lic.key); say(keyStatus, "Copied"); } catch {
          say(keyStatus, "Copying failed: select Reveal and copy the key by hand.");
        }
      },
      download: async (b) => {
        b.disabled = true;
        try {
          const url = URL.createObjectURL(await (await P.send("GET", `${path}/file`)).blob());
          const a = h("a", { download: `${id}.lic`, hidden: true });
          a.href = url; // a blob: address, which Portal.h rightly refuses
          root.append(a);
          a.click();
          a.remove();
          setTimeout(() => URL.revokeObjectURL(url), 1000);
          say(fileStatus, `Downloaded ${id}.lic`);
        } catch (error) { say(fileStatus, `Downloading failed: ${error.message}`); } finally { b.disabled = false; }
      },
    } });
    load();
  };

  P.widget("license-detail", (root) => {
    let id = new URLSearchParams(location.search).get("id");
    // Focus moves to the detail only when it was opened from the list, not on a sign-in.
    const show = (focus) => {
      if (!id) return fill(root, note("Select a license in the list above to see its detail here."));
      if (!P.user()) return fill(root, signedOut(`Sign in above to see license ${id}.`));
      detail(P.fresh(root), id, focus === true);
    };
    P.on(root, "license", (next) => { id = next; show(true); });
    P.onUser(root, show);
    show();
  });

  // --- public lookup ---
  P.widget("license-lookup", (root) => {
    const input = h("input", { name: "key", autocomplete: "off", spellcheck: "false", autocapitalize: "characters",
      placeholder: "ABCDE-FGHJK-LMNPQ-RSTUV-WXYZ2", class: "portal-keyin" });
    const out = h("div", { "aria-live": "polite" });
    const check = () => {
      const v = input.value.trim().toUpperCase();
      return P.invalid(input, !v ? "Paste or type a license key." : !KEY.test(v)
        && "A key is five groups of five letters or digits separated by dashes, like ABCDE-FGHJK-LMNPQ-RSTUV-WXYZ2.") ? null : v;
    };
    fill(root, h("form", { class: "portal-form", "data-action": "lookup", role: "search", "aria-label": "License lookup", novalidate: true },
      P.field("License key", input, "Nothing about the organisation that owns it is shown."),
      h("div", { class: "portal-actions" }, h("button", { type: "submit", class: "md-button md-button--primary" }, "Look up"))), out);
    root.addEventListener("input", () => { if (input.getAttribute("aria-invalid")) check(); });
    P.delegate(root, { submit: { lookup: async (form) => {
      const key = check();
      if (!key) return input.focus();
      const submit = form.querySelector("button");
      submit.disabled = true;
      fill(out, busy("Looking the key up…"));
      let wait = 0;
      try {
        const l = await P.api("POST", "/licenses/lookup", { key });
        fill(out, h("section", { class: "portal-lookup", "aria-label": "License found" },
          h("h3", {}, name(l)), warn(l), h("p", {}, P.badge(l.status), " ", ...expiry(l)), caps(l.capabilities)));
      } catch (error) {
        wait = error.status === 429 && (error.retryAfter || 60);
        fill(out, note(error.status === 404 ? "No license has this key. Check it for typos: every group has five characters."
          : wait ? `Too many lookups for now. Wait ${plural(wait, "second")} and try again.` : error.message, "error"));
      }
      setTimeout(() => { submit.disabled = false; }, wait * 1000);
    } } });
  });
})();
