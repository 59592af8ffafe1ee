import type { DemoOptions, DemoReport } from '../kit/demo.js';
import type { Store } from '../store/database.js';

export async function loadDebtDemo(_store: Store, _options: DemoOptions): Promise<DemoReport> {
  return {};
}
