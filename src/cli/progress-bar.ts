/** A one-line terminal progress bar for ingest: rows, MB/s and ETA from bytes read of a known total. */
export function createProgressBar(totalBytes: number, write: (text: string) => void = (t) => process.stderr.write(t)) {
  const started = Date.now()
  let last = 0
  return {
    update(rows: number, bytes: number, force = false) {
      const now = Date.now()
      if (!force && now - last < 100) return
      last = now
      const seconds = Math.max((now - started) / 1000, 0.001)
      const rate = bytes / seconds
      const share = totalBytes > 0 ? Math.min(bytes / totalBytes, 1) : 0
      const eta = rate > 0 && totalBytes > bytes ? (totalBytes - bytes) / rate : 0
      const width = 30
      const filled = Math.round(share * width)
      const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`
      write(
        `\r${bar} ${(share * 100).toFixed(0).padStart(3)}%  ${rows.toLocaleString('en-US')} rows  ${(rate / 1e6).toFixed(1)} MB/s  ETA ${eta.toFixed(0)}s   `,
      )
    },
    done(rows: number, bytes: number) {
      this.update(rows, bytes, true)
      write('\n')
    },
  }
}
