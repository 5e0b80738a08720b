/**
 * Where k6's raw output (`--out json=<path>`) is read from while k6 writes it: `fifo`, a named pipe
 * (nothing on disk, memory bounded by the pipe's buffer; the default where `mkfifo` works), or
 * `file`, a regular file read as it grows (the fallback: Windows, or no mkfifo; the disk holds the
 * whole output, ≈ 3 KB per request, until the run ends and it is removed). Each chunk goes to
 * `onChunk` as it arrives and is not kept; `finish()`, called once k6 has exited, resolves after
 * the last byte was delivered.
 */
import { spawnSync } from 'node:child_process'
import { closeSync, constants as fsConstants, openSync, promises as fs, rmSync, writeFileSync } from 'node:fs'
import net from 'node:net'

export type OutputTransport = 'fifo' | 'file'

export interface K6OutputStream {
  /** The path to give k6 (`--out json=<path>`). */
  path: string
  transport: OutputTransport
  /** Call once k6 has exited: resolves when every byte it wrote has gone to onChunk, then removes the path. */
  finish(): Promise<void>
}

/** How often a growing file is polled for new bytes. */
const POLL_MS = 50
/** Bytes read from a growing file per read call. */
const READ_BYTES = 1024 * 1024

/** The transport used when none is asked for: a named pipe where the platform has them. */
export function defaultTransport(platform: NodeJS.Platform = process.platform): OutputTransport {
  return platform === 'win32' ? 'file' : 'fifo'
}

/**
 * Prepares `path` for k6 to write to and starts reading it. A fifo that cannot be made (no mkfifo,
 * a filesystem without named pipes) falls back to a file.
 */
export function openK6Output(path: string, onChunk: (chunk: Buffer) => void, transport: OutputTransport = defaultTransport()): K6OutputStream {
  rmSync(path, { force: true })
  try {
    if (transport === 'fifo' && makeFifo(path)) return readFifo(path, onChunk)
    return tailFile(path, onChunk)
  } catch (err) {
    // A pipe made but not opened would outlive the run.
    rmSync(path, { force: true })
    throw err
  }
}

function makeFifo(path: string): boolean {
  const made = spawnSync('mkfifo', ['-m', '600', path], { stdio: 'ignore' })
  return made.status === 0
}

/**
 * The read end is opened non-blocking (so opening never waits for k6, which may die before it opens
 * its output), and a write end is held open by us so the reader sees no end-of-file before k6 has
 * connected; finish() lets go of it, and the stream ends once k6's end is closed too.
 */
function readFifo(path: string, onChunk: (chunk: Buffer) => void): K6OutputStream {
  const readFd = openSync(path, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK)
  const holdFd = openSync(path, fsConstants.O_WRONLY | fsConstants.O_NONBLOCK)
  const socket = new net.Socket({ fd: readFd, readable: true, writable: false })
  const ended = new Promise<void>((resolve, reject) => {
    socket.on('data', (chunk: Buffer) => {
      try {
        onChunk(chunk)
      } catch (err) {
        socket.destroy(err as Error) // reported by finish()
      }
    })
    socket.once('end', resolve)
    socket.once('error', reject)
  })
  ended.catch(() => undefined) // reported by finish(), not as an unhandled rejection
  let finishing: Promise<void> | undefined
  return {
    path,
    transport: 'fifo',
    finish() {
      finishing ??= (async () => {
        closeSync(holdFd)
        try {
          await ended
        } finally {
          socket.destroy()
          rmSync(path, { force: true })
        }
      })()
      return finishing
    },
  }
}

function tailFile(path: string, onChunk: (chunk: Buffer) => void): K6OutputStream {
  writeFileSync(path, '')
  let done = false
  const buffer = Buffer.allocUnsafe(READ_BYTES)
  const reading = (async () => {
    const handle = await fs.open(path, 'r')
    let position = 0
    try {
      for (;;) {
        const lastLook = done
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, position)
        if (bytesRead > 0) {
          position += bytesRead
          onChunk(buffer.subarray(0, bytesRead))
          continue
        }
        if (lastLook) return
        await new Promise((resolve) => setTimeout(resolve, POLL_MS))
      }
    } finally {
      await handle.close()
    }
  })()
  reading.catch(() => undefined) // reported by finish(), not as an unhandled rejection
  let finishing: Promise<void> | undefined
  return {
    path,
    transport: 'file',
    finish() {
      finishing ??= (async () => {
        done = true
        try {
          await reading
        } finally {
          rmSync(path, { force: true })
        }
      })()
      return finishing
    },
  }
}
