import Imaging
@testable import Rendering
import Testing

/// Checks each figure as a reader would: the thing that should stand out is where the data says.
@Suite struct FigureStructureTests {
    /// How yellow a pixel is (viridis's top end is yellow, its bottom dark purple).
    private func yellowness(_ p: (r: UInt8, g: UInt8, b: UInt8)) -> Int { Int(p.r) + Int(p.g) - 2 * Int(p.b) }

    @Test(arguments: [1.0, 2.0])
    func heatmapBrightestCellIsTheHighestScore(scale: Double) throws {
        let figure = SampleFigures.heatmap
        let image = try figure.renderImage(scale: scale)
        #expect(image.width == Int(figure.size.width * scale), "width at \(scale)×")
        var best = (row: -1, column: -1, value: Int.min)
        for r in figure.rowNames.indices {
            for c in figure.columnNames.indices {
                // Sample near the cell's corner, away from the printed value.
                let cell = figure.cellRect(row: r, column: c)
                let p = image[Int((cell.x + 4) * scale), Int((cell.y + 4) * scale)]
                if yellowness(p) > best.value { best = (r, c, yellowness(p)) }
            }
        }
        #expect(best.row == 2 && best.column == 3, "most yellow cell is (\(best.row), \(best.column)), highest score is (2, 3)")
    }

    @Test func heatmapCellColourFollowsViridis() throws {
        let figure = SampleFigures.heatmap
        let image = try figure.renderImage()
        let cell = figure.cellRect(row: 0, column: 0)
        let p = image[Int(cell.x + 3), Int(cell.y + 3)]
        let lo = figure.range.lowerBound, hi = figure.range.upperBound
        let expected = ColourMap.viridis.bytes(at: (figure.values[0][0] - lo) / (hi - lo))
        let distance = abs(Int(p.r) - Int(expected.r)) + abs(Int(p.g) - Int(expected.g)) + abs(Int(p.b) - Int(expected.b))
        #expect(distance <= 3, "cell (0,0) is \(p), viridis says \(expected)")
    }

    @Test func heatmapRejectsRaggedValues() {
        #expect(throws: RenderingError.self) {
            try SimilarityHeatmap(rowNames: ["a", "b"], columnNames: ["x"], values: [[0.1], [0.2, 0.3]], labels: .english)
        }
    }

    @Test func similarityGridShowsTheCandidateOnTheLeft() throws {
        let figure = SampleFigures.similarityGrid
        let image = try figure.renderImage()
        let frame = figure.candidateFrame
        // The candidate's background colour, near the panel's lower-left (off the disc and title bar).
        let p = image[Int(frame.minX + 12), Int(frame.maxY - 12)]
        #expect(p == (200, 60, 70), "candidate panel shows \(p), expected the candidate's red (200, 60, 70)")
        #expect(frame.maxX < Double(image.width) / Double(figure.matches.count + 1) + Theme.margin,
                "candidate panel is the leftmost column")
        let first = figure.matchFrame(0)
        #expect(first.minX > frame.maxX, "matches are right of the candidate")
    }

    @Test func nearDuplicateGetsARedFrameAndOthersDoNot() throws {
        let figure = SampleFigures.similarityGrid
        let image = try figure.renderImage()
        func edge(_ i: Int) -> (r: UInt8, g: UInt8, b: UInt8) {
            let f = figure.matchFrame(i)
            return image[Int(f.minX + 1), Int(f.midY)]
        }
        let red = edge(0)
        #expect(red.r > 180 && red.g < 80 && red.b < 80, "near-duplicate frame is \(red), expected red")
        let plain = edge(1)
        #expect(!(plain.r > 180 && plain.g < 80), "match 2 is not a near-duplicate but its frame is \(plain)")
    }

    /// AUC equal to accuracy at every epoch: the AUC line (drawn dashed over accuracy) still shows.
    @Test func aucLineShowsWhenEqualToAccuracy() throws {
        let epochs = SampleFigures.epochs.map { e in
            EpochMetrics(epoch: e.epoch, trainLoss: e.trainLoss, validationLoss: e.validationLoss,
                         validationAUC: e.validationAUC, validationAccuracy: e.validationAUC)
        }
        let figure = TrainingCurves(epochs: epochs, labels: .english)
        let frame = figure.panelFrames[1]
        let plot = figure.metricsChart.axes(in: frame).plot
        let auc = Theme.series[2]
        func aucPixels(_ chart: LineChart) throws -> Int {
            let canvas = try Canvas(size: figure.size)
            chart.draw(on: canvas, frame: frame)
            let image = try canvas.renderedImage()
            var n = 0
            for y in Int(plot.minY)..<Int(plot.maxY) {
                for x in Int(plot.minX)..<Int(plot.maxX) {
                    let p = image[x, y]
                    if abs(Double(p.r) - auc.red * 255) < 30 && abs(Double(p.g) - auc.green * 255) < 30
                        && abs(Double(p.b) - auc.blue * 255) < 30 { n += 1 }
                }
            }
            return n
        }
        let shown = try aucPixels(figure.metricsChart)
        // The control: the old order, a solid AUC line under the accuracy line, hides it.
        var hidden = figure.metricsChart
        hidden.series = hidden.series.reversed().map { var s = $0; s.dashed = false; return s }
        let underneath = try aucPixels(hidden)
        #expect(shown > 200 && shown > 4 * underneath, "AUC-coloured pixels: \(shown) as drawn, \(underneath) drawn underneath")
    }

    @Test func bestEpochMarkerIsAtTheBestEpoch() throws {
        let figure = SampleFigures.trainingCurves
        #expect(figure.bestEpoch == 9, "the log's kept epoch is 9")
        #expect(TrainingCurves(epochs: SampleFigures.epochs, labels: .english).bestEpoch == 12,
                "without a log's word, the kept epoch is the highest validation AUC (rising to epoch 12 here)")
        let image = try figure.renderImage()
        let chart = figure.lossChart
        let axes = chart.axes(in: figure.panelFrames[0])
        // Epochs 1…12 span the plot, so epoch 9 sits 8/11 of the way across.
        let expectedX = axes.plot.minX + axes.plot.width * 8 / 11
        #expect(abs(axes.x(9) - expectedX) < 0.01, "x scale puts epoch 9 at \(axes.x(9)), expected \(expectedX)")
        // Dark neutral-grey pixels (the dashed marker; series are coloured, the grid is light) in
        // the plot's middle band, counted per column: a vertical line fills many rows of one column,
        // while a blend where two coloured series cross touches only a few.
        var counts: [Int: Int] = [:]
        for y in Int(axes.plot.minY + 30)..<Int(axes.plot.maxY - 30) {
            for x in Int(axes.plot.minX + 2)..<Int(axes.plot.maxX - 2) {
                let p = image[x, y]
                let hi = max(p.r, p.g, p.b), lo = min(p.r, p.g, p.b)
                if hi < 170 && hi - lo < 12 { counts[x, default: 0] += 1 }
            }
        }
        let columns = counts.filter { $0.value >= 20 }.map(\.key)
        #expect(!columns.isEmpty, "no vertical marker found; grey pixels per column: \(counts)")
        #expect(columns.allSatisfy { abs(Double($0) + 0.5 - expectedX) <= 1.5 },
                "marker pixels at columns \(columns.sorted()), expected around \(expectedX)")
    }
}

@Suite struct PaletteAndDistributionTests {
    @Test func paletteSegmentsAreAsWideAsTheirShares() throws {
        let figure = SampleFigures.palettes
        let image = try figure.renderImage()
        let bar = figure.barFrame(0)
        let y = Int(bar.minY + 4)
        // Walk along the top of the candidate's bar and find where the red (46 %) ends.
        var redEnd = Int(bar.minX)
        for x in Int(bar.minX)..<Int(bar.maxX) where image[x, y] == (0xC8, 0x3C, 0x46) { redEnd = x }
        let expected = bar.minX + 0.46 * bar.width
        #expect(abs(Double(redEnd + 1) - expected) <= 1.5, "red segment ends at \(redEnd + 1), expected \(expected)")
        let cream = image[Int(bar.minX + 0.6 * bar.width), y]
        #expect(cream == (0xFA, 0xF0, 0xDC), "46–77 % of the bar should be #FAF0DC, got \(cream)")
    }

    @Test func candidateLineIsAtItsValue() throws {
        let figure = SampleFigures.distribution
        let image = try figure.renderImage()
        let axes = figure.axes
        // 0.18 lies left of both histograms: only the candidate's dark line is there.
        let x = axes.x(0.18)
        var darkRows = 0
        for y in Int(axes.plot.minY + 5)..<Int(axes.plot.maxY - 5) {
            let p = image[Int(x), y]
            if Int(p.r) + Int(p.g) + Int(p.b) < 300 { darkRows += 1 }
        }
        #expect(Double(darkRows) > (axes.plot.height - 10) * 0.9, "line at 0.18 covers \(darkRows) rows of the plot")
        let beside = image[Int(x) + 6, Int(axes.plot.midY)]
        #expect(Int(beside.r) + Int(beside.g) + Int(beside.b) > 600, "6 units right of the line is background, got \(beside)")
    }

    @Test func popularHistogramPeaksNearItsMean() throws {
        let figure = SampleFigures.distribution
        let shares = figure.shares(figure.popular)
        let peak = shares.indices.max { shares[$0] < shares[$1] }!
        let centre = (Double(peak) + 0.5) / Double(figure.binCount)
        #expect(abs(centre - 0.42) < 0.08, "popular peak bin centre \(centre), samples centred on 0.42")
        #expect(abs(shares.reduce(0, +) - 1) < 1e-9, "shares of a group sum to 1")
    }

    @Test func crowdedCandidatesStackThenMergeIntoACount() {
        let spread = CandidateMarks(labels: ["1", "2"], xs: [100, 400], plotMinX: 50, plotMaxX: 600)
        #expect(spread.marks.map(\.level) == [0, 0] && spread.marks.map(\.text) == ["1", "2"], "far apart: side by side")
        let pair = CandidateMarks(labels: ["1", "2"], xs: [200, 201], plotMinX: 50, plotMaxX: 600)
        #expect(pair.marks.map(\.level) == [0, 1], "two at one value stack: \(pair.marks)")
        let crowd = CandidateMarks(labels: (1...5).map(String.init), xs: [200, 201, 202, 203, 204], plotMinX: 50, plotMaxX: 600)
        #expect(crowd.marks.count == 1 && crowd.marks[0].text == "5" && crowd.marks[0].members == [0, 1, 2, 3, 4],
                "five at one value become one marker counting them: \(crowd.marks)")
    }
}

@Suite struct GradCAMTests {
    @Test func upsamplingMatchesPyTorchBilinearWithoutAlignedCorners() throws {
        // F.interpolate(tensor([[[[0., 1.]]]]), size=(1, 4), mode="bilinear", align_corners=False)
        let map = try AttentionMap(width: 2, height: 1, values: [0, 1])
        #expect(map.upsampled(width: 4, height: 1) == [0, 0.25, 0.75, 1])
        let flat = try AttentionMap(width: 3, height: 3, values: [Float](repeating: 0.4, count: 9))
        #expect(flat.upsampled(width: 10, height: 7).allSatisfy { abs($0 - 0.4) < 1e-6 }, "a flat map stays flat")
    }

    @Test func overlayIsHotWhereTheMapIsHigh() throws {
        let image = RGBImage(width: 70, height: 70, fill: (128, 128, 128))
        var values = [Float](repeating: 0, count: 49)
        values[0] = 1; values[1] = 1; values[7] = 1; values[8] = 1   // top-left 2×2 of 7×7
        let blended = try AttentionMap(width: 7, height: 7, values: values).overlay(on: image)
        func blend(_ c: (r: UInt8, g: UInt8, b: UInt8)) -> (UInt8, UInt8, UInt8) {
            func one(_ v: UInt8) -> UInt8 { UInt8((128 * 0.55 + Double(v) * 0.45).rounded()) }
            return (one(c.r), one(c.g), one(c.b))
        }
        // Pixel (5, 5) samples map cells 0 and 1 (both 1); (64, 64) only zeros.
        let hot = blended[5, 5], cold = blended[64, 64]
        #expect(hot == blend(ColourMap.turbo.bytes(at: 1)), "top-left is 45 % turbo red, got \(hot)")
        #expect(Int(hot.r) > Int(hot.b) + 40, "top-left should look red, got \(hot)")
        #expect(cold == blend(ColourMap.turbo.bytes(at: 0)), "bottom-right is 45 % turbo's dark low end, got \(cold)")
        let none = try AttentionMap(width: 7, height: 7, values: values).overlay(on: image, alpha: 0)
        #expect(none == image, "alpha 0 leaves the cover untouched")
    }

    @Test func mismatchedMapIsATypedError() {
        #expect(throws: RenderingError.invalidHeatmap(width: 7, height: 7, count: 48)) {
            try AttentionMap(width: 7, height: 7, values: [Float](repeating: 0, count: 48))
        }
    }

    @Test func overlayPanelShowsTheBlendedCover() throws {
        let figure = SampleFigures.gradCAM
        let image = try figure.renderImage(scale: 2)
        #expect(image.width == 2 * Int(figure.size.width), "2× width")
        let frame = figure.overlayFrame
        // Lower right of the cover is far from the hot spot: teal blended with turbo's cool end.
        let p = image[Int((frame.maxX - 10) * 2), Int((frame.maxY - 10) * 2)]
        #expect(p != (42, 157, 143), "the overlay panel should not show the untouched cover colour")
        #expect(Int(p.b) > Int(p.r), "cold region should stay blue-green, got \(p)")
    }
}
