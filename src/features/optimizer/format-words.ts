/** Numbers and sizes as people read them in reasons and summaries. */
export const formatCount = (value: number): string => Math.round(value).toLocaleString('en-US')

export function formatBytes(bytes: number): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit += 1
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`
}

export const formatPercent = (share: number): string => `${Math.round(share * 100)}%`
