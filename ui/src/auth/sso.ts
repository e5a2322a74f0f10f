/** Single sign-on on the login page: where the button goes, and what a refusal means. */

/** The query parameter the server's /auth/oidc/callback adds when it sends a person back. */
export const SSO_ERROR_PARAM = "sso_error";

const MESSAGES: Record<string, string> = {
  not_configured: "Single sign-on is not set up.",
  setup: "Photonix is not set up yet: create the administrator first.",
  unavailable: "The sign-in provider could not be reached. Try again later.",
  state: "This sign-in expired or was already used. Start again.",
  refused: "The sign-in provider refused the sign-in.",
  token: "The sign-in provider's answer could not be verified. Try again, or ask an administrator.",
  email_unverified:
    "Your provider has not verified your e-mail address, so it cannot be matched to an account.",
  already_linked: "The account with this e-mail address is linked to another account at the provider.",
  no_account: "There is no Photonix account for you. Ask an administrator.",
  disabled: "This account is disabled.",
};

/** The sentence for a refusal code from the address bar (any code: never the raw text). */
export function ssoErrorMessage(code: string | null): string | undefined {
  if (code === null) return undefined;
  return MESSAGES[code] ?? "Single sign-on failed. Try again.";
}

/** The button's address: a navigation to the server, which sends the browser to the provider. */
export function ssoHref(loginUrl: string, next: string): string {
  return next === "/" ? loginUrl : `${loginUrl}?next=${encodeURIComponent(next)}`;
}
