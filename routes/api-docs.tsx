import type { RouteConfig } from "../web/app_env.ts";
import type { Handlers, PageProps } from "../web/route_types.ts";

export const config: RouteConfig = { auth: "optional" };

// deno-lint-ignore no-explicit-any
type Doc = any;

/** `GET /api-docs`: the API reference, read from this instance's own OpenAPI document. */
export const handler: Handlers = {
  GET: (c) => c.var.render(c.var.openapi(), { title: "API reference" }),
};

/** Every `/api/v1` path and method with its parameters and body schema. */
export default function ApiDocsPage({ data: doc }: PageProps<Doc>) {
  const paths = Object.entries(doc.paths as Record<string, Record<string, Doc>>);
  return (
    <div class="api-docs">
      <h1>API reference</h1>
      <p class="lead">
        Version{" "}
        {doc.info.version}. Generated from the routes and the zod schemas that validate each
        request; the machine-readable document is{" "}
        <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>. Authenticate with{" "}
        <code>Authorization: Bearer &lt;token&gt;</code>{" "}
        or the session cookie; errors have one shape,{" "}
        <code>{'{"error": {"code", "message", "details"}}'}</code>.
      </p>
      {paths.map(([path, methods]) => (
        <section class="card endpoint" key={path}>
          {Object.entries(methods).map(([method, op]) => (
            <div class="operation" key={method} id={op.operationId}>
              <h2>
                <span class={`method ${method}`}>{method.toUpperCase()}</span> <code>{path}</code>
              </h2>
              <p>
                {op.summary}
                {Array.isArray(op.security) && op.security.length === 0 && (
                  <span class="muted">(no credentials)</span>
                )}
              </p>
              {op.parameters.length > 0 && (
                <table class="table compact">
                  <tbody>
                    {op.parameters.map((p: Doc) => (
                      <tr key={`${p.in}-${p.name}`}>
                        <td>
                          <code>{p.name}</code>
                        </td>
                        <td class="muted">{p.in}{p.required ? ", required" : ""}</td>
                        <td>{p.schema?.enum ? p.schema.enum.join(" | ") : p.schema?.type ?? ""}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
              {op.requestBody && (
                <details>
                  <summary>JSON body</summary>
                  <pre><code>{JSON.stringify(op.requestBody.content["application/json"].schema, null, 2)}</code></pre>
                </details>
              )}
            </div>
          ))}
        </section>
      ))}
    </div>
  );
}
