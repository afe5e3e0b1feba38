// Sets a secret: a name and a value typed into a password field. After saving, the value is cleared
// from the form (and from memory here); nothing shows it again. Setting an existing name replaces
// its value. The API checks the name and value and its message is shown as it is.
import { useEffect, useRef, useState } from "preact/hooks";
import type { Session } from "../session/session.js";
import { ErrorMessage } from "../ui/states.js";

interface Props {
  session: Session;
  /** The names already set: the button says Replace for them. */
  existing: string[];
  /** Set by a row's Replace button: that name is put in the form and the value field focused. */
  replacing: { name: string } | null;
  onSaved: (message: string) => void;
}

export function SetSecretForm({ session, existing, replacing, onSaved }: Props) {
  const [name, setName] = useState("");
  const [value, setValue] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const valueInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!replacing) return;
    setName(replacing.name);
    setValue("");
    setError(null);
    valueInput.current?.focus();
  }, [replacing]);

  const trimmed = name.trim();
  const replaces = existing.includes(trimmed);

  async function submit(event: Event) {
    event.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const saved = await session.client.admin.secrets.set(trimmed, value);
      setName("");
      setValue("");
      onSaved(saved.created ? `Set ${saved.name}.` : `Replaced the value of ${saved.name}.`);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="card inline-form" onSubmit={submit} aria-label="Set a secret">
      <div class="field">
        <label for="secret-name">Name</label>
        <input
          id="secret-name"
          name="name"
          class="mono"
          placeholder="STRIPE_API_KEY"
          autocomplete="off"
          spellcheck={false}
          required
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
        />
      </div>
      <div class="field">
        <label for="secret-value">Value</label>
        <input
          id="secret-value"
          ref={valueInput}
          name="value"
          type="password"
          autocomplete="new-password"
          required
          value={value}
          onInput={(e) => setValue(e.currentTarget.value)}
        />
      </div>
      <button type="submit" class="button button-primary" disabled={busy}>
        {busy ? "Saving…" : replaces ? "Replace" : "Set secret"}
      </button>
      {error !== null && <ErrorMessage error={error} />}
    </form>
  );
}
