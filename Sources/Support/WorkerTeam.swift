import CSpinWait
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Threads that stay awake for a moment between parallel loops, so a network run on one image at a
/// time can split each layer over the cores without paying a thread wake-up per split.
///
/// Why: a network at batch 1 runs one parallel loop per layer step (a Winograd layer has three:
/// input transform, products, output transform), well over a hundred per image, many of them a
/// few tens of microseconds long. `DispatchQueue.concurrentPerform` wakes a pool thread for each,
/// too late for a short loop (`coverlens-bench --loops on`, Zen 3: two halves of about 20 µs took
/// 38 µs, as long as on one thread; two of about 100 µs took 122). A team member instead watches
/// for the next loop for `spinLimit` after finishing its part, then sleeps on a condition variable;
/// the caller always works on the loop itself, and any part nobody has started is taken by whoever
/// is free, so a member that is asleep or preempted (by a decoding thread, say) never holds the
/// loop up.
///
/// One loop at a time: `parallelFor` sends a loop started while the team is busy (a nested loop, or
/// another thread's), or while a loop runs on Dispatch's threads (`dispatchedLoops`), to
/// `concurrentPerform`, as all loops went before.
final class WorkerTeam: @unchecked Sendable {
    /// `Parallelism.available − 1` members beside the caller, started at the first loop.
    static let shared = WorkerTeam(members: Parallelism.available - 1)

    /// How long a member watches for the next loop before it sleeps.
    static let spinLimit: Duration = .microseconds(50)

    private let members: Int
    private var started = false
    /// Held by the thread running a loop through the team.
    private let busy = Atomic<Bool>(false)
    /// The loop's generation (high bits) and its next unclaimed part (low `partBits` bits): parts are
    /// claimed with a compare-and-swap that also checks the generation, so a member that read the
    /// previous loop's closure can never run it once that loop is over.
    private let ticket = Atomic<Int>(0)
    private let finished = Atomic<Int>(0)
    private static let partBits = 24
    private static let partMask = (1 << partBits) - 1
    /// The current loop, written under `mutex` before its generation is published. The body is the
    /// caller's closure, pointed to rather than held: a member calls it only after claiming a part,
    /// which proves the caller is still waiting in `run`, and keeps no copy afterwards (one left
    /// over would be a non-escaping closure escaping).
    private var parts = 0
    private var body: UnsafePointer<(Int) -> Void>?
    private var mutex = pthread_mutex_t()
    private var wake = pthread_cond_t()

    init(members: Int) {
        self.members = max(0, members)
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&wake, nil)
    }

    /// Runs `body(part)` for `part` in `0..<parts` on the caller and the team; false (nothing run)
    /// when the team is busy with another loop or has no members.
    func run(_ parts: Int, _ body: (Int) -> Void) -> Bool {
        guard members > 0, parts > 1, parts <= Self.partMask,
              busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return false }
        defer { busy.store(false, ordering: .releasing) }
        return withoutActuallyEscaping(body) { body in
            withUnsafePointer(to: body) { body in
                pthread_mutex_lock(&mutex)
                if !started { startMembers() }
                self.parts = parts
                self.body = body
                finished.store(0, ordering: .relaxed)
                let generation = (ticket.load(ordering: .relaxed) >> Self.partBits) + 1
                ticket.store(generation << Self.partBits, ordering: .releasing)
                pthread_cond_broadcast(&wake)
                pthread_mutex_unlock(&mutex)

                work(generation: generation, parts: parts, body: body)
                var spins = 0
                while finished.load(ordering: .acquiring) < parts {
                    spins += 1
                    if spins > 4096 { sched_yield() } else { cl_spin_pause() }   // yield to a member preempted mid-part
                }
                pthread_mutex_lock(&mutex)
                self.body = nil
                pthread_mutex_unlock(&mutex)
            }
            return true
        }
    }

    /// Claims and runs parts of loop `generation` until none is left.
    private func work(generation: Int, parts: Int, body: UnsafePointer<(Int) -> Void>) {
        while true {
            let current = ticket.load(ordering: .acquiring)
            let part = current & Self.partMask
            guard current >> Self.partBits == generation, part < parts else { return }
            guard ticket.compareExchange(expected: current, desired: current + 1, ordering: .acquiringAndReleasing).exchanged else { continue }
            body.pointee(part)
            finished.add(1, ordering: .releasing)
        }
    }

    /// Called with `mutex` held.
    private func startMembers() {
        started = true
        for index in 0..<members {
            let thread = Thread { self.memberLoop() }   // the members keep their team for the process's life
            thread.name = "coverlens-worker-\(index + 1)"
            thread.start()
        }
    }

    private func memberLoop() {
        var seen = 0
        let clock = ContinuousClock()
        while true {
            // Watch for a new loop for a moment, then sleep until one is published.
            let deadline = clock.now + Self.spinLimit
            var spins = 0
            while ticket.load(ordering: .acquiring) >> Self.partBits == seen {
                cl_spin_pause()
                spins += 1
                if spins % 64 == 0, clock.now > deadline {
                    pthread_mutex_lock(&mutex)
                    while ticket.load(ordering: .acquiring) >> Self.partBits == seen { pthread_cond_wait(&wake, &mutex) }
                    pthread_mutex_unlock(&mutex)
                }
            }
            pthread_mutex_lock(&mutex)
            let generation = ticket.load(ordering: .acquiring) >> Self.partBits
            let (parts, body) = (self.parts, self.body)
            pthread_mutex_unlock(&mutex)
            seen = generation
            if let body { work(generation: generation, parts: parts, body: body) }
        }
    }
}
