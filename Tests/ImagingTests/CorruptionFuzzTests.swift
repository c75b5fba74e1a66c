import Foundation
import Imaging
import Support
import Testing

/// Damaged files must fail with a `DecodeError` naming the file, or decode — never crash or hang.
/// Every byte of each fixture is altered in turn (three ways), which reaches headers, tables,
/// chunk lengths, CRCs and entropy-coded data of every decoder.
@Suite struct CorruptionFuzzTests {
    @Test(arguments: ["jpeg-baseline.jpg", "jpeg-progressive.jpg", "jpeg-ycck.jpg", "jpeg-orientation-6.jpg",
                      "png-palette-trns.png", "png-interlaced.png", "png-rgba16.png", "png-exif-orientation-6.png",
                      "webp-lossy-alpha.webp", "webp-lossless.webp", "webp-animated.webp",
                      "webp-exif-orientation-8.webp", "tiff-lzw.tif", "heic-pattern.heic"])
    func everyAlteredByteFailsCleanly(_ name: String) throws {
        let original = [UInt8](try Data(contentsOf: DecoderFixtures.image(name)))
        var failures = 0
        for index in original.indices {
            for alter in [{ (b: UInt8) in b ^ 0xFF }, { _ in 0 }, { (b: UInt8) in b &+ 1 }] {
                var bytes = original
                bytes[index] = alter(bytes[index])
                do throws(DecodeError) {
                    let decoded = try ImageDecoder.decode(bytes: bytes, name: name)
                    expectUsable(decoded, within: .default, "\(name) byte \(index)")
                } catch {
                    failures += 1
                    #expect(error.description.hasPrefix(name + ": "), "byte \(index): \(error)")
                }
            }
        }
        // Changing the magic number alone must already fail, so some alterations always do.
        #expect(failures > 0, "\(name): no alteration was detected")
    }

    /// A damaged file that still decodes must be usable as any cover: a size of at least 1×1 and
    /// within the limit, as many pixels as that size says, and a preprocessed tensor whose values
    /// are finite and inside the normalisation's range.
    private func expectUsable(_ decoded: DecodedImage, within limits: DecodeLimits, _ what: String) {
        let (width, height) = (decoded.width, decoded.height)
        #expect(width >= 1 && height >= 1 && Double(width * height) <= limits.maxMegapixels * 1_000_000,
                "\(what): decoded to \(width)×\(height)")
        #expect(decoded.image.pixels.count == width * height * 3, "\(what): \(decoded.image.pixels.count) bytes for \(width)×\(height)")
        guard width >= 1, height >= 1, decoded.image.pixels.count == width * height * 3 else { return }
        let values = Preprocessing.default.tensor(for: decoded.image).storage
        #expect(values.allSatisfy { $0.isFinite && $0 >= -1 && $0 <= 1 }, "\(what): preprocessed values outside [-1, 1]")
    }

    /// Several bytes changed at once, at positions from a fixed-seed generator (reproducible).
    @Test(arguments: ["jpeg-progressive.jpg", "jpeg-cmyk.jpg", "png-grey-trns.png", "png-rgb16.png",
                      "webp-lossy.webp", "webp-animated.webp"])
    func randomMultiByteDamageFailsCleanly(_ name: String) throws {
        let original = [UInt8](try Data(contentsOf: DecoderFixtures.image(name)))
        var random = SeededGenerator(seed: 0x9E37_79B9_7F4A_7C15)
        func next() -> Int { Int(truncatingIfNeeded: random.next() >> 1) }
        for round in 0 ..< 300 {
            var bytes = original
            for _ in 0 ..< 1 + round % 8 {
                bytes[16 + next() % (bytes.count - 16)] = UInt8(truncatingIfNeeded: next())   // keep the signature
            }
            do throws(DecodeError) {
                // A damaged size field can declare millions of pixels; 1 MP keeps each round quick.
                let limits = DecodeLimits(maxMegapixels: 1)
                expectUsable(try ImageDecoder.decode(bytes: bytes, name: name, limits: limits), within: limits, "\(name) round \(round)")
            } catch {
                #expect(error.description.hasPrefix(name + ": "), "round \(round): \(error)")
            }
        }
    }
}
