import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Each work item keeps the Balance category its rules gave it (category, the
 * 1-based rule, the rule in words), written with the item and rewritten when
 * the rules change, so capacity is one aggregate query instead of reading and
 * categorising every item. Rows written before this migration have no category
 * yet; the module categorises them on its next read (`ensureCategories`).
 * Children are found by `parent_id` when a parent's category changes.
 */
export const workItemCategoriesMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('work_items').addColumn('category', 'text').execute();
    await db.schema.alterTable('work_items').addColumn('category_rule', 'integer').execute();
    await db.schema.alterTable('work_items').addColumn('category_because', 'text').execute();
    await db.schema.createIndex('work_items_parent').on('work_items').column('parent_id').execute();
    await sql`create index work_items_uncategorised on work_items (id) where category is null`.execute(db);
  },
};
