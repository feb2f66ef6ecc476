import { describe, expect, it } from 'vitest'
import { useJob } from './job'

describe('useJob', () => {
  it('follows the progress and passes cancel on as an abort', async () => {
    const job = useJob()
    let signal: AbortSignal | null = null
    let report: (p: { done: number; total: number }) => void = () => {}
    let finish: (v: string) => void = () => {}
    const result = job.run((onProgress, s) => {
      signal = s
      report = onProgress
      return new Promise<string>((resolve) => (finish = resolve))
    })
    expect(job.running.value).toBe(true)
    report({ done: 1, total: 3 })
    expect(job.percent.value).toBe(33)
    job.cancel()
    expect(signal!.aborted).toBe(true)
    await expect(job.run(async () => 'second')).rejects.toThrow('already running')
    finish('done')
    expect(await result).toBe('done')
    expect(job.running.value).toBe(false)
    expect(job.percent.value).toBe(33)
  })

  it('ends the job when it fails', async () => {
    const job = useJob()
    await expect(job.run(async () => Promise.reject({ code: 'cancelled' }))).rejects.toEqual({ code: 'cancelled' })
    expect(job.running.value).toBe(false)
  })
})
