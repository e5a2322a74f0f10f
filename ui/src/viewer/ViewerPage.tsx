import { useCallback } from "react";
import { useParams } from "react-router";
import { useFilters, useTimeline } from "../shared/photos";
import { photoPath } from "../shared/routes";
import { Viewer } from "./Viewer";

/** The full-screen viewer over the timeline, stepping through the same filtered sequence. */
export function ViewerPage() {
  const params = useParams();
  const { filters, at, search } = useFilters();
  const timeline = useTimeline(filters, at);
  const pathFor = useCallback((photoId: number) => photoPath(photoId, search), [search]);
  return <Viewer id={Number(params.id)} sequence={timeline} pathFor={pathFor} closePath={{ pathname: "/", search }} />;
}
