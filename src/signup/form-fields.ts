/**
 * The sign-up form's field names and the small helpers around them, apart
 * from the schema so that the island can load them without zod; the schema
 * (signup/schema.ts) is fetched only when someone sends the form.
 */

/** The field names the form posts: a contract with the island, the tests and docs/developers.md ("Sign-ups"). */
export const SIGNUP_FIELDS = [
  'fullName',
  'phone',
  'birthYear',
  'sex',
  'weightKg',
  'lastDonation',
  // Optional: lets an appeal for a group reach those who can answer it (src/needs/).
  'bloodGroup',
  'drive',
  'slot',
  'teamCode',
  'consent',
  // Reminders (src/reminders/), offered when a channel is configured: a consent of their own and the channels.
  'reminders',
  'email',
  'reminderPush',
  'pushSubscription',
  'reminderSms',
  'website',
] as const;
export type SignupField = (typeof SIGNUP_FIELDS)[number];

/**
 * The id of the control an error about each field leads to: the field
 * itself, or the first of a group of radio buttons. The form (SignupForm.astro)
 * gives its controls these ids; the error summary and the island link to them.
 */
export const FIELD_CONTROL_IDS: Record<SignupField, string> = {
  fullName: 'ho-ten',
  phone: 'so-dien-thoai',
  birthYear: 'nam-sinh',
  sex: 'gioi-tinh-nu',
  weightKg: 'can-nang',
  lastDonation: 'lan-hien-truoc',
  bloodGroup: 'nhom-mau',
  drive: 'khung-gio-dau',
  slot: 'khung-gio-dau',
  teamCode: 'ma-doi',
  consent: 'dong-y',
  reminders: 'nhac-hen',
  email: 'thu-dien-tu',
  reminderPush: 'nhac-tren-may',
  pushSubscription: 'nhac-tren-may',
  reminderSms: 'nhac-qua-tin-nhan',
  website: 'trang-web',
};

/** A team code as organisers register it and the form accepts it: CAT-PC06. */
export const TEAM_CODE = /^[A-Z0-9][A-Z0-9-]{1,19}$/;

/** The values of a posted form, trimmed, with empty fields left out, as the schema expects. */
export function formValues(form: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of SIGNUP_FIELDS) {
    const value = form.get(name);
    if (typeof value === 'string' && value.trim() !== '') values[name] = value.trim();
  }
  return values;
}

/** The first message for each field, for showing beside it. */
export function fieldErrors(issues: readonly { path: readonly PropertyKey[]; message: string }[]) {
  const errors: Partial<Record<SignupField, string>> = {};
  for (const issue of issues) {
    const field = String(issue.path[0] ?? '') as SignupField;
    if (SIGNUP_FIELDS.includes(field)) errors[field] ??= issue.message;
  }
  return errors;
}

/**
 * The fields in the order the form shows them (SignupForm.astro, then
 * ReminderChoices.astro): the slot first, the sex after the weight. The
 * error summary lists its messages in this order, with or without JavaScript.
 */
const FORM_ORDER: readonly SignupField[] = [
  'drive',
  'slot',
  'fullName',
  'phone',
  'birthYear',
  'weightKg',
  'sex',
  'lastDonation',
  'bloodGroup',
  'teamCode',
  'consent',
  'reminders',
  'reminderPush',
  'pushSubscription',
  'email',
  'reminderSms',
  'website',
];

/** Each field's error, in the form's order. */
export function errorsInFormOrder(errors: Partial<Record<SignupField, string>>): [SignupField, string][] {
  return FORM_ORDER.flatMap((field) => {
    const message = errors[field];
    return message === undefined ? [] : [[field, message] as [SignupField, string]];
  });
}
