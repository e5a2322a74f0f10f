/**
 * A new version of the app, announced by its service worker: the prompt subscribes to this store
 * and the registration (main.tsx) fills it. Kept apart from `virtual:pwa-register` so the prompt
 * can be tested without a service worker.
 */
export interface AppUpdate {
  /** Whether a new version waits for the person's go-ahead. */
  ready: () => boolean;
  subscribe: (listener: () => void) => () => void;
  /** The service worker found a new version; `apply` activates it and reloads the page. */
  offer: (apply: () => Promise<void>) => void;
  /** Take the new version now. */
  apply: () => Promise<void>;
  /** Not now: the prompt goes away until the next new version. */
  dismiss: () => void;
}

export function createAppUpdate(): AppUpdate {
  let pending: (() => Promise<void>) | null = null;
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((listener) => listener());
  return {
    ready: () => pending !== null,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    offer: (apply) => {
      pending = apply;
      notify();
    },
    apply: async () => {
      const apply = pending;
      pending = null;
      notify();
      await apply?.();
    },
    dismiss: () => {
      pending = null;
      notify();
    },
  };
}
