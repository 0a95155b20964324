import type { ComponentChildren } from 'preact';

/** A problem of a form: the mutation's field path (`input.code`), or none for the whole form. */
export interface FormProblem {
  field: string | undefined;
  message: string;
}

/** What a form was sent with and what was wrong with it, to show it again next to its fields. */
export interface FormState<V> {
  values: V;
  problems: FormProblem[];
}

/**
 * The problems of one form, by the id of the field they belong to: `fields` maps each field's
 * id to the mutation's path (`ipccCategories` also owns `input.ipccCategories[2]`). Problems of
 * no listed field are `general`, shown at the top of the form.
 */
export function problemsByField<F extends string>(
  problems: FormProblem[],
  fields: Record<F, string>,
) {
  const owner = (p: FormProblem): F | undefined =>
    (Object.keys(fields) as F[]).find(
      (id) => p.field === fields[id] || p.field?.startsWith(`${fields[id]}[`),
    );
  const general = problems.filter((p) => owner(p) === undefined);
  const of = (id: F) => problems.filter((p) => owner(p) === id);
  return {
    general,
    any: problems.length > 0,
    /** The attributes a field carries: invalid, and described by its hint and its errors. */
    attrs: (id: F, hint?: string) => {
      const invalid = of(id).length > 0;
      const describedBy = [hint, invalid ? `${id}-error` : undefined].filter(Boolean).join(' ');
      return {
        id: id as string,
        'aria-invalid': invalid ? ('true' as const) : undefined,
        'aria-describedby': describedBy || undefined,
      };
    },
    errors: (id: F) => {
      const mine = of(id);
      return mine.length > 0 ? (
        <p id={`${id}-error`} class="field-error">
          {mine.map((p) => p.message).join(' · ')}
        </p>
      ) : null;
    },
  };
}

/** The alert at the top of a form that was refused: what did not happen, and any general problem. */
export function FormAlert(props: {
  problems: FormProblem[];
  any: boolean;
  children: ComponentChildren;
}) {
  if (!props.any) return null;
  return (
    <div class="notice" role="alert">
      <p>{props.children}</p>
      {props.problems.length > 0 ? (
        <ul>
          {props.problems.map((p, i) => (
            <li key={i}>{p.message}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
