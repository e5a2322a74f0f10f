// Map tiles come from configuration, never from a hard-coded host: the session may carry
// `map_tile_url` (an {z}/{x}/{y} template, saved in Settings or PHOTONIX_MAP_TILE_URL) and
// `map_attribution`. Without them, or when the tile server cannot be reached, maps draw the
// offline world layer shipped with the app (a chunk of its own, loaded only then).
import type L from "leaflet";
import type { Session } from "../api/types";
import { TileHealth, tileHost } from "./mapGeo";
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

/** What a map shows under its markers: configured tiles, or the offline world layer. */
export type BaseLayerState =
  | { kind: "tiles" }
  | { kind: "offline" }
  | { kind: "fallback"; host: string }
  | { kind: "loading" };

/** Words for the map bar about the base layer (empty when tiles are shown). */
export function baseLayerNote(state: BaseLayerState): string {
  switch (state.kind) {
    case "offline":
      return "Offline world map (no tile server set in Settings).";
    case "fallback":
      return `Map tiles from ${state.host} could not be loaded: showing the offline world map.`;
    default:
      return "";
  }
}

/**
 * Puts the base layer on `map`: the configured tiles, watched so that when their first tiles fail
 * the offline world layer takes their place; or the offline layer at once when no tiles are set.
 * `onState` hears what is shown. Returns the clean-up.
 */
export function addBaseLayers(
  leaflet: typeof L,
  map: L.Map,
  tiles: MapTiles,
  onState: (state: BaseLayerState) => void,
): () => void {
  let world: L.LayerGroup | undefined;
  let gone = false;
  const container = map.getContainer();
  const showWorld = (state: BaseLayerState) => {
    onState(state);
    container.classList.add("map--offline");
    void import("./worldLayer").then(({ worldLayer }) => {
      if (gone || world) return;
      world = worldLayer(leaflet, map);
      world.addTo(map);
    });
  };
  let layer: L.TileLayer | undefined;
  if (!tiles.url) {
    showWorld({ kind: "offline" });
  } else {
    onState({ kind: "loading" });
    const health = new TileHealth();
    const current = leaflet.tileLayer(tiles.url, { attribution: tiles.attribution, maxZoom: 19 });
    layer = current;
    let failed = false;
    const fallBack = () => {
      if (failed) return;
      failed = true;
      map.removeLayer(current);
      if (map.attributionControl) map.attributionControl.removeAttribution(tiles.attribution);
      showWorld({ kind: "fallback", host: tileHost(tiles.url) });
    };
    current.on("tileload", () => {
      if (health.loads === 0) onState({ kind: "tiles" });
      health.load();
    });
    current.on("tileerror", () => {
      if (health.error()) fallBack();
    });
    current.on("load", () => {
      if (health.settled()) fallBack();
    });
    current.addTo(map);
  }
  return () => {
    gone = true;
    container.classList.remove("map--offline");
    if (layer) map.removeLayer(layer);
    if (world) map.removeLayer(world);
  };
}
