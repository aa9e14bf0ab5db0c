// @ts-check
/* Drafts: what a user typed in a new ticket, a response or an update, kept on this device until it
   is sent (support-new.js and support-ticket.js use it through Portal.drafts). */
(() => {
  "use strict";
  const P = window.Portal;
  if (P.drafts) return; // loaded by an earlier page's bundle
  const { h } = P;

  // Per user, page and ticket; in localStorage only, so a reload, a closed tab or an expired
  // session loses nothing; never sent anywhere; removed when the form is sent (or the update cancelled).
  const DRAFTED = ["create", "respond", "update"];
  /** @param {string} scope @returns {PortalDraft} */
  const drafts = (scope) => {
    const key = (name) => `portal.draft|${(P.user() || {}).email}|${location.pathname}|${scope}|${name}`;
    const read = (name) => { try { return JSON.parse(localStorage.getItem(key(name)) || "null"); } catch { return null; } };
    const fields = (form) => [...form.elements].filter((c) => c.name && c.type !== "file");
    const save = (e) => {
      const form = e.target.form;
      if (!form || !DRAFTED.includes(form.dataset.action)) return;
      const values = {};
      for (const c of fields(form)) {
        values[c.name] = c.type === "checkbox" ? [...(values[c.name] || []), ...(c.checked ? [c.value] : [])] : c.value;
      }
      try {
        if (Object.values(values).some((v) => typeof v === "string" && v.trim())) localStorage.setItem(key(form.dataset.action), JSON.stringify(values));
        else localStorage.removeItem(key(form.dataset.action));
      } catch { /* storage full or refused: the form still works, without a draft */ }
    };
    return {
      has: (name) => !!read(name),
      clear: (name) => { if (DRAFTED.includes(name)) localStorage.removeItem(key(name)); },
      watch: (root) => ["input", "change"].forEach((type) => root.addEventListener(type, save)),
      // Put a draft back into its form (after each rendering: the forms are rebuilt).
      restore: (root) => root.querySelectorAll("form[data-action]").forEach((form) => {
        const values = read(/** @type {HTMLFormElement} */ (form).dataset.action);
        if (!values) return;
        for (const c of fields(form)) {
          if (!(c.name in values)) continue;
          if (c.type === "checkbox") c.checked = values[c.name].includes(c.value);
          else { c.value = values[c.name]; c.dispatchEvent(new Event("input", { bubbles: true })); }
        }
        form.prepend(h("p", { class: "portal-hint portal-draft" },
          "Restored what you typed before. It is kept on this device only, until you send it."));
      }),
    };
  };

  P.drafts = drafts;
})();
