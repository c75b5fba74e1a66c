import Dispatch
import Foundation

/// Runs `body(i)` for every `i` in `0..<count`, spread over `workers` threads.
///
/// Work is split into contiguous chunks, one per worker, so neighbouring indices (rows of an image,
/// images of a batch) stay on one core and share its cache. With one worker or one item the body
/// runs inline, which keeps single-threaded runs deterministic and easy to profile.
public func parallelFor(_ count: Int, workers: Int, _ body: (Int) -> Void) {
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

/// How many cores the machine offers CoverLens's own loops: the active processor count, or the
/// `COVERLENS_THREADS` environment variable. A run starts from this and may use fewer (`--threads`);
/// nothing changes it after the process starts.
public enum Parallelism {
    public static let available: Int = {
        if let text = ProcessInfo.processInfo.environment["COVERLENS_THREADS"], let n = Int(text), n > 0 {
            return n
        }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }()
}
