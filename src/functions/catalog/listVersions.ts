// GET /api/functions/:name/versions: every stored version, newest first, and which one runs.
import type { Db } from "../../storage/schema.js";
import { readJson } from "../../storage/store.js";
import { type Access, accessOf, type FunctionConfig } from "../deploy/functionConfig.js";
import type { FunctionForm } from "../runtime/types.js";
import { activeVersionNumber } from "./activeVersionRow.js";

export interface VersionItem {
  version: number;
  active: boolean;
  hash: string;
  form: FunctionForm;
  access: Access;
  createdAt: string;
}

export async function listVersions(
  db: Db,
  name: string,
): Promise<{ name: string; activeVersion: number; items: VersionItem[] }> {
  const activeVersion = await activeVersionNumber(db, name);
  const rows = await db
    .selectFrom("function_versions")
    .select(["version", "hash", "form", "config", "created_at"])
    .where("function_name", "=", name)
    .orderBy("version", "desc")
    .execute();
  return {
    name,
    activeVersion,
    items: rows.map((row) => ({
      version: Number(row.version),
      active: Number(row.version) === activeVersion,
      hash: row.hash,
      form: row.form as FunctionForm,
      access: accessOf(readJson<FunctionConfig>(row.config)),
      createdAt: row.created_at,
    })),
  };
}
