/**
 * What a tile shows for a photo whose image could not be made (`failed` in the API), instead of
 * an empty grey tile: a "Failed" badge, with the reason for people who point at it or read it
 * out. The photo stays where it is (timeline, album), so nothing is lost silently.
 */
export function FailedBadge({ reason }: { reason: string }) {
  return (
    <span className="failed-badge" data-testid="failed-badge" title={reason}>
      <span aria-hidden="true">⚠</span> Failed
      <span className="visually-hidden">: {reason}</span>
    </span>
  );
}
