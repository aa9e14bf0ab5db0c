// @ts-check
/* Setting up two-step sign-in (TOTP), loaded by auth.js only when a signed-in user asks for it
   (a module, imported on demand: it weighs nothing on the pages until then). The calls go
   through auth.js's Cognito client; the views and their messages stay in auth.js. */

const ISSUER = "Customer Portal"; // the name authenticator apps show next to the code

/** A new key for an authenticator app, from Cognito. @param {PortalCore} P @param {PortalCognito} cognito */
export const start = async (P, cognito) =>
  (await cognito("AssociateSoftwareToken", { AccessToken: P.session().access })).SecretCode;

/** The key in groups of four, as apps ask it to be typed, and the link that hands it to an app.
    @param {PortalCore} P @param {string} secret */
export const enrolment = (P, secret) => {
  const { h } = P;
  const issuer = encodeURIComponent(ISSUER);
  const link = `otpauth://totp/${issuer}:${encodeURIComponent(P.user().email)}?secret=${secret}&issuer=${issuer}`;
  return h("p", {}, h("a", { href: link, class: "md-button" }, "Open in your authenticator app"),
    " or type this key in it: ", h("code", { "data-secret": secret }, secret.replace(/(.{4})(?=.)/g, "$1 ")));
};

/** The first code from the app turns two-step sign-in on.
    @param {PortalCore} P @param {PortalCognito} cognito @param {string} code */
export const confirm = async (P, cognito, code) => {
  const AccessToken = P.session().access;
  await cognito("VerifySoftwareToken", { AccessToken, UserCode: code });
  await cognito("SetUserMFAPreference", { AccessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } });
};
