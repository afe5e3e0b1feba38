import { Link } from "../router/router.js";
import { EmptyState } from "../ui/states.js";

export function NotFound({ path }: { path: string }) {
  return (
    <section>
      <h1>Not found</h1>
      <EmptyState title={`Nothing lives at ${path}`}>
        <p>
          <Link to="/functions">Go to Functions</Link>
        </p>
      </EmptyState>
    </section>
  );
}
