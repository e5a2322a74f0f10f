import type { ReactNode } from "react";

/** A message about the whole form, announced when it appears. */
export function FormAlert({ children }: { children: ReactNode }) {
  return (
    <div className="alert" role="alert">
      {children}
    </div>
  );
}
