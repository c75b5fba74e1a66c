import Foundation
import Synchronization
@testable import Support
import Testing

/// `WorkerTeam`, the threads `parallelFor` hands its chunks to: every part of every loop runs exactly
/// once, on the caller and the members, through thousands of short loops back to back (where a
/// member still busy with, or just waking for, one loop meets the next), with members asleep, with
/// a part held up, nested, and from several threads at once.
@Suite struct WorkerTeamTests {
    /// How many times each index ran, under an `NSLock` (pthread's, which ThreadSanitizer follows;
    /// it does not see `Mutex`'s futex) because `Atomic` cannot go in an array.
    final class Counts: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [Int]
        init(_ count: Int) { values = [Int](repeating: 0, count: count) }
        func add(_ index: Int) { lock.withLock { values[index] += 1 } }
        /// The counts, reset to zero.
        func take() -> [Int] { lock.withLock { defer { values = [Int](repeating: 0, count: values.count) }; return values } }
    }

    /// The threads that ran something.
    final class ThreadSet: @unchecked Sendable {
        private let lock = NSLock()
        private var threads: Set<UInt> = []
        func insertCurrent() { lock.withLock { _ = threads.insert(UInt(bitPattern: Int(bitPattern: pthread_self()))) } }
        var count: Int { lock.withLock { threads.count } }
    }

    /// Runs `loops` loops of 2…9 parts through `team`, each part counting itself; returns the counts
    /// that are not 1 (none when every part ran exactly once) and how many loops the team took.
    func countParts(_ team: WorkerTeam, loops: Int, work: Int = 0) -> (wrong: [String], byTeam: Int) {
        let counts = Counts(9)
        var wrong: [String] = []
        var byTeam = 0
        for loop in 0..<loops {
            let parts = 2 + loop % 8
            let ran = team.run(parts) { part in
                var x = 0.0
                for k in 0..<work { x += Double(k) }   // a little work, so the parts overlap
                if x < 0 { print(x) }
                counts.add(part)
            }
            if ran { byTeam += 1 } else { for part in 0..<parts { counts.add(part) } }
            for (part, n) in counts.take().enumerated() where n != (part < parts ? 1 : 0) {
                wrong.append("loop \(loop), part \(part) of \(parts): ran \(n) times")
            }
        }
        return (wrong, byTeam)
    }

    @Test("every part exactly once over 20,000 loops back to back, with one and with three members")
    func everyPartOnce() {
        for members in [1, 3] {
            let team = WorkerTeam(members: members)
            let quick = countParts(team, loops: 20_000)
            #expect(quick.wrong.isEmpty, "\(members) members: \(quick.wrong.prefix(5))")
            #expect(quick.byTeam == 20_000, "\(members) members: the team took \(quick.byTeam) of 20,000 loops")
            let longer = countParts(team, loops: 2_000, work: 2_000)
            #expect(longer.wrong.isEmpty, "\(members) members, longer parts: \(longer.wrong.prefix(5))")
        }
    }

    @Test("loops after the members have gone to sleep still run every part, on the members too")
    func membersWakeFromSleep() {
        let team = WorkerTeam(members: 1)
        let threads = ThreadSet()
        for _ in 0..<5 {
            Thread.sleep(forTimeInterval: 0.01)   // far past the spin limit: the member sleeps
            let secondStarted = Atomic<Bool>(false)
            let ran = team.run(2) { part in
                threads.insertCurrent()
                if part == 1 { secondStarted.store(true, ordering: .releasing) }
                // The first part waits (up to 2 s) for the woken member to start the second; a
                // member that never woke leaves the second to the caller, on the same thread.
                let deadline = Date().addingTimeInterval(2)
                while part == 0 && !secondStarted.load(ordering: .acquiring) && Date() < deadline {
                    Thread.sleep(forTimeInterval: 0.001)
                }
            }
            #expect(ran)
        }
        #expect(threads.count == 2, "the parts ran on \(threads.count) thread(s), not the caller and the member")
        #expect(countParts(team, loops: 200).wrong.isEmpty)
    }

    @Test("a part held up holds up only its own loop; the loops after it run every part once")
    func heldUpPart() {
        let team = WorkerTeam(members: 1)
        let done = Atomic<Int>(0)
        #expect(team.run(2) { part in
            if part == 1 { Thread.sleep(forTimeInterval: 0.05) }
            done.add(1, ordering: .relaxed)
        })
        #expect(done.load(ordering: .relaxed) == 2, "run returned before its parts were done")
        #expect(countParts(team, loops: 1_000).wrong.isEmpty)
    }

    @Test("a loop inside a part, or while the team is busy, is refused and runs elsewhere")
    func nestedLoopsAreRefused() {
        let team = WorkerTeam(members: 1), refusals = Counts(1)
        #expect(team.run(2) { _ in if !team.run(2, { _ in }) { refusals.add(0) } })
        #expect(refusals.take() == [2], "both parts' inner loops should have been refused")
        // parallelFor inside parallelFor (the shared team busy with the outer loop): every index once.
        let counts = Counts(6 * 50)
        parallelFor(6, workers: 2) { outer in
            parallelFor(50, workers: 2) { inner in counts.add(outer * 50 + inner) }
        }
        #expect(counts.take().allSatisfy { $0 == 1 })
    }

    @Test("parallelFor from four threads at once: every index of every loop once")
    func concurrentCallers() {
        let wrong = Atomic<Int>(0)
        let finished = Atomic<Int>(0)
        for _ in 0..<4 {
            Thread {
                for loop in 0..<2_000 {
                    let count = 3 + loop % 40
                    let counts = Counts(count)
                    parallelFor(count, workers: 2) { counts.add($0) }
                    if !counts.take().allSatisfy({ $0 == 1 }) { wrong.add(1, ordering: .relaxed) }
                }
                finished.add(1, ordering: .releasing)
            }.start()
        }
        while finished.load(ordering: .acquiring) < 4 { Thread.sleep(forTimeInterval: 0.005) }
        #expect(wrong.load(ordering: .relaxed) == 0, "\(wrong.load(ordering: .relaxed)) loops missed or repeated an index")
    }
}
