import Imaging
import Rendering

/// Fixed data for every figure, shared by the structure tests and the preview.
enum SampleFigures {
    /// Validation loss falls until epoch 9, then rises (over-fitting).
    static let epochs: [EpochMetrics] = (1...12).map { e in
        let t = Double(e)
        let overfit: Double = 0.006 * max(0, t - 7) * max(0, t - 7)
        let validation: Double = 0.62 * exp(-t / 4) + 0.18 + overfit
        let auc: Double = 0.95 - 0.4 * exp(-t / 3)
        let accuracy: Double = 0.88 - 0.35 * exp(-t / 3)
        return EpochMetrics(epoch: e, trainLoss: 0.69 * exp(-t / 5) + 0.08, validationLoss: validation,
                            validationAUC: auc, validationAccuracy: accuracy)
    }

    static let trainingCurves = TrainingCurves(epochs: epochs)

    static let candidateNames = ["spring-catalogue_v3.jpg", "봄의 정원 표지 시안 A.png", "thriller-dark.webp",
                                 "children-picture-book-final-final.jpg"]
    static let popularNames = ["bestseller_001.jpg", "bestseller_002.jpg", "소년이 온다.jpg", "award-winner-2024.png",
                               "classic_reprint.jpg", "the-very-long-title-of-a-popular-cover.jpg"]

    /// Scores with a single clear maximum at row 2, column 3.
    static let heatmapValues: [[Double]] = {
        var rows: [[Double]] = []
        for r in 0..<4 {
            var row: [Double] = []
            for c in 0..<6 {
                let background: Double = 0.25 + 0.1 * Double((r * 7 + c * 3) % 6)
                row.append(r == 2 && c == 3 ? 0.962 : background)
            }
            rows.append(row)
        }
        return rows
    }()

    static let heatmap = try! SimilarityHeatmap(rowNames: candidateNames, columnNames: popularNames,
                                                values: heatmapValues)

    static let candidate = SampleCovers.cover(width: 200, height: 300, background: (200, 60, 70))

    static let similarityGrid = SimilarityGrid(
        candidate: candidate, candidateName: "봄의 정원 표지 시안 A.png",
        matches: SampleCovers.covers(5).enumerated().map { i, image in
            SimilarityMatch(image: image, name: popularNames[i], cosine: 0.97 - 0.08 * Double(i), nearDuplicate: i == 0)
        })

    static let imageGrid = ImageGrid(
        items: SampleCovers.covers(7).enumerated().map { i, image in
            CaptionedImage(image: image, caption: i == 0 ? "average popular cover" : "cluster \(i) · \(40 - 3 * i) covers, dark serif titles")
        },
        title: "Style clusters among popular covers", columns: 4)

    static var all: [(String, any Figure)] {
        [("training-curves", trainingCurves), ("similarity-heatmap", heatmap), ("similarity-grid", similarityGrid),
         ("image-grid", imageGrid)]
    }
}

import Foundation
