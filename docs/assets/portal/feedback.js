// @ts-check
/* Feedback widget: Material's "Was this page helpful?" (extra.analytics.feedback, provider custom)
   sent to POST /feedback, with an optional comment after the rating. One Idempotency-Key per page
   view: a retry, or the comment sent after the rating, counts nothing twice. Mounted by
   overrides/partials/comments.html on the help pages, above "Still need help?". */
(() => {
  "use strict";
  const P = window.Portal;
  const { h, fill, note } = P;

  const minutes = (seconds) => (seconds > 90 ? `${Math.ceil(seconds / 60)} minutes` : "a minute");
  // Plain words, never the API's validation text.
  const plain = (/** @type {PortalError} */ error) => (error.status === 429
    ? `Thanks, but we have had a lot of feedback from your network just now; please try again in ${minutes(error.retryAfter || 60)}.`
    : error.status ? "Your feedback could not be saved; please try again in a moment." : error.message);

  P.widget("feedback", (el) => {
    const form = document.querySelector("form.md-feedback");
    const fieldset = form && form.querySelector("fieldset");
    if (!(form instanceof HTMLFormElement) || !fieldset) return;
    const key = P.newKey();
    const box = h("div", { class: "portal-feedback__more" });
    el.prepend(box);
    let helpful = false;
    const send = (extra) => P.api("POST", "/feedback", { page: el.dataset.page, helpful, ...extra }, { "Idempotency-Key": key });
    // Material's own integrations reveal the widget once something listens to it. Its tooltips
    // (content.tooltips) take the ratings' titles, their only names: keep them as labels.
    form.hidden = false;
    form.querySelectorAll(".md-feedback__icon").forEach((b) => {
      const tip = document.getElementById(b.getAttribute("aria-describedby") || "");
      b.getAttribute("aria-label") || b.setAttribute("aria-label", b.getAttribute("title") || (tip && tip.textContent) || "");
    });
    const notes = (value) => form.querySelectorAll(".md-feedback__note [data-md-value]").forEach((n) => {
      /** @type {HTMLElement} */ (n).hidden = /** @type {HTMLElement} */ (n).dataset.mdValue !== value;
    });

    // A note in place of the box, focused so that it is read out.
    const say = (text, kind) => { const said = note(text, kind); fill(box, said); said.focus(); };

    const comment = () => {
      const area = h("textarea", { name: "comment", rows: 3, maxlength: P.contract.limits.comment });
      return h("form", { class: "portal-form", "data-action": "comment", novalidate: true },
        P.field(helpful ? "Anything we could do better? (optional)" : "What were you looking for? (optional)", area,
          "Please leave out personal details such as your name or e-mail address."),
        h("div", { class: "portal-actions" }, h("button", { type: "submit", class: "md-button" }, "Send comment")));
    };

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const rating = /** @type {HTMLElement | null} */ (/** @type {SubmitEvent} */ (event).submitter);
      if (!rating || fieldset.disabled) return;
      helpful = rating.dataset.mdValue === "1";
      // Material's way: the disabled rating shows the note of the one chosen.
      fieldset.disabled = true;
      notes(rating.dataset.mdValue);
      fill(box, P.busy("Sending your feedback…"));
      try {
        await send({});
        // The chosen rating is disabled now: the keyboard carries on in the comment box.
        P.focus(fill(box, comment()), "textarea");
      } catch (error) {
        fieldset.disabled = false;
        notes("");
        say(plain(error), "error");
      }
    });

    P.delegate(box, {
      submit: {
        comment: async (target) => {
          const area = target.elements.comment;
          const text = area.value.trim();
          if (P.invalid(area, !text && "Write a few words first, or just carry on reading.")) return area.focus();
          const button = target.querySelector("button");
          button.disabled = true;
          try {
            await send({ comment: text });
            say("Thank you: your comment reached the team.");
          } catch (error) {
            button.disabled = false;
            P.invalid(area, plain(error));
          }
        },
      },
    });
  });
})();
