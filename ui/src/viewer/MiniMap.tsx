import L from "leaflet";
import "leaflet/dist/leaflet.css";
import { useEffect, useRef, useState } from "react";
import { formatLatLon } from "../shared/mapGeo";
import { addBaseLayers, type BaseLayerState, useMapTiles } from "../shared/mapTiles";

// Close enough to see the streets on tiles; the offline world layer shows the country instead.
const TILES_ZOOM = 12;
const OFFLINE_ZOOM = 4;

/** A small map of where the photo was taken (loaded only when a photo has a location), on the
 * same base layers as the Map page: the configured tiles, or the offline world layer. */
export default function MiniMap({ lat, lon }: { lat: number; lon: number }) {
  const node = useRef<HTMLDivElement>(null);
  const { url, attribution } = useMapTiles();
  const [base, setBase] = useState<BaseLayerState>({ kind: "loading" });
  useEffect(() => {
    if (!node.current) return;
    const map = L.map(node.current, { zoomControl: false, keyboard: false, maxZoom: 18 }).setView([lat, lon], url ? TILES_ZOOM : OFFLINE_ZOOM);
    const removeBase = addBaseLayers(L, map, { url, attribution }, (state) => {
      setBase(state);
      if (state.kind === "fallback") map.setZoom(OFFLINE_ZOOM);
    });
    L.marker([lat, lon], {
      icon: L.divIcon({ className: "map-pin", html: "<span></span>", iconSize: [18, 18], iconAnchor: [9, 9] }),
      keyboard: false,
    }).addTo(map);
    return () => {
      removeBase();
      map.remove();
    };
  }, [lat, lon, url, attribution]);
  return (
    <div
      ref={node}
      className="minimap"
      data-testid="minimap"
      data-base-layer={base.kind}
      role="group"
      aria-label={`Map of where the photo was taken: ${formatLatLon(lat, lon)}${base.kind === "fallback" ? " (offline map: the tile server could not be reached)" : ""}`}
    />
  );
}
