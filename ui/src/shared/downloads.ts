// Downloads of several photos: the server is asked for a zip (POST /api/downloads), then the
// browser follows the answer's URL, so it saves the streamed archive itself with its progress.
import { api, unwrap } from "../api/client";

/** Saves ``href`` as a file through an ordinary link (no page change, no memory held here). */
export function saveLink(href: string): void {
  const link = document.createElement("a");
  link.href = href;
  link.download = "";
  link.rel = "noopener";
  document.body.appendChild(link);
  link.click();
  link.remove();
}

export type ZipRequest = { photos: number[] } | { album: number };

/** Asks for a zip of a selection or an album and starts saving it; answers how many photos. */
export async function downloadZip(request: ZipRequest, version: "original" | "developed" = "original"): Promise<number> {
  const ticket = unwrap(await api.POST("/api/downloads", { body: { ...request, version } }));
  saveLink(ticket.url);
  return ticket.photos;
}
