import Foundation
import Imaging
@testable import Rendering
import Testing

/// The drawing verbs the synthetic covers use: paths, gradients, display lettering and the colours
/// they are built from.
@Suite struct PathAndLetteringTests {
    @Test func hslGivesThePrimariesAndClampsItsInputs() {
        expectClose(Colour(hue: 0, saturation: 1, lightness: 0.5), Colour(red: 1, green: 0, blue: 0), "pure red")
        expectClose(Colour(hue: 120, saturation: 1, lightness: 0.25), Colour(red: 0, green: 0.5, blue: 0), "dark green")
        expectClose(Colour(hue: -120, saturation: 1, lightness: 0.5), Colour(red: 0, green: 0, blue: 1), "hue wraps: -120° is blue")
        expectClose(Colour(hue: 200, saturation: 3, lightness: 2), .white, "lightness above 1 is white")
    }

    @Test func mixingMovesThatFarAndStaysInRange() {
        expectClose(Colour.black.mixed(with: .white, 0.25), Colour(red: 0.25, green: 0.25, blue: 0.25), "a quarter of the way")
        expectClose(Colour.black.mixed(with: .white, 1.5), .white, "past the end clamps to the other colour")
        #expect(Colour(red: 1, green: 1, blue: 0).luma > 0.5 && Colour(red: 0, green: 0, blue: 1).luma < 0.5,
                "yellow is light and blue dark by luma")
    }

    @Test func filledEllipseCoversItsInsideOnly() throws {
        let canvas = try Canvas(size: Size(width: 60, height: 40))
        canvas.fill(.ellipse(center: Point(x: 30, y: 20), rx: 25, ry: 8, angle: .pi / 2), Colour(red: 0, green: 0, blue: 1))
        let image = try canvas.renderedImage()
        #expect(image[30, 5] == (0, 0, 255), "turned a quarter, the long axis runs down the middle")
        #expect(image[15, 20] == (255, 255, 255), "the short axis ends 8 units from the centre")
    }

    @Test func linearGradientRunsBetweenItsStops() throws {
        let canvas = try Canvas(size: Size(width: 101, height: 4))
        canvas.fill(.rect(Rect(x: 0, y: 0, width: 101, height: 4)),
                    .linear(from: Point(x: 0, y: 0), to: Point(x: 101, y: 0),
                            stops: [GradientStop(0, .black), GradientStop(1, .white)]))
        let image = try canvas.renderedImage()
        let (left, middle, right) = (image[0, 2].r, image[50, 2].r, image[100, 2].r)
        #expect(left < 5 && right > 250 && abs(Int(middle) - 128) <= 3, "grey levels \(left), \(middle), \(right)")
    }

    @Test func radialGradientFadesToTransparent() throws {
        let canvas = try Canvas(size: Size(width: 41, height: 41))
        let centre = Point(x: 20.5, y: 20.5)
        canvas.fill(.circle(center: centre, radius: 20),
                    .radial(center: centre, radius: 20, stops: [GradientStop(0, .black), GradientStop(1, Colour.black.withAlpha(0))]))
        let image = try canvas.renderedImage()
        #expect(image[20, 20].r < 10, "opaque at the centre, got \(image[20, 20].r)")
        #expect(image[2, 20].r > 220, "nearly the white ground at the rim, got \(image[2, 20].r)")
    }

    @Test func strokedLinesHaveSquareEnds() throws {
        let canvas = try Canvas(size: Size(width: 40, height: 20))
        canvas.stroke(.line(from: Point(x: 10, y: 10), to: Point(x: 30, y: 10)), .black, width: 6)
        let image = try canvas.renderedImage()
        #expect(image[20, 10] == (0, 0, 0), "the line itself")
        #expect(image[8, 10] == (255, 255, 255), "a butt cap stops where the line does (a round cap would reach x = 7)")
    }

    @Test func fittedLetteringFitsItsBoxAndScalesLinearly() throws {
        let canvas = try Canvas(size: Size(width: 400, height: 600))
        let lettering = Lettering(latinFamily: "DejaVu Sans", koreanFamily: "Noto Sans CJK KR", weight: 700)
        let size = canvas.fittedLetteringSize("THE SILENT WITNESS", lettering, desired: 200, maxWidth: 300, maxHeight: 200)
        let box = canvas.measureLettering("THE SILENT WITNESS", lettering, size: size)
        #expect(size < 200 && abs(box.width - 300) < 1, "fitted to \(size) px, \(box.width) wide")
        var condensed = lettering
        condensed.condense = 0.5
        let narrow = canvas.measureLettering("THE SILENT WITNESS", condensed, size: size)
        #expect(abs(narrow.width - box.width / 2) < 0.01 && narrow.height == box.height, "condensing halves the width only")
    }

    @Test func drawnLetteringCountsCharactersNoFontHas() throws {
        let canvas = try Canvas(size: Size(width: 200, height: 80))
        let lettering = Lettering(latinFamily: "DejaVu Sans", koreanFamily: "Noto Sans CJK KR")
        canvas.drawLettering("신작 Draft", lettering, size: 20, x: 100, y: 10, colour: .black, effect: .outline(.white, width: 2))
        #expect(canvas.unknownGlyphsDrawn == 0, "Hangul and Latin both have fonts")
        canvas.drawLettering("\u{E000}\u{E001}", lettering, size: 20, x: 100, y: 40, colour: .black)
        #expect(canvas.unknownGlyphsDrawn == 2, "two private-use characters, counted \(canvas.unknownGlyphsDrawn)")
    }

    @Test func letterColoursSkipSpacesAndFollowUTF8Bytes() {
        let runs = Canvas.letterRuns("가 b", [.black, .white])
        #expect(runs.map(\.0) == [0..<3, 4..<5], "Hangul takes 3 bytes, the space none of the colours")
        #expect(runs.map(\.1) == [.black, .white])
        #expect(Canvas.letterRuns("ab", []).isEmpty, "no colours, no runs")
    }

    private func expectClose(_ a: Colour, _ b: Colour, _ what: String) {
        let d = max(abs(a.red - b.red), abs(a.green - b.green), abs(a.blue - b.blue), abs(a.alpha - b.alpha))
        #expect(d < 1e-9, "\(what): \(a) vs \(b)")
    }
}
