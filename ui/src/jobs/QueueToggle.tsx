import { errorMessage } from "../api/errors";
import { asQueueName, queueToggle } from "./logic";
import { useSetQueuePaused } from "./queries";
import { useNotice } from "./notice";

/** Pause or resume a queue: workers stop or start taking its jobs (running ones finish). */
export function QueueToggle({ queue, paused }: { queue: string; paused: boolean }) {
  const setQueuePaused = useSetQueuePaused();
  const notify = useNotice();
  const toggle = queueToggle(paused);
  const busy = setQueuePaused.isPending && setQueuePaused.variables.queue === queue;
  return (
    <button
      type="button"
      className="button button--small"
      aria-label={`${toggle.label} the ${queue} queue`}
      disabled={busy}
      onClick={() =>
        setQueuePaused.mutate(
          { queue: asQueueName(queue), paused: toggle.paused },
          {
            onSuccess: (result) =>
              notify.ok(result.paused ? `The ${queue} queue is paused.` : `The ${queue} queue is running again.`),
            onError: (error) =>
              notify.error(`Could not ${toggle.label.toLowerCase()} the ${queue} queue. ${errorMessage(error)}`),
          },
        )
      }
    >
      {toggle.label}
    </button>
  );
}
