import Dispatch
import Foundation
import Support

/// What a parallel loop costs beyond its work: loops of two equal halves, each half `work` additions,
/// run 5,000 times through `parallelFor` (the `WorkerTeam`), through `DispatchQueue.concurrentPerform`
/// (how every loop ran before the team) and on one thread. A network at batch 1 runs hundreds of such
/// loops per image, many with halves of a few tens of microseconds.
enum LoopBenchmark {
    static func run() {
        let loops = 5_000
        print("parallel loops of two halves, µs per loop (\(loops) loops each; one thread: both halves in turn)")
        print("half's work (additions)   parallelFor   concurrentPerform   one thread")
        for work in [0, 1_000, 20_000, 100_000] {
            let half = { (part: Int) in
                var sum = 0.0
                for k in 0..<work { sum += Double(k &* (part + 1)) }
                if sum < 0 { print(sum) }   // keeps the loop from being optimised away
            }
            let team = time(loops) { parallelFor(2, workers: 2, half) }
            let dispatch = time(loops) { DispatchQueue.concurrentPerform(iterations: 2, execute: half) }
            let serial = time(loops) { half(0); half(1) }
            print(String(format: "%23d %13.1f %19.1f %12.1f", work, team, dispatch, serial))
        }
    }

    /// Mean microseconds per call of `body` over `count` calls.
    static func time(_ count: Int, _ body: () -> Void) -> Double {
        body()   // warm-up: starts the team's threads and Dispatch's
        let start = now()
        for _ in 0..<count { body() }
        return (now() - start) / Double(count) * 1e6
    }
}
