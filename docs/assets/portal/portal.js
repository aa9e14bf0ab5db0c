// @ts-check
/* Portal widgets, core: run-time config, session store, API client, a DOM builder that only
   ever puts user text in as text, and the registry that mounts widgets on every page Material
   shows (document$), once per element. Widget files register with Portal.widget(name, mount).
   The API's rules come from contract.js, which the site build writes and loads first. A page
   built with docs/hooks/widget_bundle.py loads this core (and auth.js) and its widgets' family
   bundles; after an instant navigation, the new page's families are loaded here (Portal.bundles). */
(() => {
  "use strict";
  const contract = window.Portal && window.Portal.contract;
  if (!contract) throw new Error("assets/portal/contract.js must be loaded before portal.js");
  // {widget: [the bundles to load for it, in order]}, set by the site build; none when every
  // source is listed one by one (they register every widget before the first mount).
  const bundles = window.Portal.bundles || {};
  const root = new URL("../../", /** @type {HTMLScriptElement} */ (document.currentScript).src);
  const widgets = {};
  let listeners = [];
  let config;
  let uid = 0;
  let expired = false; // the session ended by the API's refusal (401), not by signing out

  // --- safe DOM ------------------------------------------------------------------------
  // h("a", {href, class, text}, ...children): strings become text nodes, never markup;
  // inline handlers are refused (the CSP forbids them anyway) and links must be http(s) (or otpauth).
  const h = (tag, attrs, ...kids) => {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v == null || v === false) continue;
      if (/^on/i.test(k)) throw new Error("inline handlers are not allowed");
      if (k === "text") el.textContent = v;
      else el.setAttribute(k, k === "href" ? safeHref(v) : v === true ? "" : v);
    }
    return add(el, kids);
  };
  const add = (el, kids) => {
    for (const kid of kids.flat(9)) {
      if (kid != null && kid !== false) el.append(typeof kid === "object" ? kid : String(kid));
    }
    return el;
  };
  const safeHref = (href) => {
    const url = new URL(href, location.href);
    // otpauth: hands an authenticator app its secret (two-step sign-in); it runs no script.
    return /^(https?|otpauth):$/.test(url.protocol) ? url.href : "#";
  };
  const fill = (el, ...kids) => { el.replaceChildren(); return add(el, kids); };
  // el's content replaced by a new, empty box, returned: a widget rebuilt for a new user gets
  // new elements, so the listeners (on) of the old rendering go with the old ones.
  const fresh = (el) => { const box = h("div"); fill(el, box); return box; };
  const id = (prefix) => `portal-${prefix}-${++uid}`;
  // Move the keyboard focus to the first of selectors (in their order) that matches inside el.
  const focus = (el, ...selectors) => {
    for (const selector of selectors) {
      const target = /** @type {HTMLElement} */ (el.querySelector(selector));
      if (target) return target.focus();
    }
  };

  // --- events: widgets listen with their element; listeners of removed pages are dropped.
  const on = (el, type, fn) => listeners.push({ el, type, fn });
  const emit = (type, data) => {
    listeners = listeners.filter((l) => l.el.isConnected);
    // A listener may re-render and so remove another's element: check again before each call.
    listeners.filter((l) => l.type === type).forEach((l) => l.el.isConnected && l.fn(data));
  };

  // Called when the signed-in user changes (sign-in, sign-out), not on a token refresh.
  const onUser = (el, fn) => {
    let shown = user() && user().email;
    on(el, "session", () => {
      const now = user() && user().email;
      if (now !== shown) { shown = now; fn(user()); }
    });
  };

  // Delegation: one listener per event type on the widget root, dispatched by the
  // data-action of the nearest element (a button, a form, a field).
  const delegate = (el, handlers) => {
    for (const [type, actions] of Object.entries(handlers)) {
      el.addEventListener(type, (event) => {
        const target = event.target.closest("[data-action]");
        const fn = target && el.contains(target) && actions[target.dataset.action];
        if (!fn) return;
        if (type === "submit" || target.tagName === "A") event.preventDefault();
        fn(target, event);
      });
    }
  };

  // --- session: shared by the site's open tabs, kept on the device only when asked ---------
  // Each tab keeps the session in its sessionStorage; a tab opened later (a link in a mail) asks
  // the open tabs for theirs over a BroadcastChannel (same origin only). "Keep me signed in on
  // this device" (keep: true) also writes it to localStorage, which outlives closing the browser.
  // A change (sign-in, renewal, sign-out) is told to every tab: signing out signs out all of them.
  // Messages: "ask" (a tab opened without a session), or a session (null: signed out).
  const KEY = "portal.session";
  const channel = new BroadcastChannel(KEY);
  const read = (store) => { try { return JSON.parse(store[KEY]); } catch { return null; } };
  const write = (store, value) => {
    try { if (value) store[KEY] = JSON.stringify(value); else delete store[KEY]; } catch { /* blocked */ }
  };
  let session = read(sessionStorage) || read(localStorage);
  // shared: the change comes from another tab (nothing to tell the others).
  const setSession = (next, shared) => {
    session = next;
    write(sessionStorage, next);
    write(localStorage, next && next.keep && next);
    if (!shared) channel.postMessage(next);
    emit("session", next);
  };
  // A tab opened without a session asks; the widgets show the answer when it comes (at once).
  if (!session) channel.postMessage("ask");
  channel.onmessage = ({ data }) => {
    if (data === "ask") { if (session) channel.postMessage(session); }
    // An answer to another tab's question changes nothing here; a sign-in, renewal or sign-out does.
    else if (JSON.stringify(data) !== JSON.stringify(session)) setSession(data, true);
  };
  const user = () => session && session.user;
  const isSupport = () => !!user() && user().roles.includes("support");

  // --- config and API ----------------------------------------------------------------------
  const loadConfig = () => (config ||= fetch(new URL("portal-config.json", root))
    .then((r) => (r.ok ? r.json() : Promise.reject(new Error())))
    .catch(() => { config = null; throw new Error("The portal's configuration could not be loaded; reload the page."); }));

  const request = async (url, options) => {
    try { return await fetch(url, options); } catch {
      throw new Error("The portal could not be reached. Check your connection and try again.");
    }
  };

  // --- the API's refusals in plain words ------------------------------------------------------
  // The API's messages name fields as its schemas do ("query.org is not valid: ..."), for
  // developers. A customer reads what went wrong and what to do; the API's own text stays in
  // error.detail (see problem).
  const WORDS = { title: "The title", description: "The description", tags: "The tags", body: "Your response",
    email: "The e-mail address", q: "The search", status: "The status", tag: "The tag", view: "The view", id: "The license id" };
  const SAY = { 401: "Your session has ended. Sign in again: what you typed here is kept on this device.",
    403: "Your account may not do this. Ask your administrator or the support team.",
    404: "Not found, or not yours: it does not exist or belongs to another organisation.",
    409: "Someone else changed this since you opened it. Reload the page, then try again.",
    413: "That is too large to send. Make it smaller and try again.",
    429: "Too many requests in a short time. Wait a minute and try again.",
    503: "The portal is busy right now. Try again in a moment." };
  const plain = (status, detail = "") => {
    const [, name, rest] = /^(?:\w+\.)*(\w+)[^\w.](.*)/.exec(detail) || [];
    return status !== 400 ? SAY[status] || "The portal had a problem on its side. Try again in a moment."
      : /^cursor/.test(detail) ? "This page of the list is out of date. Start again from the first page."
        : `${WORDS[name] || "Something you entered"} ${/required|empty/.test(rest) ? "is missing"
          : /characters/.test(rest) ? "is too long" : "is not right"}: check it and try again.`;
  };
  on(document.documentElement, "session", (next) => { if (next) expired = false; });
  // A refusal as a note: the plain words, and the API's text folded away where it adds something.
  const problem = (error) => {
    const box = note(error.message, "error");
    if (error.detail && ![401, 404].includes(error.status)) {
      box.append(h("details", {}, h("summary", {}, "Details"), error.detail));
    }
    return box;
  };

  // send("GET", "/licenses/x/file"): the API's answer as a Response, for answers that are not
  // JSON; a refusal is thrown as an error with a plain message (above), its status, the API's
  // own message (detail) and, when the API asks to wait (429, 503), retryAfter in seconds. A 401 gets one silent token refresh and a retry.
  const send = async (method, path, body, headers, signal) => {
    const base = (await loadConfig()).apiUrl.replace(/\/$/, "");
    for (let retried = false; ; retried = true) {
      const token = session && session.id;
      const res = await request(base + path, {
        method,
        headers: {
          ...(body ? { "Content-Type": "application/json" } : {}),
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
        body: body ? JSON.stringify(body) : undefined,
        signal,
      });
      if (res.status === 401 && token && !retried && Portal.refresh && (await Portal.refresh())) continue;
      if (res.ok) return res;
      const data = await res.json().catch(() => null);
      const detail = (data && data.Message) || "";
      const error = Object.assign(new Error(plain(res.status, detail)),
        { status: res.status, detail, retryAfter: Number(res.headers.get("Retry-After")) || undefined });
      if (res.status === 401 && token) { expired = true; setSession(null); }
      throw error;
    }
  };
  // api("GET", "/tickets?status=open"): JSON in and out, errors as send() throws them.
  const api = async (method, path, body, headers) => (await send(method, path, body, headers)).json().catch(() => null);

  // One key per user action: a double click or a retry of the same action is not duplicated.
  const newKey = () => (crypto.randomUUID ? crypto.randomUUID()
    : [...crypto.getRandomValues(new Uint32Array(4))].map((n) => n.toString(16)).join("-"));

  // --- presentation helpers ------------------------------------------------------------------
  const rtf = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
  /** @type {[number, Intl.RelativeTimeFormatUnit][]} */
  const UNITS = [[60, "second"], [60, "minute"], [24, "hour"], [30, "day"], [12, "month"], [Infinity, "year"]];
  const ago = (iso) => {
    let value = (Date.parse(iso) - Date.now()) / 1000;
    if (Math.abs(value) < 45) return "just now";
    for (const [size, unit] of UNITS) {
      if (Math.abs(value) < size) return rtf.format(Math.round(value), unit);
      value /= size;
    }
  };
  const time = (iso) => h("time", { datetime: iso, title: new Date(iso).toLocaleString() }, ago(iso));
  const badge = (status) => h("span", { class: `portal-badge portal-badge--${status}` }, status);
  const busy = (text) => h("p", { class: "portal-busy", role: "status" }, text || "Loading…");
  // Errors are announced (role=alert); notes and empty states politely (role=status).
  const note = (text, kind = "info") => h("p", { class: `portal-note portal-note--${kind}`,
    role: kind === "error" ? "alert" : "status", tabindex: "-1" }, text);
  const siteUrl = (path) => new URL(path, root).href;
  // The API matches contract.patterns whole (Python's re.fullmatch).
  const pattern = (name) => new RegExp(`^(?:${contract.patterns[name]})$`);

  // A labelled control with its hint and inline error, wired for screen readers.
  const field = (label, control, hint) => {
    control.id ||= id("f");
    const err = h("p", { class: "portal-error", id: `${control.id}-err`, hidden: true });
    const help = hint && h("p", { class: "portal-hint", id: `${control.id}-hint` }, hint);
    control.setAttribute("aria-describedby", [help && help.id, err.id].filter(Boolean).join(" "));
    return h("div", { class: "portal-field" }, h("label", { for: control.id }, label), control, help, err);
  };
  // Show (or clear, with an empty message) a control's inline error.
  const invalid = (control, message) => {
    const err = document.getElementById(`${control.id}-err`);
    if (message) control.setAttribute("aria-invalid", "true");
    else control.removeAttribute("aria-invalid");
    if (err) { err.textContent = message || ""; err.hidden = !message; }
    return !!message;
  };
  // Shared by the widget families (tickets, licenses, agent console).
  const button = (action, text, primary, attrs) => h("button", { type: "button", "data-action": action,
    class: `md-button${primary ? " md-button--primary" : ""}`, ...attrs }, text);
  // After an expired session (a 401), the sign-in prompt says that the typed text is kept.
  const signedOut = (text) => note(expired ? plain(401) : text || "Sign in above to see your organisation's tickets.");
  // A new user gets a fresh element: the old rendering's listeners go with the old one.
  const signedInOnly = (root, text, build) => {
    const show = () => (user() ? build(fresh(root)) : fill(root, signedOut(text)));
    onUser(root, show);
    show();
  };
  const options = (values, selected, all) => [
    all && h("option", { value: "" }, all),
    values.map((v) => h("option", { value: v, selected: v === selected }, v)),
  ];

  // --- mounting ------------------------------------------------------------------------------
  // Material leaves its search dialog and page-load progress bar unnamed for screen readers,
  // and a sidebar without links scrollable but unreachable by keyboard.
  const nameMaterial = () => {
    [[".md-search[role=dialog]", "Search"], [".md-progress", "Loading page"]].forEach(([sel, name]) =>
      document.querySelectorAll(sel).forEach((el) => el.getAttribute("aria-label") || el.setAttribute("aria-label", name)));
    /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll(".md-sidebar__scrollwrap")).forEach((el) => {
      if (!el.querySelector("a, button, input")) el.tabIndex = 0;
    });
  };
  // A widget's family, when the page shown has a widget no loaded file registered (a page reached
  // by instant navigation: a full load runs the page's own <script defer> first). Same-origin
  // scripts (the CSP's 'self'), appended once each to the body (Material's instant navigation
  // prunes the head) and run in the order appended (async = false): a family after the ones it
  // needs. The widget mounts when its file registers it. Nothing here blocks rendering.
  const requested = new Set();
  const load = (name) => (bundles[name] || []).forEach((src) => {
    if (requested.has(src)) return;
    requested.add(src);
    const script = document.createElement("script");
    script.src = new URL(src, root).href;
    script.async = false;
    script.onerror = () => {
      requested.delete(src); // the next page that needs it tries again
      script.remove();
      /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll("[data-portal-widget]:not([data-portal-mounted])"))
        .forEach((el) => (bundles[el.dataset.portalWidget] || []).includes(src)
          && fill(el, note("This part of the page could not be loaded; check your connection and reload the page.", "error")));
    };
    document.body.append(script);
  });
  const mount = () => {
    nameMaterial();
    /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll("[data-portal-widget]")).forEach((el) => {
      const setUp = widgets[el.dataset.portalWidget];
      if (!setUp) return load(el.dataset.portalWidget);
      if (el.dataset.portalMounted) return;
      el.dataset.portalMounted = "true";
      el.classList.add("portal");
      try { setUp(el); } catch (error) {
        console.error(error);
        fill(el, note("This part of the page could not be shown; reload the page.", "error"));
      }
    });
  };
  let started = false;
  const widget = (name, setUp) => { widgets[name] = setUp; if (started) mount(); };

  /** @type {Portal} */
  const Portal = window.Portal = {
    h, add, fill, fresh, id, focus, on, onUser, emit, delegate, api, send, newKey, loadConfig, request, session: () => session,
    setSession, user, isSupport, ago, time, badge, busy, note, problem, field, invalid, options, siteUrl, pattern, widget,
    button, signedOut, signedInOnly, contract,
  };

  const start = () => {
    started = true;
    // Material re-emits document$ after each instant navigation; without Material, mount once.
    if (window.document$) window.document$.subscribe(mount);
    else mount();
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
