import Foundation

/// How the learning rate moves over training: an optional linear warm-up, then constant or cosine.
///
/// Steps are whatever the caller counts (CoverLens's trainer counts epochs, like the usual PyTorch
/// recipe that calls `scheduler.step()` once per epoch). Values are PyTorch's closed forms:
///
/// - warm-up (`LinearLR(start_factor, end_factor=1, total_iters=warmupSteps)`):
///   lr·(f + (1 − f)·t/warmupSteps) for t < warmupSteps;
/// - cosine (`CosineAnnealingLR(T_max, eta_min)`), counted from the end of warm-up with
///   T = totalSteps − warmupSteps: η_min + (lr − η_min)·(1 + cos(π·t/T))/2, held at η_min after T.
///
/// PyTorch's `CosineAnnealingLR.step()` uses a recursive form that equals the closed form up to
/// rounding (it drifts by ~1e-16 per step); the closed form is exact and resumable from any step.
public struct LearningRateSchedule: Codable, Equatable, Sendable {
    public enum Shape: String, Codable, Sendable { case constant, cosine }

    public var shape: Shape
    /// Steps of linear warm-up (0 = none).
    public var warmupSteps: Int
    /// Warm-up starts at `base × warmupStartFactor` (PyTorch's LinearLR default is 1/3).
    public var warmupStartFactor: Double
    /// Total steps including warm-up; the cosine reaches `minimumLearningRate` there (T_max + warm-up).
    public var totalSteps: Int
    /// η_min of the cosine.
    public var minimumLearningRate: Double

    public init(shape: Shape = .constant, warmupSteps: Int = 0, warmupStartFactor: Double = 1.0 / 3.0,
                totalSteps: Int = 0, minimumLearningRate: Double = 0) {
        self.shape = shape
        self.warmupSteps = max(0, warmupSteps)
        self.warmupStartFactor = warmupStartFactor
        self.totalSteps = totalSteps
        self.minimumLearningRate = minimumLearningRate
    }

    public static let constant = LearningRateSchedule()

    /// `CosineAnnealingLR(T_max: steps, eta_min: minimum)`.
    public static func cosine(steps: Int, minimum: Double = 0) -> LearningRateSchedule {
        LearningRateSchedule(shape: .cosine, totalSteps: steps, minimumLearningRate: minimum)
    }

    /// The learning rate for step `step` (0-based) from the optimiser's base rate.
    public func learningRate(at step: Int, base: Double) -> Double {
        let t = max(0, step)
        if t < warmupSteps {
            return base * (warmupStartFactor + (1 - warmupStartFactor) * Double(t) / Double(warmupSteps))
        }
        switch shape {
        case .constant:
            return base
        case .cosine:
            let period = totalSteps - warmupSteps
            guard period > 0 else { return base }
            let s = min(t - warmupSteps, period)
            return minimumLearningRate + (base - minimumLearningRate) * (1 + cos(Double.pi * Double(s) / Double(period))) / 2
        }
    }
}
