// Map tiles come from configuration, never from a hard-coded host: the session may carry
// `map_tile_url` (an {z}/{x}/{y} template) and `map_attribution`. Without them maps show their
// markers on a plain background.
import type L from "leaflet";
import type { Session } from "../api/types";
import { useSession } from "./session";

export interface MapTiles {
  url: string;
  attribution: string;
}

export function useMapTiles(): MapTiles {
  const { data } = useSession();
  const session: Session | undefined = data;
  return { url: session?.map_tile_url ?? "", attribution: session?.map_attribution ?? "" };
}

export function addTiles(leaflet: typeof L, map: L.Map, tiles: MapTiles): void {
  if (!tiles.url) return;
  leaflet.tileLayer(tiles.url, { attribution: tiles.attribution, maxZoom: 19 }).addTo(map);
}
