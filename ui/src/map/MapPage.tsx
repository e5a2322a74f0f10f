import { useQuery } from "@tanstack/react-query";
import L from "./leafletGlobal";
import "leaflet.markercluster";
import "leaflet.markercluster/dist/MarkerCluster.css";
import "leaflet.markercluster/dist/MarkerCluster.Default.css";
import "leaflet/dist/leaflet.css";
import { useEffect, useRef } from "react";
import { Link, useNavigate } from "react-router";
import { api, unwrap } from "../api/client";
import { errorMessage } from "../api/errors";
import type { MapPoints } from "../api/types";
import { activeFilterCount } from "../shared/filters";
import { addTiles, useMapTiles } from "../shared/mapTiles";
import { photoKeys, useFilters } from "../shared/photos";
import { gridUrl } from "../shared/photoUrls";
import { photoPath, ROUTES } from "../shared/routes";

/** Photos with a location on a map, clustered; a marker opens its photo. */
export default function MapPage() {
  const { filters, search } = useFilters();
  const navigate = useNavigate();
  const { url, attribution } = useMapTiles();
  const node = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const points = useQuery({
    queryKey: photoKeys.map(filters),
    queryFn: async (): Promise<MapPoints> => unwrap(await api.GET("/api/map", { params: { query: filters } })),
  });

  useEffect(() => {
    if (!node.current) return;
    const created = L.map(node.current, { worldCopyJump: true, attributionControl: !!url, minZoom: 1, maxZoom: 18 }).setView([20, 0], 2);
    addTiles(L, created, { url, attribution });
    map.current = created;
    return () => {
      created.remove();
      map.current = null;
    };
  }, [url, attribution]);

  useEffect(() => {
    const current = map.current;
    const data = points.data;
    if (!current || !data) return;
    const cluster = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 50 });
    for (const point of data.points) {
      const marker = L.marker([point.lat, point.lon], {
        title: `Photo ${point.id}`,
        alt: `Photo ${point.id}`,
        icon: L.divIcon({
          className: "map-thumb",
          html: `<img src="${gridUrl(point.id, point.thumbnail_version)}" alt="" data-photo-id="${point.id}" />`,
          iconSize: [48, 48],
          iconAnchor: [24, 24],
        }),
      });
      marker.on("click", () => void navigate(photoPath(point.id, search), { state: { from: "map" } }));
      cluster.addLayer(marker);
    }
    current.addLayer(cluster);
    if (data.points.length) {
      const bounds = L.latLngBounds(data.points.map((p) => [p.lat, p.lon] as [number, number]));
      current.fitBounds(bounds, { padding: [40, 40], maxZoom: 14 });
    }
    return () => void current.removeLayer(cluster);
  }, [points.data, navigate, search, url, attribution]);

  const count = activeFilterCount(filters);
  return (
    <main className="map-page">
      <h1 className="visually-hidden">Map</h1>
      <div className="map-page__bar">
        <span data-testid="map-count">
          {points.data ? `${points.data.points.length} photos with a location` : points.isPending ? "Loading…" : ""}
          {points.data?.truncated && " (showing the first ones; narrow with filters)"}
        </span>
        {count > 0 && (
          <span>
            {" · "}
            {count} filter{count > 1 ? "s" : ""} from the timeline ·{" "}
            <Link to={{ pathname: ROUTES.home, search }}>edit</Link> · <Link to={ROUTES.map}>show all</Link>
          </span>
        )}
        {!url && <span className="muted"> · No map tiles configured: markers on a plain background.</span>}
        {points.isError && <span className="field__error"> {errorMessage(points.error)}</span>}
      </div>
      <div ref={node} className={`map${url ? "" : " map--plain"}`} data-testid="map" />
    </main>
  );
}
