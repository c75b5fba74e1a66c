import Foundation

/// Produces items `0..<count` in order on a background thread, at most `depth` ahead of the
/// consumer, so preparing item i+1 (reading and decoding files) overlaps consuming item i (running
/// the network).
///
/// `take` must be called with 0, 1, 2, … in order, once each. When the consumer stops early the
/// producer finishes at most `depth` items more and exits.
final class Prefetcher<Item>: @unchecked Sendable {
    private let condition = NSCondition()
    private var ready: [Int: Item] = [:]
    private var consumed = 0
    private var cancelled = false
    private let depth: Int

    init(count: Int, depth: Int = 2, produce: @escaping @Sendable (Int) -> Item) {
        self.depth = max(1, depth)
        let thread = Thread { [self] in
            for index in 0..<count {
                condition.lock()
                while index - consumed >= self.depth && !cancelled { condition.wait() }
                let stop = cancelled
                condition.unlock()
                if stop { return }
                let item = produce(index)
                condition.lock()
                ready[index] = item
                condition.broadcast()
                condition.unlock()
            }
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Waits for item `index` and hands it over.
    func take(_ index: Int) -> Item {
        condition.lock()
        defer { condition.unlock() }
        while ready[index] == nil { condition.wait() }
        let item = ready.removeValue(forKey: index)!
        consumed = index + 1
        condition.broadcast()
        return item
    }

    deinit {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}
