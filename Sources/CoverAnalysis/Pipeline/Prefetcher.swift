import Foundation

/// Produces items `0..<count` in order on a background thread, at most `depth` ahead of the
/// consumer, so preparing item i+1 (reading and decoding files) overlaps consuming item i (running
/// the network).
///
/// `take` must be called with 0, 1, 2, … in order, once each. When the consumer stops early (an
/// error part-way through an epoch) it drops the prefetcher or calls `cancel()`: the producer then
/// finishes at most the item it is preparing and its thread exits. The thread holds only the shared
/// `Queue`, never the prefetcher itself, so dropping the last reference does run `deinit`.
final class Prefetcher<Item>: @unchecked Sendable {
    /// The state the producer thread and the consumer share (guarded by `condition`).
    private final class Queue: @unchecked Sendable {
        let condition = NSCondition()
        var ready: [Int: Item] = [:]
        var consumed = 0
        var cancelled = false
    }

    private let queue = Queue()

    /// `onExit` runs on the producer thread just before it ends (all items made, or cancelled);
    /// tests use it to see that a dropped prefetcher does not leave a blocked thread behind.
    init(count: Int, depth: Int = 2, produce: @escaping @Sendable (Int) -> Item,
         onExit: (@Sendable () -> Void)? = nil) {
        let depth = max(1, depth)
        let queue = self.queue
        let thread = Thread {
            defer { onExit?() }
            for index in 0..<count {
                queue.condition.lock()
                while index - queue.consumed >= depth && !queue.cancelled { queue.condition.wait() }
                let stop = queue.cancelled
                queue.condition.unlock()
                if stop { return }
                let item = produce(index)
                queue.condition.lock()
                if !queue.cancelled { queue.ready[index] = item }
                queue.condition.broadcast()
                queue.condition.unlock()
            }
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Waits for item `index` and hands it over.
    func take(_ index: Int) -> Item {
        let condition = queue.condition
        condition.lock()
        defer { condition.unlock() }
        while queue.ready[index] == nil {
            precondition(!queue.cancelled, "Prefetcher.take(\(index)) after cancel()")
            condition.wait()
        }
        let item = queue.ready.removeValue(forKey: index)!
        queue.consumed = index + 1
        condition.broadcast()
        return item
    }

    /// Stops the producer: it finishes at most the item in progress, drops what is not taken yet,
    /// and its thread exits. Called by `deinit`; call it directly to stop before the last reference goes.
    func cancel() {
        queue.condition.lock()
        queue.cancelled = true
        queue.ready.removeAll()
        queue.condition.broadcast()
        queue.condition.unlock()
    }

    deinit { cancel() }
}
