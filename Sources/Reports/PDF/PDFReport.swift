import Foundation
import Rendering

/// `report.pdf`: the same content as the HTML page, paginated, figures drawn as vectors on the page
/// (cover thumbnails inside them stay bitmaps), a footer with the page number on every page.
struct PDFReport {
    let content: ReportContent
    let figures: ReportFigures
    let covers: CoverThumbnails
    let strings: ReportStrings
    let paper: PaperSize

    func write(to url: URL) throws {
        let pageSize = Size(width: paper.width, height: paper.height)
        let canvas = try Canvas(pdfSize: pageSize)
        let layout = PDFLayout(pageSize: pageSize)
        let blocks = self.blocks(maxFigureHeight: layout.bottom - layout.top - 40)
        let pages = layout.paginate(blocks, on: canvas)
        for (index, page) in pages.enumerated() {
            if index > 0 { canvas.nextPage() }
            for placement in page {
                let origin = Point(x: PDFStyle.margin.left, y: placement.y)
                if case .table(let table) = blocks[placement.block], let rows = placement.rows {
                    var y = placement.y + table.drawHeader(at: origin, width: layout.contentWidth, on: canvas)
                    for row in rows {
                        y += table.drawRow(row, at: Point(x: origin.x, y: y), width: layout.contentWidth, on: canvas)
                    }
                } else {
                    blocks[placement.block].draw(at: origin, width: layout.contentWidth, on: canvas)
                }
            }
            drawFooter(page: index + 1, of: pages.count, layout: layout, on: canvas)
        }
        try canvas.writePDF(to: url)
    }

    private func drawFooter(page: Int, of pages: Int, layout: PDFLayout, on canvas: Canvas) {
        let y = layout.pageSize.height - PDFStyle.margin.bottom / 2
        canvas.line(from: Point(x: PDFStyle.margin.left, y: y - 8), to: Point(x: PDFStyle.margin.left + layout.contentWidth, y: y - 8),
                    Theme.gridLine, width: 0.5)
        canvas.drawText(content.title, style: PDFStyle.footer, at: Point(x: PDFStyle.margin.left, y: y), anchor: .leading,
                        maxWidth: layout.contentWidth / 2)
        canvas.drawText(strings.text("page_number", ["page": "\(page)", "pages": "\(pages)"]), style: PDFStyle.footer,
                        at: Point(x: PDFStyle.margin.left + layout.contentWidth, y: y), anchor: .trailing)
    }

    func blocks(maxFigureHeight: Double) -> [PDFBlock] {
        var blocks: [PDFBlock] = [
            .heading(content.title, level: 1),
            .paragraph(content.subtitle, style: PDFStyle.subtitle),
            .heading(strings.text("section.summary"), level: 2),
            .paragraph(content.intro, style: PDFStyle.body),
            .paragraph(content.popularityExplanation, style: PDFStyle.note),
            .table(summaryTable),
            .paragraph(strings.text("summary.how_to_read"), style: PDFStyle.note),
            .paragraph(content.verdictRule, style: PDFStyle.note),
        ]
        blocks.append(.pageBreak)
        blocks.append(.heading(strings.text("section.candidates"), level: 2))
        for (i, (c, f)) in zip(content.candidates, figures.candidates).enumerated() {
            if i > 0 { blocks.append(.pageBreak) }
            blocks += candidateBlocks(c, f, maxFigureHeight: maxFigureHeight)
        }
        blocks.append(.pageBreak)
        blocks += commonBlocks(maxFigureHeight: maxFigureHeight)
        blocks.append(.pageBreak)
        blocks += diagnosticsBlocks(maxFigureHeight: maxFigureHeight)
        blocks.append(.heading(strings.text("section.skipped"), level: 2))
        if content.skipped.isEmpty {
            blocks.append(.paragraph(strings.text("skipped.none"), style: PDFStyle.note))
        } else {
            blocks.append(.paragraph(strings.text("skipped.intro"), style: PDFStyle.body))
            blocks.append(.table(table([("skipped.folder", 1, .leading), ("skipped.file", 2.5, .leading), ("skipped.reason", 4, .leading)],
                                       content.skipped.map { [$0.folder, $0.file, $0.reason] })))
        }
        return blocks
    }

    /// A table of plain cells; columns are (string key of the title, width weight, alignment).
    private func table(_ columns: [(key: String, weight: Double, alignment: PDFTable.Alignment)], _ rows: [[String]]) -> PDFTable {
        PDFTable(columns: columns.map { PDFTable.Column(title: strings.text($0.key), weight: $0.weight, alignment: $0.alignment) },
                 rows: rows.map { $0.map { PDFTable.Cell(text: $0) } })
    }

    private var summaryTable: PDFTable {
        PDFTable(
            columns: [.init(title: strings.text("summary.candidate"), weight: 3),
                      .init(title: strings.text("summary.popularity"), weight: 1.1, alignment: .trailing),
                      .init(title: strings.text("summary.percentile"), weight: 1.8, alignment: .trailing),
                      .init(title: strings.text("summary.verdict"), weight: 3)],
            rows: content.candidates.map { c in
                [.init(text: "\(c.number). \(c.name)", style: PDFStyle.tableCell.with(weight: .medium)), .init(text: c.popularity),
                 .init(text: c.percentile),
                 .init(text: c.verdictText, style: PDFStyle.tableCell.with(weight: .medium, colour: PDFStyle.colour(c.verdict)),
                       note: c.warning.map { ($0, PDFStyle.tableCell.with(weight: .bold, colour: Theme.alert)) })]
            })
    }

    private func candidateBlocks(_ c: ReportContent.Candidate, _ f: ReportFigures.Candidate, maxFigureHeight: Double) -> [PDFBlock] {
        let value = PDFStyle.body
        var facts: [(String, String, TextStyle)] = [
            (strings.text("candidate.popularity"), c.popularity, value),
            (strings.text("candidate.percentile_popular"), c.percentile, value),
        ]
        if let other = c.percentileOther { facts.append((strings.text("candidate.percentile_other"), other, value)) }
        facts.append((strings.text("candidate.style_cluster"), c.cluster, value))
        facts.append((strings.text("summary.verdict"), c.verdictText,
                      value.with(weight: .bold, colour: PDFStyle.colour(c.verdict))))
        if let warning = c.warning { facts.append(("", warning, PDFStyle.alert)) }
        var blocks: [PDFBlock] = [
            .heading("\(c.number). \(c.name)", level: 3),
            .coverFacts(covers[c.cover], facts: facts),
            .heading(strings.text("candidate.matches"), level: 3),
            .figure(f.similar.figure, maxHeight: maxFigureHeight * 0.45),
        ]
        if let attention = f.attention {
            blocks += [.heading(strings.text("candidate.attention"), level: 3), .figure(attention.figure, maxHeight: 210),
                       .paragraph(strings.text("candidate.attention_caption"), style: PDFStyle.note)]
        }
        // The palette before the features: a table splits across pages, a figure cannot, so this
        // order fills pages best.
        if let palette = f.palette {
            blocks += [.heading(strings.text("candidate.palette"), level: 3), .figure(palette.figure, maxHeight: 200)]
        }
        if !c.features.isEmpty {
            blocks.append(.heading(strings.text("candidate.features"), level: 3))
            blocks.append(.table(table([("candidate.feature", 3, .leading), ("candidate.value", 1.2, .trailing),
                                        ("candidate.feature_percentile", 2, .trailing)],
                                       c.features.map { [$0.label, $0.value, $0.percentile] })))
        }
        return blocks
    }

    private func commonBlocks(maxFigureHeight: Double) -> [PDFBlock] {
        var blocks: [PDFBlock] = [
            .heading(strings.text("section.common"), level: 2),
            .paragraph(strings.text("common.intro"), style: PDFStyle.body),
            .heading(strings.text("common.ranking"), level: 3),
        ]
        if content.ranking.isEmpty {
            blocks.append(.paragraph(strings.text("common.no_ranking"), style: PDFStyle.note))
        } else {
            blocks.append(.table(table([("common.ranking_feature", 2.5, .leading), ("common.effect", 1.6, .trailing),
                                        ("common.strength", 1.3, .leading), ("common.direction", 1.6, .leading)],
                                       content.ranking.map { [$0.label, $0.effect, $0.strength, $0.direction] })))
        }
        if !content.featureSummary.isEmpty {
            blocks.append(.heading(strings.text("common.summary_table"), level: 3))
            blocks.append(.table(table([("common.ranking_feature", 2.5, .leading), ("common.median", 1.3, .trailing),
                                        ("common.quartiles", 2, .trailing)],
                                       content.featureSummary.map { [$0.label, $0.median, $0.quartiles] })))
        }
        if let heatmap = figures.heatmap {
            blocks += [.heading(strings.text("common.heatmap"), level: 3), .figure(heatmap.figure, maxHeight: maxFigureHeight * 0.6)]
            if let caption = heatmap.caption { blocks.append(.paragraph(caption, style: PDFStyle.note)) }
        }
        if let palettes = figures.palettes {
            blocks += [.heading(strings.text("common.palettes"), level: 3), .figure(palettes.figure, maxHeight: 260)]
        }
        if !figures.distributions.isEmpty {
            blocks.append(.heading(strings.text("common.distributions"), level: 3))
            blocks.append(.paragraph(strings.text("common.distribution_caption"), style: PDFStyle.note))
            blocks += figures.distributions.map { .figure($0.figure, maxHeight: 300) }
        }
        blocks.append(.heading(strings.text("common.clusters"), level: 3))
        if figures.clusters.isEmpty {
            blocks.append(.paragraph(strings.text("common.no_clusters"), style: PDFStyle.note))
        } else {
            for cluster in figures.clusters {
                blocks.append(.heading(cluster.caption ?? cluster.alt, level: 4))
                blocks.append(.figure(cluster.figure, maxHeight: maxFigureHeight * 0.5))
            }
        }
        if let average = figures.average {
            blocks += [.heading(strings.text("common.average"), level: 3), .figure(average.figure, maxHeight: 300)]
            if let caption = average.caption { blocks.append(.paragraph(caption, style: PDFStyle.note)) }
        }
        return blocks
    }

    private func diagnosticsBlocks(maxFigureHeight: Double) -> [PDFBlock] {
        func keyValue(_ rows: [ReportContent.Row], key: String = "diagnostics.item") -> PDFTable {
            PDFTable(columns: [.init(title: strings.text(key), weight: 2), .init(title: strings.text("diagnostics.value"), weight: 4)],
                     rows: rows.map { [.init(text: $0.label), .init(text: $0.value, style: $0.monospaced ? PDFStyle.mono : PDFStyle.tableCell)] })
        }
        var blocks: [PDFBlock] = [
            .heading(strings.text("section.diagnostics"), level: 2),
            .heading(strings.text("diagnostics.model"), level: 3),
            .table(keyValue(content.model)),
            .paragraph(content.popularityExplanation, style: PDFStyle.note),
            .heading(strings.text("diagnostics.validation"), level: 3),
        ]
        blocks.append(content.validation.isEmpty ? .paragraph(strings.text("diagnostics.no_validation"), style: PDFStyle.note)
                                                 : .table(keyValue(content.validation, key: "diagnostics.metric")))
        blocks.append(.heading(strings.text("diagnostics.training"), level: 3))
        if let training = figures.training {
            blocks.append(.figure(training.figure, maxHeight: 260))
            if let best = content.bestEpoch { blocks.append(.paragraph(best, style: PDFStyle.body)) }
        } else {
            blocks.append(.paragraph(strings.text("diagnostics.no_log"), style: PDFStyle.note))
        }
        blocks += [.heading(strings.text("diagnostics.settings"), level: 3), .table(keyValue(content.settings))]
        return blocks
    }
}
