import Imaging
import Rendering

/// Fixed data for every figure, shared by the structure tests and the preview.
enum SampleFigures {
    static let trainingCurves = TrainingCurves(epochs: (1...12).map { e in
        let t = Double(e)
        return EpochMetrics(epoch: e, trainLoss: 0.69 * exp(-t / 5) + 0.08,
                            validationLoss: 0.62 * exp(-t / 4) + 0.18 + 0.012 * max(0, t - 7) * max(0, t - 7) / 2,
                            validationAUC: 0.95 - 0.4 * exp(-t / 3), validationAccuracy: 0.88 - 0.35 * exp(-t / 3))
    })

    static var all: [(String, any Figure)] {
        [("training-curves", trainingCurves)]
    }
}

import Foundation
