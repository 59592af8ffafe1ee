import type { ReactElement } from 'react';
import { CodebasePage } from './pages/codebase/codebase-page.js';
import { DebtPage } from './pages/debt/debt-page.js';
import { DeliveryPage } from './pages/delivery/delivery-page.js';
import { ExperimentsPage } from './pages/ml/experiments-page.js';
import { MlPage } from './pages/ml/ml-page.js';
import { OkrsPage } from './pages/okrs/okrs-page.js';
import { IncidentsPage } from './pages/incidents/incidents-page.js';
import { OrgPage } from './pages/org/org-page.js';
import { OutcomesPage } from './pages/outcomes/outcomes-page.js';
import { ModulePlaceholder } from './pages/placeholder/module-placeholder.js';
import { ReliabilityPage } from './pages/reliability/reliability-page.js';

/**
 * The dashboard's pages, one per module, in navigation order. A module with a
 * page replaces its placeholder here with its own component.
 */
export interface ModulePage {
  path: string;
  label: string;
  /** One line on what the page answers, shown in its empty state. */
  purpose: string;
  render: () => ReactElement;
}

const placeholder = (label: string, purpose: string, howToAddData: string) => () => (
  <ModulePlaceholder label={label} purpose={purpose} howToAddData={howToAddData} />
);

export const MODULE_PAGES: ModulePage[] = [
  { path: '/org', label: 'Org', purpose: 'Teams, services, repositories and the people behind commits.', render: () => <OrgPage /> },
  {
    path: '/delivery',
    label: 'Delivery',
    purpose: 'DORA metrics: deployment frequency, lead time, change failure rate, recovery time, rework.',
    render: () => <DeliveryPage />,
  },
  {
    path: '/reliability',
    label: 'Reliability',
    purpose: 'SLOs, error budgets, burn-rate alerts and the release gate.',
    render: () => <ReliabilityPage />,
  },
  {
    path: '/codebase',
    label: 'Codebase',
    purpose: 'Hotspots, change coupling, code age and knowledge risk from git history.',
    render: () => <CodebasePage />,
  },
  {
    path: '/debt',
    label: 'Debt',
    purpose: 'The technical-debt register and the capacity spent on it.',
    render: () => <DebtPage />,
  },
  {
    path: '/outcomes',
    label: 'Outcomes',
    purpose: 'North Star metric tree, weekly business review and OKRs.',
    render: () => <OutcomesPage />,
  },
  {
    path: '/okrs',
    label: 'OKRs',
    purpose: 'Objectives and key results: progress against expected, confidence, grades.',
    render: () => <OkrsPage />,
  },
  {
    path: '/incidents',
    label: 'Incidents',
    purpose: 'Incidents, timelines and blameless postmortems.',
    render: () => <IncidentsPage />,
  },
  {
    path: '/decisions',
    label: 'Decisions',
    purpose: 'Architecture decision records and RACI.',
    render: placeholder('Decisions', 'Decision records and RACI.', 'Decision records are not available in this build yet.'),
  },
  {
    path: '/health',
    label: 'Team health',
    purpose: 'Team health surveys and management checklists.',
    render: placeholder('Team health', 'Team health surveys.', 'Team health surveys are not available in this build yet.'),
  },
  {
    path: '/ml',
    label: 'ML projects',
    purpose: 'Stage gates, kill criteria, confidence and P50/P90 dates, failure modes, the monthly model review.',
    render: () => <MlPage />,
  },
  {
    path: '/experiments',
    label: 'Experiments',
    purpose: 'Experiment velocity per team and the searchable archive of learnings.',
    render: () => <ExperimentsPage />,
  },
];
