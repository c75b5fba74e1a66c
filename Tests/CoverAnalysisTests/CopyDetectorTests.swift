import Foundation
import Imaging
import Support
import Testing
import Tensors
@testable import CoverAnalysis

/// The copy detector's calibration: thresholds learned from how close the popular covers come to
/// each other, so a crowded set raises them and an edited copy still stands out.
@Suite struct CopyDetectorTests {
    /// A 96 × 144 cover of one genre's template (a vertical gradient, a wavy pattern, a light band
    /// across the middle) with its own title and pictures: `blocks` rectangles at random places,
    /// lighter or darker by up to `contrast` levels. Covers of one template are all alike, as
    /// generated covers of one style are.
    static func cover(seed: UInt64, blocks: Int = 5, contrast: Double = 30) -> RGBImage {
        var rng = SeededGenerator(seed: seed)
        var luma = [Double](repeating: 0, count: 96 * 144)
        for y in 0..<144 {
            for x in 0..<96 {
                luma[y * 96 + x] = 70 + Double(y) * 0.6 + (y > 60 && y < 84 ? 60 : 0) + 40 * sin(Double(x) / 6 + Double(y) / 20)
            }
        }
        for _ in 0..<blocks {
            let (x0, y0) = (Int(rng.next() % 80), Int(rng.next() % 130))
            let (w, h) = (8 + Int(rng.next() % 40), 6 + Int(rng.next() % 20))
            let delta = contrast * (2 * rng.uniformDouble() - 1)
            for y in y0..<min(144, y0 + h) { for x in x0..<min(96, x0 + w) { luma[y * 96 + x] += delta } }
        }
        var image = RGBImage(width: 96, height: 144)
        for (i, v) in luma.enumerated() {
            let byte = UInt8(max(0, min(255, v)))
            image.pixels[3 * i] = byte; image.pixels[3 * i + 1] = byte; image.pixels[3 * i + 2] = UInt8(max(0, min(255, v * 0.8)))
        }
        return image
    }

    static func descriptors(_ images: [RGBImage]) -> Tensor {
        Tensor(shape: [images.count, BandDescriptor.length], storage: images.flatMap(BandDescriptor.describe))
    }

    @Test func distinctCoversAtHighSimilarityAreNotFlagged() throws {
        let popular = Self.descriptors((0..<1200).map { Self.cover(seed: UInt64($0)) })
        let detector = CopyDetector(popular: popular)
        #expect(detector.calibration.source == .popularSet)
        let found = detector.judge(Self.descriptors((5000..<5100).map { Self.cover(seed: UInt64($0)) }))
        let lowest = found.map(\.similarity).min() ?? 0, best = found.map(\.similarity).max() ?? 0
        // Every distinct cover is close to some popular one (an absolute 0.8 cut would flag them all) …
        #expect(lowest > 0.8, "lowest best match \(lowest)")
        // … and the calibration, which saw such pairs among the popular covers, flags none.
        #expect(found.filter(\.isCopy).isEmpty, "flagged \(found.filter(\.isCopy).count) of 100; best \(best), thresholds \(detector.calibration)")
    }

    @Test func aReEncodedCroppedCopyInACrowdedSetIsFlagged() throws {
        let covers = (0..<1200).map { Self.cover(seed: UInt64($0)) }
        let detector = CopyDetector(popular: Self.descriptors(covers))
        // Popular cover 7 cropped to its central 95 % and re-saved as JPEG quality 60: not a byte copy.
        let cropped = CoverEdit.centralCrop(covers[7], fraction: 0.95)
        let copy = try ImageDecoder.decode(bytes: try JPEGEncoder.encode(cropped, quality: 60), name: "copy").image
        let evidence = try #require(detector.judge(Self.descriptors([copy])).first)
        #expect(evidence.popularIndex == 7)
        #expect(evidence.isCopy, "similarity \(evidence.similarity), margin \(evidence.margin); thresholds \(detector.calibration)")
    }

    /// One template's artwork with a title: dark letter blocks 6–12 px wide across the top (rows
    /// 0–31, the first two bands), their places drawn from `seed`.
    static func titled(_ artwork: RGBImage, seed: UInt64) -> RGBImage {
        var rng = SeededGenerator(seed: seed)
        var image = artwork
        var x = 8
        while x < 84 {
            let width = 6 + Int(rng.next() % 7)
            for y in 0..<32 {
                for dx in 0..<min(width, 88 - x) {
                    for c in 0..<3 { image.pixels[(y * 96 + x + dx) * 3 + c] = 20 }
                }
            }
            x += width + 3 + Int(rng.next() % 8)
        }
        return image
    }

    /// Two covers of one artwork with different titles differ only in the two bands a similarity
    /// may leave out; where the candidate shows a clear pattern that disagrees, the band counts, so
    /// the second is not flagged as a copy of the first. The first with its title painted over
    /// (the bands plain there) still is.
    @Test func theSameArtworkWithAnotherTitleIsNotACopy() throws {
        let artwork = Self.cover(seed: 9000, blocks: 8)
        let covers = (0..<1200).map { Self.cover(seed: UInt64($0)) } + [Self.titled(artwork, seed: 1)]
        let detector = CopyDetector(popular: Self.descriptors(covers))
        let (twin, painted) = (Self.titled(artwork, seed: 2), try CoverEdit.titlePainted.apply(to: covers[1200]))
        let found = detector.judge(Self.descriptors([twin, painted]))
        #expect(found.map(\.popularIndex) == [1200, 1200])
        #expect(found[0].similarity < detector.calibration.threshold,
                "another title: similarity \(found[0].similarity), thresholds \(detector.calibration)")
        #expect(found[1].isCopy, "title painted over: similarity \(found[1].similarity), margin \(found[1].margin); \(detector.calibration)")
    }

    /// Light falling off across a photo: a gain from 0.8 at the left edge to 1.2 at the right leaves
    /// every band of the levelled view (what a photo is matched on) nearly as it was, since each
    /// band's left-to-right slope is removed; the whole view, which keeps it, moves further.
    @Test func lightFallingOffAcrossTheCoverLeavesTheBandsAlone() {
        let cover = Self.cover(seed: 11)
        var lit = cover
        for y in 0..<cover.height {
            for x in 0..<cover.width {
                let gain = 0.8 + 0.4 * (Double(x) + 0.5) / Double(cover.width)
                for c in 0..<3 {
                    let i = (y * cover.width + x) * 3 + c
                    lit.pixels[i] = UInt8(min(255, (Double(cover.pixels[i]) * gain).rounded()))
                }
            }
        }
        let (a, b) = (BandDescriptor.describe(cover), BandDescriptor.describe(lit))
        func cosines(_ view: BandDescriptor.View) -> [Float] {
            let start = view.rawValue * BandDescriptor.viewLength
            return (0..<BandDescriptor.bands).map { band in
                (start + band * BandDescriptor.bandLength..<start + (band + 1) * BandDescriptor.bandLength).reduce(Float(0)) { $0 + a[$1] * b[$1] }
            }
        }
        let levelled = cosines(.levelled), whole = cosines(.whole)
        #expect(levelled.allSatisfy { $0 > 0.97 }, "levelled band cosines \(levelled)")
        #expect(levelled.min()! > whole.min()!, "levelled \(levelled), whole \(whole)")
    }

    /// A straightened photo may lose three bands (its glare spans two or three), a cover file two
    /// (a painted-over title): three bands of cover 3 wiped flat leave the photo's similarity at
    /// exactly 1 and the file's at 6/7.
    @Test func aPhotoMayLoseThreeBandsAFileTwo() throws {
        let catalogue = Self.descriptors((0..<50).map { Self.cover(seed: UInt64($0)) })
        let search = BandSearch(catalogue: catalogue)
        let (n, d) = (BandDescriptor.viewLength, BandDescriptor.bandLength)
        let original = Array(catalogue.storage[3 * BandDescriptor.length..<4 * BandDescriptor.length])
        func wiped(_ view: BandDescriptor.View) -> [Float] {
            var values = Array(original[view.rawValue * n..<(view.rawValue + 1) * n])
            for i in 2 * d..<5 * d { values[i] = 1 / Float(d).squareRoot() }
            return values
        }
        // The views given, then band contrasts: the original's, 0 (plain) where bands were wiped.
        func descriptor(_ views: [BandDescriptor.View: [Float]]) -> [Float] {
            BandDescriptor.View.allCases.flatMap { views[$0] ?? [Float](repeating: 0, count: n) }
                + BandDescriptor.View.allCases.flatMap { view in
                    BandDescriptor.contrast(of: view, in: original[...]).enumerated().map { (2..<5).contains($0.offset) ? 0 : $0.element }
                }
        }
        let photo = descriptor([.rectified: wiped(.levelled)]), file = descriptor([.whole: wiped(.whole)])
        let found = search.topMatches(for: Tensor(shape: [2, BandDescriptor.length], storage: photo + file), k: 1)
        #expect(found.map { $0[0].index } == [3, 3])
        #expect(abs(found[0][0].cosine - 1) < 1e-5, "photo: \(found[0][0].cosine)")
        #expect(abs(found[1][0].cosine - 6 / 7) < 1e-5, "file: \(found[1][0].cosine)")
    }

    @Test func fewPopularCoversFallBackToTheFixedThresholds() {
        let detector = CopyDetector(popular: Self.descriptors((0..<40).map { Self.cover(seed: UInt64($0)) }))
        #expect(detector.calibration.source == .fixed)
        #expect(detector.calibration.threshold == CopyCalibration.fixedThreshold)
        #expect(detector.calibration.marginThreshold == CopyCalibration.fixedMarginThreshold)
        #expect(detector.calibration.medianNearest == nil)
    }

    @Test func theTailThresholdIsExceededByTheAskedShareOfAnExponentialTail() {
        // Values 0.5 + Exp(mean 0.01): the share above t is exp(-(t - 0.5) / 0.01) overall.
        var rng = SeededGenerator(seed: 3)
        let values = (0..<200_000).map { _ in 0.5 - 0.01 * log(1 - rng.uniformDouble()) }
        let t = CopyCalibration.tailThreshold(values, share: 0.001)
        #expect(abs(t - (0.5 + 0.01 * log(1000))) < 0.003, "threshold \(t)")
    }
}

/// The same through the real network and the scorer: a cover that was cropped and re-encoded is
/// flagged as a copy of its original; distinct covers are not.
@Suite(.serialized) struct CopyDetectionScoringTests {
    @Test func aCroppedReEncodedCopyIsFlaggedAndNewDesignsAreNot() throws {
        let folders = try ScoringFixtures.Folders()
        for i in 0..<8 { try folders.write(ScoringFixtures.cover(seed: UInt64(i)), "popular/cover \(i).jpg") }
        let original = try ImageDecoder.decode(contentsOf: folders.url("popular/cover 3.jpg")).image
        try folders.write(CoverEdit.centralCrop(original, fraction: 0.95), "candidates/copy of 3.jpg", quality: 60)
        try folders.write(ScoringFixtures.cover(seed: 100), "candidates/new A.jpg")
        try folders.write(ScoringFixtures.cover(seed: 101), "candidates/new B.jpg")
        let result = try Scorer(model: try ScoringFixtures.pretrainedModel(), store: nil)
            .score(ScoreRequest(popular: folders.url("popular"), candidates: folders.url("candidates")))

        #expect(result.settings.copyDetection?.source == .fixed)   // 8 popular covers: too few to learn from
        let copy = try #require(result.candidates.first { $0.file == "copy of 3.jpg" })
        let check = try #require(copy.copyCheck)
        #expect(check.file == "cover 3.jpg")
        #expect(copy.nearDuplicate, "similarity \(check.similarity), margin \(check.margin)")
        #expect(copy.matches.first { $0.file == "cover 3.jpg" }?.nearDuplicate == true)
        for other in result.candidates where other.file != "copy of 3.jpg" {
            #expect(!other.nearDuplicate, "\(other.file) flagged: \(String(describing: other.copyCheck))")
        }
    }
}
