// drizzle-kit reads this for `npm run db:generate`; the same SQL folder feeds
// the Node migrator and `wrangler d1 migrations apply` (migrations_dir).
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: './db/schema.ts',
  out: './db/migrations',
});
