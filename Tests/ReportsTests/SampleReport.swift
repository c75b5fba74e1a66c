import CoverAnalysis
import Foundation
import Imaging
import Rendering
import Reports

/// A small, fixed analysis with generated cover images (flat colour blocks, never real covers),
/// written to a fresh temporary folder per test.
struct SampleReport {
    static let hostileName = "<img src=x onerror=alert(1)>.png"
    static let candidateNames = ["spring-fair.png", "가을의 시.png", hostileName]
    static let popularNames = (1...6).map { String(format: "popular-%02d.png", $0) } + ["인기 표지.png"]
    static let otherNames = ["other-01.png", "other-02.png", "other-03.png"]

    let root: URL
    var popular: URL { root.appendingPathComponent("covers/popular") }
    var candidates: URL { root.appendingPathComponent("covers/candidates") }
    var other: URL { root.appendingPathComponent("covers/other") }
    var output: URL { root.appendingPathComponent("Output") }
    var covers: CoverSource { .folders(popular: popular, candidates: candidates, other: other) }

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("coverlens-reports-\(UUID().uuidString)")
        for (folder, names) in [(popular, Self.popularNames), (candidates, Self.candidateNames), (other, Self.otherNames)] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for (i, name) in names.enumerated() {
                try Self.cover(seed: i + name.count).writePNG(to: folder.appendingPathComponent(name))
            }
        }
    }

    /// Deletes the sample unless COVERLENS_KEEP_TEST_OUTPUT is set (to look at the pages by hand).
    func remove() {
        if ProcessInfo.processInfo.environment["COVERLENS_KEEP_TEST_OUTPUT"] != nil {
            print("kept \(root.path)")
            return
        }
        try? FileManager.default.removeItem(at: root)
    }

    /// A 200×300 "cover": background, a title band and a disc, colours from `seed`.
    static func cover(seed: Int) -> some Figure {
        struct Cover: Figure {
            var seed: Int
            var size: Size { Size(width: 200, height: 300) }
            func render(in canvas: Canvas) {
                let hue = Double((seed * 47) % 360) / 360
                canvas.fill(Rect(x: 0, y: 0, width: 200, height: 300), Colour(red: hue, green: 0.4, blue: 1 - hue))
                canvas.fill(Rect(x: 20, y: 30, width: 160, height: 40), Colour(hex: 0xF5F0E6))
                canvas.fillCircle(center: Point(x: 100, y: 190), radius: 50, Colour(red: 1 - hue, green: 0.7, blue: 0.2))
            }
        }
        return Cover(seed: seed)
    }

    static func result() -> AnalysisResult {
        let features = ["brightness", "contrast", "saturation", "colourfulness"]
        func summary(_ offset: Double) -> [String: FeatureSummary] {
            Dictionary(uniqueKeysWithValues: features.enumerated().map { i, name in
                (name, FeatureSummary(values: (0..<12).map { Double(($0 * 7 + i * 3) % 12) / 12 * 0.6 + offset }))
            })
        }
        let palette = [Swatch(hex: "#1F3A5F", lab: [24, 2, -25], share: 0.42), Swatch(hex: "#F2E8D5", lab: [92, 1, 10], share: 0.33),
                       Swatch(hex: "#C8553D", lab: [50, 45, 35], share: 0.25)]
        let candidates = candidateNames.enumerated().map { i, name in
            CandidateResult(
                file: name, popularity: [0.91, 0.55, 0.12][i], percentileAmongPopular: [88, 50, 8][i],
                percentileAmongOther: [95, 70, 20][i],
                matches: (0..<3).map { k in
                    MatchResult(file: popularNames[(i + k * 2) % popularNames.count], cosine: [0.985, 0.9, 0.8][k] - Double(i) * 0.05,
                                nearDuplicate: i == 0 && k == 0)
                },
                nearDuplicate: i == 0,
                features: Dictionary(uniqueKeysWithValues: features.enumerated().map { ($1, 0.2 + Double(i + $0) * 0.12) }),
                featurePercentiles: Dictionary(uniqueKeysWithValues: features.enumerated().map { ($1, Double((i * 30 + $0 * 11) % 100)) }),
                palette: palette, styleCluster: 1 + i % 2,
                attention: Heatmap(width: 7, height: 7, values: (0..<49).map { Float(($0 * (i + 3)) % 49) / 48 }),
                copyCheck: CopyCheck(file: popularNames[i % popularNames.count], similarity: [0.991, 0.93, 0.85][i],
                                     secondSimilarity: [0.87, 0.91, 0.84][i], isCopy: i == 0))
        }
        let common = CommonFeatures(
            popularPalette: palette, otherPalette: Array(palette.reversed()), popular: summary(0.3), other: summary(0.1),
            ranking: [FeatureEffect(feature: "brightness", effectSize: 0.91), FeatureEffect(feature: "contrast", effectSize: -0.55),
                      FeatureEffect(feature: "saturation", effectSize: 0.3), FeatureEffect(feature: "colourfulness", effectSize: 0.05)],
            styleClusters: [
                StyleCluster(index: 1, size: 6, popularShare: 0.67,
                             exemplars: ["popular/popular-01.png", "popular/인기 표지.png", "other/other-01.png"]),
                StyleCluster(index: 2, size: 4, popularShare: 0.5, exemplars: ["popular/popular-02.png", "other/other-02.png"]),
            ],
            averageCover: EncodedImage(RGBImage(width: 4, height: 6, pixels: (0..<72).map { UInt8(($0 * 37) % 256) })))
        return AnalysisResult(
            generator: "coverlens 0.1.0",
            model: ModelSummary(architecture: "efficientnet-lite0", file: "cover-head.safetensors", fingerprint: "3f9a0c1d2e4b",
                                preprocessing: #"{"geometry":"stretch","size":224}"#, hasTrainedHead: true,
                                validation: ["accuracy": 0.81, "auc": 0.87, "count": 24, "falseNegatives": 3, "threshold": 0.5]),
            dataset: DatasetSummary(popularFolder: "popular", otherFolder: "other", candidatesFolder: "candidates",
                                    popularCount: popularNames.count, otherCount: otherNames.count, candidateCount: candidateNames.count),
            settings: ScoreSettings(topK: 3, copyDetection: CopyCalibration(source: .fixed, popularCount: popularNames.count, medianNearest: nil,
                                                                            threshold: 0.92, marginThreshold: 1.8, tailShare: 0.002),
                                    seed: 7),
            popularity: .trainedHead, candidates: candidates, common: common,
            skipped: [SkippedFile(folder: "popular", file: "broken <b>.jpg", reason: "the file ends early (truncated download?)")],
            matchSimilarities: similarities(candidates))
    }

    /// The heatmap's full grid: each candidate's own matches at their cosines, every other cell a
    /// made-up cosine below them (as a real search would give).
    static func similarities(_ candidates: [CandidateResult]) -> MatchSimilarities {
        var columns: [String] = []
        for c in candidates { for m in c.matches where !columns.contains(m.file) { columns.append(m.file) } }
        return MatchSimilarities(columns: columns, values: candidates.enumerated().map { i, c in
            columns.enumerated().map { j, file in c.matches.first { $0.file == file }?.cosine ?? 0.3 + 0.04 * Double((i + j) % 5) }
        })
    }

    /// Eight epochs: validation loss bottoms out around epoch 5 and then creeps up (mild over-fitting).
    static let trainingLog = TrainingLog(epochs: (1...8).map { e in
        let x = Double(e)
        return .init(epoch: e, trainLoss: 0.7 / x + 0.1, validationLoss: 0.6 / x + 0.15 + (x > 5 ? 0.02 * (x - 5) : 0),
                     validationAccuracy: 0.6 + 0.03 * x, validationAUC: 0.65 + 0.03 * x)
    })
}
