/**
 * What the drive form's page does (src/pages/to-chuc/noi-dung/diem-hien-mau/, docs/editors.md
 * "A drive in the form"): open a drive file into the form, and take a post. A post is
 * checked by the build's own schema (src/drives/drive-schema.ts) before anything is saved;
 * the form comes back with the typed values and each message beside its field. A drive with
 * sign-ups keeps its file name, says what the change does to them, and a cancellation asks
 * once more. The save is the history page's (editor-console.ts saveContentFile): a commit by
 * the account, its audit entry, and `goc`, the version the form started from, so a replayed
 * or late post is told the file moved on.
 */
import { isMap, parseDocument, stringify } from 'yaml';
import { canEditContent } from '../console/access.ts';
import type { StaffAccount } from '../console/console-store.ts';
import { driveSchema } from '../drives/drive-schema.ts';
import { ContentYamlError, parseContentYaml } from '../shared/safe-yaml.ts';
import type { ContentAudit } from './content-audit.ts';
import { checkContentPath, isCommitId } from './content-path.ts';
import type { ContentRepo } from './content-repo.ts';
import {
  changeImpact,
  driveFromForm,
  emptyDriveForm,
  formErrors,
  proposeDriveSlug,
  slotShapeOf,
  valuesFromDrive,
  valuesFromForm,
  type ChangeImpact,
  type DriveField,
  type DriveFormValues,
  type FieldErrors,
  type TakenBySlot,
} from './drive-form.ts';
import type { DriveSignups } from './drive-signups.ts';
import { refuseContentPost, saveContentFile, type EditorNotice } from './editor-console.ts';
import { DRIVE_WORDS, WORDS } from './words.ts';

type Account = Pick<StaffAccount, 'username' | 'role' | 'drives'>;

export interface DriveFormDeps {
  repo: ContentRepo;
  audit: ContentAudit;
  signups: DriveSignups;
  now: Date;
}

export interface DriveFormState {
  status: number;
  /** Nothing to draw but the notice: no right, or a file name that is not a drive's. */
  blocked: boolean;
  /** The file being edited (drives/<slug>.yaml); undefined for a new drive. */
  path?: string | undefined;
  /** The version the form starts from, posted back as `goc`. */
  base?: string | undefined;
  values: DriveFormValues;
  errors: FieldErrors;
  notice?: EditorNotice | undefined;
  taken: TakenBySlot;
  impact?: ChangeImpact | undefined;
  /** The drive's status as its file says now (the island's impact compares with it). */
  savedStatus?: string | undefined;
  /** Set on the second step of a cancellation: how many people will be told. */
  confirmCancel?: number | undefined;
  /** Sign-ups a change of slots strands (in a slot gone, or over its places): asked once more. */
  confirmSlots?: number | undefined;
}

const slugOf = (path: string) => path.replace(/^drives\//, '').replace(/\.ya?ml$/, '');

function blocked(status: number, line: string): DriveFormState {
  return {
    status,
    blocked: true,
    values: emptyDriveForm(),
    errors: {},
    notice: { status, ok: false, lines: [line] },
    taken: {},
  };
}

/**
 * The drive file as the form writes it: values as the build reads them (safe-yaml.ts), in the
 * schema's order. Given the file's text as it is, its comments and its fields' order stay
 * (the shipped drives start with a note that they are sample data): each field is set or
 * removed in that document instead.
 */
export function driveYaml(drive: Record<string, unknown>, before?: string): string {
  const document = before === undefined ? undefined : parseDocument(before, { schema: 'core', uniqueKeys: true });
  if (!document || document.errors.length > 0 || !isMap(document.contents)) return stringify(drive, { lineWidth: 0 });
  const current = document.toJS({ maxAliasCount: 0 }) as Record<string, unknown>;
  for (const key of Object.keys(current)) if (!(key in drive)) document.delete(key);
  for (const [key, value] of Object.entries(drive)) {
    // A field whose value is unchanged keeps its node (a folded note stays folded, a comment stays by it).
    if (key in current && JSON.stringify(current[key]) === JSON.stringify(value)) continue;
    document.set(key, document.createNode(value));
  }
  return document.toString({ lineWidth: 0 });
}

/** Each issue of the build's schema, beside the form field it is about. */
export function schemaErrors(drive: Record<string, unknown>): FieldErrors {
  const checked = driveSchema.safeParse(drive);
  if (checked.success) return {};
  const errors: FieldErrors = {};
  for (const issue of checked.error.issues) {
    const [first, second] = issue.path;
    const field: DriveField =
      first === 'slots'
        ? second === 'places'
          ? 'places'
          : 'slotMinutes'
        : first === 'start'
          ? 'startTime'
          : first === 'end'
            ? 'endTime'
            : typeof first === 'string' && first in FIELD_OF
              ? (FIELD_OF[first] ?? 'name')
              : 'name';
    (errors[field] ??= []).push(issue.message);
  }
  return errors;
}

const FIELD_OF: Record<string, DriveField> = {
  name: 'name',
  organiser: 'organiser',
  address: 'address',
  commune: 'commune',
  oldNames: 'oldNames',
  latitude: 'latitude',
  longitude: 'longitude',
  status: 'status',
  unitsTarget: 'unitsTarget',
  unitsGiven: 'unitsGiven',
  phone: 'phone',
  notes: 'notes',
};

/** The form's own checks first; the schema's for the fields those found nothing wrong with. */
export function checkDriveForm(values: DriveFormValues): { drive: Record<string, unknown>; errors: FieldErrors } {
  const drive = driveFromForm(values);
  const errors = formErrors(values);
  const fromSchema = schemaErrors(drive);
  for (const [field, messages] of Object.entries(fromSchema) as [DriveField, string[]][]) {
    // A day or time the pickers did not give is said once, by the form, not again as the file's format.
    if (errors[field] || ((field === 'startTime' || field === 'endTime') && errors.day)) continue;
    errors[field] = messages;
  }
  return { drive, errors };
}

const errorCount = (errors: FieldErrors) => Object.values(errors).reduce((sum, list) => sum + list.length, 0);

interface OpenFile {
  path: string;
  version: string;
  text: string;
  raw: unknown;
}

/** The drive file named by `tep`, or the refusal to draw. */
async function openFile(tep: string, repo: ContentRepo): Promise<OpenFile | DriveFormState> {
  const checked = checkContentPath(tep);
  if (!checked.ok) return blocked(422, checked.message);
  if (!checked.path.startsWith('drives/')) return blocked(422, DRIVE_WORDS.notADrive);
  const file = await repo.read(checked.path);
  if (!file) return blocked(404, DRIVE_WORDS.notFound(checked.path));
  try {
    return {
      path: checked.path,
      version: file.version,
      text: file.text,
      raw: parseContentYaml(file.text, checked.path),
    };
  } catch (error) {
    if (error instanceof ContentYamlError) return blocked(422, DRIVE_WORDS.unreadable(error.message));
    throw error;
  }
}

function statusOf(raw: unknown): string {
  const status = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>)['status'] : undefined;
  return typeof status === 'string' ? status : '';
}

/** The form for a new drive (no `tep`) or for the drive file `tep` names. */
export async function openDriveForm(
  staff: Account,
  tep: string | null,
  { repo, signups }: DriveFormDeps,
): Promise<DriveFormState> {
  if (!canEditContent(staff)) return blocked(403, WORDS.noRight);
  if (tep === null || tep === '')
    return { status: 200, blocked: false, values: emptyDriveForm(), errors: {}, taken: {} };
  const file = await openFile(tep, repo);
  if ('status' in file) return file;
  const slug = slugOf(file.path);
  return {
    status: 200,
    blocked: false,
    path: file.path,
    base: file.version,
    values: valuesFromDrive(file.raw, slug),
    errors: {},
    taken: signups.takenBySlot(slug),
    savedStatus: statusOf(file.raw),
  };
}

const field = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === 'string' ? value : undefined;
};

/** A post of the form: checked, then saved, or the form again with what to fix or confirm. */
export async function postDriveForm(staff: Account, form: FormData, deps: DriveFormDeps): Promise<DriveFormState> {
  if (!canEditContent(staff)) return blocked(403, WORDS.noRight);
  const { repo, audit, signups, now } = deps;
  const values = valuesFromForm((name) => form.get(name));
  const tep = field(form, 'tep') ?? '';
  const goc = field(form, 'goc') ?? '';
  if (goc !== '' && !isCommitId(goc)) return blocked(422, 'Mã phiên bản gốc không hợp lệ.');
  let path: string;
  let base: string | undefined;
  let savedStatus: string | undefined;
  let savedText: string | undefined;
  const errors: FieldErrors = {};
  let taken: TakenBySlot;
  let slug: string;
  if (tep !== '') {
    const file = await openFile(tep, repo);
    if ('status' in file) return file;
    path = file.path;
    base = goc || undefined;
    savedStatus = statusOf(file.raw);
    savedText = file.text;
    slug = slugOf(path);
    taken = signups.takenBySlot(slug);
    if (values.slug !== slug) {
      const count = Object.values(taken).reduce((sum, n) => sum + n, 0);
      errors.slug = [count > 0 ? DRIVE_WORDS.slugHasSignups(count) : DRIVE_WORDS.slugFixed];
      values.slug = slug;
    }
  } else {
    // Left empty, the name and day give it; the field stays as typed, so a later post proposes again.
    slug = values.slug.trim() || proposeDriveSlug(values.name, values.day);
    path = `drives/${slug}.yaml`;
    taken = {};
  }
  const state = (status: number, extra: Partial<DriveFormState>): DriveFormState => ({
    status,
    blocked: false,
    path: tep !== '' ? path : undefined,
    base: tep !== '' ? goc : undefined,
    values,
    errors,
    taken,
    savedStatus,
    ...extra,
  });
  const refusal = refuseContentPost(staff, now);
  if (refusal) return state(refusal.status, { notice: refusal });

  const checked = checkDriveForm({ ...values, slug });
  Object.assign(errors, { ...checked.errors, ...errors });
  // Taken as .yaml or as .yml: both would be one drive, under one address.
  const sibling = path.endsWith('.yaml') ? path.replace(/\.yaml$/, '.yml') : path;
  if (tep === '' && !errors.slug && ((await repo.read(path)) || (await repo.read(sibling)))) {
    errors.slug = [DRIVE_WORDS.exists(path)];
  }
  const impact = changeImpact(
    savedStatus === undefined ? undefined : { status: savedStatus },
    slotShapeOf(values),
    taken,
  );
  if (errorCount(errors) > 0) {
    return state(422, {
      impact,
      notice: { status: 422, ok: false, lines: [DRIVE_WORDS.notSaved(errorCount(errors))] },
    });
  }
  const confirmed = field(form, 'xac-nhan');
  if (impact.cancelling && confirmed !== 'huy') {
    return state(200, { impact, confirmCancel: signups.peopleToTell(slug, now) });
  }
  // Moving the times or the slot length can leave people signed up for a slot that is gone, or
  // more people than places: asked once more, as a cancellation is, also without JavaScript.
  const stranded = impact.goneCount + impact.overCount;
  if (!impact.cancelling && stranded > 0 && confirmed !== 'doi-luot') {
    return state(200, { impact, confirmSlots: stranded });
  }
  const notice = await saveContentFile(staff, path, driveYaml(checked.drive, savedText), base, repo, audit, now);
  if (!notice.ok) return state(notice.status, { impact, notice });
  const version = await repo.lastChange(path);
  return {
    status: 200,
    blocked: false,
    path,
    base: version,
    values: { ...values, slug },
    errors: {},
    taken,
    impact,
    savedStatus: values.status,
    notice: { ...notice, lines: [...notice.lines, DRIVE_WORDS.savedThenPublish] },
  };
}
