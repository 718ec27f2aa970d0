import { h, hydrate } from "preact";
import { ISLANDS } from "./islands.ts";

/**
 * The browser entry point, bundled by `deno task bundle`: hydrates every
 * server-rendered island with the props the server serialised beside it.
 */
for (const el of document.querySelectorAll<HTMLElement>("[data-island]")) {
  const component = ISLANDS[el.dataset.island!];
  if (!component) continue;
  const props = JSON.parse(el.dataset.props ?? "{}");
  hydrate(h(component, props), el);
}
