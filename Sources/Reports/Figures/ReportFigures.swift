import Rendering

/// Every figure of one report, grouped the way the pages use them.
struct ReportFigures {
    struct Candidate {
        var similar: ReportFigure
        var attention: ReportFigure?
        var palette: ReportFigure?
    }

    var candidates: [Candidate]
    var heatmap: ReportFigure?
    var palettes: ReportFigure?
    var distributions: [ReportFigure]
    var clusters: [ReportFigure]
    var average: ReportFigure?
    var training: ReportFigure?

    var all: [ReportFigure] {
        candidates.flatMap { [$0.similar, $0.attention, $0.palette].compactMap { $0 } }
            + [heatmap, palettes].compactMap { $0 } + distributions + clusters + [average, training].compactMap { $0 }
    }
}
