import type { ReactNode } from "react";

/** The centred card the signed-out pages (setup, login) sit in. */
export function AuthLayout({
  title,
  intro,
  children,
}: {
  title: string;
  intro?: ReactNode;
  children: ReactNode;
}) {
  return (
    <main className="auth">
      <div className="auth__card card">
        <p className="brand brand--large" aria-hidden="true">
          <span className="brand__mark" />
          Photonix
        </p>
        <h1>{title}</h1>
        {intro && <div className="auth__intro">{intro}</div>}
        {children}
      </div>
    </main>
  );
}
