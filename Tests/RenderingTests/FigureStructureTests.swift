import Imaging
import Rendering
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
            try SimilarityHeatmap(rowNames: ["a", "b"], columnNames: ["x"], values: [[0.1], [0.2, 0.3]])
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

    @Test func bestEpochMarkerIsAtTheBestEpoch() throws {
        let figure = SampleFigures.trainingCurves
        #expect(figure.bestEpoch == 9, "lowest validation loss is at epoch 9")
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
