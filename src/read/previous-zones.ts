import { ZONE_GENERATED_MARKER, zoneFilePath } from '../model/output-contract.js';
import type { OutputFiles } from './output-files.js';

/**
 * Reads the zone files of the previous run from the output directory, for SOA serials: the text of
 * dns/zones/<domain>.zone when fedc wrote it, else undefined. The IO edge of the pure DNS stage.
 */
export function previousZoneReader(output: OutputFiles): (domain: string) => string | undefined {
  return (domain) => {
    const text = output(zoneFilePath(`${domain}.zone`));
    return text?.startsWith(ZONE_GENERATED_MARKER) ? text : undefined;
  };
}
