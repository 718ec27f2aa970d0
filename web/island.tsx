import { type ComponentType, h } from "preact";

/**
 * Server-renders an island inside a marker element that carries its name and
 * props; `islands/mod.ts` hydrates it in the browser. Props travel in a data
 * attribute, which the renderer escapes, so user strings cannot break out.
 */
export function Island<P extends Record<string, unknown>>(
  { name, component, props }: { name: string; component: ComponentType<P>; props: P },
) {
  return (
    <div data-island={name} data-props={JSON.stringify(props)} class="island">
      {h(component, props)}
    </div>
  );
}
