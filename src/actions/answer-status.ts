/**
 * The HTTP status of a page that answers a form action: the refusal's own
 * status (429, 503, 400…) when the action threw one, else the status of its
 * outcome, 200 when the outcome is not listed.
 */
const OUTCOME_STATUS: Readonly<Record<string, number>> = {
  invalid: 400,
  full: 409,
  'not-found': 404,
  // A place offered from the waitlist whose hold has ended.
  expired: 410,
};

export function answerStatus(result: { error?: { status: number } | undefined; outcome?: string | undefined }): number {
  if (result.error) return result.error.status;
  const { outcome } = result;
  return outcome !== undefined && Object.hasOwn(OUTCOME_STATUS, outcome) ? (OUTCOME_STATUS[outcome] ?? 200) : 200;
}
