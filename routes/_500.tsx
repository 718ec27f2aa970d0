import type { ErrorPageProps } from "../web/route_types.ts";

/** The page for a browser request that failed (any status but 404). */
export default function ErrorPage({ status, message }: ErrorPageProps) {
  return (
    <div class="card narrow error-page">
      <h1>{status >= 500 ? "Something went wrong" : "This did not work"}</h1>
      <p>{message}</p>
      <p>
        <a href="/">V-Insight home</a>
      </p>
    </div>
  );
}
