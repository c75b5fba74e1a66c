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
    /// Why: on two cores the network's two workers and this thread compete. Nicer, it yields a core
    /// to a worker that needs it and still gets one whenever a worker waits (the kernel gives an idle
    /// core to any runnable thread); too nice, it falls behind (at +10 it got about a tenth of the
    /// core it shared, the preparation needs about a sixth of the machine), and then the network
    /// waits for a batch with one core idle. Measured (README, "coverlens embed with decoding"),
    /// `coverlens embed --no-cache`, covers of 600×900, EfficientNet-Lite0, Zen 2: +10 against the
    /// default priority when the workers split a batch in fixed halves, 63.8 → 67.0 img/s (medians of
    /// six alternations, 256 covers); once they took images in turn (`parallelForDynamic`), +5
    /// against +10 on 1,024 covers, 13.39 → 12.76 s (medians of five alternations; +0, +2, +3 and
    /// +7 measured between them; ResNet18 alike at +2, +5 and +10).
    static let niceIncrement: Int32 = 5

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
