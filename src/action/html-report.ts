/**
 * html-report: k6's web dashboard report, uploaded as the artifact `perf-xi-report` so that the
 * comment can link it. A failed upload is a warning: the report never changes the verdict.
 */
import path from 'node:path'
import type { PublishIo } from './publish.js'
import { notAvailableReason, type ArtifactUploadClient } from '../storage/artifact-store.js'

export const HTML_REPORT_ARTIFACT = 'perf-xi-report'

/** The artifact's page (`<run url>/artifacts/<id>`), or undefined when it was not uploaded. */
export async function uploadHtmlReport(file: string, runUrl: string | null, io: PublishIo, client?: ArtifactUploadClient): Promise<string | undefined> {
  try {
    const uploader = client ?? new (await import('@actions/artifact')).DefaultArtifactClient()
    const { id } = await uploader.uploadArtifact(HTML_REPORT_ARTIFACT, [path.resolve(file)], path.dirname(path.resolve(file)))
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
