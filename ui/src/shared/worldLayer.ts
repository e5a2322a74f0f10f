// The offline world map shipped with the app: Natural Earth's countries at 1:110m (world-atlas,
// TopoJSON), turned into GeoJSON and drawn by Leaflet as SVG paths, with country names once a
// country is wide enough on screen. Imported only by `mapTiles.ts` with `import()`, so it is a
// chunk of its own that only map views load. 1:110m rather than 1:50m: about 110 kB of data
// instead of 760 kB, enough for the shape of the world and its countries; a tile server gives
// the detail.
import type { Feature, FeatureCollection, Geometry } from "geojson";
import type L from "leaflet";
import { feature, mesh } from "topojson-client";
import type { GeometryCollection, Topology } from "topojson-specification";
import countries110m from "world-atlas/countries-110m.json";
import { labelFits, labelPlace, unwrapGeometry } from "./mapGeo";

interface CountryProps {
  name: string;
}

type Countries = Topology<{ countries: GeometryCollection<CountryProps>; land: GeometryCollection }>;

const LABEL_PANE = "worldLabels";

const topology = countries110m as unknown as Countries;

/** The world's countries, as GeoJSON features named by `properties.name`. */
export function worldCountries(): Feature<Geometry, CountryProps>[] {
  const countries = feature<CountryProps>(topology, topology.objects.countries).features;
  for (const country of countries) unwrapGeometry(country.geometry);
  return countries;
}

/**
 * A layer of the world's land, countries, borders and (at suitable zooms) country names, for
 * `map`. Not interactive: markers above it take the clicks. Colours come from the stylesheet
 * (`.world-*`), so they follow the light or dark theme.
 */
export function worldLayer(leaflet: typeof L, map: L.Map): L.LayerGroup {
  const group = leaflet.layerGroup();
  const renderer = leaflet.svg({ padding: 0.5 });
  const countries = worldCountries();
  group.addLayer(
    leaflet.geoJSON<CountryProps>(
      { type: "FeatureCollection", features: countries } as FeatureCollection<Geometry, CountryProps>,
      {
        interactive: false,
        attribution: "Natural Earth",
        style: () => ({ className: "world-country", weight: 0, fillOpacity: 1, renderer }),
        onEachFeature: (country, layer) => {
          layer.on("add", () => {
            const path = (layer as L.Path).getElement();
            path?.setAttribute("data-country", country.properties.name);
          });
        },
      },
    ),
  );
  // Borders between countries as one mesh (each drawn once), coastlines included.
  const borders = unwrapGeometry(mesh(topology, topology.objects.countries));
  group.addLayer(
    leaflet.geoJSON(borders, {
      interactive: false,
      style: () => ({ className: "world-border", weight: 0.8, fill: false, renderer }),
    }),
  );

  // Names above the land, below the photos' markers (overlays 400, markers 600).
  if (!map.getPane(LABEL_PANE)) map.createPane(LABEL_PANE).style.zIndex = "450";
  const labels = countries.flatMap((country) => {
    const place = labelPlace(country.geometry);
    if (!place) return [];
    const marker = leaflet.marker([place.lat, place.lon], {
      interactive: false,
      keyboard: false,
      pane: LABEL_PANE,
      icon: leaflet.divIcon({
        className: "world-label",
        html: `<span>${escapeHtml(country.properties.name)}</span>`,
        iconSize: undefined,
      }),
    });
    return [{ marker, span: place.span }];
  });
  const labelGroup = leaflet.layerGroup();
  const showLabels = () => {
    const zoom = map.getZoom();
    for (const { marker, span } of labels) {
      const fits = labelFits(span, zoom);
      if (fits && !labelGroup.hasLayer(marker)) labelGroup.addLayer(marker);
      if (!fits && labelGroup.hasLayer(marker)) labelGroup.removeLayer(marker);
    }
  };
  group.addLayer(labelGroup);
  group.on("add", () => {
    showLabels();
    map.on("zoomend", showLabels);
  });
  group.on("remove", () => void map.off("zoomend", showLabels));
  return group;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
