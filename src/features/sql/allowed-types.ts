/**
 * Types user SQL may cast to or declare. Casting runs the type's input function, and several types look up
 * the catalog by name (`'pg_authid'::regclass`, `regproc`, `regrole`, `regnamespace`…), revealing objects
 * the role cannot otherwise see; an allow-list of plain value types closes that door and any future one.
 * Names as the parser emits them: `int`, `varchar`, `timestamp with time zone` arrive as `pg_catalog.int4`…
 */
export const ALLOWED_TYPES: ReadonlySet<string> = new Set(
  `int2 int4 int8 smallint integer int bigint numeric decimal float4 float8 real money text varchar char
   bpchar name bool boolean date time timetz timestamp timestamptz interval json jsonb uuid bytea bit varbit
   inet cidr macaddr point tsvector tsquery`
    .split(/\s+/)
    .filter(Boolean),
)
