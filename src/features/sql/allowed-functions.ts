/**
 * Functions user SQL may call, by name (unqualified or `pg_catalog.`-qualified). An allow-list rather than a
 * deny-list: a new PostgreSQL release or extension adds functions nobody has reviewed, and those must fail
 * closed. Everything here is pure computation over its arguments: nothing reads files, catalogs, settings or
 * other sessions, nothing writes, sleeps, locks or changes session state.
 */
const groups = {
  aggregates: `count sum avg min max bool_and bool_or every string_agg array_agg json_agg jsonb_agg
    json_object_agg jsonb_object_agg stddev stddev_pop stddev_samp variance var_pop var_samp corr covar_pop
    covar_samp regr_avgx regr_avgy regr_count regr_intercept regr_r2 regr_slope regr_sxx regr_sxy regr_syy
    percentile_cont percentile_disc mode bit_and bit_or bit_xor any_value grouping`,
  windows: `row_number rank dense_rank percent_rank cume_dist ntile lag lead first_value last_value nth_value`,
  math: `abs ceil ceiling floor round trunc sign sqrt cbrt power pow exp ln log log10 mod div pi degrees
    radians sin cos tan asin acos atan atan2 sind cosd tand sinh cosh tanh width_bucket gcd lcm factorial
    scale min_scale trim_scale random random_normal`,
  strings: `lower upper initcap length char_length character_length octet_length bit_length substr substring
    position strpos trim btrim ltrim rtrim lpad rpad replace translate concat concat_ws left right reverse
    repeat split_part starts_with format md5 sha224 sha256 sha384 sha512 to_hex ascii chr quote_ident
    quote_literal quote_nullable string_to_array string_to_table array_to_string overlay normalize
    is_normalized unistr casefold encode decode convert_from convert_to to_ascii similar_to_escape
    like_escape regexp_match regexp_matches regexp_replace regexp_split_to_array regexp_split_to_table
    regexp_count regexp_instr regexp_like regexp_substr text`,
  dates: `now date_trunc date_part extract age make_date make_time make_timestamp make_timestamptz
    make_interval to_char to_date to_timestamp to_number date_bin justify_days justify_hours
    justify_interval isfinite clock_timestamp statement_timestamp transaction_timestamp timezone overlaps
    date_add date_subtract`,
  arrays: `array_length array_lower array_upper array_ndims array_dims cardinality unnest array_position
    array_positions array_append array_prepend array_cat array_remove array_replace array_reverse
    array_sample array_shuffle array_sort trim_array generate_subscripts`,
  json: `to_json to_jsonb json_build_object jsonb_build_object json_build_array jsonb_build_array json_object
    jsonb_object array_to_json row_to_json json_array_length jsonb_array_length json_each jsonb_each
    json_each_text jsonb_each_text json_extract_path jsonb_extract_path json_extract_path_text
    jsonb_extract_path_text json_object_keys jsonb_object_keys json_array_elements jsonb_array_elements
    json_array_elements_text jsonb_array_elements_text json_typeof jsonb_typeof jsonb_strip_nulls
    json_strip_nulls jsonb_pretty jsonb_set jsonb_insert jsonb_path_exists jsonb_path_match
    jsonb_path_query jsonb_path_query_array jsonb_path_query_first`,
  misc: `coalesce nullif greatest least generate_series gen_random_uuid uuidv4 uuidv7 pg_typeof num_nulls
    num_nonnulls`,
}

export const ALLOWED_FUNCTIONS: ReadonlySet<string> = new Set(
  Object.values(groups).flatMap((names) => names.split(/\s+/).filter(Boolean)),
)

/**
 * Functions whose output size grows with one integer argument: a huge value allocates gigabytes in one
 * call, which no cost estimate sees and which would take the embedded database (and the process) down.
 * The argument must be a literal no larger than MAX_EXPANSION.
 */
export const EXPANDING_FUNCTIONS: ReadonlyMap<string, number> = new Map([
  ['repeat', 1],
  ['lpad', 1],
  ['rpad', 1],
])
export const MAX_EXPANSION = 10_000

/** Aggregate and window names, used to tell whether an outer query consumes a whole recursive CTE. */
export const CONSUMING_FUNCTIONS: ReadonlySet<string> = new Set(
  `${groups.aggregates} ${groups.windows}`.split(/\s+/).filter(Boolean),
)
