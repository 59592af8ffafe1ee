import { defineModule } from '../kit/module.js';
import { registerDebtCommands } from './cli.js';
import { checkDebtReferences, debtTemplate } from './config.js';
import { loadDebtDemo } from './demo.js';
import { debtMigration } from './migrations/0700-debt.js';
import { workItemCategoriesMigration } from './migrations/0701-work-item-categories.js';
import { debtConfig, type DebtSection } from './model.js';
import { debtReviewSection, debtSeries } from './review.js';
import { debtRoutes } from './routes.js';
import { saveDebtSettings, workItemsServing } from './store.js';

/**
 * Technical debt: work items read from trackers (the unit of capacity), their
 * Balance categories and the capacity budget (the 20% rule), the debt register
 * with a scorecard fed by codebase, delivery, incident and reliability
 * evidence, and candidates proposed from that evidence.
 */
export const debtModule = defineModule<DebtSection>({
  name: 'debt',
  migrations: { '0700-debt': debtMigration, '0701-work-item-categories': workItemCategoriesMigration },
  routes: debtRoutes,
  commands: registerDebtCommands,
  config: {
    shape: { debt: debtConfig },
    check: checkDebtReferences,
    apply: async (store, section) => {
      await saveDebtSettings(store.db, store.dialect, section.debt);
      return {
        summary: `debt: target ${Math.round(section.debt.target * 100)}%, ${section.debt.rules.length} category rules, effort by ${section.debt.effort}`,
      };
    },
    template: debtTemplate,
  },
  lookups: { keyResultWorkItems: workItemsServing },
  series: (store, range) => debtSeries(store.db, range),
  reviewSection: (store, range) => debtReviewSection(store.db, range),
  demo: async ({ store, options }) => loadDebtDemo(store, options),
});

// Work items are the unit of capacity other modules (OKRs, ML) link to.
export type { WorkItem, WorkState, BalanceCategory } from './model.js';
export { loadWorkItems } from './store.js';
export { capacityReport, readWeeklySeries } from './service.js';
export { weeklySeries, type WeeklyPoint } from './capacity.js';
