import Dispatch
import Foundation

/// Runs `body(i)` for every `i` in `0..<count`, spread over the machine's cores.
///
/// Work is split into contiguous chunks, one per worker, so neighbouring indices (rows of an image,
/// images of a batch) stay on one core and share its cache. With one worker or one item the body
/// runs inline, which keeps single-threaded runs deterministic and easy to profile.
public func parallelFor(_ count: Int, workers: Int = Parallelism.workers, _ body: (Int) -> Void) {
    guard count > 0 else { return }
    let chunks = min(max(1, workers), count)
    if chunks == 1 {
        for i in 0..<count { body(i) }
        return
    }
    withoutActuallyEscaping(body) { body in
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let start = chunk * count / chunks
            let end = (chunk + 1) * count / chunks
            for i in start..<end { body(i) }
        }
    }
}

/// How many cores CoverLens's own loops use. Defaults to the active processor count; the
/// `COVERLENS_THREADS` environment variable or `--threads` flag overrides it.
public enum Parallelism {
    nonisolated(unsafe) public static var workers: Int = {
        if let text = ProcessInfo.processInfo.environment["COVERLENS_THREADS"], let n = Int(text), n > 0 {
            return n
        }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }()
}
