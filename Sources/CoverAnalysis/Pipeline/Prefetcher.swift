import Foundation

/// Produces items `0..<count` in order on a background thread, at most `depth` ahead of the
/// consumer, so preparing item i+1 (reading and decoding files) overlaps consuming item i (running
/// the network). The thread starts at its caller's priority and turns nicer once it is clearly
/// ahead (`ProducerPatience`).
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
            var patience = ProducerPatience()
            for index in 0..<count {
                queue.condition.lock()
                var waited = false
                while index - queue.consumed >= depth && !queue.cancelled {
                    waited = true
                    queue.condition.wait()
                }
                let stop = queue.cancelled
                queue.condition.unlock()
                if stop { return }
                if patience.record(waitedForTheConsumer: waited) { ProducerPriority.lowerThisThreads() }
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

/// When a `Prefetcher`'s producer lowers its priority: after it has found the queue full —
/// `depth` items ready, so it had to wait for the consumer — before `patience` items in a row.
///
/// Why not from the start: whether the producer should yield depends on how its work per item
/// compares with the consumer's. Decoding and resizing a batch is a small share beside either
/// network, and then a nicer producer gives the network its cores (`ProducerPriority`). With the
/// measures a store keeps (colour statistics, thumbnail, copy descriptor) a cover's preparation is
/// about as much work as EfficientNet-Lite0's share of the cores, and a nicer producer falls behind
/// while the network waits. A producer that is behind never finds the queue full, so it keeps its
/// priority; one that is ahead finds it full every time and yields within a few items. Linux lets an
/// unprivileged thread lower its priority but not raise it again, so the step is taken once.
/// Measured (README, "coverlens embed with decoding"), `coverlens embed` into an empty cache,
/// 1,024 covers of 600×900, AMD EPYC family 25 model 1 (Zen 3), three rounds alternating with the
/// producer niced from the start: EfficientNet-Lite0 64.0 → 76.8 img/s (medians), ResNet18 46.4 →
/// 45.7. With a patience of 3, one round of three lost most of the gain (72.8 against 81.0 and 81.5):
/// the network's first batches are slow and the producer's queue filled three times in a row.
struct ProducerPatience {
    /// Items in a row that must each have waited for the consumer. A producer that is ahead waits
    /// before every item, so a long patience costs it only its first few batches at full priority.
    static let patience = 8

    private var streak = 0
    private var lowered = false

    /// Records whether the producer waited for the consumer before its next item; true exactly once,
    /// when it is time to lower the priority.
    mutating func record(waitedForTheConsumer waited: Bool) -> Bool {
        guard !lowered else { return false }
        streak = waited ? streak + 1 : 0
        lowered = streak >= Self.patience
        return lowered
    }
}

/// The scheduling priority of a `Prefetcher`'s producer thread once it is ahead of its consumer.
enum ProducerPriority {
    /// How much nicer (Linux scheduling priority) a `Prefetcher`'s producer thread runs than its
    /// caller once it is ahead of its consumer (`ProducerPatience`).
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
