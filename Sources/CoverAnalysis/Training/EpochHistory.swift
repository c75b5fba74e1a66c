/// What head training and fine-tuning sessions share about their progress: the epochs run, the
/// best one so far, and whether early stopping ended the run. The derived answers (how many
/// epochs are done, whether the run is finished, which epoch is kept) live here once.
public protocol EpochHistory {
    var config: TrainingConfig { get }
    var history: [EpochMetrics] { get }
    var best: HeadTrainingSession.Best? { get }
    var stoppedEarly: Bool { get }
}

extension EpochHistory {
    public var epochsDone: Int { history.count }
    public var isFinished: Bool { stoppedEarly || history.count >= config.epochs }
    /// 1-based: the best validation epoch, or the last epoch without validation data.
    public var keptEpoch: Int { best?.epoch ?? history.count }
    /// The kept epoch's validation metrics, if it had validation data.
    public var keptValidation: BinaryClassificationMetrics? {
        history.indices.contains(keptEpoch - 1) ? history[keptEpoch - 1].validation : nil
    }
}
