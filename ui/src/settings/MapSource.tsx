import { useMutation, useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { api, unwrap } from "../api/client";
import { ApiError, fieldErrorsOf } from "../api/errors";
import type { MapSettings, MapSettingsUpdate } from "../api/types";
import { looksLikeTileTemplate, testTileUrl, tileHost } from "../shared/mapGeo";
import { QueryState } from "../shared/QueryState";
import { describeError } from "./errors";

const OSM_PRESET = {
  url: "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
  attribution: "© OpenStreetMap contributors",
};

// Set before the page reloads after a save, read once after it (see `save` below).
const SAVED_FLAG = "photonix:map-source-saved";
const TEST_TIMEOUT_MS = 15_000;

export type TileTestResult = "loaded" | "blocked" | "failed" | "timeout";

/**
 * Loads one tile (the whole world at zoom 0) from the browser, as a map would. "blocked": this
 * page's Content-Security-Policy does not allow the host yet (it follows the saved source: save,
 * and the page reloads with a policy that allows it).
 */
function testTile(template: string): Promise<TileTestResult> {
  const url = testTileUrl(template);
  return new Promise((resolve) => {
    const image = new Image();
    let blocked = false;
    const onViolation = (event: SecurityPolicyViolationEvent) => {
      if (event.blockedURI && url.startsWith(event.blockedURI)) blocked = true;
    };
    const finish = (result: TileTestResult) => {
      document.removeEventListener("securitypolicyviolation", onViolation);
      window.clearTimeout(timer);
      image.onload = null;
      image.onerror = null;
      resolve(result);
    };
    const timer = window.setTimeout(() => finish("timeout"), TEST_TIMEOUT_MS);
    document.addEventListener("securitypolicyviolation", onViolation);
    image.onload = () => finish(image.naturalWidth > 0 ? "loaded" : "failed");
    // The violation event is queued as a task: give it a turn before deciding.
    image.onerror = () => window.setTimeout(() => finish(blocked ? "blocked" : "failed"), 0);
    image.src = url;
  });
}

function resultText(result: TileTestResult, template: string): string {
  const host = tileHost(template);
  switch (result) {
    case "loaded":
      return `A tile loaded from ${host}: this browser can reach the tile server.`;
    case "blocked":
      return `This page may not load images from ${host} yet. Save the source (the page reloads to allow it), then test again.`;
    case "timeout":
      return `No answer from ${host} in ${TEST_TIMEOUT_MS / 1000} s: maps will show the offline world map.`;
    default:
      return `Could not load a tile from ${host} (unreachable, or not a tile URL): maps will show the offline world map.`;
  }
}

const mapSettingsKey = ["settings", "map"] as const;

/** The map's tile source (administrators): a URL template and attribution, an OpenStreetMap
 * preset, and a test that loads one tile from this browser. */
export function MapSource() {
  const settings = useQuery({
    queryKey: mapSettingsKey,
    queryFn: async (): Promise<MapSettings> => unwrap(await api.GET("/api/settings/map")),
  });
  return (
    <section className="card" aria-labelledby="map-source-title">
      <h2 id="map-source-title">Map</h2>
      <QueryState query={settings} error="Could not load the map settings.">
        {(state) => <MapSourceForm state={state} />}
      </QueryState>
    </section>
  );
}

function MapSourceForm({ state }: { state: MapSettings }) {
  const id = useId();
  const [url, setUrl] = useState(state.map_tile_url);
  const [attribution, setAttribution] = useState(state.map_attribution);
  const [test, setTest] = useState<{ template: string; result: TileTestResult | "testing" } | null>(null);
  const [justSaved] = useState(() => {
    const saved = window.sessionStorage.getItem(SAVED_FLAG) === "1";
    window.sessionStorage.removeItem(SAVED_FLAG);
    return saved;
  });
  const save = useMutation({
    mutationFn: async (body: MapSettingsUpdate) =>
      unwrap(await api.PUT("/api/settings/map", { body })),
    onSuccess: () => {
      // The browser keeps the Content-Security-Policy of the page it loaded: a new tile host is
      // allowed only after a reload (the server sends the policy of the saved source at once).
      window.sessionStorage.setItem(SAVED_FLAG, "1");
      window.location.reload();
    },
  });
  const fields = save.error instanceof ApiError && save.error.status === 400 ? fieldErrorsOf(save.error.body) : {};
  const urlError = fields.map_tile_url;
  const attributionError = fields.map_attribution;
  const template = url.trim();
  const runTest = () => {
    setTest({ template, result: "testing" });
    void testTile(template).then((result) => setTest({ template, result }));
  };
  const where =
    state.source === "settings"
      ? "Maps use the source saved here."
      : state.source === "environment"
        ? `Maps use the server's default (PHOTONIX_MAP_TILE_URL: ${state.default_tile_url}); a source saved here takes precedence.`
        : "No tile server: maps draw the offline world map shipped with Photonix (countries and borders, nothing fetched from elsewhere).";
  return (
    <form
      className="map-source"
      aria-label="Map tile source"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate({ map_tile_url: template, map_attribution: template ? attribution.trim() : "" });
      }}
    >
      <p className="muted" data-testid="map-source-state">
        {where}
      </p>
      {justSaved && (
        <p className="map-source__saved" role="status">
          Saved. Maps use it from now on.
        </p>
      )}
      <div className={urlError ? "field field--invalid" : "field"}>
        <label htmlFor={`${id}-url`}>Tile URL template</label>
        <input
          id={`${id}-url`}
          value={url}
          maxLength={500}
          placeholder="https://tile.example.org/{z}/{x}/{y}.png"
          aria-invalid={urlError ? true : undefined}
          aria-describedby={`${id}-hint${urlError ? ` ${id}-error` : ""}`}
          onChange={(event) => {
            setUrl(event.target.value);
            save.reset();
          }}
        />
        <p className="field__hint" id={`${id}-hint`}>
          http(s), with <code>{"{z}"}</code>, <code>{"{x}"}</code> and <code>{"{y}"}</code> (and optionally <code>{"{s}"}</code> for
          subdomains). Empty: the server&apos;s default, or the offline world map.
        </p>
        {urlError && (
          <p className="field__error" id={`${id}-error`}>
            {urlError}
          </p>
        )}
      </div>
      <div className={attributionError ? "field field--invalid" : "field"}>
        <label htmlFor={`${id}-attribution`}>Attribution</label>
        <input
          id={`${id}-attribution`}
          value={attribution}
          maxLength={300}
          aria-invalid={attributionError ? true : undefined}
          onChange={(event) => {
            setAttribution(event.target.value);
            save.reset();
          }}
        />
        <p className="field__hint">Shown on every map, as most tile providers require. Plain text.</p>
        {attributionError && <p className="field__error">{attributionError}</p>}
      </div>
      <div className="map-source__actions">
        <button
          type="button"
          className="button"
          onClick={() => {
            setUrl(OSM_PRESET.url);
            setAttribution(OSM_PRESET.attribution);
            save.reset();
          }}
        >
          Use OpenStreetMap
        </button>
        <button type="button" className="button" disabled={!looksLikeTileTemplate(template) || test?.result === "testing"} onClick={runTest}>
          Test
        </button>
        <button type="submit" className="button button--primary" disabled={save.isPending}>
          Save map source
        </button>
      </div>
      <p className="field__hint">
        OpenStreetMap&apos;s tiles are free for light use under its{" "}
        <a href="https://operations.osmfoundation.org/policies/tiles/" target="_blank" rel="noreferrer">
          tile usage policy
        </a>
        : no heavy or bulk use, and the attribution must stay visible. A busy installation needs its own tile server or a
        commercial provider.
      </p>
      {test && (
        <p className={test.result === "loaded" ? "map-source__ok" : "map-source__fail"} role="status" data-testid="map-source-test">
          {test.result === "testing" ? `Loading a tile from ${tileHost(test.template)}…` : resultText(test.result, test.template)}
        </p>
      )}
      {save.isError && !urlError && !attributionError && <p className="field__error">{describeError(save.error)}</p>}
    </form>
  );
}
