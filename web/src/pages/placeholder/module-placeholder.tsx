export function ModulePlaceholder(props: { label: string; purpose: string; howToAddData: string }) {
  return (
    <section>
      <h1>{props.label}</h1>
      <p className="lead">{props.purpose}</p>
      <div className="empty-state" role="status">
        <h2>Nothing to show yet</h2>
        <p>{props.howToAddData}</p>
        <p>
          Meanwhile, the <a href="/org">Org page</a> shows the teams and services this module will report on.
        </p>
      </div>
    </section>
  );
}
