import Dispatch

/// `--budget MINUTES`: a cap on a run's wall time, applied only at epoch boundaries, so what is
/// trained stays a whole number of the epochs the data chose (the model is the best epoch run, as
/// always). No epoch starts that would, taking as long as the one before it, end past the budget;
/// the run's first epoch always runs. The time counted starts when the trainer starts (reading and
/// embedding the covers count too).
///
/// A run that stops for its budget writes its model and keeps its checkpoint. The checkpoint records
/// the budget and the time spent against it, and `--resume` honours them: a resumed run gets only
/// what is left, so a killed run does not gain time by being resumed. Giving `--budget` again on
/// `--resume` replaces the recorded budget with a fresh one counted from the resume.
///
/// The budget is the one setting that makes a run depend on the machine: a run it cut short is
/// repeated exactly by giving `--epochs` the number of epochs the log shows.
public struct TrainingBudget: Sendable, Equatable {
    public var seconds: Double
    /// Time spent against this budget before the current process started (by the run a resume continues).
    public var spentBefore: Double

    public init(seconds: Double, spentBefore: Double = 0) {
        self.seconds = seconds
        self.spentBefore = spentBefore
    }

    /// The budget a run uses: a fresh one when asked for (`minutes`), else the one a checkpoint recorded
    /// with what it had spent, else none.
    public static func resolve(askedMinutes minutes: Double?, saved: TrainingBudget?) -> TrainingBudget? {
        if let minutes { return TrainingBudget(seconds: minutes * 60) }
        return saved
    }

    /// Whether another epoch may start, `spent` seconds into the budget, after `epochsDone` epochs,
    /// the last of which took `lastEpochSeconds` (nil: not known).
    public func allowsEpoch(spent: Double, epochsDone: Int, lastEpochSeconds: Double?) -> Bool {
        guard epochsDone > 0 else { return true }
        return spent + (lastEpochSeconds ?? 0) <= seconds
    }

    /// Checkpoint metadata: the budget and the seconds spent against it.
    var metadata: [String: String] {
        ["budgetSeconds": String(seconds), "budgetSpentSeconds": String(spentBefore)]
    }

    /// The budget recorded in checkpoint metadata, nil if none was.
    static func recorded(in metadata: [String: String]) -> TrainingBudget? {
        guard let seconds = metadata["budgetSeconds"].flatMap(Double.init) else { return nil }
        return TrainingBudget(seconds: seconds, spentBefore: metadata["budgetSpentSeconds"].flatMap(Double.init) ?? 0)
    }
}

/// The clock of one training process: when it started, and the budget it runs under.
struct TrainingClock {
    let start = DispatchTime.now().uptimeNanoseconds
    var budget: TrainingBudget?

    /// Seconds spent against the budget (or since the start, without one).
    var spent: Double {
        (budget?.spentBefore ?? 0) + Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// The budget as a checkpoint records it now: `spentBefore` is everything spent so far.
    var snapshot: TrainingBudget? {
        budget.map { TrainingBudget(seconds: $0.seconds, spentBefore: spent) }
    }
}
