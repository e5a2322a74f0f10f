import type { ReactNode } from "react";
import { errorMessage } from "../api/errors";
import { FormAlert } from "./FormAlert";

/** The part of a TanStack query (plain or infinite) that QueryState reads. */
export interface QueryLike<Data> {
  data: Data | undefined;
  error: unknown;
  isPending: boolean;
  isError: boolean;
  isRefetching: boolean;
  refetch: () => unknown;
}

interface QueryStateProps<Data> {
  query: QueryLike<Data>;
  /** Shown while the first answer is on its way, e.g. "Loading albums…". */
  loading?: string;
  /** The start of the message when loading fails, e.g. "Could not load the albums." */
  error: string;
  children: (data: Data) => ReactNode;
}

/**
 * What a query has: a muted line while it loads, an alert with the reason and a "Try again" button
 * when it fails, else its data rendered by `children`. Once there is data it stays on screen: a
 * failed background refresh does not replace it.
 */
export function QueryState<Data>({ query, loading = "Loading…", error, children }: QueryStateProps<Data>) {
  if (query.data !== undefined) return children(query.data);
  if (query.isError) {
    return (
      <FormAlert>
        {error} {errorMessage(query.error)}{" "}
        <button
          type="button"
          className="link-button"
          disabled={query.isRefetching}
          onClick={() => void query.refetch()}
        >
          Try again
        </button>
      </FormAlert>
    );
  }
  return <p className="muted">{loading}</p>;
}
