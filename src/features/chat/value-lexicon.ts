/**
 * Small general word lists that help recognize what values are: places, given names, well-known
 * organizations and status words. General knowledge, not the words of any one dataset.
 */

const words = (text: string): ReadonlySet<string> => new Set(text.split('|').map((w) => w.toLowerCase()))

export const PLACE_NAMES = words(
  'Amsterdam|Athens|Atlanta|Austin|Bangkok|Barcelona|Beijing|Belgrade|Berlin|Bern|Bogota|Boston|Brussels|' +
  'Bucharest|Budapest|Buenos Aires|Cairo|Calgary|Cape Town|Chicago|Copenhagen|Dallas|Delhi|Denver|Dubai|Dublin|' +
  'Edinburgh|Frankfurt|Geneva|Glasgow|Hamburg|Helsinki|Hong Kong|Houston|Istanbul|Jakarta|Johannesburg|Kyiv|' +
  'Lagos|Lima|Lisbon|London|Los Angeles|Lyon|Madrid|Manchester|Manila|Melbourne|Mexico City|Miami|Milan|' +
  'Montreal|Moscow|Mumbai|Munich|Nairobi|New York|Osaka|Oslo|Ottawa|Paris|Philadelphia|Phoenix|Porto|Prague|' +
  'Riga|Rio de Janeiro|Rome|Rotterdam|San Diego|San Francisco|Santiago|Sao Paulo|Seattle|Seoul|Shanghai|' +
  'Singapore|Sofia|Stockholm|Sydney|Taipei|Tallinn|Tel Aviv|Tokyo|Toronto|Valencia|Vancouver|Vienna|Vilnius|' +
  'Warsaw|Washington|Wellington|Zagreb|Zurich|' +
  'Afghanistan|Albania|Algeria|Argentina|Armenia|Australia|Austria|Azerbaijan|Bangladesh|Belarus|Belgium|' +
  'Bolivia|Bosnia|Brazil|Bulgaria|Cameroon|Canada|Chile|China|Colombia|Costa Rica|Croatia|Cuba|Cyprus|Czechia|' +
  'Czech Republic|Denmark|Ecuador|Egypt|England|Estonia|Ethiopia|Finland|France|Georgia|Germany|Ghana|Greece|' +
  'Hungary|Iceland|India|Indonesia|Iran|Iraq|Ireland|Israel|Italy|Jamaica|Japan|Jordan|Kazakhstan|Kenya|Korea|' +
  'South Korea|North Korea|Latvia|Lebanon|Lithuania|Luxembourg|Malaysia|Mexico|Morocco|Netherlands|New Zealand|' +
  'Nigeria|Norway|Pakistan|Peru|Philippines|Poland|Portugal|Qatar|Romania|Russia|Saudi Arabia|Scotland|Serbia|' +
  'Slovakia|Slovenia|South Africa|Spain|Sri Lanka|Sweden|Switzerland|Syria|Taiwan|Thailand|Tunisia|Turkey|' +
  'Uganda|Ukraine|United Kingdom|UK|United States|USA|US|Uruguay|Venezuela|Vietnam|Wales|Zimbabwe|' +
  'Alabama|Alaska|Arizona|California|Colorado|Florida|Illinois|Massachusetts|Michigan|Nevada|Ohio|Oregon|' +
  'Pennsylvania|Texas|Virginia|Ontario|Quebec|Bavaria|Catalonia|Europe|Asia|Africa|North America|South America|' +
  'Oceania|EMEA|APAC|LATAM|North|South|East|West|Central')

export const GIVEN_NAMES = words(
  'Aaron|Adam|Adrian|Ahmed|Aisha|Alan|Albert|Alberto|Alex|Alexander|Alice|Amara|Amy|Ana|Andrea|Andrew|Angela|Anna|' +
  'Anne|Anthony|Antonio|Arjun|Barbara|Ben|Bruno|Carla|Carlos|Carmen|Catherine|Charles|Chen|Chris|Christian|' +
  'Claire|Daniel|David|Diana|Diego|Elena|Elizabeth|Emily|Emma|Eric|Farah|Fatima|Felix|Fernando|Francesca|Frank|' +
  'Gabriel|George|Grace|Gustav|Hannah|Hans|Helen|Henry|Hiro|Ian|Isabel|Ivan|Jack|James|Jane|Jason|Jennifer|Jessica|' +
  'John|Jorge|Jose|Joseph|Juan|Julia|Karen|Kenji|Kevin|Laura|Lee|Liam|Linda|Lisa|Lucas|Lucia|Luis|Maria|Mark|Marco|' +
  'Martin|Mary|Matthew|Mei|Michael|Michelle|Mohammed|Nadia|Nancy|Nicole|Noah|Olga|Oliver|Olivia|Oscar|Pablo|Patricia|' +
  'Paul|Pedro|Peter|Pierre|Priya|Quentin|Rachel|Rafael|Ricardo|Richard|Robert|Rosa|Ryan|Samuel|Sandra|Sara|Sarah|' +
  'Sofia|Sophie|Stephen|Steven|Susan|Thomas|Tim|Tomas|Ursula|Victor|Wei|Wen|William|Xavier|Yara|Yuki|Zoe')

export const ORGANIZATION_NAMES = words(
  'Acer|Adobe|Amazon|AMD|Apple|Asus|AT&T|BMW|Boeing|Canon|Cisco|Dell|Epson|Ford|Fujitsu|Google|Honda|HP|HPE|Huawei|' +
  'IBM|Intel|Lenovo|LG|Logitech|Meta|Microsoft|Motorola|Nike|Nintendo|Nokia|Nvidia|Oracle|Panasonic|Philips|Ricoh|' +
  'Samsung|SAP|Siemens|Sony|Toshiba|Toyota|Xerox|Xiaomi|Volkswagen|Walmart|Verizon|Vodafone')

export const STATUS_WORDS = words(
  'active|inactive|retired|in repair|repair|in stock|stock|available|pending|open|closed|done|resolved|new|' +
  'in progress|completed|complete|cancelled|canceled|failed|approved|rejected|lost|stolen|disposed|deployed|' +
  'archived|draft|published|on hold|expired|valid|invalid|enabled|disabled|yes|no|true|false|won|lost|' +
  'broken|maintenance|decommissioned|ordered|shipped|delivered|returned|paid|unpaid|overdue')
