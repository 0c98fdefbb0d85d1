/**
 * Abbreviations and unit symbols of table headers, spelled out as the words a question uses. Standings, stats
 * and fact tables abbreviate heavily (`Pts`, `GF`, `Pld`, `Pop.`, `Height (m)`); a question says "points",
 * "goals scored", "games played", "population", "metres". General table vocabulary, not one dataset's words.
 */
const spell = (entries: Record<string, string>): ReadonlyMap<string, readonly string[]> =>
  new Map(Object.entries(entries).map(([abbreviation, words]) => [abbreviation, words.split(' ')]))

/** Expansions of a whole header word. One-letter entries apply only in a header of one-letter words (see below). */
export const HEADER_ABBREVIATIONS = spell({
  pts: 'points point', pt: 'points point', pos: 'position place finished finish', pld: 'played games matches',
  gp: 'games played matches', mp: 'matches played games', gf: 'goals scored', ga: 'goals conceded against allowed',
  gd: 'goal difference', pop: 'population', no: 'number', num: 'number', nr: 'number', yr: 'year', yrs: 'years',
  avg: 'average', pct: 'percentage percent share', ht: 'height', wt: 'weight', dob: 'birth born', apps: 'appearances',
  att: 'attendance', cap: 'capacity', qty: 'quantity', dept: 'department', elev: 'elevation height', est: 'established founded',
  km: 'kilometres kilometers', mi: 'miles', ft: 'feet', cm: 'centimetres centimeters', mm: 'millimetres millimeters',
  kg: 'kilograms kilos weight', lb: 'pounds weight', lbs: 'pounds weight', min: 'minutes', mins: 'minutes',
  sec: 'seconds', hrs: 'hours', mph: 'speed', kmh: 'speed', usd: 'dollars price', bn: 'billion billions',
  mah: 'capacity', sq: 'square', ref: 'reference', intl: 'international', govt: 'government',
})

/** One-letter headers of standings tables (`W`, `D`, `L`) are spelled out only beside other short headers. */
export const LETTER_ABBREVIATIONS = spell({
  w: 'wins win won victories', d: 'draws draw drawn drew ties', l: 'losses loss lost defeats', t: 'ties tied',
  p: 'played games', g: 'games goals', a: 'assists against', f: 'for scored',
})

/** Units written as symbols in a header: `Height (m)`, `Weight (g)`, `Vote %`. */
export const UNIT_WORDS = spell({
  m: 'metres meters', g: 'grams gram weight', '%': 'percentage percent share', $: 'dollars price',
})

/** Words a header's abbreviations and units stand for. `shortHeaders`: the table's headers are mostly one letter. */
export const expandHeaderWords = (words: readonly string[], symbols: readonly string[], shortHeaders: boolean): string[] => {
  // A unit letter is the last word after a name ("Height (m)"), never a header alone or a word's first letter ("mAh").
  const unit = (w: string, i: number) => (words.length > 1 && i === words.length - 1 ? UNIT_WORDS.get(w) : undefined)
  const letter = (w: string) => (shortHeaders && words.length === 1 ? LETTER_ABBREVIATIONS.get(w) : undefined)
  const expanded = words.flatMap((w, i) => HEADER_ABBREVIATIONS.get(w) ?? unit(w, i) ?? letter(w) ?? [])
  return [...expanded, ...symbols.flatMap((s) => UNIT_WORDS.get(s) ?? [])]
}
