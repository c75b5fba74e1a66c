import Testing
import Tensors
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

    @Test func cropsStayLargeAndInsideTheCover() {
        let augmentation = CoverAugmentation()
        var g = SeededGenerator(seed: 3)
        for _ in 0..<200 {
            let out = augmentation.apply(Self.cover(), generator: &g)
            let area = Double(out.width * out.height) / Double(80 * 120)
            #expect(out.width <= 80 && out.height <= 120 && area >= 0.8 && area <= 1.0, "\(out.width)×\(out.height)")
        }
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

    @Test func colourJitterStaysWithinItsAmount() {
        var augmentation = CoverAugmentation.none
        augmentation.brightness = 0.1
        var g = SeededGenerator(seed: 6)
        let grey = RGBImage(width: 4, height: 4, fill: (100, 100, 100))
        let values = (0..<100).map { _ in Int(augmentation.apply(grey, generator: &g)[0, 0].r) }
        #expect(values.min()! >= 90 && values.max()! <= 110 && Set(values).count > 5, "brightness ±10 %: \(values.min()!)…\(values.max()!)")
    }
}
