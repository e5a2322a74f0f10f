import type { ReactNode } from "react";

/** The centred card the signed-out pages (setup, login) and the first-run welcome sit in. */
export function AuthLayout({
  title,
  intro,
  children,
  wide = false,
}: {
  title: string;
  intro?: ReactNode;
  children: ReactNode;
  /** Room for more than a few fields (the first-run welcome). */
  wide?: boolean;
}) {
  return (
    <main className="auth">
      <div className={wide ? "auth__card auth__card--wide card" : "auth__card card"}>
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
