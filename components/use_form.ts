import { useState } from "preact/hooks";
import { ApiCallError } from "../client/api_client.ts";

/** A number typed as text: sent as a number when it is one, as typed otherwise (the API says why). */
export function numberField(v: string): number | string {
  return /^\d+$/.test(v.trim()) ? Number(v) : v;
}

/** What {@linkcode useForm} gives a form component. */
export interface FormState<F> {
  fields: F;
  error: ApiCallError | null;
  busy: boolean;
  /** An `onInput`/`onChange` handler for one field (checkboxes give booleans). */
  set: (key: keyof F) => (e: Event) => void;
  /** Sets one field to a value (for inputs that are not a single element, like a checkbox list). */
  setField: <K extends keyof F>(key: K, value: F[K]) => void;
  /** An `onSubmit` handler: runs `save`, shows the API's error, resets a creation form. */
  submit: (e: Event) => Promise<void>;
}

/**
 * The state of a form that saves through the API: its fields, the last API
 * error (whose details the fields show beside themselves), and a busy flag.
 * `save` sends the fields; when `resetAfterSave`, the form starts over with
 * `initial` after a success (a creation form).
 */
export function useForm<F extends Record<string, unknown>, R>(
  initial: () => F,
  save: (fields: F) => Promise<R>,
  opts: { onSaved: (saved: R) => void; resetAfterSave: boolean },
): FormState<F> {
  const [fields, setFields] = useState<F>(initial);
  const [error, setError] = useState<ApiCallError | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (key: keyof F) => (e: Event) => {
    const t = e.currentTarget as HTMLInputElement;
    const value = t.type === "checkbox" ? t.checked : t.value;
    // A functional update: several input events may arrive before the next render.
    setFields((prev) => ({ ...prev, [key]: value }));
  };
  const setField = <K extends keyof F>(key: K, value: F[K]) =>
    setFields((prev) => ({ ...prev, [key]: value }));
  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const saved = await save(fields);
      if (opts.resetAfterSave) setFields(initial());
      opts.onSaved(saved);
    } catch (err) {
      setError(err instanceof ApiCallError ? err : new ApiCallError(0, null));
    } finally {
      setBusy(false);
    }
  }
  return { fields, error, busy, set, setField, submit };
}
