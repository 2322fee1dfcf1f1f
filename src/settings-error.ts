/** A setting whose value the site cannot use; the message names the variable and what it must be. */
export class SettingsError extends Error {
  override name = 'SettingsError';
}
