// @ts-check
/* The ticket family's parts: the new-ticket form and
   the form helpers that ticket-detail.js, the agent console and the customers' pages (support.js:
   the widgets, with URL state, drafts and knowledge-base suggestions) share through Portal.tickets. */
(() => {
  "use strict";
  const P = window.Portal;
  if (P.tickets) return; // defined by an earlier page's bundle (each bundle holds what it needs)
  const { h, fill, field, note, invalid, button } = P;
  const { tags: TAGS, priorities: PRIORITIES, limits: LIMITS } = P.contract;
  const ORG = P.pattern("org");
  const EMAIL = P.pattern("email");

  const ticketUrl = (n) => P.siteUrl(`support/ticket/?n=${n}`);
  const tagList = (tags) => h("span", { class: "portal-tags" }, tags.map((t) => h("span", { class: "portal-tag" }, t)));
  const submit = (text) => h("button", { type: "submit", class: "md-button md-button--primary" }, text);

  // The checks the API applies (Portal.contract, from its schemas): trimmed lengths, tags, patterns.
  const counter = (c) => {
    const out = document.getElementById(`${c.id}-n`);
    if (out) out.textContent = `${c.value.trim().length} / ${LIMITS[c.name]}`;
  };
  const textField = (label, name, value, multiline, hint) => {
    const c = h(multiline ? "textarea" : "input", { name, id: P.id(name), rows: multiline && 6, "aria-required": "true" });
    c.value = value || "";
    const wrap = field(label, c, hint);
    wrap.querySelector("label").append(h("span", { class: "portal-count", id: `${c.id}-n`, "aria-hidden": "true" }));
    counter(c);
    return wrap;
  };
  const tagsField = (selected) => {
    const legendId = P.id("tags");
    return h("fieldset", { class: "portal-field portal-tagset", "aria-describedby": `${legendId}-err` },
      h("legend", { id: legendId }, "Tags"),
      TAGS.map((t) => h("label", { class: "portal-check" },
        h("input", { type: "checkbox", name: "tags", value: t, checked: selected.includes(t) }), t)),
      h("p", { class: "portal-error", id: `${legendId}-err`, hidden: true }));
  };
  const checkTags = (form) => {
    const set = form.querySelector(".portal-tagset");
    if (!set) return false;
    const chosen = [...set.querySelectorAll("input:checked")].map((c) => c.value);
    const err = set.querySelector(".portal-error");
    err.textContent = chosen.length ? "" : "Choose at least one tag.";
    err.hidden = !!chosen.length;
    set.toggleAttribute("data-invalid", !chosen.length);
    return !chosen.length && set.querySelector("input");
  };
  const checkControl = (c) => {
    const v = c.value.trim();
    const problem = LIMITS[c.name] ? (!v ? "Fill in this field." : v.length > LIMITS[c.name] && `${v.length} characters; at most ${LIMITS[c.name]}.`)
      : c.name === "org" ? !ORG.test(v) && "An organisation id like acme: lower-case letters, digits and dashes."
        : /^(requester|email)$/.test(c.name) && !EMAIL.test(v) && "An e-mail address, like alice@acme.example.";
    return invalid(c, problem) && c;
  };
  // Validate the whole form; focus the first problem. True when it may be sent.
  const checkForm = (form) => {
    const bad = [...form.querySelectorAll("input[name]:not([type=checkbox]), textarea")]
      .map(checkControl).concat(checkTags(form)).filter(Boolean)
      .sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_PRECEDING ? 1 : -1));
    if (bad[0]) bad[0].focus();
    return !bad.length;
  };
  const formValues = (form) => {
    const out = {};
    // The ticket forms have no file inputs: every value is a string.
    for (const [k, v] of /** @type {Iterable<[string, string]>} */ (new FormData(form))) {
      if (k === "tags") (out.tags ||= []).push(v);
      else if (k !== "internal") out[k] = v.trim();
    }
    return out;
  };
  // While typing: counters always, errors only on fields already flagged or left.
  const liveChecks = (root) => {
    root.addEventListener("input", (e) => {
      const c = e.target;
      if (LIMITS[c.name]) counter(c);
      if (c.getAttribute("aria-invalid")) checkControl(c);
      if (c.type === "checkbox" && c.closest(".portal-tagset[data-invalid]")) checkTags(c.form);
    });
    root.addEventListener("focusout", (e) => {
      const c = e.target;
      if (c.matches("input[name]:not([type=checkbox]), textarea") && c.value) checkControl(c);
    });
  };
  // A refusal (or a sentence) above the form, announced and focused.
  const formError = (form, error) => {
    const alert = typeof error === "string" ? note(error, "error") : P.problem(error);
    form.querySelector(".portal-note")?.remove();
    form.prepend(alert);
    alert.focus();
  };
  // Run an action with its button disabled, so a double click sends it once.
  const working = async (form, fn) => {
    const buttons = form.querySelectorAll("button");
    buttons.forEach((b) => { b.disabled = true; });
    try { return await fn(); } finally { buttons.forEach((b) => { b.disabled = false; }); }
  };

  // --- new ticket; for the agent console also organisation, requester, priority --------------
  // suggest(title, box) lists articles while the title is typed; draft keeps what is typed
  // (support.js); description prefills the description.
  /** @param {HTMLElement} root @param {Parameters<PortalTickets["ticketForm"]>[1]} options */
  const ticketForm = (root, { agent, onCreated, suggest, draft, description }) => {
    let key = null; // one Idempotency-Key per raise, kept across retries until it succeeds
    let outcome = null;
    let files;
    const render = () => {
      files = P.attach.picker();
      const title = textField("Title", "title", "", false, "One line: what happens, in which product and version.");
      const box = suggest && h("div", { class: "portal-suggest", "aria-live": "polite" });
      fill(root, h("form", { "data-action": "create", class: "portal-form", novalidate: true,
        "aria-label": agent ? "Raise a ticket on a customer's behalf" : "Raise a ticket" },
      outcome,
      agent && [
        field("Organisation", h("input", { name: "org", required: true, list: "portal-orgs", autocomplete: "off" }),
          "The customer's organisation id, like acme."),
        field("Customer's e-mail", h("input", { name: "requester", type: "email", required: true,
          list: "portal-org-users", autocomplete: "off" }), "A user of that organisation: pick one as you type."),
        h("datalist", { id: "portal-org-users" }),
        field("Priority", h("select", { name: "priority" }, P.options(PRIORITIES, "normal"))),
      ],
      tagsField([]), title, box,
      textField("Description", "description", description, true,
        "What you did, what you expected, what happened instead; versions and error messages."),
      files,
      h("div", { class: "portal-actions" }, submit("Raise ticket"))));
      outcome = null;
      draft?.restore(root);
    };
    liveChecks(root);
    // The requester must be a user of the organisation: offer its users once the id is known.
    root.addEventListener("change", async (e) => {
      const c = /** @type {HTMLInputElement} */ (e.target);
      const list = root.querySelector("#portal-org-users");
      if (c.name !== "org" || !list || !ORG.test(c.value)) return;
      try {
        const { items } = await P.api("GET", `/orgs/${c.value}/users`);
        fill(list, items.map((u) => h("option", { value: u.email })));
      } catch (error) { fill(list); }
    });
    root.addEventListener("input", (e) => {
      key = null; // changed content is a new request
      const box = /** @type {HTMLElement} */ (root.querySelector(".portal-suggest"));
      const c = /** @type {HTMLInputElement} */ (e.target);
      if (box && c.name === "title") suggest(c.value, box);
    });
    P.delegate(root, {
      submit: {
        create: (form) => {
          if (!checkForm(form)) return;
          key ||= P.newKey();
          return working(form, async () => {
            try {
              const ids = files.ids();
              const ticket = await P.api("POST", "/tickets", { ...formValues(form), ...(ids.length ? { attachments: ids } : {}) },
                { "Idempotency-Key": key });
              key = null;
              draft?.clear("create");
              outcome = note(`Ticket #${ticket.number} is raised: `, "success");
              outcome.append(h("a", { href: ticketUrl(ticket.number) }, ticket.title));
              render();
              P.focus(root, ".portal-note");
              P.emit("tickets", ticket);
              if (onCreated) onCreated(ticket);
            } catch (error) { formError(form, error); }
          });
        },
      },
    });
    render();
  };


  P.tickets = { ticketForm, submit, tagList, tagsField, textField, checkForm,
    formValues, liveChecks, formError, working, ticketUrl };
})();
