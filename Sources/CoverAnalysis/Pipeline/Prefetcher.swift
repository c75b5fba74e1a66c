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
            ProducerPriority.lowerThisThreads()
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

/// The scheduling priority of a `Prefetcher`'s producer thread.
enum ProducerPriority {
    /// How much nicer (Linux scheduling priority) a `Prefetcher`'s producer thread runs than its caller.
    ///
    /// Why: on two cores the network's two workers and this thread compete, and whenever this
    /// thread takes a core from a worker, the other worker waits at the layer's barrier. At nice +10
    /// it still gets a core whenever a worker waits (the kernel gives an idle core to any runnable
    /// thread), but yields one to a worker that needs it. Measured (README, "coverlens embed with
    /// decoding"): `coverlens embed --no-cache` on 256 covers of 600×900, EfficientNet-Lite0, Zen 2,
    /// medians of six alternations 63.8 → 67.0 img/s, and of three with `--jpeg-draft on` 70.8 → 73.9.
    static let niceIncrement: Int32 = 10

    /// Makes the calling thread `niceIncrement` nicer (Linux keeps the nice value per
    /// thread; `0` names the calling one), at most 19. A failure leaves the priority as it was.
    static func lowerThisThreads() {
        #if os(Linux)
        guard let current = current() else { return }
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, min(19, current + niceIncrement))
        #endif
    }

    /// The calling thread's nice value (Linux), or nil where it cannot be read.
    static func current() -> Int32? {
        #if os(Linux)
        errno = 0
        let value = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        return errno == 0 ? value : nil
        #else
        return nil
        #endif
    }
}
