import L from "leaflet";
import "leaflet/dist/leaflet.css";
import { useEffect, useRef } from "react";
import { addBaseLayers, useMapTiles } from "../shared/mapTiles";

const PIN = L.divIcon({ className: "map-pin", html: "<span></span>", iconSize: [18, 18], iconAnchor: [9, 9] });

/** A map to pick a place on: a click (or tap) puts the pin there and says where. */
export default function PickMap({
  lat,
  lon,
  onPick,
}: {
  lat: number | null;
  lon: number | null;
  onPick: (lat: number, lon: number) => void;
}) {
  const node = useRef<HTMLDivElement>(null);
  const pin = useRef<L.Marker | null>(null);
  const pick = useRef(onPick);
  useEffect(() => {
    pick.current = onPick;
  }, [onPick]);
  const { url, attribution } = useMapTiles();
  useEffect(() => {
    if (!node.current) return;
    const known = lat !== null && lon !== null;
    const map = L.map(node.current, { keyboard: false, maxZoom: 18 }).setView(known ? [lat, lon] : [20, 0], known ? 10 : 1);
    const removeBase = addBaseLayers(L, map, { url, attribution }, () => undefined);
    if (known) pin.current = L.marker([lat, lon], { icon: PIN, keyboard: false }).addTo(map);
    map.on("click", (event: L.LeafletMouseEvent) => {
      const { lat: picked, lng } = event.latlng.wrap();
      pin.current?.remove();
      pin.current = L.marker([picked, lng], { icon: PIN, keyboard: false }).addTo(map);
      pick.current(picked, lng);
    });
    return () => {
      removeBase();
      map.remove();
      pin.current = null;
    };
    // The map is made once per opening; picks move the pin without re-creating it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [url, attribution]);
  return <div ref={node} className="minimap pick-map" data-testid="pick-map" role="group" aria-label="Map: click where the photo was taken" />;
}
