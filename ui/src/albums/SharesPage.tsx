import { useState } from "react";
import { Link, useSearchParams } from "react-router";
import { errorMessage } from "../api/errors";
import type { ShareLink } from "../api/types";
import { albumPath } from "../shared/albums";
import { FormAlert } from "../shared/FormAlert";
import { formatDate, plural } from "../shared/format";
import { ConfirmModal } from "../shared/Modal";
import { QueryState } from "../shared/QueryState";
import { ROUTES } from "../shared/routes";
import "./albums.css";
import { describeExpiry } from "./logic";
import { useShareActions, useShareLinks } from "./queries";
import { EditShareDialog, ShowLinkDialog } from "../shared/ShareLinkDialog";

function linkSubject(link: ShareLink): string {
  if (link.kind === "album") return link.album_name ?? "An album";
  return link.label || plural(link.photo_count, "photo");
}

export function SharesPage() {
  const [params] = useSearchParams();
  const albumParam = Number(params.get("album"));
  const album = Number.isInteger(albumParam) && albumParam > 0 ? albumParam : undefined;
  const links = useShareLinks(album);
  const { revoke } = useShareActions();
  const [editing, setEditing] = useState<ShareLink | null>(null);
  const [revoking, setRevoking] = useState<ShareLink | null>(null);
  const [showing, setShowing] = useState<ShareLink | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  return (
    <>
      <div className="page-header">
        <div>
          <p className="albums__crumb">
            <Link to={ROUTES.albums}>Albums</Link>
          </p>
          <h1>Shared links</h1>
          <p className="muted page-header__intro">
            Public links anyone with the address can open, without an account. Here you copy a link’s address again,
            see how often it was opened, change what it allows, or revoke it.
          </p>
        </div>
        {album && (
          <div className="page-header__actions">
            <Link className="button" to={ROUTES.shares}>
              Show every link
            </Link>
          </div>
        )}
      </div>
      {notice && (
        <div className="notice notice--ok" role="status">
          {notice}
        </div>
      )}
      {revoke.isError && <FormAlert>Could not revoke the link. {errorMessage(revoke.error)}</FormAlert>}
      <QueryState query={links} loading="Loading links…" error="Could not load the links.">
        {(list) =>
          list.length === 0 ? (
            <p className="muted">
              No shared links{album ? " for this album" : ""}. Create one with “Share link” on an album’s page.
            </p>
          ) : (
            <div className="table-wrap">
              <table className="table shares">
                <thead>
                  <tr>
                    <th scope="col">Shares</th>
                    <th scope="col">Label</th>
                    <th scope="col">Expiry</th>
                    <th scope="col">Password</th>
                    <th scope="col">Visitors may</th>
                    <th scope="col">Visits</th>
                    <th scope="col">Created</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((link) => (
                    <tr key={link.id} data-testid={`share-${link.id}`} className={link.expired ? "shares__row--expired" : undefined}>
                      <td>
                        {link.kind === "album" && link.album ? (
                          <Link to={albumPath(link.album)}>{linkSubject(link)}</Link>
                        ) : (
                          linkSubject(link)
                        )}
                        <div className="muted">{plural(link.photo_count, "photo")}</div>
                      </td>
                      <td>{link.label || <span className="muted">—</span>}</td>
                      <td>
                        {link.expired ? <span className="badge badge--warn">Expired</span> : null} {describeExpiry(link.expires_at)}
                      </td>
                      <td>{link.has_password ? "Yes" : "No"}</td>
                      <td>
                        {[
                          link.allow_download && "download originals",
                          link.show_metadata && "see metadata",
                          link.show_location && "see the location",
                        ]
                          .filter(Boolean)
                          .join(", ") || "only view"}
                        {link.allow_download && link.strip_metadata && <div className="muted">downloads without serial numbers or owner names</div>}
                      </td>
                      <td>
                        {link.view_count}
                        {link.last_viewed_at && <div className="muted">last {formatDate(link.last_viewed_at)}</div>}
                      </td>
                      <td>
                        {formatDate(link.created_at)}
                        {link.created_by && <div className="muted">by {link.created_by}</div>}
                      </td>
                      <td className="table__actions">
                        {link.url && (
                          <button type="button" className="button button--small" onClick={() => setShowing(link)} aria-label={`Copy link for ${linkSubject(link)}`}>
                            Copy link
                          </button>
                        )}
                        <button type="button" className="button button--small" onClick={() => setEditing(link)} aria-label={`Edit link for ${linkSubject(link)}`}>
                          Edit
                        </button>
                        <button
                          type="button"
                          className="button button--small button--danger"
                          onClick={() => setRevoking(link)}
                          aria-label={`Revoke link for ${linkSubject(link)}`}
                        >
                          Revoke
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </QueryState>
      {editing && (
        <EditShareDialog
          link={editing}
          onClose={() => setEditing(null)}
        />
      )}
      {showing?.url && <ShowLinkDialog path={showing.url} subject={linkSubject(showing)} onClose={() => setShowing(null)} />}
      {revoking && (
        <ConfirmModal
          title="Revoke this link?"
          confirmLabel="Revoke link"
          busy={revoke.isPending}
          onCancel={() => setRevoking(null)}
          onConfirm={() =>
            revoke.mutate(revoking.id, {
              onSuccess: () => {
                setNotice(`The link for ${linkSubject(revoking)} is revoked: it no longer opens.`);
                setRevoking(null);
              },
              onError: () => setRevoking(null),
            })
          }
        >
          Anyone who opens it from now on gets “not found”. This cannot be undone; you can create a new link later.
        </ConfirmModal>
      )}
    </>
  );
}
