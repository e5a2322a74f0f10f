import { useSyncExternalStore } from "react";
import type { AppUpdate } from "./appUpdate";

/**
 * "A new version of Photonix is ready": shown when a deploy changed the app while this page was
 * open, so nobody keeps working in a stale copy without knowing; Reload takes the new version.
 */
export function UpdatePrompt({ update }: { update: AppUpdate }) {
  const ready = useSyncExternalStore(update.subscribe, update.ready);
  if (!ready) return null;
  return (
    <div className="update-prompt" role="status">
      <span>A new version of Photonix is ready.</span>
      <button type="button" className="button button--primary button--small" onClick={() => void update.apply()}>
        Reload
      </button>
      <button type="button" className="button button--small" onClick={() => update.dismiss()}>
        Later
      </button>
    </div>
  );
}
