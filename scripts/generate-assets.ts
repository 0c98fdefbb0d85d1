/**
 * Deterministic IT asset register generator (sample dataset and chat bench).
 * `generateAssets({ rows, seed, convention })` returns CSV text; run as a script it writes `data/it-assets.csv`.
 */
import { writeFileSync, mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRandom } from './seeded-random.ts'

export type AssetConvention = 'default' | 'snake_upper' | 'upper' | 'dirty'

export interface GenerateAssetsOptions {
  rows: number
  seed: number
  /** Header naming and value formatting; default `default`. */
  convention?: AssetConvention
}

/** Logical fields in column order; headers per convention map onto them. */
export const ASSET_FIELDS = [
  'asset_tag', 'employee', 'username', 'department', 'manufacturer', 'model',
  'category', 'location', 'purchase_date', 'cost', 'status', 'warranty_end',
] as const
export type AssetField = (typeof ASSET_FIELDS)[number]

export const ASSET_HEADERS: Record<AssetConvention, readonly string[]> = {
  default: ['Asset Tag', 'Employee', 'Username', 'Department', 'Manufacturer', 'Model', 'Category', 'Location',
    'Purchase Date', 'Cost', 'Status', 'Warranty End'],
  snake_upper: ['Asset_TAG', 'Employee_Name', 'User_Login', 'Department_Name', 'Manufacturer', 'Model_Name',
    'Device_Category', 'Office_Location', 'Purchase_DATE', 'Unit_Cost', 'Asset_Status', 'Warranty_END'],
  upper: ['ID_NUMBER', 'USER_FULL_NAME', 'USER_ID', 'TEAM', 'BRAND', 'MODEL', 'TYPE', 'SITE', 'ACQUIRED_ON',
    'PRICE', 'STATE', 'WARRANTY_EXPIRES'],
  dirty: ['Asset#ID@', 'Assigned To', 'Login', 'Dept.', 'Company/Brand', 'Model #', 'Device Type', 'City',
    'Purchased (MM/DD/YYYY)', 'Cost ($)', 'Status!', 'Warranty Ends'],
}

const FIRST = ['Ana', 'Alberto', 'Bruno', 'Carla', 'Diego', 'Elena', 'Farah', 'Gustav', 'Hannah', 'Ivan', 'Julia',
  'Kenji', 'Laura', 'Marco', 'Nadia', 'Oscar', 'Priya', 'Quentin', 'Rosa', 'Samuel', 'Tomas', 'Ursula', 'Victor',
  'Wen', 'Xavier', 'Yara', 'Zoe', 'Liam', 'Mei', 'Noah', 'Olga', 'Pedro', 'Sofia', 'Emma', 'Lucas', 'Amara']
const LAST = ['Reyes', 'Schmidt', 'Silva', 'Novak', 'Okafor', 'Tanaka', 'Larsen', 'Moreau', 'Kowalski', 'Haddad',
  'Costa', 'Fischer', 'Rossi', 'Nguyen', 'Patel', 'Jensen', 'Dubois', 'Ortega', 'Ivanova', 'Brennan', 'Varga',
  'Lindqvist', 'Mendes', 'Yilmaz', 'Kaur', 'Weber', 'Baptiste', 'Marin', 'Sato', 'Abara']
const DEPARTMENTS = ['Engineering', 'Finance', 'Sales', 'Marketing', 'Operations', 'Support', 'Legal', 'HR', 'Design']
const LOCATIONS = ['Berlin', 'Lisbon', 'London', 'Madrid', 'Paris', 'Amsterdam', 'New York', 'Toronto', 'Singapore']

/** manufacturer → category → [model, base price] */
const CATALOG: Record<string, Record<string, [string, number][]>> = {
  Dell: { laptop: [['Latitude 5420', 1150], ['XPS 13', 1450]], desktop: [['OptiPlex 7090', 900]],
    monitor: [['UltraSharp U2720Q', 560], ['P2422H', 240]] },
  HP: { laptop: [['EliteBook 840', 1300], ['ProBook 450', 880]], desktop: [['EliteDesk 800', 950]],
    printer: [['LaserJet Pro M404', 330], ['OfficeJet 9015', 240]] },
  Lenovo: { laptop: [['ThinkPad T14', 1250], ['ThinkPad X1 Carbon', 1750]], desktop: [['ThinkCentre M90', 870]],
    tablet: [['Tab P11', 330]] },
  Apple: { laptop: [['MacBook Air M2', 1200], ['MacBook Pro 14', 2300]], phone: [['iPhone 14', 900],
    ['iPhone 15 Pro', 1150]], tablet: [['iPad Air', 650]] },
  Acer: { laptop: [['Swift 3', 720], ['TravelMate P2', 690]], monitor: [['Nitro VG240Y', 170]],
    tablet: [['Iconia Tab 10', 250]] },
  Asus: { laptop: [['ZenBook 14', 980], ['ZenBook Pro 15', 1600], ['VivoBook 15', 620]],
    monitor: [['ProArt PA278QV', 420]], tablet: [['ZenPad 10', 280]] },
  Microsoft: { laptop: [['Surface Laptop 5', 1300]], tablet: [['Surface Pro 9', 1100]] },
  Samsung: { phone: [['Galaxy S23', 850], ['Galaxy A54', 420]], tablet: [['Galaxy Tab S9', 800]],
    monitor: [['Odyssey G5', 300]] },
}
const WARRANTY_YEARS: Record<string, number> = { Dell: 3, HP: 3, Lenovo: 3, Apple: 1, Acer: 2, Asus: 2,
  Microsoft: 2, Samsung: 2 }

type Random = ReturnType<typeof createRandom>
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!

interface Person { name: string; username: string; department: string; location: string }

/** People with deliberate ambiguity: Ana and Alberto Reyes share a surname and the login `areyes`. */
const createPeople = (random: Random, count: number): Person[] => {
  const fixed: Person[] = [
    { name: 'Ana Reyes', username: 'areyes', department: 'Engineering', location: 'Lisbon' },
    { name: 'Alberto Reyes', username: 'areyes', department: 'Finance', location: 'Madrid' },
  ]
  const names = new Set(fixed.map((p) => p.name))
  const logins = new Set(fixed.map((p) => p.username))
  const people = [...fixed]
  for (let attempt = 0; people.length < count && attempt < count * 20; attempt++) {
    const first = pick(random, FIRST)
    const last = pick(random, LAST)
    const name = `${first} ${last}`
    if (names.has(name)) continue
    names.add(name)
    const base = `${first[0]}${last}`.toLowerCase()
    let username = base
    for (let n = 2; logins.has(username); n++) username = `${base}${n}`
    logins.add(username)
    people.push({ name, username, department: pick(random, DEPARTMENTS), location: pick(random, LOCATIONS) })
  }
  return people
}

const pad = (n: number, width: number) => String(n).padStart(width, '0')
const isoDate = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`
const usDate = (d: Date) => `${pad(d.getUTCMonth() + 1, 2)}/${pad(d.getUTCDate(), 2)}/${d.getUTCFullYear()}`
const usMoney = (n: number) => `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`

const csvCell = (value: string) => (/[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value)

const START = Date.UTC(2018, 0, 1)
const SPAN_DAYS = 7 * 365

const createRow = (random: Random, index: number, people: Person[], tagWidth: number) => {
  const manufacturer = pick(random, Object.keys(CATALOG))
  const categories = CATALOG[manufacturer]!
  const category = pick(random, Object.keys(categories))
  const [model, basePrice] = pick(random, categories[category]!)
  const purchase = new Date(START + Math.floor(random() * SPAN_DAYS) * 86_400_000)
  const warranty = new Date(purchase)
  warranty.setUTCFullYear(warranty.getUTCFullYear() + WARRANTY_YEARS[manufacturer]!)
  const cost = Math.round(basePrice * (0.85 + random() * 0.3) * 100) / 100
  const assigned = random() >= 0.08
  const person = assigned ? pick(random, people) : null
  const roll = random()
  const status = !person ? 'in stock' : purchase.getUTCFullYear() < 2020 && roll < 0.4 ? 'retired'
    : roll < 0.08 ? 'in repair' : 'active'
  return {
    asset_tag: `IT-${pad(index + 1, tagWidth)}`,
    employee: person?.name ?? '', username: person?.username ?? '', department: person?.department ?? '',
    manufacturer, model, category,
    location: person?.location ?? pick(random, LOCATIONS),
    purchase, cost, status, warranty,
  }
}

/** CSV text for an asset register of `rows` rows; equal options always give equal text. */
export const generateAssets = ({ rows, seed, convention = 'default' }: GenerateAssetsOptions): string => {
  const random = createRandom(seed)
  const people = createPeople(random, Math.min(1200, Math.max(24, Math.round(rows / 7))))
  const tagWidth = Math.max(4, String(rows).length)
  const dirty = convention === 'dirty'
  const lines = [ASSET_HEADERS[convention].map(csvCell).join(',')]
  for (let i = 0; i < rows; i++) {
    const r = createRow(random, i, people, tagWidth)
    const cells = [r.asset_tag, r.employee, r.username, r.department, r.manufacturer, r.model, r.category,
      r.location, dirty ? usDate(r.purchase) : isoDate(r.purchase), dirty ? usMoney(r.cost) : r.cost.toFixed(2),
      r.status, dirty ? usDate(r.warranty) : isoDate(r.warranty)]
    lines.push(cells.map(csvCell).join(','))
  }
  return `${lines.join('\n')}\n`
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)
if (isMain) {
  const target = resolve(dirname(fileURLToPath(import.meta.url)), '../data/it-assets.csv')
  mkdirSync(dirname(target), { recursive: true })
  writeFileSync(target, generateAssets({ rows: 3000, seed: 42, convention: 'default' }))
  console.log(`wrote ${target}`)
}
