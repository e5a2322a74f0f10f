// leaflet.markercluster extends the global `L` (it predates ES modules), so Leaflet is put on
// window before the plugin is imported (imports run in order).
import L from "leaflet";

(window as unknown as { L: typeof L }).L = L;

export default L;
