/**
 * The grammar words of English data questions: intents, comparisons, dates, grouping, negation, follow-ups.
 * Kept apart from column and value words so no question word is read twice.
 */
const set = (text: string): ReadonlySet<string> => new Set(text.split(' '))

export const STOPWORDS = set(
  'a an the of in on at to for from with by and or is are was were be been being do does did done have has had ' +
  'we our us i me my you your it its they them their this that these those there here what which who whom whose ' +
  'when where how please can could would should will shall may might must any some all each every as than then ' +
  'about into onto over under up down out just only also too very so such get got give show tell list find ' +
  'display see let know want need currently now still ever per s same one ones')

/** Nouns that name rows rather than a column ("how many devices", "list the assets"). */
export const ROW_NOUNS = set(
  'device devices asset assets item items record records row rows entry entries thing things unit units ' +
  'equipment hardware inventory stuff piece pieces object objects line lines result results data dataset table ' +
  'times occurrences instances cases')

export const COUNT_CUES = set('count many number')

export const AGGREGATE_WORDS: Readonly<Record<string, 'sum' | 'avg' | 'min' | 'max'>> = {
  total: 'sum', sum: 'sum', overall: 'sum', combined: 'sum', altogether: 'sum', aggregate: 'sum', spend: 'sum',
  spent: 'sum', spending: 'sum', spends: 'sum', average: 'avg', avg: 'avg', mean: 'avg', typical: 'avg',
  minimum: 'min', min: 'min', maximum: 'max', max: 'max',
}

/** Superlatives: direction and, when the word itself implies it, the role of the column it ranks by. */
/** Header words a dimension adjective refers to ("tallest" → a height column). */
export const DIMENSION_HINTS: Readonly<Record<string, readonly string[]>> = {
  tall: ['height', 'tall'], short: ['height', 'length', 'duration'], long: ['length', 'duration', 'long'],
  heavy: ['weight', 'mass'], light: ['weight', 'mass'], fast: ['speed'], slow: ['speed'],
  big: ['size', 'area', 'capacity', 'population'], large: ['size', 'area', 'capacity', 'population'],
  small: ['size', 'area', 'capacity', 'population'], wide: ['width'], deep: ['depth'], populous: ['population'],
}

export const SUPERLATIVES: Readonly<Record<string, { dir: 'asc' | 'desc'; role?: 'money' | 'date'; age?: 'young' | 'old'; hint?: string }>> = {
  tallest: { dir: 'desc', hint: 'tall' }, shortest: { dir: 'asc', hint: 'short' }, longest: { dir: 'desc', hint: 'long' },
  heaviest: { dir: 'desc', hint: 'heavy' }, lightest: { dir: 'asc', hint: 'light' }, fastest: { dir: 'desc', hint: 'fast' },
  slowest: { dir: 'asc', hint: 'slow' }, widest: { dir: 'desc', hint: 'wide' }, deepest: { dir: 'desc', hint: 'deep' },
  youngest: { dir: 'desc', role: 'date', age: 'young' },
  most: { dir: 'desc' }, highest: { dir: 'desc' }, largest: { dir: 'desc', hint: 'large' }, biggest: { dir: 'desc', hint: 'big' },
  greatest: { dir: 'desc' }, top: { dir: 'desc' }, maximum: { dir: 'desc' }, max: { dir: 'desc' },
  least: { dir: 'asc' }, fewest: { dir: 'asc' }, lowest: { dir: 'asc' }, smallest: { dir: 'asc', hint: 'small' },
  minimum: { dir: 'asc' }, min: { dir: 'asc' }, bottom: { dir: 'asc' }, best: { dir: 'desc' }, worst: { dir: 'asc' },
  priciest: { dir: 'desc', role: 'money' }, costliest: { dir: 'desc', role: 'money' },
  cheapest: { dir: 'asc', role: 'money' }, newest: { dir: 'desc', role: 'date' }, latest: { dir: 'desc', role: 'date' },
  oldest: { dir: 'asc', role: 'date', age: 'old' }, earliest: { dir: 'asc', role: 'date' }, recent: { dir: 'desc', role: 'date' },
}

/** Words after most/least that make a money superlative ("most expensive"). */
export const MONEY_ADJECTIVES = set('expensive pricey costly valuable cheap')

export type CompareOp = 'gt' | 'gte' | 'lt' | 'lte' | 'eq'

/** Comparison phrases, longest first so "no more than" wins over "more than". */
export const COMPARATORS: readonly { words: string[]; op: CompareOp; role?: string }[] = [
  ['older than', 'gt', 'age'], ['younger than', 'lt', 'age'], ['taller than', 'gt', 'tall'], ['shorter than', 'lt', 'short'],
  ['longer than', 'gt', 'long'], ['heavier than', 'gt', 'heavy'], ['lighter than', 'lt', 'light'],
  ['faster than', 'gt', 'fast'], ['slower than', 'lt', 'slow'],
  ['no more than', 'lte'], ['no less than', 'gte'], ['not more than', 'lte'], ['not less than', 'gte'],
  ['more expensive than', 'gt', 'money'], ['less expensive than', 'lt', 'money'], ['cheaper than', 'lt', 'money'],
  ['pricier than', 'gt', 'money'], ['more than', 'gt'], ['greater than', 'gt'], ['higher than', 'gt'],
  ['larger than', 'gt'], ['bigger than', 'gt'], ['less than', 'lt'], ['fewer than', 'lt'], ['lower than', 'lt'],
  ['smaller than', 'lt'], ['at least', 'gte'], ['at most', 'lte'], ['up to', 'lte'], ['equal to', 'eq'],
  ['exactly', 'eq'], ['over', 'gt'], ['above', 'gt'], ['exceeding', 'gt'], ['exceeds', 'gt'], ['exceed', 'gt'],
  ['under', 'lt'], ['below', 'lt'], ['>', 'gt'], ['>=', 'gte'], ['<', 'lt'], ['<=', 'lte'], ['=', 'eq'],
  ['min', 'gte'], ['max', 'lte'],
].map(([words, op, role]) => ({ words: words!.split(' '), op: op as CompareOp, ...(role ? { role } : {}) }))

export const MONTHS: Readonly<Record<string, number>> = {
  january: 1, jan: 1, february: 2, feb: 2, march: 3, mar: 3, april: 4, apr: 4, may: 5, june: 6, jun: 6,
  july: 7, jul: 7, august: 8, aug: 8, september: 9, sep: 9, sept: 9, october: 10, oct: 10, november: 11, nov: 11,
  december: 12, dec: 12,
}

export const DATE_BEFORE = set('before until till prior earlier')
export const DATE_AFTER = set('after later')
export const DATE_SINCE = set('since')
export const DATE_IN = set('in during of on')

export const GROUP_CUES = set('per by each every across')
export const ORDER_CUES = set('sort sorted order ordered rank ranked arrange arranged')
export const NEGATIONS = set('not no non without excluding exclude except isnt arent never other outside besides')
export const MISSING_WORDS = set('unassigned unallocated unowned unused ownerless')
export const MISSING_CUES = set('without missing empty blank null no')
export const COMPARE_CUES = set('versus vs compare compared comparison against')
export const DISTINCT_CUES = set('distinct different unique kinds kind types type sorts varieties')
export const PRONOUNS = set('it its them they those these that this ones one')
export const FOLLOW_UP_STARTS = set('how what and just only now also same but split break sort order which')
export const LIST_CUES = set('list show display give find get which what')
export const PLURAL_QUESTION = set('are were do have')

/** Common English words that must never be read as a typo of a value or as an unknown attribute. */
export const COMMON_WORDS = set(
  'about above after again against all also always among amount an and another any anything anyone are around ' +
  'available away back bad be because been before being below best better between both bring but buy buying ' +
  'call came can cannot case certain change check come company could current currently day days did different ' +
  'do does doing done down during each early either else end enough even ever every everyone everything ' +
  'example except far few first following for found free from full further give given go going good got great ' +
  'had has have having he her here high him his hold holds holding held how however if important in include ' +
  'including instead into is issue it just keep kept kind know known large last late least left less let like ' +
  'likely little long look looking lot low made main make makes making many may me might more most much must my ' +
  'name named near need needs never new next no none nor not nothing now number of off often old on once only open ' +
  'or order other others our out over own owned owns owner part past people per place point possible put quite ' +
  'rather really recent right said same say see seem seen set several shall she should show side since small so ' +
  'some something soon still such supply supplies supplied sure take taken tell than that the their them then ' +
  'there these they thing think this those though through time to today together too took toward under until up ' +
  'upon us use used uses using very want was way we well went were what whatever when where whether which while ' +
  'who whole whom whose why will with within without work would year years yes yet you your bought purchased ' +
  'acquired cost costs costing priced price pay paid spend spent worth expensive cheap cheaper cheapest pricey ' +
  'priciest total sum average mean count split break broken down grouped group first last top bottom highest ' +
  'lowest largest smallest most fewest least newest oldest latest earliest ones one kinds types sort sorted ' +
  'ordered order versus compare compared just only also across every each assigned based located belong belongs ' +
  'happen happened many much often else there here per item items device devices asset assets record records row ' +
  'rows entry entries brand brands model models category categories status site sites city cities team teams ' +
  'department departments employee employees location locations holder owner person user users login')
