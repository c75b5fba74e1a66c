/// What one epoch of training did, for the log, the loss curves and the model's metadata.
public struct EpochMetrics: Codable, Equatable, Sendable {
    /// 1-based.
    public var epoch: Int
    /// The learning rate used throughout this epoch.
    public var learningRate: Double
    /// Metrics over the logits the minibatches produced during the epoch (PyTorch's running
    /// training loss and accuracy), so they cost no extra forward pass.
    public var training: BinaryClassificationMetrics
    /// Metrics on the held-out set after the epoch; nil without validation data.
    public var validation: BinaryClassificationMetrics?

    public init(epoch: Int, learningRate: Double, training: BinaryClassificationMetrics,
                validation: BinaryClassificationMetrics?) {
        self.epoch = epoch
        self.learningRate = learningRate
        self.training = training
        self.validation = validation
    }
}
