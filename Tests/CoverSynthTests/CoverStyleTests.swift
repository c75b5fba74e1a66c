import Foundation
import Imaging
import Testing
@testable import CoverSynth

/// Every style draws a real picture with legible text in both languages.
@Suite struct CoverStyleTests {
    let generator = try! CoverGenerator(width: 200, height: 300)

    @Test(arguments: CoverStyle.allCases, CoverClass.allCases)
    func everyStyleRenders(_ style: CoverStyle, _ coverClass: CoverClass) throws {
        for seed in UInt64(0)..<4 {
            let cover = try generator.render(seed: seed, style: style, coverClass: coverClass)
            #expect(cover.image.width == 200 && cover.image.height == 300, "\(style) seed \(seed): wrong size")
            #expect(luminanceDeviation(cover.image) > 8, "\(style) \(coverClass) seed \(seed) is nearly flat")
            #expect(cover.unknownGlyphs == 0, "\(style) seed \(seed) title \"\(cover.design.title)\" has missing glyphs")
        }
    }

    @Test(arguments: CoverStyle.allCases)
    func koreanTitleRendersWithoutMissingGlyphs(_ style: CoverStyle) throws {
        var design = CoverDesign(seed: 5, style: style, coverClass: .popular)
        design.language = .korean
        design.title = "밤의 정원과 마지막 편지"
        design.author = "김서연"
        let cover = try generator.render(design)
        #expect(cover.unknownGlyphs == 0, "\(style): Korean title drew \(cover.unknownGlyphs) unknown glyphs")
    }

    /// The check above could pass with a counter that never counts: a character no font has must count.
    @Test func missingGlyphsAreCounted() throws {
        var design = CoverDesign(seed: 5, style: .literary, coverClass: .popular)
        design.title = "Title \u{10FFFD}\u{10FFFD}"
        let cover = try generator.render(design)
        #expect(cover.unknownGlyphs > 0, "a private-use character was not reported as an unknown glyph")
    }

    @Test func stylesDifferInPalette() throws {
        // Mean luminance per style over a few covers: thriller and science fiction dark,
        // literary and romance light. A coarse check that the styles are visually apart.
        func meanLuminance(_ style: CoverStyle) throws -> Double {
            var total = 0.0
            for seed in UInt64(0)..<5 {
                total += luminanceMean(try generator.render(seed: seed, style: style, coverClass: .popular).image)
            }
            return total / 5
        }
        let thriller = try meanLuminance(.thriller), literary = try meanLuminance(.literary)
        let scienceFiction = try meanLuminance(.scienceFiction), romance = try meanLuminance(.romance)
        #expect(thriller < 80 && scienceFiction < 90, "dark styles: thriller \(thriller), science fiction \(scienceFiction)")
        #expect(literary > 180 && romance > 150, "light styles: literary \(literary), romance \(romance)")
    }
}

func luminances(_ image: RGBImage) -> [Double] {
    stride(from: 0, to: image.pixels.count, by: 3).map { (i: Int) -> Double in
        let r = 0.299 * Double(image.pixels[i])
        let g = 0.587 * Double(image.pixels[i + 1])
        let b = 0.114 * Double(image.pixels[i + 2])
        return r + g + b
    }
}

func luminanceMean(_ image: RGBImage) -> Double {
    let values = luminances(image)
    return values.reduce(0, +) / Double(values.count)
}

/// Standard deviation of luminance: the simple contrast measure the class difference is tested on.
func luminanceDeviation(_ image: RGBImage) -> Double {
    let values = luminances(image)
    let mean = values.reduce(0, +) / Double(values.count)
    return (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)).squareRoot()
}
