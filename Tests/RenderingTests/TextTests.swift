import Imaging
import Rendering
import Testing

@Suite struct TextTests {
    static let korean = "한국어 표지"

    @Test func koreanHasRealGlyphs() throws {
        let canvas = try Canvas(size: Size(width: 200, height: 50))
        #expect(canvas.unknownGlyphCount(TextTests.korean, style: Theme.title) == 0, "Hangul drawn as tofu")
        #expect(canvas.unknownGlyphCount("日本語の表紙 中文封面", style: Theme.caption) == 0, "kana/han drawn as tofu")
    }

    @Test func koreanTitleLeavesInk() throws {
        let blank = try Canvas(size: Size(width: 240, height: 40))
        let written = try Canvas(size: Size(width: 240, height: 40))
        written.drawText(TextTests.korean, style: Theme.title, at: Point(x: 10, y: 8))
        let before = SampleCovers.inkCount(try blank.renderedImage(), x: 0..<240, y: 0..<40)
        let after = SampleCovers.inkCount(try written.renderedImage(), x: 0..<240, y: 0..<40)
        #expect(before == 0, "blank canvas has ink")
        #expect(after > 150, "the Korean title left only \(after) dark pixels")
    }

    /// A figure's title area holds ink with a Korean title and none without it.
    @Test func koreanFigureTitleIsDrawn() throws {
        let items = [CaptionedImage(image: SampleCovers.cover(background: (38, 70, 83)), caption: "평균 표지")]
        let titled = try ImageGrid(items: items, title: TextTests.korean, labels: .korean).renderImage()
        // A blank title keeps the same layout with no text in it.
        let plain = try ImageGrid(items: items, title: " ", labels: .korean).renderImage()
        #expect(plain.height == titled.height, "same layout with and without the text")
        let band = (x: 0..<titled.width, y: Int(Theme.margin)..<Int(Theme.margin) + 18)
        let withTitle = SampleCovers.inkCount(titled, x: band.x, y: band.y)
        let withoutTitle = SampleCovers.inkCount(plain, x: band.x, y: band.y)
        #expect(withTitle > 150, "Korean title left \(withTitle) dark pixels in the title band")
        #expect(withoutTitle == 0, "blank title band has \(withoutTitle) dark pixels")
    }

    @Test func koreanLabelsHaveRealGlyphs() throws {
        let canvas = try Canvas(size: Size(width: 10, height: 10))
        let ko = FigureLabels.korean
        for text in [ko.similarityGridTitle, ko.nearDuplicate, ko.heatmapTitle, ko.bestEpoch, ko.shareOfGroup, ko.gradCAMTitle] {
            #expect(canvas.unknownGlyphCount(text, style: Theme.title) == 0, "\(text) has tofu")
        }
    }

    @Test func measuringMatchesAcrossScales() throws {
        let one = try Canvas(size: Size(width: 10, height: 10)), two = try Canvas(size: Size(width: 10, height: 10), scale: 2)
        let text = "bestseller_001.jpg 소년이 온다"
        let a = one.measure(text, style: Theme.caption), b = two.measure(text, style: Theme.caption)
        #expect(abs(a.width - b.width) < 0.01 && abs(a.height - b.height) < 0.01, "\(a) vs \(b)")
        #expect(a.height >= 13, "10 pt text is at least 13 units tall at 96 dpi, got \(a.height)")
    }

    @Test func ellipsizingRespectsTheWidth() throws {
        let canvas = try Canvas(size: Size(width: 10, height: 10))
        let long = "the-very-long-title-of-a-popular-cover-that-keeps-going.jpg"
        let full = canvas.measure(long, style: Theme.caption)
        let cut = canvas.measure(long, style: Theme.caption, maxWidth: 120, overflow: .ellipsizeMiddle)
        #expect(full.width > 120, "test string should be wider than the limit")
        #expect(cut.width <= 120.5, "ellipsized text is \(cut.width) wide")
        let wrapped = canvas.measure(long + " " + long, style: Theme.caption, maxWidth: 120, overflow: .wrap(maxLines: 2))
        #expect(wrapped.height > full.height * 1.5 && wrapped.height < full.height * 2.5, "two lines, got \(wrapped.height)")
    }
}
