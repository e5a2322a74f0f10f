import L from "leaflet";
import "leaflet/dist/leaflet.css";
import { useEffect, useRef } from "react";
import { addTiles, useMapTiles } from "../shared/mapTiles";

/** A small map of where the photo was taken (loaded only when a photo has a location). */
export default function MiniMap({ lat, lon }: { lat: number; lon: number }) {
  const node = useRef<HTMLDivElement>(null);
  const { url, attribution } = useMapTiles();
  useEffect(() => {
    if (!node.current) return;
    const map = L.map(node.current, { zoomControl: false, attributionControl: !!url, maxZoom: 18 }).setView([lat, lon], 12);
    addTiles(L, map, { url, attribution });
    L.marker([lat, lon], {
      icon: L.divIcon({ className: "map-pin", html: "<span></span>", iconSize: [18, 18], iconAnchor: [9, 9] }),
      keyboard: false,
    }).addTo(map);
    return () => void map.remove();
  }, [lat, lon, url, attribution]);
  return <div ref={node} className={`minimap${url ? "" : " minimap--plain"}`} data-testid="minimap" />;
}
