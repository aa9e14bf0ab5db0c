/* Sign-in widget and session upkeep, against Cognito's own JSON API (cognito.endpoint in
   portal-config.json, or the region's public endpoint): password sign-in, the new-password
   challenge of invited users, forgot/confirm password, silent refresh and sign-out. */
(() => {
  "use strict";
  const P = window.Portal;
  const { h, fill, field, note } = P;

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
      body: JSON.stringify(action === "GlobalSignOut" ? body : { ClientId: c.clientId, ...body }),
    });
    const data = await res.json().catch(() => ({}));
    if (res.ok) return data;
    const code = String(data.__type || "").split("#").pop();
    throw new Error(FRIENDLY[code] || data.message || "Signing in failed; try again.");
  };

  const claims = (token) => JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));

  // Tokens -> session: who the API says we are (organisation, roles) comes from /me.
  const establish = async (result, refresh) => {
    const next = { id: result.IdToken, access: result.AccessToken, refresh: result.RefreshToken || refresh,
      exp: claims(result.IdToken).exp * 1000 };
    const previous = P.session();
    const user = (previous && previous.user)
      || await P.api("GET", "/me", null, { Authorization: `Bearer ${next.id}` });
    P.setSession({ ...next, user });
    schedule();
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

  let ended = false; // the session ended by itself: say so on the sign-in form
  const signOut = async () => {
    const s = P.session();
    clearTimeout(timer);
    P.setSession(null);
    if (s) cognito("GlobalSignOut", { AccessToken: s.access }).catch(() => {});
  };

  // --- the widget: one of sign-in, new password, forgot, confirm-forgot, signed in -----------
  P.widget("sign-in", (root) => {
    let view = "signIn";
    let email = "";
    let challenge = null;
    let message = null;
    const live = h("div", { class: "portal-sr", "aria-live": "polite" });

    const input = (name, type, autocomplete, value) => h("input", { name, type, autocomplete, required: true,
      value, spellcheck: type === "email" ? "false" : null });
    const submit = (text) => h("button", { type: "submit", class: "md-button md-button--primary" }, text);
    const link = (action, text) => h("button", { type: "button", class: "portal-link", "data-action": action }, text);
    const form = (action, title, ...kids) => h("form", { "data-action": action, class: "portal-form",
      "aria-label": title, novalidate: true }, action !== "signIn" && h("h3", {}, title), message, ...kids);

    const views = {
      signIn: () => form("signIn", "Sign in to the portal",
        field("E-mail address", input("email", "email", "username", email)),
        field("Password", input("password", "password", "current-password")),
        h("div", { class: "portal-actions" }, submit("Sign in"), link("forgot", "Forgot your password?"))),
      newPassword: () => form("newPassword", "Choose a new password",
        note("Welcome! Your invitation password was temporary: choose your own to finish signing in."),
        field("New password", input("password", "password", "new-password"),
          "At least 8 characters with upper- and lower-case letters, a digit and a symbol."),
        field("Repeat the new password", input("repeat", "password", "new-password")),
        h("div", { class: "portal-actions" }, submit("Set password and sign in"), link("back", "Cancel"))),
      forgot: () => form("forgot", "Reset your password",
        field("E-mail address", input("email", "email", "username", email),
          "We mail you a code to set a new password."),
        h("div", { class: "portal-actions" }, submit("Mail me a code"), link("back", "Back to sign in"))),
      confirm: () => form("confirm", "Set a new password",
        field("Code from the mail", input("code", "text", "one-time-code")),
        field("New password", input("password", "password", "new-password"),
          "At least 8 characters with upper- and lower-case letters, a digit and a symbol."),
        h("div", { class: "portal-actions" }, submit("Set new password"), link("back", "Back to sign in"))),
      signedIn: () => {
        const u = P.user() || {};
        const role = (u.roles || []).includes("support") ? "support team" : u.org ? `organisation ${u.org}` : "";
        return h("div", { class: "portal-signed-in" },
          h("p", { tabindex: "-1" }, "Signed in as ", h("strong", {}, u.email || "…"), role && ` (${role})`),
          h("button", { type: "button", class: "md-button", "data-action": "signOut" }, "Sign out"));
      },
    };

    const render = (focus) => {
      if (P.session()) view = "signedIn";
      else if (view === "signedIn") view = "signIn";
      if (ended && view === "signIn") { message = note("Your session has ended; sign in again.", "error"); ended = false; }
      fill(root, views[view](), live);
      message = null;
      if (focus) (root.querySelector("[role=alert], input, p[tabindex]") || root).focus();
    };

    const fail = (error) => { message = note(error.message, "error"); render(true); };
    const values = (formEl) => Object.fromEntries(new FormData(formEl));
    // Inline checks before anything is sent: empty fields and repeated passwords.
    const check = (formEl, extra) => {
      let first = null;
      for (const control of formEl.querySelectorAll("input")) {
        const problem = !control.value.trim() ? "Fill in this field."
          : control.type === "email" && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(control.value.trim())
            ? "Type an e-mail address like alice@acme.example." : extra && extra(control);
        if (P.invalid(control, problem) && !first) first = control;
      }
      if (first) first.focus();
      return !first;
    };
    const working = (formEl, text) => {
      formEl.querySelector("[type=submit]").disabled = true;
      live.textContent = text;
    };

    P.delegate(root, {
      submit: {
        signIn: async (formEl) => {
          if (!check(formEl)) return;
          const v = values(formEl);
          email = v.email.trim();
          working(formEl, "Signing in…");
          try {
            const data = await cognito("InitiateAuth", { AuthFlow: "USER_PASSWORD_AUTH",
              AuthParameters: { USERNAME: email, PASSWORD: v.password } });
            if (data.ChallengeName === "NEW_PASSWORD_REQUIRED") {
              challenge = data.Session;
              view = "newPassword";
              return render(true);
            }
            await establish(data.AuthenticationResult);
            live.textContent = "Signed in.";
          } catch (error) { fail(error); }
        },
        newPassword: async (formEl) => {
          const v = values(formEl);
          if (!check(formEl, (c) => c.name === "repeat" && c.value !== v.password && "The two passwords differ.")) return;
          working(formEl, "Setting your password…");
          try {
            const data = await cognito("RespondToAuthChallenge", { ChallengeName: "NEW_PASSWORD_REQUIRED",
              Session: challenge, ChallengeResponses: { USERNAME: email, NEW_PASSWORD: v.password } });
            await establish(data.AuthenticationResult);
          } catch (error) { fail(error); }
        },
        forgot: async (formEl) => {
          if (!check(formEl)) return;
          email = values(formEl).email.trim();
          working(formEl, "Sending the code…");
          try {
            await cognito("ForgotPassword", { Username: email });
            view = "confirm";
            message = note(`If ${email} has an account, a code is on its way there.`);
            render(true);
          } catch (error) { fail(error); }
        },
        confirm: async (formEl) => {
          if (!check(formEl)) return;
          const v = values(formEl);
          working(formEl, "Setting your password…");
          try {
            await cognito("ConfirmForgotPassword", { Username: email, ConfirmationCode: v.code.trim(),
              Password: v.password });
            view = "signIn";
            message = note("Your password is changed; sign in with the new one.", "success");
            render(true);
          } catch (error) { fail(error); }
        },
      },
      click: {
        forgot: () => { view = "forgot"; render(true); },
        back: () => { view = "signIn"; render(true); },
        signOut: () => { signOut(); live.textContent = "Signed out."; },
      },
    });
    P.onUser(root, () => render(root.contains(document.activeElement)));
    render(false);
  });
})();
