import Foundation
import Imaging
import Testing

/// Broken, misleading and hostile files: each gives its own error, and the message names the file.
@Suite struct BrokenFileTests {
    @Test(arguments: ["broken-truncated.jpg", "broken-truncated-progressive.jpg", "broken-truncated.png",
                      "broken-truncated.webp"])
    func truncatedFilesSayTruncated(_ name: String) {
        expectError(name, "ends before the image does") { if case .truncated = $0 { true } else { false } }
    }

    @Test func emptyFile() {
        expectError("broken-empty.jpg", "empty (0 bytes)") { if case .empty = $0 { true } else { false } }
    }

    @Test func textNamedJpgIsNotAnImage() {
        expectError("broken-text.jpg", "\"<!DOCTYP\"") { if case .notAnImage = $0 { true } else { false } }
    }

    @Test func badCRCIsCorrupt() {
        expectError("broken-crc.png", "CRC") { if case .corrupt = $0 { true } else { false } }
    }

    @Test(arguments: ["bomb-30000x30000.png", "bomb-30000x30000.jpg"])
    func bombHeaderIsRefusedBeforeDecoding(_ name: String) {
        expectError(name, "30000×30000 is 900 megapixels, over the 100 megapixel limit") {
            if case .tooLarge(_, 30000, 30000, 100) = $0 { true } else { false }
        }
    }

    @Test func lowerLimitRefusesSmallImages() {
        let limits = DecodeLimits(maxMegapixels: 0.0001)   // 100 pixels; the fixtures have 192
        for name in ["png-rgb8.png", "jpeg-baseline.jpg", "webp-lossy.webp", "webp-animated.webp"] {
            expectError(name, "16×12 is 0.000192 megapixels, over the 0.0001 megapixel limit; raise it with --max-megapixels", limits: limits) { if case .tooLarge(_, 16, 12, _) = $0 { true } else { false } }
        }
    }

    @Test func gifIsUnsupported() {
        expectError("unsupported.gif", "a GIF image is not supported") { if case .unsupported = $0 { true } else { false } }
    }

    @Test func twelveBitJPEGIsUnsupported() {
        expectError("unsupported-12bit.jpg", "Unsupported JPEG data precision 12") {
            if case .unsupported = $0 { true } else { false }
        }
    }

    @Test func deviceIsNotARegularFile() {
        let result = Result { () throws(DecodeError) in try ImageDecoder.decode(path: "/dev/zero") }
        guard case .failure(.unreadable(let path, let reason)) = result else {
            Issue.record("/dev/zero should be unreadable, got \(result)")
            return
        }
        #expect(path == "/dev/zero" && reason.contains("not a regular file"), "\(reason)")
    }

    @Test func missingFileIsUnreadable() {
        expectError("no-such-file.png", "no such file") { if case .unreadable = $0 { true } else { false } }
    }

    @Test func folderIsUnreadable() {
        let folder = DecoderFixtures.image("")
        let result = Result { () throws(DecodeError) in try ImageDecoder.decode(contentsOf: folder) }
        guard case .failure(let error) = result, case .unreadable = error else {
            Issue.record("a folder should be unreadable, got \(result)")
            return
        }
        #expect(error.description.contains("folder"), "\(error)")
    }

    /// Every prefix of a valid file cut inside its image data fails with an error naming the file;
    /// one that lacks only what follows the image data (a PNG's IEND chunk) decodes to the whole
    /// image with a warning, as PIL does. None crashes, and none passes silently as a whole image.
    @Test(arguments: ["jpeg-baseline.jpg", "jpeg-progressive.jpg", "png-interlaced.png", "png-palette-trns.png",
                      "webp-lossy-alpha.webp", "webp-animated.webp"])
    func everyPrefixFailsCleanly(_ name: String) throws {
        let bytes = [UInt8](try Data(contentsOf: DecoderFixtures.image(name)))
        let whole = try DecoderFixtures.decode(name).get()
        let dataEnd = Self.imageDataEnd(bytes)
        var failures = 0
        for length in Array(stride(from: 0, to: bytes.count, by: 7)) + [dataEnd - 1, dataEnd, bytes.count - 1] where length < bytes.count {
            let result = Result { () throws(DecodeError) in
                try ImageDecoder.decode(bytes: Array(bytes[..<length]), name: name)
            }
            switch result {
            case .failure(let error):
                failures += 1
                #expect(error.description.hasPrefix(name), "\(name)[..<\(length)]: message \(error)")
                #expect(length < dataEnd, "\(name)[..<\(length)] lacks only what follows the image data but failed: \(error)")
            case .success(let decoded):
                #expect(length >= dataEnd, "\(name)[..<\(length)] is cut inside the image data (which ends at \(dataEnd)) but decoded")
                #expect(!decoded.info.warnings.isEmpty, "\(name)[..<\(length)] decoded without a warning")
                #expect(decoded.image == whole.image, "\(name)[..<\(length)] decoded to other pixels")
            }
        }
        #expect(failures > bytes.count / 7 / 2, "\(name): only \(failures) prefixes failed")
    }

    /// Where a file's image data ends: for PNG the start of the IEND chunk (12 bytes: length,
    /// type, CRC), for JPEG and WebP the end of the file (a JPEG without its EOI marker counts as
    /// truncated, and WebP keeps nothing after its last chunk).
    static func imageDataEnd(_ bytes: [UInt8]) -> Int {
        let isPNG = bytes.starts(with: [0x89, 0x50, 0x4E, 0x47])
        return isPNG && bytes.suffix(8).starts(with: Array("IEND".utf8)) ? bytes.count - 12 : bytes.count
    }

    private func expectError(_ name: String, _ phrase: String, limits: DecodeLimits = .default,
                             sourceLocation: SourceLocation = #_sourceLocation,
                             _ matches: (DecodeError) -> Bool) {
        switch DecoderFixtures.decode(name, limits: limits) {
        case .success(let decoded):
            Issue.record("\(name) decoded to \(decoded.width)×\(decoded.height) but should fail", sourceLocation: sourceLocation)
        case .failure(let error):
            #expect(matches(error), "\(name): wrong error \(error)", sourceLocation: sourceLocation)
            #expect(error.description.contains(name), "\(name): message does not name the file: \(error)",
                    sourceLocation: sourceLocation)
            #expect(error.description.contains(phrase), "\(name): message lacks \"\(phrase)\": \(error)",
                    sourceLocation: sourceLocation)
        }
    }
}
