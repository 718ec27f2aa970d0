import { type ComponentType, h, hydrate } from "preact";

/**
 * Hydrates every server-rendered island of the page with the props the server
 * serialised beside it; markers of unknown islands are left as rendered.
 */
// deno-lint-ignore no-explicit-any
export function hydrateIslands(islands: Record<string, ComponentType<any>>): void {
  for (const el of document.querySelectorAll<HTMLElement>("[data-island]")) {
    const component = islands[el.dataset.island!];
    if (!component) continue;
    const props = JSON.parse(el.dataset.props ?? "{}");
    hydrate(h(component, props), el);
  }
}
