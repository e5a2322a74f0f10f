import { useCallback, useMemo } from "react";
import { useParams } from "react-router";
import { albumPath, albumPhotoPath, canEditAlbum, useAlbum, useAlbumPhotos, useRemoveFromAlbum } from "../shared/albums";
import { Viewer, type ViewerAlbum } from "./Viewer";

/**
 * The viewer opened from an album: previous and next follow the album's order, and an editor can
 * remove the photo from the album right there (the viewer then shows the next one).
 */
export function AlbumViewerPage() {
  const params = useParams();
  const albumId = Number(params.id);
  const photoId = Number(params.photoId);
  const album = useAlbum(albumId);
  const photos = useAlbumPhotos(albumId);
  const { mutateAsync: remove } = useRemoveFromAlbum(albumId);
  const pathFor = useCallback((id: number) => albumPhotoPath(albumId, id), [albumId]);
  const context = useMemo<ViewerAlbum | undefined>(() => {
    if (!album.data) return undefined;
    return {
      name: album.data.name,
      onRemove: canEditAlbum(album.data.my_role) ? (id: number) => remove([id]) : undefined,
    };
  }, [album.data, remove]);
  const sequence = useMemo(() => ({ items: photos.data ?? [], isPending: photos.isPending }), [photos.data, photos.isPending]);
  return <Viewer id={photoId} sequence={sequence} pathFor={pathFor} closePath={albumPath(albumId)} album={context} />;
}
