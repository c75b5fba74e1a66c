import Testing
@testable import Imaging

/// Sizes, offsets and padding of the three geometry modes.
@Suite struct GeometryTests {
    @Test func cropFollowsTorchvisionSizesAndOffsets() {
        #expect(Geometry.shorterSideScaled(width: 300, height: 450, to: 224) == (224, 336))
        #expect(Geometry.shorterSideScaled(width: 450, height: 300, to: 224) == (336, 224))
        #expect(Geometry.shorterSideScaled(width: 333, height: 500, to: 224) == (224, 336))   // 336.33 truncated
        #expect(Geometry.shorterSideScaled(width: 224, height: 224, to: 224) == (224, 224))
        // Python's round: ties go to the even neighbour.
        #expect([1, 3, 5, 7, 112, 0].map(Geometry.pythonRoundHalf) == [0, 2, 2, 4, 56, 0])
    }

    @Test func cropTakesTheCentreWithBankersRounding() {
        // 224×229: no resize (shorter side is 224), 5 spare rows → top = round(2.5) = 2.
        var image = RGBImage(width: 224, height: 229)
        for y in 0..<229 { for x in 0..<224 { image[x, y] = (UInt8(y), UInt8(x), 0) } }
        let out = Geometry.crop.apply(to: image, size: 224)
        #expect(out.width == 224 && out.height == 224)
        #expect(out[0, 0].r == 2, "first row taken from source row \(out[0, 0].r), expected 2")
        #expect(out[5, 223].r == 225 && out[5, 223].g == 5)
    }

    @Test func cropLeavesSquareInputsUnchanged() throws {
        let cover = try ReferenceImage.all[0].pixels()
        #expect(Geometry.crop.apply(to: cover, size: 224) == cover)
        #expect(Geometry.stretch.apply(to: cover, size: 224) == cover)
        #expect(Geometry.letterbox.apply(to: cover, size: 224) == cover)
    }

    @Test(arguments: Geometry.allCases)
    func everyModeGivesTheTargetSize(_ geometry: Geometry) throws {
        let portrait = try ReferenceImage.portrait.pixels()
        for size in [224, 97, 1] {
            let out = geometry.apply(to: portrait, size: size)
            #expect(out.width == size && out.height == size, "\(geometry) at \(size): \(out.width)×\(out.height)")
        }
    }

    @Test func letterboxCentresThePictureOnGrey() {
        // 200×100 red → 224×112 red band, rows 56..<168, grey above and below.
        let red = RGBImage(width: 200, height: 100, fill: (250, 10, 10))
        let out = Geometry.letterbox.apply(to: red, size: 224)
        let band = (0..<224).filter { out[100, $0] == (250, 10, 10) }
        #expect(band == Array(56..<168), "red rows \(band.first ?? -1)...\(band.last ?? -1)")
        let grey = (0..<224).filter { out[7, $0] == Geometry.padding }
        #expect(grey == Array(0..<56) + Array(168..<224))

        // Portrait: 300×450 → 149×224 (round(149.33)), left = (224 − 149) / 2 = 37.
        let tall = Geometry.letterbox.apply(to: RGBImage(width: 300, height: 450, fill: (0, 0, 255)), size: 224)
        let columns = (0..<224).filter { tall[$0, 30] == (0, 0, 255) }
        #expect(columns == Array(37..<186), "blue columns \(columns.first ?? -1)...\(columns.last ?? -1)")
    }

    @Test func letterboxPaddingNormalisesToAboutZero() {
        let value = Normalization.efficientNet.value(Geometry.padding.r, channel: 0)
        #expect(value == -1 / 128)
    }
}
