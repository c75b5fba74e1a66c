import Foundation
import Imaging
import Testing

/// The in-process decoders added for publishers' files (libtiff, libheif, and Little CMS through
/// an embedded profile) get the same treatment as JPEG, PNG and WebP in `CorruptionFuzzTests`:
/// every byte altered three ways, then cuts at every length; each result decodes or fails with a
/// `DecodeError` naming the file, never a crash.
@Suite struct PublisherFormatCorruptionTests {
    @Test(arguments: ["tiff-lzw.tif", "heic-pattern.heic"])
    func everyAlteredByteFailsCleanly(_ name: String) throws {
        let original = [UInt8](try Data(contentsOf: DecoderFixtures.image(name)))
        var failures = 0
        for index in original.indices {
            for alter in [{ (b: UInt8) in b ^ 0xFF }, { _ in 0 }, { (b: UInt8) in b &+ 1 }] {
                var bytes = original
                bytes[index] = alter(bytes[index])
                failures += decodeOrFail(bytes, name: name, what: "byte \(index)")
            }
        }
        #expect(failures > 0, "\(name): no alteration was detected")
    }

    @Test(arguments: ["tiff-lzw.tif", "heic-pattern.heic"])
    func everyCutFailsCleanly(_ name: String) throws {
        let original = [UInt8](try Data(contentsOf: DecoderFixtures.image(name)))
        var truncated = 0
        for length in 1 ..< original.count {
            do throws(DecodeError) {
                _ = try ImageDecoder.decode(bytes: Array(original.prefix(length)), name: name)
            } catch {
                #expect(error.description.hasPrefix(name + ": "), "cut at \(length): \(error)")
                if case .truncated = error { truncated += 1 }
            }
        }
        // Cuts inside the pixel data are the common case and must say "ends early", not "damaged".
        #expect(truncated > original.count / 3, "\(name): only \(truncated) of \(original.count) cuts reported as truncated")
    }

    /// 1 if `bytes` failed with a well-formed error, 0 if they decoded consistently.
    private func decodeOrFail(_ bytes: [UInt8], name: String, what: String) -> Int {
        do throws(DecodeError) {
            let decoded = try ImageDecoder.decode(bytes: bytes, name: name)
            #expect(decoded.image.pixels.count == decoded.width * decoded.height * 3, "\(what)")
            return 0
        } catch {
            #expect(error.description.hasPrefix(name + ": "), "\(what): \(error)")
            return 1
        }
    }
}
