import CoverAnalysis
import Foundation
import Imaging
import Rendering

/// Turns an `AnalysisResult` into the report's figures, with every word in the report's language.
///
/// Figures that sit under a page heading saying the same thing carry no title of their own.
struct FigureBuilder {
    let result: AnalysisResult
    let trainingLog: TrainingLog?
    let covers: CoverThumbnails
    let strings: ReportStrings

    /// A neutral 2:3 panel standing in for a cover whose image is not available.
    static let placeholder = RGBImage(width: 2, height: 3, pixels: [UInt8](repeating: 0xE4, count: 18))

    /// At most this many feature distributions: the features that separate the groups best come first.
    static let maxDistributions = 6
    /// Two distributions side by side fill the page's column (see `.figure-grid` in report.css).
    static let distributionWidth = 480.0

    func build() -> ReportFigures {
        ReportFigures(
            candidates: result.candidates.enumerated().map { candidateFigures($0.offset, $0.element) },
            heatmap: heatmap(), palettes: palettes(), distributions: distributions(), clusters: clusters(),
            average: average(), training: training())
    }

    /// Rendering's fixed figure words, taken from the report's locale (`figure.*`): the locale files
    /// are the only place figure words are written, so every language the report has, its figures have too.
    var figureLabels: FigureLabels { FigureLabels(text: { strings.text($0) }) }

    func image(_ role: CoverRole, _ file: String) -> RGBImage {
        covers[CoverKey(role: role, file: file)] ?? Self.placeholder
    }

    private func candidateFigures(_ index: Int, _ c: CandidateResult) -> ReportFigures.Candidate {
        let n = index + 1
        let grid = SimilarityGrid(
            candidate: image(.candidates, c.file), candidateName: c.file,
            matches: c.matches.map {
                SimilarityMatch(image: image(.popular, $0.file), name: $0.file, cosine: $0.cosine, nearDuplicate: $0.nearDuplicate)
            },
            title: "", labels: figureLabels)
        let similar = ReportFigure(name: "candidate-\(n)-similar", figure: grid,
                                   alt: strings.text("candidate.matches") + ": " + c.file,
                                   caption: strings.text("candidate.similar_caption"), photographic: true)

        var attention: ReportFigure?
        if let heat = c.attention, let map = try? AttentionMap(width: heat.width, height: heat.height, values: heat.values) {
            let overlay = GradCAMOverlay(image: image(.candidates, c.file), attention: map, title: "", panelHeight: 260,
                                         labels: figureLabels)
            attention = ReportFigure(name: "candidate-\(n)-attention", figure: overlay,
                                     alt: strings.text("candidate.attention") + ": " + c.file,
                                     caption: strings.text("candidate.attention_caption"), photographic: true)
        }

        var palette: ReportFigure?
        if !c.palette.isEmpty {
            var rows = [PaletteRow(label: c.file, swatches: Self.swatches(c.palette))]
            if !result.common.popularPalette.isEmpty {
                rows.append(PaletteRow(label: strings.text("common.palette_popular"), swatches: Self.swatches(result.common.popularPalette)))
            }
            let figure = PaletteSwatches(rows: rows, title: "", barWidth: 560, labels: figureLabels)
            palette = ReportFigure(name: "candidate-\(n)-palette", figure: figure,
                                   alt: strings.text("candidate.palette") + ": " + c.file, caption: nil)
        }
        return ReportFigures.Candidate(similar: similar, attention: attention, palette: palette)
    }

    /// Candidates against every popular cover any of them matched, every cell a computed cosine
    /// (`AnalysisResult.matchSimilarities`). Results written before that field existed have only
    /// each candidate's own top k, which cannot fill the grid honestly, so they get no heatmap.
    private func heatmap() -> ReportFigure? {
        guard let grid = result.matchSimilarities, !grid.columns.isEmpty, grid.values.count == result.candidates.count,
              !result.candidates.isEmpty else { return nil }
        let rows = result.candidates.enumerated().map { "\($0.offset + 1). \($0.element.file)" }
        guard let figure = try? SimilarityHeatmap(title: "", rowNames: rows, columnNames: grid.columns, values: grid.values,
                                                  labels: figureLabels) else { return nil }
        return ReportFigure(name: "similarity-heatmap", figure: figure, alt: strings.text("common.heatmap"),
                            caption: strings.text("common.heatmap_caption"))
    }

    private func palettes() -> ReportFigure? {
        var rows: [PaletteRow] = []
        if !result.common.popularPalette.isEmpty {
            rows.append(PaletteRow(label: strings.text("common.palette_popular"), swatches: Self.swatches(result.common.popularPalette)))
        }
        if let other = result.common.otherPalette, !other.isEmpty {
            rows.append(PaletteRow(label: strings.text("common.palette_other"), swatches: Self.swatches(other)))
        }
        guard !rows.isEmpty else { return nil }
        let figure = PaletteSwatches(rows: rows, title: "", labels: figureLabels)
        return ReportFigure(name: "palettes", figure: figure, alt: strings.text("common.palettes"), caption: nil)
    }

    /// Feature names in report order: ranked features first (strongest effect first), then the rest by name.
    var featureOrder: [String] {
        let ranked = result.common.ranking.map(\.feature)
        let rest = Set(result.common.popular.keys).subtracting(ranked).sorted()
        return ranked.filter { result.common.popular[$0] != nil } + rest
    }

    private func distributions() -> [ReportFigure] {
        featureOrder.prefix(Self.maxDistributions).enumerated().compactMap { i, feature in
            guard let popular = result.common.popular[feature] else { return nil }
            let label = strings.name("feature", feature)
            let figure = FeatureDistribution(
                feature: label, popular: popular.values, other: result.common.other?[feature]?.values ?? [],
                candidates: result.candidates.enumerated().compactMap { n, c in
                    c.features[feature].map { CandidateValue(label: "\(n + 1)", value: $0) }
                },
                width: Self.distributionWidth, labels: figureLabels)
            return ReportFigure(name: "feature-\(i + 1)", figure: figure, alt: "\(figureLabels.distributionOf) \(label)", caption: nil)
        }
    }

    private func clusters() -> [ReportFigure] {
        result.common.styleClusters.enumerated().map { i, cluster in
            let items = cluster.exemplars.map { path -> CaptionedImage in
                let split = CoverRole.split(prefixed: path)
                let picture = split.map { image($0.role, $0.file) } ?? Self.placeholder
                // Popular and other folders may hold the same file name, so the caption names the folder.
                let caption = split.map { strings.name("folder", $0.role.rawValue) + " · " + $0.file } ?? path
                return CaptionedImage(image: picture, caption: caption)
            }
            let title = strings.text("common.cluster_title", ["index": "\(cluster.index)"]) + " · "
                + strings.text("common.cluster_caption", ["size": "\(cluster.size)", "share": NumberText.percent(cluster.popularShare)])
            // The title goes in the caption: a grid of one or two covers is too narrow for it.
            let grid = ImageGrid(items: items, title: nil, columns: 4, tileSize: Size(width: 120, height: 180), labels: figureLabels)
            return ReportFigure(name: "style-cluster-\(i + 1)", figure: grid, alt: title, caption: title, photographic: true)
        }
    }

    /// The pixel mean of the popular covers, shown as one tile (no file name: it is no one cover).
    private func average() -> ReportFigure? {
        guard let image = result.common.averageCover?.image, image.width > 0, image.height > 0 else { return nil }
        let grid = ImageGrid(items: [CaptionedImage(image: image, caption: strings.text("common.palette_popular"))],
                             title: nil, columns: 1, tileSize: Size(width: 160, height: 240), labels: figureLabels)
        return ReportFigure(name: "average-cover", figure: grid, alt: strings.text("common.average"),
                            caption: strings.text("common.average_caption"), photographic: true)
    }

    private func training() -> ReportFigure? {
        guard let log = trainingLog, !log.epochs.isEmpty else { return nil }
        let epochs = log.epochs.map {
            Rendering.EpochMetrics(epoch: $0.epoch, trainLoss: $0.trainLoss, validationLoss: $0.validationLoss,
                                   validationAUC: $0.validationAUC, validationAccuracy: $0.validationAccuracy)
        }
        let figure = TrainingCurves(epochs: epochs, bestEpoch: log.bestEpoch, size: Size(width: 800, height: 340),
                                    labels: figureLabels)
        return ReportFigure(name: "training-curves", figure: figure, alt: strings.text("diagnostics.training"), caption: nil)
    }

    /// Results palettes (hex codes) as drawable swatches; an unreadable code is dropped.
    static func swatches(_ palette: [CoverAnalysis.Swatch]) -> [Rendering.Swatch] {
        palette.compactMap { s in
            let hex = s.hex.hasPrefix("#") ? String(s.hex.dropFirst()) : s.hex
            guard hex.count == 6, let value = UInt32(hex, radix: 16) else { return nil }
            return Rendering.Swatch(colour: Colour(hex: value), share: s.share)
        }
    }
}
