/** Image addresses (plain <img> sources, not API calls): the versions make them cacheable. */
export function gridUrl(id: number, version: number): string {
  return `/api/photos/${id}/thumbnail/grid?v=${version}`;
}

export function previewUrl(id: number, version: number): string {
  return `/api/photos/${id}/thumbnail/preview?v=${version}`;
}

export function originalUrl(fileId: number): string {
  return `/api/files/${fileId}/original`;
}
