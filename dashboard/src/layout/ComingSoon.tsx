// The page of a section that is not built yet: says what it will hold, instead of an empty screen.
import { EmptyState } from "../ui/states.js";
import type { Section } from "./sections.js";

export function ComingSoon({ section }: { section: Section }) {
  return (
    <section>
      <h1>{section.label}</h1>
      <EmptyState title="Coming soon">
        <p>{section.summary}</p>
        <p>Until then, the CLI and the HTTP API (/api/openapi.json) cover it.</p>
      </EmptyState>
    </section>
  );
}
