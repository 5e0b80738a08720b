/**
 * html-report: k6's web dashboard report, uploaded as the artifact `perf-xi-report` so that the
 * comment can link it. A failed upload is a warning: the report never changes the verdict.
 */
import path from 'node:path'
import type { PublishIo } from './publish.js'
import { notAvailableReason, uploadReplacingEarlierAttempt, type ArtifactUploadClient } from '../storage/artifact-store.js'

export const HTML_REPORT_ARTIFACT = 'perf-xi-report'

export interface HtmlReportUploadOptions {
  /** The workflow run's attempt (GITHUB_RUN_ATTEMPT). Default 1. A re-run replaces the earlier attempt's report. */
  attempt?: number
  /** Upload client. Default: `@actions/artifact`'s DefaultArtifactClient. */
  client?: ArtifactUploadClient
}

/** The artifact's page (`<run url>/artifacts/<id>`), or undefined when it was not uploaded. */
export async function uploadHtmlReport(file: string, runUrl: string | null, io: PublishIo, options: HtmlReportUploadOptions = {}): Promise<string | undefined> {
  try {
    const uploader = options.client ?? new (await import('@actions/artifact')).DefaultArtifactClient()
    const absolute = path.resolve(file)
    const { id } = await uploadReplacingEarlierAttempt(uploader, options.attempt ?? 1, HTML_REPORT_ARTIFACT, [absolute], path.dirname(absolute))
    if (id === undefined) throw new Error('the results service returned no artifact id')
    io.info(`HTML report uploaded as artifact ${HTML_REPORT_ARTIFACT}`)
    return runUrl ? `${runUrl}/artifacts/${id}` : undefined
  } catch (err) {
    const reason = notAvailableReason(err)
    if (reason) io.info(`HTML report not uploaded: ${reason}`)
    else io.warn(`the HTML report could not be uploaded: ${err instanceof Error ? err.message : String(err)}`)
    return undefined
  }
}
