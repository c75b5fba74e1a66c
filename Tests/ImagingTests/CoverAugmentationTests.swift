import Support
import Testing
@testable import Imaging

@Suite struct CoverAugmentationTests {
    /// 80×120 with a dark mark in the top-left corner and a colour gradient elsewhere.
    static func cover() -> RGBImage {
        var image = RGBImage(width: 80, height: 120, fill: (200, 120, 60))
        for y in 0..<120 { for x in 0..<80 { image[x, y] = (UInt8(x * 3), UInt8(100 + y), 60) } }
        for y in 0..<20 { for x in 0..<20 { image[x, y] = (0, 0, 0) } }
        return image
    }

    @Test func sameSeedSameImageOtherSeedOtherImage() {
        let augmentation = CoverAugmentation()
        var a = SeededGenerator(seed: 1), b = SeededGenerator(seed: 1), c = SeededGenerator(seed: 2)
        let x = augmentation.apply(Self.cover(), generator: &a)
        #expect(x == augmentation.apply(Self.cover(), generator: &b), "same seed")
        #expect(x != augmentation.apply(Self.cover(), generator: &c), "another seed")
        #expect(a == b, "the generators advanced by the same number of draws")
    }

    /// The defaults the README states: crops of 85–100 % of the area, aspect within ±10 % of the
    /// cover's, brightness, contrast and saturation within ±10 %, no flip.
    @Test func defaultsAreTheDocumentedRanges() {
        let a = CoverAugmentation()
        #expect(a.minimumCropScale == 0.85 && a.aspectJitter == 0.1, "crop \(a.minimumCropScale), aspect \(a.aspectJitter)")
        #expect(a.brightness == 0.1 && a.contrast == 0.1 && a.saturation == 0.1 && !a.horizontalFlip)
    }

    /// Over 2,000 draws on an 80×120 cover: every crop inside the cover, its area 85–100 % and its
    /// aspect within ×1/1.1…×1.1 of the cover's (allowing each side's rounding to a whole pixel),
    /// and both ranges used nearly to their ends (a narrower draw would pass the bounds alone).
    @Test func cropsCoverTheDocumentedAreaAndAspectRanges() {
        let augmentation = CoverAugmentation()
        var g = SeededGenerator(seed: 3)
        let (coverWidth, coverHeight) = (80.0, 120.0)
        var areas: [Double] = [], aspects: [Double] = []
        for _ in 0..<2000 {
            let out = augmentation.apply(Self.cover(), generator: &g)
            let (w, h) = (Double(out.width), Double(out.height))
            #expect(w <= coverWidth && h <= coverHeight, "\(out.width)×\(out.height) is larger than the cover")
            // A side rounded to whole pixels is within half a pixel of the drawn size.
            #expect((w + 0.5) * (h + 0.5) >= 0.85 * coverWidth * coverHeight && w * h <= coverWidth * coverHeight,
                    "\(out.width)×\(out.height) is \(w * h / (coverWidth * coverHeight)) of the area")
            let aspect = (w / h) / (coverWidth / coverHeight)
            #expect((w - 0.5) / (h + 0.5) / (coverWidth / coverHeight) <= 1.1 && (w + 0.5) / (h - 0.5) / (coverWidth / coverHeight) >= 1 / 1.1,
                    "\(out.width)×\(out.height): aspect ×\(aspect) of the cover's")
            areas.append(w * h / (coverWidth * coverHeight))
            aspects.append(aspect)
        }
        #expect(areas.min()! < 0.87 && areas.max()! > 0.97, "areas \(areas.min()!)…\(areas.max()!)")
        #expect(aspects.min()! < 0.93 && aspects.max()! > 1.07, "aspects \(aspects.min()!)…\(aspects.max()!)")
    }

    @Test func noneChangesNothing() {
        var g = SeededGenerator(seed: 4)
        let out = CoverAugmentation.none.apply(Self.cover(), generator: &g)
        #expect(out.width == 80 && out.height == 120, "\(out.width)×\(out.height)")
        #expect(out.pixels == Self.cover().pixels, "pixels unchanged")
    }

    @Test func textIsNeverMirroredByDefault() {
        // Without cropping or jitter, the dark mark must stay on the left in every draw.
        var augmentation = CoverAugmentation.none
        var g = SeededGenerator(seed: 5)
        for _ in 0..<50 { #expect(augmentation.apply(Self.cover(), generator: &g)[2, 2] == (0, 0, 0)) }
        augmentation.horizontalFlip = true
        let flipped = (0..<50).filter { _ in augmentation.apply(Self.cover(), generator: &g)[77, 2] == (0, 0, 0) }.count
        #expect(flipped > 10 && flipped < 40, "with --flip about half the draws mirror: \(flipped)/50")
    }

    /// Each jitter alone (amount 0.1, the default), 400 draws: every value inside the range the
    /// factor 0.9…1.1 allows (±1 for rounding) and the range used nearly to both ends.
    @Test(arguments: ["brightness", "contrast", "saturation"])
    func colourJitterStaysWithinItsAmount(_ jitter: String) {
        var augmentation = CoverAugmentation.none
        // The pixel to watch, and its value at factor 0.9 and 1.1.
        let image: RGBImage, low: Double, high: Double
        switch jitter {
        case "brightness":
            augmentation.brightness = 0.1
            image = RGBImage(width: 4, height: 4, fill: (100, 100, 100))
            (low, high) = (90, 110)
        case "contrast":
            // Half at 50, half at 150: the mean grey is 100, so the dark half moves to 100 − 50·factor.
            augmentation.contrast = 0.1
            var two = RGBImage(width: 4, height: 4, fill: (150, 150, 150))
            for y in 0..<4 { for x in 0..<2 { two[x, y] = (50, 50, 50) } }
            image = two
            (low, high) = (100 - 50 * 1.1, 100 - 50 * 0.9)
        default:
            // Red (200, 100, 100) has grey 129.9; saturation moves red to 129.9 + 70.1·factor.
            augmentation.saturation = 0.1
            image = RGBImage(width: 4, height: 4, fill: (200, 100, 100))
            let grey = 0.299 * 200 + 0.587 * 100 + 0.114 * 100
            (low, high) = (grey + (200 - grey) * 0.9, grey + (200 - grey) * 1.1)
        }
        var g = SeededGenerator(seed: 6)
        let values = (0..<400).map { _ in Double(augmentation.apply(image, generator: &g)[0, 0].r) }
        let (least, most) = (values.min()!, values.max()!)
        #expect(least >= low.rounded(.down) - 1 && most <= high.rounded(.up) + 1, "\(jitter): \(least)…\(most), allowed \(low)…\(high)")
        #expect(least <= low + 2 && most >= high - 2, "\(jitter): \(least)…\(most) does not reach \(low)…\(high)")
    }
}
