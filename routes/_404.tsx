import type { ErrorPageProps } from "../web/route_types.ts";

/** The page for a browser path that leads nowhere. */
export default function NotFoundPage({ message }: ErrorPageProps) {
  return (
    <div class="card narrow error-page">
      <h1>Page not found</h1>
      <p>{message}</p>
      <p>
        <a href="/">V-Insight home</a>
      </p>
    </div>
  );
}
