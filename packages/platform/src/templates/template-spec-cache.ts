/**
 * Compiled send specs (wire's compileTemplateSpec) per template version, in memory per platform
 * instance. A template's version moves on every change of its row, so an entry can never be used
 * for a newer definition; entries of old versions are simply never asked for again (and the map
 * is bounded). Compiling walks the components; a hit is one Map lookup.
 */
import { compileTemplateSpec, type TemplateSendSpec } from '@switchboard/wire';
import type { PlatformContext } from '../context.js';

const MAX_ENTRIES = 20_000;

// Per platform instance (tests run several in one process, each on its own database).
const perContext = new WeakMap<PlatformContext, Map<string, TemplateSendSpec>>();

export async function templateSpec(ctx: PlatformContext, id: string, version: number): Promise<TemplateSendSpec | undefined> {
  let specs = perContext.get(ctx);
  if (!specs) perContext.set(ctx, (specs = new Map()));
  const key = `${id}:${version}`;
  const hit = specs.get(key);
  if (hit) return hit;
  const [row] = await ctx.sql<{ version: number; category: string; parameter_format: string; components: unknown[] }[]>`
    select version, category, parameter_format, components from templates where id = ${id}`;
  if (!row) return undefined;
  const spec = compileTemplateSpec({ category: row.category, parameter_format: row.parameter_format, components: row.components });
  if (specs.size >= MAX_ENTRIES) specs.clear();
  specs.set(`${id}:${row.version}`, spec);
  return spec;
}
