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

    /// The kept epoch as a training log names it (the lowest validation loss here, for the marker test).
    static let trainingCurves = TrainingCurves(epochs: epochs, bestEpoch: 9, labels: .english)

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
                                                values: heatmapValues, labels: .english)

    static let candidate = SampleCovers.cover(width: 200, height: 300, background: (200, 60, 70))

    static let similarityGrid = SimilarityGrid(
        candidate: candidate, candidateName: "봄의 정원 표지 시안 A.png",
        matches: SampleCovers.covers(5).enumerated().map { i, image in
            SimilarityMatch(image: image, name: popularNames[i], cosine: 0.97 - 0.08 * Double(i), nearDuplicate: i == 0)
        }, labels: .english)

    static let imageGrid = ImageGrid(
        items: SampleCovers.covers(7).enumerated().map { i, image in
            CaptionedImage(image: image, caption: i == 0 ? "average popular cover" : "cluster \(i) · \(40 - 3 * i) covers, dark serif titles")
        },
        title: "Style clusters among popular covers", columns: 4, labels: .english)

    static let palettes = PaletteSwatches(rows: [
        PaletteRow(label: "candidate", swatches: [
            Swatch(colour: Colour(hex: 0xC83C46), share: 0.46), Swatch(colour: Colour(hex: 0xFAF0DC), share: 0.31),
            Swatch(colour: Colour(hex: 0x2A1F1D), share: 0.15), Swatch(colour: Colour(hex: 0x8C6E5A), share: 0.05),
            Swatch(colour: Colour(hex: 0xFFFFFF), share: 0.03),
        ]),
        PaletteRow(label: "popular covers", swatches: [
            Swatch(colour: Colour(hex: 0x264653), share: 0.34), Swatch(colour: Colour(hex: 0x2A9D8F), share: 0.22),
            Swatch(colour: Colour(hex: 0xE9C46A), share: 0.18), Swatch(colour: Colour(hex: 0xF4A261), share: 0.12),
            Swatch(colour: Colour(hex: 0xE76F51), share: 0.08), Swatch(colour: Colour(hex: 0xF1FAEE), share: 0.04),
            Swatch(colour: Colour(hex: 0x1D3557), share: 0.02),
        ]),
    ], labels: .english)

    /// Deterministic pseudo-normal samples (sum of uniforms from a fixed LCG).
    static func sample(mean: Double, spread: Double, count: Int, seed: UInt64) -> [Double] {
        var state = seed
        func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        return (0..<count).map { _ in
            let z = (0..<6).reduce(0.0) { acc, _ in acc + uniform() } - 3
            return min(1, max(0, mean + spread * z / 1.4))
        }
    }

    static let distribution = FeatureDistribution(
        feature: "brightness", popular: sample(mean: 0.42, spread: 0.12, count: 240, seed: 1),
        other: sample(mean: 0.58, spread: 0.15, count: 410, seed: 2),
        candidates: [CandidateValue(label: "1", value: 0.71), CandidateValue(label: "2", value: 0.45),
                     CandidateValue(label: "3", value: 0.18), CandidateValue(label: "4", value: 0.49)],
        range: 0...1, labels: .english)

    /// Five candidates crowded together: stacked markers and a count.
    static let crowdedDistribution = FeatureDistribution(
        feature: "colourfulness", popular: sample(mean: 0.35, spread: 0.1, count: 120, seed: 3),
        other: sample(mean: 0.4, spread: 0.2, count: 300, seed: 4),
        candidates: (0..<5).map { CandidateValue(label: "\($0 + 1)", value: 0.3 + 0.02 * Double($0)) },
        range: 0...1, labels: .english)

    /// A 7×7 map peaking at column 1, row 2 (upper left of the cover).
    static let attention: AttentionMap = {
        var values: [Float] = []
        for y in 0..<7 {
            for x in 0..<7 {
                let d2 = Float((x - 1) * (x - 1) + (y - 2) * (y - 2))
                values.append(exp(-d2 / 4))
            }
        }
        return try! AttentionMap(width: 7, height: 7, values: values)
    }()

    static let gradCAM = GradCAMOverlay(image: SampleCovers.cover(width: 224, height: 336, background: (42, 157, 143)),
                                        attention: attention, labels: .english)

    /// The same figures with Korean labels, as a `--lang ko` report draws them.
    static var korean: [(String, any Figure)] {
        let ko = FigureLabels.korean
        return [
            ("ko-training-curves", TrainingCurves(epochs: epochs, labels: ko)),
            ("ko-similarity-heatmap", try! SimilarityHeatmap(rowNames: candidateNames, columnNames: popularNames,
                                                             values: heatmapValues, labels: ko)),
            ("ko-similarity-grid", SimilarityGrid(candidate: candidate, candidateName: "봄의 정원 표지 시안 A.png",
                                                  matches: similarityGrid.matches, labels: ko)),
            ("ko-distribution", FeatureDistribution(feature: "밝기", popular: distribution.popular, other: distribution.other,
                                                    candidates: distribution.candidates, range: 0...1, labels: ko)),
            ("ko-grad-cam", GradCAMOverlay(image: gradCAM.image, attention: attention, labels: ko)),
            ("ko-palettes", PaletteSwatches(rows: palettes.rows, labels: ko)),
        ]
    }

    static var all: [(String, any Figure)] {
        [("training-curves", trainingCurves), ("similarity-heatmap", heatmap), ("similarity-grid", similarityGrid),
         ("image-grid", imageGrid), ("palettes", palettes),
         ("distribution", distribution), ("distribution-crowded", crowdedDistribution),
         ("grad-cam", gradCAM)]
    }
}

import Foundation
