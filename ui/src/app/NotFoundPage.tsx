import { Link } from "react-router";

export function NotFoundPage() {
  return (
    <main className="splash">
      <div className="card splash__card">
        <h1>Page not found</h1>
        <p>There is nothing at this address.</p>
        <Link className="button button--primary" to="/">
          Go to the start page
        </Link>
      </div>
    </main>
  );
}
