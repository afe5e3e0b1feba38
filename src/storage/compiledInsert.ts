// An insert whose SQL is compiled once per shape. Building and compiling a Kysely query takes about
// as long as SQLite takes to run a small insert, and some inserts (the execution writer's) run
// over and over with rows of the same few shapes: the SQL for each number of rows is kept, and run
// again with the new rows' values. The first compile of a shape checks that its parameters are the
// rows' values in `columns` order; a shape where they are not is always built afresh.
//
// One instance serves one database (and its transactions): the SQL depends on the dialect.
import { type Compilable, CompiledQuery } from "kysely";
import type { Executor } from "./schema.js";

/** Inserts of more rows than this are rare and are built each time. */
const MAX_KEPT_ROWS = 64;

export class CompiledInsert<Row> {
  private readonly texts = new Map<number, string | false>();

  constructor(
    private readonly columns: readonly (keyof Row)[],
    private readonly build: (exec: Executor, rows: readonly Row[]) => Compilable,
  ) {}

  async execute(exec: Executor, rows: readonly Row[]): Promise<void> {
    const text = this.texts.get(rows.length);
    if (text) {
      await exec.executeQuery(CompiledQuery.raw(text, this.values(rows)));
      return;
    }
    const compiled = this.build(exec, rows).compile();
    if (text === undefined && rows.length <= MAX_KEPT_ROWS) {
      this.texts.set(rows.length, sameValues(compiled.parameters, this.values(rows)) && compiled.sql);
    }
    await exec.executeQuery(compiled);
  }

  private values(rows: readonly Row[]): unknown[] {
    const values: unknown[] = [];
    for (const row of rows) for (const column of this.columns) values.push(row[column]);
    return values;
  }
}

function sameValues(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}
