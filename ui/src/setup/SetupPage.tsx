import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { api, unwrap } from "../api/client";
import { ApiError, errorMessage, fieldErrorsOf, formErrorOf } from "../api/errors";
import type { SetupRequest } from "../api/types";
import { AuthLayout } from "../shared/AuthLayout";
import { FormAlert } from "../shared/FormAlert";
import { sessionQueryKey, useUpdateSession } from "../shared/session";
import { TextField } from "../shared/TextField";
import {
  EMPTY_SETUP,
  hasErrors,
  splitServerErrors,
  toSetupRequest,
  validateSetup,
  type SetupErrors,
  type SetupField,
  type SetupValues,
} from "./validation";

const FIELD_ORDER: SetupField[] = ["username", "password", "confirmPassword", "email"];
const fieldId = (field: SetupField) => `setup-${field}`;

/** First run: creates the administrator account, which is then signed in. */
export function SetupPage() {
  const queryClient = useQueryClient();
  const updateSession = useUpdateSession();
  const [values, setValues] = useState<SetupValues>(EMPTY_SETUP);
  const [errors, setErrors] = useState<SetupErrors>({});
  const [formError, setFormError] = useState<string>();
  const [alreadySetUp, setAlreadySetUp] = useState(false);

  const setup = useMutation({
    mutationFn: async (body: SetupRequest) => unwrap(await api.POST("/api/setup", { body })),
    onSuccess: (user) => updateSession({ authenticated: true, setup_required: false, user }),
    onError: (error) => {
      if (error instanceof ApiError && error.status === 400) {
        const { fields, other } = splitServerErrors(fieldErrorsOf(error.body));
        setErrors(fields);
        setFormError(formErrorOf(error.body) ?? other);
        focusFirstInvalid(fields);
      } else {
        setAlreadySetUp(error instanceof ApiError && error.status === 409);
        setFormError(errorMessage(error));
      }
    },
  });

  function update(field: SetupField, value: string) {
    setValues((current) => ({ ...current, [field]: value }));
    setErrors((current) => ({ ...current, [field]: undefined }));
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFormError(undefined);
    const found = validateSetup(values);
    setErrors(found);
    if (hasErrors(found)) {
      focusFirstInvalid(found);
      return;
    }
    setup.mutate(toSetupRequest(values));
  }

  return (
    <AuthLayout
      title="Welcome to Photonix"
      intro={<p>Create the administrator account to finish setting up. You can add more people later.</p>}
    >
      <form className="form" onSubmit={onSubmit} noValidate aria-label="Create administrator account">
        {formError && (
          <FormAlert>
            {formError}
            {alreadySetUp && (
              <>
                {" "}
                <button
                  type="button"
                  className="link-button"
                  onClick={() => void queryClient.invalidateQueries({ queryKey: sessionQueryKey })}
                >
                  Go to the login page
                </button>
              </>
            )}
          </FormAlert>
        )}
        <TextField
          id={fieldId("username")}
          label="Username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          value={values.username}
          onChange={(value) => update("username", value)}
          error={errors.username}
        />
        <TextField
          id={fieldId("password")}
          label="Password"
          type="password"
          autoComplete="new-password"
          required
          value={values.password}
          onChange={(value) => update("password", value)}
          error={errors.password}
          hint="Use a long password that you do not use anywhere else."
        />
        <TextField
          id={fieldId("confirmPassword")}
          label="Confirm password"
          type="password"
          autoComplete="new-password"
          required
          value={values.confirmPassword}
          onChange={(value) => update("confirmPassword", value)}
          error={errors.confirmPassword}
        />
        <TextField
          id={fieldId("email")}
          label="Email (optional)"
          type="email"
          autoComplete="email"
          value={values.email}
          onChange={(value) => update("email", value)}
          error={errors.email}
        />
        <button type="submit" className="button button--primary" disabled={setup.isPending}>
          {setup.isPending ? "Creating account…" : "Create admin account"}
        </button>
      </form>
    </AuthLayout>
  );
}

function focusFirstInvalid(errors: SetupErrors) {
  const first = FIELD_ORDER.find((field) => errors[field]);
  if (first) document.getElementById(fieldId(first))?.focus();
}
