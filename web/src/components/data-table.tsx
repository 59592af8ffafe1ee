import { useMemo, useState, type ReactNode } from 'react';

export interface Column<T> {
  header: ReactNode;
  cell: (row: T) => ReactNode;
  /** The value the column sorts by; without one the column does not sort. */
  sort?: (row: T) => string | number | null;
  numeric?: boolean;
}

interface Sorting {
  column: number;
  descending: boolean;
}

/**
 * A table of rows; a column with `sort` sorts on a click of its header (again
 * to reverse). Rows keep the order they came in (the API's) until then.
 */
export function DataTable<T>({
  columns,
  rows,
  rowKey,
  testId,
  id,
}: {
  columns: ReadonlyArray<Column<T>>;
  rows: readonly T[];
  rowKey: (row: T, index: number) => string;
  testId?: string;
  id?: string;
}) {
  const [sorting, setSorting] = useState<Sorting | null>(null);
  const shown = useMemo(() => {
    const by = sorting === null ? undefined : columns[sorting.column]?.sort;
    if (sorting === null || by === undefined) return rows;
    const sign = sorting.descending ? -1 : 1;
    // Nulls last whichever the direction: "no value" is never the top row.
    return [...rows].sort((a, b) => {
      const x = by(a);
      const y = by(b);
      if (x === y) return 0;
      if (x === null) return 1;
      if (y === null) return -1;
      return (x < y ? -1 : 1) * sign;
    });
  }, [rows, columns, sorting]);
  const toggle = (column: number) =>
    setSorting((current) => (current?.column === column ? { column, descending: !current.descending } : { column, descending: false }));
  return (
    <div className="table-scroll">
      <table data-testid={testId} id={id}>
        <thead>
          <tr>
            {columns.map((column, i) => (
              <th
                key={i}
                className={column.numeric ? 'num' : undefined}
                aria-sort={sorting?.column === i ? (sorting.descending ? 'descending' : 'ascending') : undefined}
              >
                {column.sort ? (
                  <button type="button" className="sort-button" onClick={() => toggle(i)}>
                    {column.header}
                    <span aria-hidden="true">{sorting?.column === i ? (sorting.descending ? ' ▼' : ' ▲') : ''}</span>
                  </button>
                ) : (
                  column.header
                )}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {shown.map((row, index) => (
            <tr key={rowKey(row, index)}>
              {columns.map((column, i) => (
                <td key={i} className={column.numeric ? 'num' : undefined}>
                  {column.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
