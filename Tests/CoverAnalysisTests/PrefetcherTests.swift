import Foundation
import Testing
@testable import CoverAnalysis

/// Counts the items a producer made, from any thread.
private final class ProducedCount: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func increment() { lock.lock(); value += 1; lock.unlock() }
    var count: Int { lock.lock(); defer { lock.unlock() }; return value }
}

@Suite("Prefetcher")
struct PrefetcherTests {
    /// Generous: the producer only has to notice the cancellation, but the machine is shared.
    private static let exitTimeout: DispatchTimeInterval = .seconds(60)

    @Test("a producer ahead of a slow consumer turns nicer than its caller, so it yields a core to the network's workers")
    func producerAheadRunsAtALowerPriority() throws {
        let caller = try #require(ProducerPriority.current())
        let count = 2 * ProducerPatience.patience + 4
        let prefetch = Prefetcher(count: count, depth: 1, produce: { _ in ProducerPriority.current() })
        var priorities: [Int32?] = []
        for index in 0..<count {
            Thread.sleep(forTimeInterval: 0.01)   // the consumer is slow: the producer waits for it
            priorities.append(prefetch.take(index))
        }
        #expect(priorities.first == caller, "the first item was made at \(String(describing: priorities.first)), the caller runs at \(caller)")
        #expect(priorities.last == min(19, caller + ProducerPriority.niceIncrement), "priorities \(priorities), caller \(caller)")
    }

    @Test("the priority drops once the queue was full before `patience` items in a row, and only once")
    func patienceCountsWaitsInARow() {
        let p = ProducerPatience.patience
        var patience = ProducerPatience()
        let waits = Array(repeating: true, count: p - 1) + [false] + Array(repeating: true, count: p + 2)
        let lowered = waits.map { patience.record(waitedForTheConsumer: $0) }
        #expect(lowered.indices.filter { lowered[$0] } == [2 * p - 1], "lowered at \(lowered.indices.filter { lowered[$0] })")
        var behind = ProducerPatience()
        #expect((0..<100).allSatisfy { _ in !behind.record(waitedForTheConsumer: false) })
    }

    @Test("hands over every item in order and its thread ends")
    func deliversAllItems() {
        let exited = DispatchSemaphore(value: 0)
        let prefetch = Prefetcher(count: 20, depth: 2, produce: { $0 * 3 }, onExit: { exited.signal() })
        let items = (0..<20).map { prefetch.take($0) }
        #expect(items == (0..<20).map { $0 * 3 }, "items came back out of order or changed")
        #expect(exited.wait(timeout: .now() + Self.exitTimeout) == .success, "producer thread did not end after the last item")
    }

    @Test("dropping the prefetcher after one item stops the producer and ends its thread")
    func droppedPrefetcherStopsProducer() {
        let exited = DispatchSemaphore(value: 0)
        let produced = ProducedCount()
        do {
            let prefetch = Prefetcher(count: 1_000, depth: 2, produce: { index -> Int in
                produced.increment()
                return index
            }, onExit: { exited.signal() })
            #expect(prefetch.take(0) == 0)
        }   // The consumer stops early: its only reference goes away here.
        #expect(exited.wait(timeout: .now() + Self.exitTimeout) == .success,
                "producer thread still blocked after the consumer dropped the prefetcher")
        #expect(produced.count <= 4, "producer made \(produced.count) of 1000 items after the consumer took one")
    }

    @Test("cancel() stops the producer while the consumer still holds the prefetcher")
    func cancelStopsProducer() {
        let exited = DispatchSemaphore(value: 0)
        let produced = ProducedCount()
        let prefetch = Prefetcher(count: 1_000, depth: 2, produce: { index -> Int in
            produced.increment()
            return index
        }, onExit: { exited.signal() })
        #expect(prefetch.take(0) == 0)
        prefetch.cancel()
        #expect(exited.wait(timeout: .now() + Self.exitTimeout) == .success, "producer thread did not end after cancel()")
        #expect(produced.count <= 4, "producer made \(produced.count) of 1000 items after cancel()")
        withExtendedLifetime(prefetch) {}
    }

    @Test("a FineTuneFeed-style closure that captures the prefetcher releases it when dropped")
    func capturingClosureReleasesPrefetcher() {
        let exited = DispatchSemaphore(value: 0)
        var take: ((Int) -> Int)? = {
            let prefetch = Prefetcher(count: 1_000, produce: { $0 }, onExit: { exited.signal() })
            return { prefetch.take($0) }
        }()
        #expect(take?(0) == 0)
        take = nil
        #expect(exited.wait(timeout: .now() + Self.exitTimeout) == .success,
                "producer thread still blocked after the closure holding the prefetcher was dropped")
    }
}
