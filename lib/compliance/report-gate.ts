import * as fs from 'fs';
import * as path from 'path';
import type { TapApp } from '../app';
import { complianceCatalog } from './catalog';
import { disabledControlTowerRules } from './register/engine';
import { formatGateSummary, GATE_RECORD_FILE, gateRecord } from './summary';

/**
 * After `app.synth()`: writes what the gate did into the cloud assembly (`compliance-gate.json`, with the day the
 * register was evaluated on, which `npm run reports` reads) and prints the summary block. `failed` when a finding
 * blocks or an acknowledgement comes from outside the register.
 */
export function reportGate(tap: TapApp, print: (line: string) => void): { failed: boolean } {
  if (!tap.gate) return { failed: false };
  const { register, today, library } = tap.gate;
  const outdir = tap.app.outdir;
  const record = gateRecord({
    outdir,
    profile: tap.config.profile,
    stackName: tap.stack.stackName,
    register,
    library,
    today,
  });
  fs.writeFileSync(path.join(outdir, GATE_RECORD_FILE), JSON.stringify(record, undefined, 2) + '\n');
  const rulesByLayer = Object.fromEntries(
    complianceCatalog(disabledControlTowerRules(register, tap.config.profile, today)).map((c) => [
      c.layer.id,
      c.rules.length,
    ]),
  );
  const reportPath = path.relative(process.cwd(), path.join(outdir, 'validation-report.json')) || outdir;
  for (const line of formatGateSummary(record, { reportPath, rulesByLayer })) print(line);
  return { failed: record.blocking.length > 0 || record.outsideRegister.length > 0 };
}
