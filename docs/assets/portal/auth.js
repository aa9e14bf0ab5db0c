// @ts-check
/* Sign-in widget and session upkeep, against Cognito's own JSON API (cognito.endpoint in
   portal-config.json, or the region's public endpoint): password sign-in, the new-password
   challenge of invited users, two-step sign-in (TOTP: enrolment and the SOFTWARE_TOKEN_MFA
   challenge), forgot/confirm password, silent refresh and sign-out ("Keep me signed in on this
   device": the session in localStorage too, see portal.js), and the user menu of the header. */
(() => {
  "use strict";
  const P = window.Portal;
  const { h, fill, field, note } = P;
  const EMAIL = P.pattern("email");

  const FRIENDLY = {
    NotAuthorizedException: "Incorrect e-mail address or password.",
    UserNotFoundException: "Incorrect e-mail address or password.",
    CodeMismatchException: "That code is not right; check the mail and type it again.",
    ExpiredCodeException: "That code has expired; ask for a new one.",
    LimitExceededException: "Too many attempts; wait a few minutes and try again.",
    TooManyRequestsException: "Too many attempts; wait a few minutes and try again.",
  };

  const cognito = async (action, body) => {
    const { cognito: c } = await P.loadConfig();
    const res = await P.request(c.endpoint || `https://cognito-idp.${c.region}.amazonaws.com/`, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": `AWSCognitoIdentityProviderService.${action}`,
      },
      // Calls on one's own account carry the access token and no app client id.
      body: JSON.stringify(body.AccessToken ? body : { ClientId: c.clientId, ...body }),
    });
    const data = await res.json().catch(() => ({}));
    if (res.ok) return data;
    const code = String(data.__type || "").split("#").pop();
    throw Object.assign(new Error(FRIENDLY[code] || data.message || "Signing in failed; try again."), { code });
  };

  const claims = (token) => JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));

  // Tokens -> session: who the API says we are (organisation, roles) comes from /me.
  // keep: "Keep me signed in on this device" (a renewal keeps what the sign-in chose).
  const establish = async (result, refresh, keep) => {
    const previous = P.session();
    const next = { id: result.IdToken, access: result.AccessToken, refresh: result.RefreshToken || refresh,
      exp: claims(result.IdToken).exp * 1000, keep: keep ?? !!(previous && previous.keep) };
    const user = (previous && previous.user)
      || await P.api("GET", "/me", null, { Authorization: `Bearer ${next.id}` });
    P.setSession({ ...next, user });
  };

  // Silent refresh a minute before the ID token expires; a failed refresh signs out.
  let timer;
  let refreshing;
  const refresh = () => (refreshing ||= (async () => {
    const s = P.session();
    try {
      if (!s || !s.refresh) return false;
      const data = await cognito("InitiateAuth", { AuthFlow: "REFRESH_TOKEN_AUTH",
        AuthParameters: { REFRESH_TOKEN: s.refresh } });
      await establish(data.AuthenticationResult, s.refresh);
      return true;
    } catch {
      ended = true;
      P.setSession(null);
      return false;
    } finally { refreshing = null; }
  })());
  const schedule = () => {
    clearTimeout(timer);
    const s = P.session();
    if (s) timer = setTimeout(refresh, Math.max(s.exp - Date.now() - 60000, 0));
  };
  P.refresh = refresh;
  schedule();
  // Every change re-plans the renewal, another tab's included (it renewed, or signed in or out).
  P.on(document.documentElement, "session", schedule);

  let ended = false; // the session ended by itself: say so on the sign-in form
  const signOut = async () => {
    const s = P.session();
    clearTimeout(timer);
    P.setSession(null);
    if (s) cognito("GlobalSignOut", { AccessToken: s.access }).catch(() => {});
  };

  // --- the widget: sign-in, new password, forgot, confirm-forgot, or who is signed in --------
  const APP_LABEL = "Code from your authenticator app";
  const PASSWORD_HINT = "At least 8 characters with upper- and lower-case letters, a digit and a symbol.";
  // view: [title, submit text, fields [label, name, type, autocomplete, hint], back link, intro]
  const VIEWS = {
    signIn: ["Sign in to the portal", "Sign in", [["E-mail address", "email", "email", "username"],
      ["Password", "password", "password", "current-password"]], ["forgot", "Forgot your password?"]],
    newPassword: ["Choose a new password", "Set password and sign in", [
      ["New password", "password", "password", "new-password", PASSWORD_HINT],
      ["Repeat the new password", "repeat", "password", "new-password"]], ["back", "Cancel"],
    "Welcome! Your invitation password was temporary: choose your own to finish signing in."],
    forgot: ["Reset your password", "Mail me a code", [["E-mail address", "email", "email", "username",
      "We mail you a code to set a new password."]], ["back", "Back to sign in"]],
    confirm: ["Set a new password", "Set new password", [["Code from the mail", "code", "text", "one-time-code"],
      ["New password", "password", "password", "new-password", PASSWORD_HINT],
      ["Repeat the new password", "repeat", "password", "new-password"]], ["back", "Back to sign in"]],
    mfa: ["Enter your sign-in code", "Sign in", [[APP_LABEL, "code", "text", "one-time-code"]], ["back", "Cancel"]],
    enrol: ["Set up two-step sign-in", "Turn on two-step sign-in", [[APP_LABEL, "code", "text", "one-time-code"]],
      ["cancelEnrol", "Cancel"], "Add the portal to an authenticator app, then type its code."],
  };

  // Setting up two-step sign-in: on-demand/two-step.js, loaded when a user asks for it (not a
  // widget source: no bundle has it).
  /** @type {Promise<typeof import("./on-demand/two-step.js")> | undefined} */
  let twoStep;
  const setUp = () => (twoStep ||= import(P.siteUrl("assets/portal/on-demand/two-step.js")).catch(() => {
    twoStep = undefined;
    throw new Error("This part of the page could not be loaded; check your connection and try again.");
  }));

  P.widget("sign-in", (root) => {
    let view = "signIn";
    let email = "";
    let challenge = null;
    let secret = null; // the key being enrolled, shown until the first code confirms it
    let setup = null; // two-step.js, once loaded
    let message = null;
    let keep = false; // "Keep me signed in on this device", through the steps that follow the password
    const live = h("div", { class: "portal-sr", "aria-live": "polite" });

    const form = () => {
      const [title, action, fields, [back, backText], intro] = VIEWS[view];
      return h("form", { class: "portal-form", "aria-label": title, novalidate: true, "data-action": "submit" },
        view !== "signIn" && h("h3", {}, title), message, intro && note(intro),
        view === "enrol" && setup.enrolment(P, secret),
        fields.map(([label, name, type, autocomplete, hint]) => field(label, h("input", { name, type, autocomplete,
          "aria-required": "true", value: name === "email" ? email : null,
          ...(name === "code" && { inputmode: "numeric", maxlength: "10" }) }), hint)),
        view === "signIn" && h("p", {}, h("label", { class: "portal-check" },
          h("input", { type: "checkbox", name: "keep", checked: keep }), "Keep me signed in on this device")),
        h("div", { class: "portal-actions" }, h("button", { type: "submit", class: "md-button md-button--primary" }, action),
          h("button", { type: "button", class: "portal-link", "data-action": back }, backText)));
    };
    const signedIn = () => {
      const u = P.user();
      const role = u.roles.includes("support") ? "support team" : u.org && `organisation ${u.org}`;
      return h("div", { class: "portal-signed-in" },
        message,
        h("p", { tabindex: "-1" }, "Signed in as ", h("strong", {}, u.email), role && ` (${role})`),
        h("div", { class: "portal-actions" },
          h("button", { type: "button", class: "md-button", "data-action": "signOut" }, "Sign out"),
          h("button", { type: "button", class: "portal-link", "data-action": "enrol" }, "Set up two-step sign-in")));
    };
    const render = (focus) => {
      if (!P.session()) { if (view === "signedIn" || view === "enrol") view = "signIn"; }
      else if (view !== "enrol") view = "signedIn";
      if (ended && view === "signIn") { message = note("Your session has ended; sign in again.", "error"); ended = false; }
      fill(root, view === "signedIn" ? signedIn() : form(), live);
      message = null;
      if (focus) (/** @type {HTMLElement} */ (root.querySelector("[role=alert], input, p[tabindex]")) || root).focus();
    };
    const go = (next, text, kind) => { view = next; message = text && note(text, kind); render(true); };

    // Inline checks before anything is sent: empty fields, e-mail shape, repeated password.
    const check = (formEl, v) => {
      let first = null;
      for (const c of formEl.querySelectorAll("input:not([type=checkbox])")) {
        const value = c.value.trim();
        const problem = !value ? "Fill in this field."
          : c.type === "email" && !EMAIL.test(value) ? "Type an e-mail address like alice@acme.example."
            : c.name === "repeat" && c.value !== v.password ? "The two passwords differ."
              : c.name === "code" && view !== "confirm" && !/^\d{6}$/.test(value.replace(/\s/g, ""))
              && "Type the 6 digits, like 123456.";
        if (P.invalid(c, problem) && !first) first = c;
      }
      if (first) first.focus();
      return !first;
    };
    // What each form does; it answers the next view (or nothing when signed in).
    const steps = {
      signIn: async (v) => {
        const data = await cognito("InitiateAuth", { AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: email, PASSWORD: v.password } });
        if (!data.ChallengeName) return establish(data.AuthenticationResult, undefined, keep);
        challenge = data.Session;
        if (data.ChallengeName === "NEW_PASSWORD_REQUIRED") return go("newPassword");
        if (data.ChallengeName === "SOFTWARE_TOKEN_MFA") return go("mfa");
        throw new Error(`The portal does not offer the sign-in step ${data.ChallengeName}; ask support.`);
      },
      mfa: async (v) => {
        const data = await cognito("RespondToAuthChallenge", { ChallengeName: "SOFTWARE_TOKEN_MFA", Session: challenge,
          ChallengeResponses: { USERNAME: email, SOFTWARE_TOKEN_MFA_CODE: v.code } });
        return establish(data.AuthenticationResult, undefined, keep);
      },
      enrol: async (v) => {
        await setup.confirm(P, cognito, v.code);
        secret = null;
        go("signedIn", "Two-step sign-in is on: signing in now asks for a code too.", "success");
      },
      newPassword: async (v) => establish((await cognito("RespondToAuthChallenge", {
        ChallengeName: "NEW_PASSWORD_REQUIRED", Session: challenge,
        ChallengeResponses: { USERNAME: email, NEW_PASSWORD: v.password } })).AuthenticationResult, undefined, keep),
      forgot: async () => {
        await cognito("ForgotPassword", { Username: email });
        go("confirm", `If ${email} has an account, a code is on its way there.`);
      },
      confirm: async (v) => {
        await cognito("ConfirmForgotPassword", { Username: email, ConfirmationCode: v.code.trim(), Password: v.password });
        go("signIn", "Your password is changed; sign in with the new one.", "success");
      },
    };

    P.delegate(root, {
      submit: {
        submit: async (formEl) => {
          // The sign-in forms have text inputs only: every value is a string.
          const v = /** @type {Record<string, string>} */ (Object.fromEntries(new FormData(formEl)));
          if (!check(formEl, v)) return;
          if (v.email) email = v.email.trim();
          if (view === "signIn") keep = v.keep === "on";
          if (v.code) v.code = v.code.replace(/\s/g, ""); // codes are typed with spaces, like the key
          formEl.querySelector("[type=submit]").disabled = true;
          live.textContent = "Working…";
          try { await steps[view](v); } catch (error) {
            // A code from an authenticator app (CodeMismatch, ExpiredCode, EnableSoftwareTokenMFA): say
            // which code; an MFA session that has ended (NotAuthorized) cannot be retried.
            const app = /mfa|enrol/.test(view) && error.code;
            const ended = app === "NotAuthorizedException";
            go(ended ? "signIn" : view, ended ? "This sign-in took too long; start again."
              : /Code|Token/.test(app) ? "That code is not right; type the one your app shows now." : error.message,
            "error");
          }
        },
      },
      click: {
        forgot: () => go("forgot"),
        back: () => go("signIn"),
        enrol: async () => {
          live.textContent = "Working…";
          try {
            setup = await setUp();
            secret = await setup.start(P, cognito);
            go("enrol");
          } catch (error) { go("signedIn", error.message, "error"); }
        },
        cancelEnrol: () => { secret = null; go("signedIn"); },
        signOut: () => { signOut(); live.textContent = "Signed out."; },
      },
    });
    P.onUser(root, () => render(root.contains(document.activeElement)));
    render(false);
  });

  // --- the user menu, top right of the header on every page ---------------------------------
  // Its markup is in overrides/partials/header.html: signed out, a link to sign in; signed in, a
  // button naming the user that opens the menu, a popover (the browser closes it on Escape or a
  // click elsewhere, and puts the focus back on the button). Material keeps the header across
  // instant navigation: its links are made absolute once, and the menu closes when one is followed.
  const STAFF = ["support", "admin"];
  P.widget("user-menu", (root) => {
    const $ = (selector) => /** @type {HTMLElement} */ (root.querySelector(selector));
    const link = $(".portal-user__signin");
    const button = $(".portal-user__button");
    const menu = $(".portal-user__menu");
    root.querySelectorAll("a").forEach((a) => { a.href = a.href; });
    const close = () => menu.matches(":popover-open") && menu.hidePopover();
    menu.addEventListener("toggle", (event) => {
      const open = /** @type {ToggleEvent} */ (event).newState === "open";
      button.setAttribute("aria-expanded", String(open));
      if (open) P.focus(menu, "a");
    });
    const show = () => {
      const u = P.user();
      const focused = root.contains(document.activeElement);
      close();
      link.hidden = !!u;
      button.hidden = !u;
      if (u) {
        $(".portal-user__name").textContent = u.email;
        $(".portal-user__initial").textContent = u.email[0];
        $("[data-staff]").hidden = !u.roles.some((r) => STAFF.includes(r));
      }
      if (focused) (u ? button : link).focus();
    };
    P.delegate(root, { click: { signOut } });
    menu.addEventListener("click", (event) => { if (/** @type {Element} */ (event.target).closest("a")) close(); });
    P.onUser(root, show);
    show();
  });
})();
