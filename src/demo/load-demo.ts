import { loadCodebaseDemo, type CodebaseDemoReport } from '../codebase/demo.js';
import { loadDemoDelivery } from '../delivery/demo-delivery.js';
import { replaceOrg, type ApplyReport } from '../org/store.js';
import { loadReliabilityDemo } from '../reliability/demo.js';
import type { Store } from '../store/database.js';
import { generateDemoOrg, type DemoOptions } from './demo-org.js';

export interface DemoReport {
  org: ApplyReport['upserted'];
  codebase: CodebaseDemoReport;
}

/**
 * Writes the demo workspace into a migrated store, replacing earlier demo rows.
 * Each module adds its twelve months of demo data here as it arrives.
 */
export async function loadDemoWorkspace(store: Store, options: DemoOptions): Promise<DemoReport> {
  const org = generateDemoOrg(options);
  const report = await replaceOrg(store.db, org, 'demo');
  await loadDemoDelivery(store, org, options);
  await loadReliabilityDemo(store, options);
  return { org: report.upserted, codebase: await loadCodebaseDemo(store, org, options) };
}
