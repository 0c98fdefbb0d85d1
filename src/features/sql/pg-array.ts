/**
 * Parses PostgreSQL's array text form (`{1,NULL,"a \"b\""}`, nested `{{1,2},{3,4}}`, optional `[0:1]=` bounds)
 * into nested arrays of element text, null for NULL. Elements keep their text; the caller converts them.
 */
export function parsePgArray(text: string): unknown[] {
  const start = text.startsWith('[') ? text.indexOf('=') + 1 : 0
  if (text[start] !== '{') throw new SyntaxError(`not an array literal: ${text.slice(0, 40)}`)
  const [value, end] = parseLevel(text, start)
  if (end !== text.length) throw new SyntaxError(`not an array literal: ${text.slice(0, 40)}`)
  return value
}

// Every loop is bounded by the text length: a malformed literal throws instead of spinning.
const at = (text: string, i: number) => {
  if (i >= text.length) throw new SyntaxError('unterminated array literal')
  return text[i]
}

function parseLevel(text: string, open: number): [unknown[], number] {
  const items: unknown[] = []
  let i = open + 1
  while (at(text, i) !== '}') {
    if (text[i] === '{') {
      const [nested, next] = parseLevel(text, i)
      items.push(nested)
      i = next
    } else if (text[i] === '"') {
      const [quoted, next] = readQuoted(text, i)
      items.push(quoted)
      i = next
    } else {
      let end = i
      while (at(text, end) !== ',' && text[end] !== '}') end += 1
      const raw = text.slice(i, end).trim()
      items.push(raw.toUpperCase() === 'NULL' ? null : raw)
      i = end
    }
    if (text[i] === ',') i += 1
  }
  return [items, i + 1]
}

function readQuoted(text: string, open: number): [string, number] {
  let out = ''
  let i = open + 1
  while (at(text, i) !== '"') {
    if (text[i] === '\\') i += 1
    out += at(text, i)
    i += 1
  }
  return [out, i + 1]
}
