import { useQuery } from "@tanstack/react-query";
import L from "./leafletGlobal";
import "leaflet.markercluster";
import "leaflet.markercluster/dist/MarkerCluster.css";
import "leaflet.markercluster/dist/MarkerCluster.Default.css";
import "leaflet/dist/leaflet.css";
import { useEffect, useRef, useState } from "react";
import { Link, useNavigate } from "react-router";
import { api, unwrap } from "../api/client";
import { errorMessage } from "../api/errors";
import type { MapPoints } from "../api/types";
import { activeFilterCount, filtersToSearch, withFilter } from "../shared/filters";
import { plural } from "../shared/format";
import { boundsToBBox, formatBBox, markerTitle } from "../shared/mapGeo";
import { addBaseLayers, type BaseLayerState, baseLayerNote, useMapTiles } from "../shared/mapTiles";
import { photoKeys, useFilters } from "../shared/photos";
import { gridUrl } from "../shared/photoUrls";
import { photoPath, ROUTES } from "../shared/routes";

type MapPoint = MapPoints["points"][number];

function escapeAttr(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Photos with a location on a map, clustered; a marker opens its photo. */
export default function MapPage() {
  const { filters, search } = useFilters();
  const navigate = useNavigate();
  const tiles = useMapTiles();
  const { url, attribution } = tiles;
  const node = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const [base, setBase] = useState<BaseLayerState>({ kind: "loading" });
  const points = useQuery({
    queryKey: photoKeys.map(filters),
    queryFn: async (): Promise<MapPoints> => unwrap(await api.GET("/api/map", { params: { query: filters } })),
  });

  useEffect(() => {
    if (!node.current) return;
    const created = L.map(node.current, { worldCopyJump: true, minZoom: 1, maxZoom: 18 }).setView([20, 0], 2);
    const removeBase = addBaseLayers(L, created, { url, attribution }, setBase);
    map.current = created;
    return () => {
      removeBase();
      created.remove();
      map.current = null;
    };
  }, [url, attribution]);

  useEffect(() => {
    const current = map.current;
    const data = points.data;
    if (!current || !data) return;
    const byMarker = new WeakMap<L.Marker, MapPoint>();
    const cluster = L.markerClusterGroup({
      showCoverageOnHover: false,
      maxClusterRadius: 50,
      // A cluster shows the newest of its photos and how many it holds.
      iconCreateFunction: (group) => {
        const children = group.getAllChildMarkers();
        const shown = children
          .map((m) => byMarker.get(m))
          .filter((p): p is MapPoint => p !== undefined)
          .sort((a, b) => (b.taken_at ?? "").localeCompare(a.taken_at ?? ""))[0];
        const count = group.getChildCount();
        const image = shown ? `<img src="${gridUrl(shown.id, shown.thumbnail_version)}" alt="" data-photo-id="${shown.id}" />` : "";
        return L.divIcon({
          className: "map-cluster",
          html: `${image}<span class="map-cluster__count">${count}<span class="visually-hidden"> photos here: zoom in</span></span>`,
          iconSize: [56, 56],
          iconAnchor: [28, 28],
        });
      },
    });
    for (const point of data.points) {
      const title = markerTitle(point.lat, point.lon, point.taken_at);
      const marker = L.marker([point.lat, point.lon], {
        title,
        alt: title,
        icon: L.divIcon({
          className: "map-thumb",
          html: `<img src="${gridUrl(point.id, point.thumbnail_version)}" alt="${escapeAttr(title)}" data-photo-id="${point.id}" />`,
          iconSize: [48, 48],
          iconAnchor: [24, 24],
        }),
      });
      byMarker.set(marker, point);
      marker.on("click", () => void navigate(photoPath(point.id, search), { state: { from: "map" } }));
      // Leaflet makes markers focusable; Enter opens the photo like a click.
      marker.on("keypress", (event: L.LeafletKeyboardEvent) => {
        if (event.originalEvent.key === "Enter") void navigate(photoPath(point.id, search), { state: { from: "map" } });
      });
      cluster.addLayer(marker);
    }
    current.addLayer(cluster);
    if (data.points.length) {
      const bounds = L.latLngBounds(data.points.map((p) => [p.lat, p.lon] as [number, number]));
      current.fitBounds(bounds, { padding: [40, 40], maxZoom: 14 });
    }
    return () => void current.removeLayer(cluster);
  }, [points.data, navigate, search, url, attribution]);

  /** The timeline of the photos in the current view (the map's filters kept). */
  const showArea = () => {
    const current = map.current;
    if (!current) return;
    const view = current.getBounds();
    const box = boundsToBBox(view.getWest(), view.getSouth(), view.getEast(), view.getNorth());
    void navigate({ pathname: ROUTES.home, search: filtersToSearch(withFilter(filters, "bbox", formatBBox(box))) });
  };

  const count = activeFilterCount(filters);
  const note = baseLayerNote(base);
  return (
    <main className="map-page">
      <h1 className="visually-hidden">Map</h1>
      <div className="map-page__bar">
        <span data-testid="map-count">
          {points.data ? `${plural(points.data.points.length, "photo")} with a location` : points.isPending ? "Loading…" : ""}
          {points.data?.truncated && " (showing the first ones; narrow with filters)"}
        </span>
        {count > 0 && (
          <span>
            {" · "}
            {count} filter{count > 1 ? "s" : ""} from the timeline ·{" "}
            <Link to={{ pathname: ROUTES.home, search }}>edit</Link> · <Link to={ROUTES.map}>show all</Link>
          </span>
        )}
        {points.data && points.data.points.length > 0 && (
          <>
            {" · "}
            <button type="button" className="link-button" onClick={showArea}>
              Show these photos
            </button>
          </>
        )}
        {note && (
          <span className={base.kind === "fallback" ? "map-page__warn" : "muted"} data-testid="map-base-note" role={base.kind === "fallback" ? "status" : undefined}>
            {" · "}
            {note}
          </span>
        )}
        {points.isError && <span className="field__error"> {errorMessage(points.error)}</span>}
      </div>
      <div ref={node} className="map" data-testid="map" data-base-layer={base.kind} />
    </main>
  );
}
