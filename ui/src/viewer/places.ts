/** The place a person copied from one photo to give to others ("Copy place", then "Use the
 * copied place" on another photo): the photo's id, kept for the browser tab's session. */

const KEY = "photonix.copiedPlace";

export type CopiedPlace = { photoId: number; latitude: number; longitude: number };

export function copyPlace(place: CopiedPlace): void {
  try {
    window.sessionStorage.setItem(KEY, JSON.stringify(place));
  } catch {
    // Storage refused (private mode, quota): the place is simply not remembered.
  }
}

export function copiedPlace(): CopiedPlace | null {
  try {
    const value: unknown = JSON.parse(window.sessionStorage.getItem(KEY) ?? "null");
    if (value && typeof value === "object") {
      const { photoId, latitude, longitude } = value as Record<string, unknown>;
      if (typeof photoId === "number" && typeof latitude === "number" && typeof longitude === "number") {
        return { photoId, latitude, longitude };
      }
    }
  } catch {
    // Unreadable: nothing copied.
  }
  return null;
}

/** Latitude and longitude typed by a person, or why they are not a place. */
export function parsePlace(latitude: string, longitude: string): { latitude: number; longitude: number } | string {
  const lat = Number(latitude.trim().replace(",", "."));
  const lon = Number(longitude.trim().replace(",", "."));
  if (latitude.trim() === "" || longitude.trim() === "" || !Number.isFinite(lat) || !Number.isFinite(lon)) {
    return "Give a latitude and a longitude in degrees, or pick the place on the map.";
  }
  if (lat < -90 || lat > 90) return "A latitude is from -90 to 90.";
  if (lon < -180 || lon > 180) return "A longitude is from -180 to 180.";
  return { latitude: lat, longitude: lon };
}
