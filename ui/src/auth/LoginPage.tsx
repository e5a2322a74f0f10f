import { useMutation } from "@tanstack/react-query";
import { useRef, useState, type FormEvent } from "react";
import { useLocation, useNavigate, useSearchParams } from "react-router";
import { api, unwrap } from "../api/client";
import { errorMessage } from "../api/errors";
import type { LoginRequest } from "../api/types";
import { AuthLayout } from "../shared/AuthLayout";
import { FormAlert } from "../shared/FormAlert";
import { afterLogin, fromState } from "../shared/routes";
import { useSession, useUpdateSession } from "../shared/session";
import { TextField } from "../shared/TextField";
import { SSO_ERROR_PARAM, ssoErrorMessage, ssoHref } from "./sso";

export function LoginPage() {
  const updateSession = useUpdateSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [formError, setFormError] = useState<string>();
  const passwordRef = useRef<HTMLInputElement>(null);
  const sso = useSession().data?.sso ?? null;
  const [searchParams] = useSearchParams();
  const ssoError = ssoErrorMessage(searchParams.get(SSO_ERROR_PARAM));

  const login = useMutation({
    mutationFn: async (body: LoginRequest) => unwrap(await api.POST("/api/auth/login", { body })),
    onSuccess: (user) => {
      updateSession({ authenticated: true, setup_required: false, user });
      // Straight to the page asked for, replacing /login in the address bar and the history.
      void navigate(afterLogin(fromState(location.state)), { replace: true });
    },
    onError: (error) => {
      setFormError(errorMessage(error));
      setPassword("");
      passwordRef.current?.focus();
    },
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!username.trim() || !password) {
      setFormError("Enter your username and password.");
      return;
    }
    setFormError(undefined);
    login.mutate({ username: username.trim(), password });
  }

  const form = (
    <form className="form" onSubmit={onSubmit} noValidate aria-label="Log in">
      {formError && <FormAlert>{formError}</FormAlert>}
      <TextField
        id="login-username"
        label="Username"
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        required
        value={username}
        onChange={setUsername}
      />
      <TextField
        ref={passwordRef}
        id="login-password"
        label="Password"
        type="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={setPassword}
      />
      <button type="submit" className="button button--primary" disabled={login.isPending}>
        {login.isPending ? "Logging in…" : "Log in"}
      </button>
    </form>
  );

  return (
    <AuthLayout title="Log in">
      {ssoError && <FormAlert>{ssoError}</FormAlert>}
      {sso && (
        <p className="login__sso">
          {/* A link, not a fetch: the server sends the browser on to the provider. */}
          <a
            className="button button--primary"
            href={ssoHref(sso.login_url, afterLogin(fromState(location.state)))}
          >
            Sign in with {sso.label}
          </a>
        </p>
      )}
      {sso && !sso.password_login ? (
        <details className="login__password">
          <summary>Sign in with a password (emergency access)</summary>
          {form}
        </details>
      ) : (
        form
      )}
    </AuthLayout>
  );
}
