// @ts-check
/* The ticket's view (support.js mounts it on support/ticket/?n=1042, where the mails link): the
   ticket and its conversation first, the reply box, then Update Ticket, Close and Re-open, the
   details, followers and history; for support also triage and internal notes. The agent console
   shows tickets with the same view. */
(() => {
  "use strict";
  const P = window.Portal;
  if (P.tickets.ticketDetail) return; // defined by an earlier page's bundle (each bundle holds what it needs)
  const { h, fill, field, note, busy, button } = P;
  const { submit, tagList, tagsField, textField, checkForm, formValues, liveChecks, formError, working } = P.tickets;

  // --- ticket detail -------------------------------------------------------------------------------
  const HISTORY = { created: "raised the ticket", responded: "responded", noted: "wrote an internal note",
    closed: "closed the ticket", reopened: "re-opened the ticket" };
  const FOLLOW = { follower_added: ["added", "as a follower"], follower_removed: ["removed", "from the followers"] };
  const change = ([field, { to }]) => (field === "description" ? "edited the description"
    : `set ${field} to ${Array.isArray(to) ? to.join(", ") : `“${to}”`}`);
  const historyText = (e) => (e.kind === "updated" ? Object.entries(e.changes).map(change).join("; ")
    : FOLLOW[e.kind] ? `${FOLLOW[e.kind][0]} ${Object.values(e.changes.follower)[0]} ${FOLLOW[e.kind][1]}`
      : HISTORY[e.kind] || e.kind);

  // Who gets the ticket's mail: the requester always, colleagues who follow it, editable here.
  const followers = (t, me) => h("section", { class: "portal-followers", "aria-labelledby": `portal-f${t.number}` },
    h("h3", { id: `portal-f${t.number}` }, `Followers (${t.followers.length})`),
    h("p", { class: "portal-hint" }, "They get this ticket's mail and can answer it by e-mail."),
    h("ul", { class: "portal-follower-list" }, t.followers.map((f, i) => h("li", {}, h("span", {}, f),
      i === 0 ? h("span", { class: "portal-hint" }, " raised it") : button("unfollow", "Remove", false,
        { "data-email": f, "aria-label": `Remove ${f} from the followers` })))),
    !t.followers.includes(me) && !P.isSupport() && button("followMe", "Follow this ticket"),
    h("form", { class: "portal-form portal-inline", "data-action": "follow", novalidate: true, "aria-label": "Add a follower" },
      field("Colleague's e-mail", h("input", { name: "email", type: "email", required: true, autocomplete: "off" })),
      h("div", { class: "portal-actions" }, submit("Add follower"))));

  const message = (number) => (m) => h("li", { class: `portal-msg${m.internal ? " portal-msg--internal" : ""}${m.author_role === "support" ? " portal-msg--support" : ""}` },
    h("div", { class: "portal-msg-head" },
      m.internal && h("strong", { class: "portal-internal-label" }, "Internal note — never shown to the customer"),
      h("span", {}, h("strong", {}, m.author), m.author_role === "support" ? " (support)" : ""),
      P.time(m.created_at)),
    h("div", { class: "portal-text" }, m.body),
    P.attach.files(number, m.attachments));

  // CSAT: the requester rates a closed ticket (the close mail's Good / Bad links land here with
  // ?rate=good|bad); the requester and support see the rating, which a re-open clears.
  const SCORES = { good: "Good", bad: "Bad" };
  const ratingText = (r) => `${SCORES[r.score]}${r.comment ? ` — “${r.comment}”` : ""}`;
  const ratingForm = (r) => h("form", { class: "portal-form portal-rating", "data-action": "rate", "aria-label": "Rate the support you got" },
    h("fieldset", { class: "portal-field" }, h("legend", {}, "How did we do?"),
      Object.entries(SCORES).map(([v, label]) => h("label", { class: "portal-check" },
        h("input", { type: "radio", name: "score", value: v, required: true, checked: r?.score === v }), ` ${label}`))),
    field("What went well, or what did not (optional)", h("textarea", { name: "comment", rows: 3, maxlength: 2000 }, r?.comment || "")),
    h("div", { class: "portal-actions" }, submit(r ? "Change my rating" : "Send my rating")));

  /** Ticket `number` in root (an element of its own); agent adds triage and internal notes.
      draft (support.js) keeps what is typed in the response and the update until they are sent.
      @param {HTMLElement} root @param {number} number @param {Parameters<PortalTickets["ticketDetail"]>[2]} [options] */
  const ticketDetail = (root, number, { agent, focus, draft } = {}) => {
    let ticket = null;
    let notice = null;
    let editing = !!draft?.has("update");
    let replyKey = null;
    let files = null; // the response's file picker, kept across re-renderings until it is sent

    const say = (text, kind) => { notice = note(text, kind); };
    const meta = (label, ...value) => [h("dt", {}, label), h("dd", {}, value)];
    const render = (focus) => {
      const t = ticket;
      const closed = t.status === "closed";
      fill(root, h("article", { class: "portal-detail", "aria-labelledby": `portal-t${t.number}` },
        h("h2", { id: `portal-t${t.number}`, tabindex: "-1" }, h("span", { class: "portal-num" }, `#${t.number}`), " ", t.title),
        h("p", { class: "portal-status-line" }, P.badge(t.status), " ", tagList(t.tags)),
        notice,
        h("div", { class: "portal-text portal-description" }, t.description),
        P.attach.files(t.number, t.attachments),
        h("h3", {}, `Responses (${t.messages.length})`),
        t.messages.length ? h("ol", { class: "portal-msgs" }, t.messages.map(message(t.number))) : h("p", { class: "portal-hint" }, "No responses yet."),
        closed && !agent ? note("This ticket is closed. Re-open it to respond.")
          : h("form", { class: "portal-form", "data-action": "respond", novalidate: true, "aria-label": "Add a response" },
            textField(agent ? "Response or internal note" : "Your response", "body", "", true),
            agent && h("label", { class: "portal-check portal-internal-toggle" },
              h("input", { type: "checkbox", name: "internal", value: "yes" }),
              "Internal note: only the support team sees it"),
            (files ||= P.attach.picker()),
            h("div", { class: "portal-actions" }, submit("Add Response"))),
        closed && !agent && t.created_by === (P.user() || {}).email && ratingForm(t.rating),
        h("div", { class: "portal-actions" },
          !editing && button("edit", "Update Ticket"),
          closed ? button("reopen", "Re-open") : button("close", "Close ticket")),
        editing && h("form", { class: "portal-form portal-edit", "data-action": "update", novalidate: true,
          "aria-label": "Update ticket" },
        h("h3", {}, "Update Ticket"),
        tagsField(t.tags),
        textField("Title", "title", t.title),
        textField("Description", "description", t.description, true),
        h("p", { class: "portal-hint" }, "Status: ", P.badge(t.status),
          agent ? " (set it below)." : " — it changes when you respond, close or re-open."),
        h("div", { class: "portal-actions" }, submit("Save changes"), button("cancel", "Cancel"))),
        h("h3", {}, "Details"),
        h("dl", { class: "portal-meta" },
          meta("Status", P.badge(t.status)),
          meta("Priority", h("span", { class: `portal-prio portal-prio--${t.priority}` }, t.priority)),
          agent && meta("Organisation", t.org),
          meta("Tags", tagList(t.tags)),
          meta("Created by", `${t.created_by}, `, P.time(t.created_at)),
          meta("Last updated by", `${t.updated_by}, `, P.time(t.updated_at)),
          t.rating && meta("Rating", ratingText(t.rating))),
        agent && h("form", { class: "portal-form portal-inline", "data-action": "triage", "aria-label": "Status and priority" },
          field("Set status", h("select", { name: "status" }, P.options(P.contract.statuses, t.status))),
          field("Set priority", h("select", { name: "priority" }, P.options(P.contract.priorities, t.priority))),
          h("div", { class: "portal-actions" }, submit("Save status and priority"))),
        followers(t, (P.user() || {}).email),
        h("details", { class: "portal-history" }, h("summary", {}, `History (${t.history.length})`),
          h("ol", {}, t.history.map((e) => h("li", {}, P.time(e.at), " — ", h("strong", {}, e.by), ` ${historyText(e)}`))))));
      draft?.restore(root);
      notice = null;
      if (focus) P.focus(root, ".portal-note", "h2");
    };

    const load = async (focus) => {
      if (!ticket) fill(root, busy(`Loading ticket #${number}…`));
      try {
        ticket = await P.api("GET", `/tickets/${number}`);
        render(focus);
        const link = new URLSearchParams(location.search);
        const score = link.get("rate");
        if (SCORES[score] && !agent) {
          link.delete("rate"); // a reload does not send it again
          history.replaceState(history.state, "", `${location.pathname}?${link}${location.hash}`);
          const form = root.querySelector("[data-action=rate]");
          if (form && ticket.rating?.score !== score) sendRating(form, score, ticket.rating?.comment);
        }
      } catch (error) {
        const missing = error.status === 404;
        fill(root, missing ? note(`Ticket #${number} does not exist, or belongs to another organisation.`, "error")
          : P.problem(error), !missing && button("retry", "Try again"));
        if (focus) P.focus(root, ".portal-note");
      }
    };
    // Send, then re-read the ticket (answers are receipts). A 409 means the ticket moved on:
    // show the fresh one and why; other refusals stay in the form.
    const act = (form, fn, done) => working(form, async () => {
      try { await fn(); } catch (error) {
        if (error.status !== 409) return formError(form, error);
        // The typed text stays in the draft (and so in the form), to apply again.
        editing = form.dataset.action === "update";
        say(/changed/.test(error.detail) ? "Someone else changed this ticket since you opened it. "
          + "This is the current ticket: check their change and apply yours again." : error.message, "error");
        return load(true);
      }
      editing = false;
      draft?.clear(form.dataset.action);
      say(done, "success");
      P.emit("tickets");
      await load(true);
    });
    // Only what changed is sent, with the version it was read at.
    const patch = (form, done) => {
      const changed = Object.fromEntries(Object.entries(formValues(form)).filter(([k, v]) => `${v}` !== `${ticket[k]}`));
      if (!Object.keys(changed).length) { editing = false; say("Nothing changed."); return render(true); }
      act(form, () => P.api("PATCH", `/tickets/${number}`, { version: ticket.version, ...changed }), done);
    };

    const sendRating = (form, score, comment) => act(form, () => P.api("POST", `/tickets/${number}/rating`,
      { score, ...(comment ? { comment } : {}) }), `Thank you: you rated this ticket ${SCORES[score]}. You can add a comment or change it below.`);

    liveChecks(root);
    P.delegate(root, {
      click: {
        edit: () => { editing = true; render(); P.focus(root, ".portal-edit input"); },
        cancel: () => { editing = false; draft?.clear("update"); render(); P.focus(root, "[data-action=edit]"); },
        close: (b) => act(b.parentNode, () => P.api("POST", `/tickets/${number}/close`), "The ticket is closed."),
        reopen: (b) => act(b.parentNode, () => P.api("POST", `/tickets/${number}/reopen`), "The ticket is open again."),
        retry: () => load(true),
        unfollow: (b) => {
          const email = b.dataset.email;
          act(b.parentNode, () => P.api("DELETE", `/tickets/${number}/followers/${encodeURIComponent(email)}`),
            `${email} no longer follows the ticket.`);
        },
        followMe: (b) => act(b.parentNode, () => P.api("POST", `/tickets/${number}/followers`,
          { email: P.user().email }), "You follow the ticket now: its mail reaches you too."),
      },
      submit: {
        rate: (form) => {
          const score = form.elements.score.value;
          if (!score) return formError(form, "Choose Good or Bad first.");
          sendRating(form, score, form.elements.comment.value.trim());
        },
        update: (form) => checkForm(form) && patch(form, "The ticket is updated."),
        triage: (form) => patch(form, "Status and priority saved."),
        follow: (form) => {
          if (!checkForm(form)) return;
          const email = form.elements.email.value.trim();
          act(form, () => P.api("POST", `/tickets/${number}/followers`, { email }), `${email} follows the ticket now.`);
        },
        respond: (form) => {
          if (!checkForm(form)) return;
          const internal = !!(form.elements.internal && form.elements.internal.checked);
          replyKey ||= P.newKey();
          act(form, async () => {
            const ids = files.ids();
            await P.api("POST", `/tickets/${number}/messages`, { body: form.elements.body.value.trim(),
              ...(internal ? { internal } : {}), ...(ids.length ? { attachments: ids } : {}) }, { "Idempotency-Key": replyKey });
            replyKey = null;
            files = null;
          }, internal ? "Internal note added." : "Response added.");
        },
      },
    });
    root.addEventListener("input", (e) => { if (/** @type {HTMLInputElement} */ (e.target).name === "body") replyKey = null; });
    load(focus);
  };

  P.tickets.ticketDetail = ticketDetail;
})();
