import Support

/// A seeded train/validation split that keeps each class's share in both parts.
///
/// With few popular covers a plain random split can leave the validation set with none, which
/// makes AUC undefined and early stopping blind. Here each class is shuffled on its own and
/// `round(fraction × count)` of it held out — at least one example, and at least one left for
/// training, whenever the class has two or more.
public struct StratifiedSplit: Equatable, Sendable {
    /// Indices into the original examples, ascending.
    public var training: [Int]
    public var validation: [Int]

    /// - Parameters:
    ///   - labels: one label per example; values > 0.5 are positive.
    ///   - validationFraction: in [0, 1); 0 puts everything in training.
    public init(labels: [Float], validationFraction: Double, seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        var training: [Int] = [], validation: [Int] = []
        for positive in [false, true] {
            let members = labels.indices.filter { (labels[$0] > 0.5) == positive }
            let shuffled = generator.shuffled(members)
            var held = Int((validationFraction * Double(members.count)).rounded())
            if validationFraction > 0 && members.count >= 2 { held = min(max(held, 1), members.count - 1) }
            held = min(held, members.count)
            validation += shuffled.prefix(held)
            training += shuffled.dropFirst(held)
        }
        self.training = training.sorted()
        self.validation = validation.sorted()
    }
}
