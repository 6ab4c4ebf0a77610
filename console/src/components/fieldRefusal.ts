// Where a form shows the API's refusal: a 400 names the field (`body.id`), so its words go under that input.
import { ApiRefusal } from '../api/client.js';

/** The API's message when it refused the body's `field` (or something inside it), else undefined. */
export function refusalOn(error: unknown, field: string): string | undefined {
  if (!(error instanceof ApiRefusal) || !error.field) return undefined;
  return error.field === `body.${field}` || error.field.startsWith(`body.${field}.`) ? error.message : undefined;
}

/** Whether the refusal lands on one of the form's inputs; one that does not is shown above the buttons instead. */
export function refusedOnAnyOf(error: unknown, fields: readonly string[]): boolean {
  return fields.some((field) => refusalOn(error, field) !== undefined);
}
