import Foundation
import Imaging
import Rendering
import Testing

/// Awkward but legal inputs: figures must still render (no crash, no NaN geometry) and stay readable.
enum EdgeCaseFigures {
    static var all: [(String, any Figure)] {
        let manyPopular = (0..<40).map { "popular-\($0).jpg" }
        let wide = try! SimilarityHeatmap(rowNames: ["only-candidate.png"], columnNames: manyPopular,
                                          values: [(0..<40).map { 0.2 + 0.015 * Double($0) }], labels: .english)
        let flat = try! SimilarityHeatmap(rowNames: ["a", "b"], columnNames: ["x", "y"], values: [[0.5, 0.5], [0.5, 0.5]], labels: .english)
        let lonely = SimilarityGrid(candidate: SampleCovers.cover(width: 300, height: 200, background: (30, 30, 40)),
                                    candidateName: String(repeating: "very-long-file-name-", count: 6) + ".jpg", matches: [], labels: .english)
        let noValidation = TrainingCurves(epochs: (1...3).map { EpochMetrics(epoch: $0, trainLoss: 0.7 / Double($0)) }, labels: .english)
        let oneEpoch = TrainingCurves(epochs: [EpochMetrics(epoch: 1, trainLoss: 0.5, validationLoss: 0.6,
                                                            validationAUC: 0.7, validationAccuracy: 0.65)], labels: .english)
        let emptyPalette = PaletteSwatches(rows: [PaletteRow(label: "grey cover", swatches: [])], labels: .english)
        let onlyPopular = FeatureDistribution(feature: "contrast", popular: [0.3, 0.31, 0.5, .nan, 0.52], labels: .english)
        return [("edge-wide-heatmap", wide), ("edge-flat-heatmap", flat), ("edge-no-matches", lonely),
                ("edge-no-validation", noValidation), ("edge-one-epoch", oneEpoch), ("edge-empty-palette", emptyPalette),
                ("edge-only-popular", onlyPopular)]
    }
}

@Suite struct EdgeCaseTests {
    @Test func awkwardInputsStillRender() throws {
        let folder = ProcessInfo.processInfo.environment["COVERLENS_PREVIEW_DIR"].map { URL(fileURLWithPath: $0) }
        for (name, figure) in EdgeCaseFigures.all {
            #expect(figure.size.width.isFinite && figure.size.height.isFinite && figure.size.width >= 60,
                    "\(name) has size \(figure.size)")
            let image = try figure.renderImage()
            #expect(SampleCovers.inkCount(image, x: 0..<image.width, y: 0..<image.height) > 100, "\(name) is blank")
            if let folder { try figure.writePNG(to: folder.appendingPathComponent("\(name).png")) }
        }
    }
}
