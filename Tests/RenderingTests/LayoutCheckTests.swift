import Foundation
import Imaging
@testable import Rendering
import Testing

/// Every figure kind rendered with stress content and checked by `LayoutCheck` (issue 13).
///
/// To add a figure: add a `FigureKind` to `FigureKinds.all` named after its type, with the cases
/// that stress it. `everyFigureTypeIsChecked` fails until you do.
struct FigureKind: Sendable {
    var type: String
    var cases: @Sendable () -> [(name: String, figure: any Figure)]
}

enum Stress {
    static let counts = [1, 8, 40]
    /// 60 characters, as designers name files.
    static let longName = "spring-catalogue-cover-design-final-version-for-print-v3.jpeg"
    static let koreanName = "봄의 정원 표지 시안 A 최종 수정본 (인쇄용).png"
    static let languages: [(String, FigureLabels)] = [("en", .english), ("ko", .korean)]

    static func names(_ n: Int) -> [String] {
        (0..<n).map { i in i % 3 == 0 ? longName : i % 3 == 1 ? koreanName : "cover-\(i + 1).jpg" }
    }

    /// Deterministic values in 0…1.
    static func values(_ n: Int, seed: UInt64) -> [Double] {
        var state = seed &* 6364136223846793005 &+ 1442695040888963407
        return (0..<n).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
    }
}

enum FigureKinds {
    static let all: [FigureKind] = [distribution, heatmap, similarityGrid, trainingCurves, lineChart, palettes, imageGrid, gradCAM]

    static let distribution = FigureKind(type: "FeatureDistribution") {
        let popular = Stress.values(240, seed: 1).map { 0.2 + 0.5 * $0 }, other = Stress.values(400, seed: 2)
        var cases: [(String, any Figure)] = []
        for (lang, labels) in Stress.languages {
            for n in Stress.counts {
                let candidates = Stress.values(n, seed: 3).enumerated().map { CandidateValue(label: "\($0.offset + 1)", value: $0.element) }
                cases.append(("\(lang)-\(n)", FeatureDistribution(feature: lang == "ko" ? "채도 (HSV 평균)" : "colourfulness",
                                                                  popular: popular, other: other, candidates: candidates, labels: labels)))
            }
            let equal = (1...40).map { CandidateValue(label: "\($0)", value: 0.5) }
            cases.append(("\(lang)-equal", FeatureDistribution(feature: "brightness", popular: popular, other: other,
                                                               candidates: equal, labels: labels)))
        }
        let extreme = [CandidateValue(label: "1", value: -1_000_000), CandidateValue(label: "2", value: 1_000_000)]
            + (3...8).map { CandidateValue(label: "\($0)", value: 0.5) }
        cases.append(("extreme", FeatureDistribution(feature: "edge density", popular: popular, other: other, candidates: extreme,
                                                     labels: .english)))
        cases.append(("one-popular", FeatureDistribution(feature: "contrast", popular: [0.4],
                                                         candidates: [CandidateValue(label: "1", value: 0.4)], labels: .english)))
        return cases
    }

    static let heatmap = FigureKind(type: "SimilarityHeatmap") {
        var cases: [(String, any Figure)] = []
        for (lang, labels) in Stress.languages {
            for n in Stress.counts {
                let rows = Stress.names(n), columns = Stress.names(min(5 * n, 200)).enumerated().map { "\($0.offset)-\($0.element)" }
                let values = (0..<n).map { r in Stress.values(columns.count, seed: UInt64(r + 10)).map { 0.3 + 0.7 * $0 } }
                cases.append(("\(lang)-\(n)", try! SimilarityHeatmap(rowNames: rows, columnNames: columns, values: values,
                                                                     labels: labels)))
            }
        }
        let equal = try! SimilarityHeatmap(rowNames: Stress.names(8), columnNames: Stress.names(8),
                                           values: Array(repeating: Array(repeating: 0.8, count: 8), count: 8), labels: .english)
        let extreme = try! SimilarityHeatmap(rowNames: ["a", "b"], columnNames: ["x", "y"], values: [[-1, 1], [1, -1]], labels: .english)
        return cases + [("equal", equal), ("extreme", extreme)]
    }

    static let similarityGrid = FigureKind(type: "SimilarityGrid") {
        var cases: [(String, any Figure)] = []
        for (lang, labels) in Stress.languages {
            for k in [0, 1, 5] {
                let matches = SampleCovers.covers(k).enumerated().map { i, image in
                    SimilarityMatch(image: image, name: Stress.names(k)[i], cosine: 0.99 - 0.05 * Double(i), nearDuplicate: i == 0)
                }
                cases.append(("\(lang)-\(k)", SimilarityGrid(candidate: SampleCovers.cover(background: (30, 30, 40)),
                                                             candidateName: Stress.longName, matches: matches, labels: labels)))
            }
        }
        return cases
    }

    static let trainingCurves = FigureKind(type: "TrainingCurves") {
        func epochs(_ n: Int, equal: Bool = false, spike: Bool = false) -> [EpochMetrics] {
            (1...n).map { e in
                let t = Double(e), auc = 0.95 - 0.4 * exp(-t / 3)
                return EpochMetrics(epoch: e, trainLoss: spike && e == 2 ? 1000 : 0.69 * exp(-t / 5) + 0.08,
                                    validationLoss: 0.6 * exp(-t / 4) + 0.2, validationAUC: auc,
                                    validationAccuracy: equal ? auc : 0.88 - 0.35 * exp(-t / 3))
            }
        }
        var cases: [(String, any Figure)] = []
        for (lang, labels) in Stress.languages {
            for n in Stress.counts { cases.append(("\(lang)-\(n)", TrainingCurves(epochs: epochs(n), labels: labels))) }
        }
        cases.append(("equal", TrainingCurves(epochs: epochs(8, equal: true), labels: .english)))
        cases.append(("extreme", TrainingCurves(epochs: epochs(8, spike: true), labels: .english)))
        return cases
    }

    static let lineChart = FigureKind(type: "LineChart") {
        let series = (0..<3).map { s in
            LineSeries(name: Stress.names(3)[s], x: (0..<40).map(Double.init), y: Stress.values(40, seed: UInt64(s)),
                       colour: Theme.series[s])
        }
        return [("three-long-names", LineChart(title: "Scores", xTitle: "x", yTitle: "y", series: series)),
                ("flat", LineChart(title: "Flat", series: [LineSeries(name: "a", x: [1, 2], y: [5, 5], colour: Theme.ink)]))]
    }

    static let palettes = FigureKind(type: "PaletteSwatches") {
        let many = (0..<12).map { i in Swatch(colour: Colour(hex: UInt32(0x101010 * (i + 1))), share: i == 0 ? 0.7 : 0.3 / 11) }
        var cases: [(String, any Figure)] = []
        for (lang, labels) in Stress.languages {
            cases.append(("\(lang)-long", PaletteSwatches(rows: [PaletteRow(label: Stress.longName, swatches: many),
                                                                 PaletteRow(label: Stress.koreanName, swatches: Array(many.prefix(3)))],
                                                          labels: labels)))
        }
        cases.append(("empty", PaletteSwatches(rows: [PaletteRow(label: "grey", swatches: [])], labels: .english)))
        return cases
    }

    static let imageGrid = FigureKind(type: "ImageGrid") {
        var cases: [(String, any Figure)] = []
        for (lang, labels) in Stress.languages {
            for n in Stress.counts {
                let items = SampleCovers.covers(n).enumerated().map { CaptionedImage(image: $0.element, caption: Stress.names(n)[$0.offset]) }
                cases.append(("\(lang)-\(n)", ImageGrid(items: items, columns: 4, labels: labels)))
            }
        }
        return cases
    }

    static let gradCAM = FigureKind(type: "GradCAMOverlay") {
        var cases: [(String, any Figure)] = []
        for (lang, labels) in Stress.languages {
            for (shape, w, h) in [("portrait", 200, 300), ("landscape", 600, 200), ("tiny", 3, 2)] {
                cases.append(("\(lang)-\(shape)", GradCAMOverlay(image: SampleCovers.cover(width: w, height: h, background: (40, 90, 140)),
                                                                 attention: SampleFigures.attention, labels: labels)))
            }
        }
        return cases
    }
}

@Suite("Layout check: every figure kind under stress content")
struct LayoutCheckTests {
    @Test(arguments: FigureKinds.all.map(\.type))
    func layoutHolds(_ type: String) throws {
        let kind = try #require(FigureKinds.all.first { $0.type == type })
        let folder = ProcessInfo.processInfo.environment["COVERLENS_PREVIEW_DIR"].map { URL(fileURLWithPath: $0) }
        for (name, figure) in kind.cases() {
            let problems = try LayoutCheck.problems(figure)
            #expect(problems.isEmpty, "\(type) \(name): \(problems.prefix(8).joined(separator: "; "))")
            if let folder { try figure.writePNG(to: folder.appendingPathComponent("layout-\(type)-\(name).png")) }
        }
    }

    /// Reads the figure types declared in Sources/Rendering, so a new figure cannot go unchecked.
    @Test func everyFigureTypeIsChecked() throws {
        let sources = RenderingTestPaths.templates.deletingLastPathComponent().appendingPathComponent("Sources/Rendering")
        let files = try #require(FileManager.default.enumerator(atPath: sources.path)).compactMap { $0 as? String }
            .filter { $0.hasSuffix(".swift") }
        var declared: Set<String> = []
        let pattern = #/public struct (\w+): Figure\b/#
        for file in files {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            for match in text.matches(of: pattern) { declared.insert(String(match.1)) }
        }
        #expect(declared.count >= 8, "found only \(declared.sorted()) in \(sources.path)")
        let checked = Set(FigureKinds.all.map(\.type))
        #expect(declared.subtracting(checked).isEmpty, "figure types without a layout check: \(declared.subtracting(checked).sorted())")
    }

    /// The checker itself must see a broken layout: two labels drawn on top of each other, a plot
    /// squeezed to a sliver, text leaving the canvas.
    @Test func checkerCatchesBrokenLayouts() throws {
        struct Broken: Figure {
            var size: Size { Size(width: 300, height: 200) }
            func render(in canvas: Canvas) {
                canvas.drawText("overlapping label", style: Theme.tickLabel, at: Point(x: 30, y: 30))
                canvas.drawText("another label", style: Theme.tickLabel, at: Point(x: 40, y: 34))
                canvas.drawText("leaves the canvas", style: Theme.tickLabel, at: Point(x: 270, y: 100))
                canvas.drawText("주목도", style: Theme.axisLabel, at: Point(x: 150, y: 100), rotation: -Double.pi / 2)
                let axes = Axes.fitting(frame: Rect(x: 20, y: 140, width: 260, height: 40), xTicks: NiceTicks(lower: 0, upper: 1),
                                        yTicks: NiceTicks(lower: 0, upper: 1), xTitle: nil, yTitle: nil)
                axes.drawAxes(on: canvas)
            }
        }
        let problems = try LayoutCheck.problems(Broken())
        #expect(problems.contains { $0.contains("overlaps") }, "\(problems)")
        #expect(problems.contains { $0.contains("outside the canvas") }, "\(problems)")
        #expect(problems.contains { $0.contains("under half") }, "\(problems)")
        #expect(problems.contains { $0.contains("sideways") }, "\(problems)")
    }
}
