/**
 * An on/off environment variable (CI, FEDC_NO_CACHE): on when set to anything but "", "0" or
 * "false" (any case, spaces trimmed), as CI systems and users write it.
 */
export function envFlag(value: string | undefined): boolean {
  const v = value?.trim().toLowerCase();
  return v !== undefined && v !== '' && v !== '0' && v !== 'false';
}
