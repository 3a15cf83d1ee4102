import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ZONE_GENERATED_MARKER, zoneFilePath } from '../model/output-contract.js';

/**
 * Reads the zone files of the previous run from the output directory, for SOA serials: the text of
 * dns/zones/<domain>.zone when fedc wrote it, else undefined. The IO edge of the pure DNS stage.
 */
export function previousZoneReader(outDir: string): (domain: string) => string | undefined {
  return (domain) => {
    let text: string;
    try {
      text = readFileSync(path.join(outDir, ...zoneFilePath(`${domain}.zone`).split('/')), 'utf8');
    } catch {
      return undefined;
    }
    return text.startsWith(ZONE_GENERATED_MARKER) ? text : undefined;
  };
}
