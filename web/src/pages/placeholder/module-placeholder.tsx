import { EmptyState } from '../../components/empty-state.js';

export function ModulePlaceholder(props: { label: string; purpose: string; howToAddData: string }) {
  return (
    <section>
      <h1>{props.label}</h1>
      <p className="lead">{props.purpose}</p>
      <EmptyState title="Nothing to show yet">
        <p>{props.howToAddData}</p>
        <p>
          Meanwhile, the <a href="/org">Org page</a> shows the teams and services this module will report on.
        </p>
      </EmptyState>
    </section>
  );
}
