import Dispatch
import Foundation
import Synchronization

/// Runs `body(i)` for every `i` in `0..<count`, spread over `workers` threads.
///
/// Work is split into contiguous chunks, one per worker, so neighbouring indices (rows of an image,
/// images of a batch) stay on one core and share its cache. With one worker or one item the body
/// runs inline, which keeps single-threaded runs deterministic and easy to profile. Otherwise the
/// chunks go to `WorkerTeam` (threads that stay awake for a moment between loops: a network at
/// batch 1 runs hundreds of short loops per image), or to Dispatch when the team is busy.
public func parallelFor(_ count: Int, workers: Int, _ body: (Int) -> Void) {
    guard count > 0 else { return }
    let chunks = min(max(1, workers), count)
    if chunks == 1 {
        for i in 0..<count { body(i) }
        return
    }
    withoutActuallyEscaping(body) { body in
        let runChunk = { (chunk: Int) in
            let start = chunk * count / chunks
            let end = (chunk + 1) * count / chunks
            for i in start..<end { body(i) }
        }
        if dispatchedLoops.load(ordering: .relaxed) == 0 && WorkerTeam.shared.run(chunks, runChunk) { return }
        dispatchedLoops.add(1, ordering: .relaxed)
        defer { dispatchedLoops.subtract(1, ordering: .relaxed) }
        DispatchQueue.concurrentPerform(iterations: chunks, execute: runChunk)
    }
}

/// Loops running on Dispatch's threads just now. While any does, `WorkerTeam` stays out of the way: a
/// loop started inside one (a layer inside an image of `parallelForDynamic`) would add the team's
/// threads to Dispatch's on the same cores, so it goes to Dispatch too, which knows its threads are busy.
let dispatchedLoops = Atomic<Int>(0)

/// Runs `body(i)` for every `i` in `0..<count` on `workers` threads, each thread taking the next
/// index as soon as it finishes one (OpenMP's `schedule(dynamic)`), in increasing order of start.
///
/// For a few large items (the images of a batch through a whole network) on a machine where some
/// other thread may take a core for a while: with `parallelFor`'s fixed halves, the worker sharing
/// its core with `coverlens embed`'s decoding thread finished its half late while the other waited,
/// so the decode cost its time twice; here the other worker takes over the remaining items.
public func parallelForDynamic(_ count: Int, workers: Int, _ body: (Int) -> Void) {
    guard count > 0 else { return }
    let threads = min(max(1, workers), count)
    if threads == 1 {
        for i in 0..<count { body(i) }
        return
    }
    let next = Atomic<Int>(0)
    dispatchedLoops.add(1, ordering: .relaxed)
    defer { dispatchedLoops.subtract(1, ordering: .relaxed) }
    withoutActuallyEscaping(body) { body in
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            while true {
                let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard i < count else { return }
                body(i)
            }
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
