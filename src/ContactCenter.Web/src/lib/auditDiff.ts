// A compact before/after for an audit row: only the fields that differ, values shortened.

export interface FieldChange { field: string; before: string | null; after: string | null }

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function shortValue(v: unknown, max = 60): string | null {
  if (v === undefined) return null;
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * The fields that differ between `before` and `after` (a created subject lists its fields as added, a removed one as
 * removed). Values that are not objects compare as one unnamed field.
 */
export function auditChanges(before: unknown, after: unknown): FieldChange[] {
  if (before == null && after == null) return [];
  if (!isRecord(before ?? {}) || !isRecord(after ?? {})) {
    return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ field: '', before: shortValue(before ?? undefined), after: shortValue(after ?? undefined) }];
  }
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  const fields = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return fields
    .filter((f) => JSON.stringify(b[f]) !== JSON.stringify(a[f]))
    .map((f) => ({ field: f, before: shortValue(b[f]), after: shortValue(a[f]) }));
}

/** A readable name for the subject when its snapshot has one (a user's or a channel's name). */
export function subjectName(before: unknown, after: unknown): string | null {
  for (const v of [after, before]) {
    if (isRecord(v)) {
      const name = v.name ?? v.email;
      if (typeof name === 'string' && name) return name;
    }
  }
  return null;
}
